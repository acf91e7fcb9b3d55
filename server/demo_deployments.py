"""The five deployments of the seeds, loaded by `conventio demo` at the stages a newcomer should
see: CAP Nord's whole 2027 programme run to its evaluation report; Saint-Martin's purchase late on
the issuer's proof; the Yvelines' convention ANCT drafted by Seine-et-Yvelines Numérique and waiting
for the département's DGAS; the Hauts-de-Seine's council convened; last year's booklets handed out
in Saint-Martin, CAP Nord, the 78 and the 92; La Réunion's préfecture distributing the State's 1,000
booklets of 5 through its relays.

The chains replay the library's own scenario of a whole deployment (the one the suite proves runs
to its end), with each territory's identity and, for those stopped mid-way, their dates moved so
that they stand where they would stand today. Counts of booklets are the demo's own where the seeds
give none."""
import json
from datetime import date, timedelta
from pathlib import Path

from workflows.errors import NotFound
from workflows.services import ledger
from workflows.services.actors import Actor
from workflows.services.dashboard import dashboard
from workflows.services.instances import start_instance
from workflows.services.roster import import_members
from workflows.services.tasks import complete_task, list_tasks
from workflows.services.territories import add_territory, list_territories
from workflows.services.territory_import import import_territories
from workflows.services.users import get_actor

from .demo_replay import Replay

ROOT = Path(__file__).resolve().parent.parent
TERRITORIES = ROOT / "data" / "territoires.csv"
ROSTERS = {"cap-nord": ROOT / "data" / "membres-cap-nord.csv"}   # the 53 members in office of seed 003
CHAIN = ROOT / "tests" / "scenarios" / "pass_numerique_happy.json"   # the whole chain, proved by the suite
DEMO = Actor("demo", frozenset({"admin"}), display_name="conventio demo")
HUB, SYN = "hub-antilles-guyane", "seine-et-yvelines-numerique"
DEPLOYMENT_USERS = {   # username -> (role, territory, display name)
    "hub": ("observer", HUB, "Hub Antilles-Guyane (ANIS St Martin)"),
    "juriste-syn": ("legal", SYN, "Juriste de Seine-et-Yvelines Numérique"),
    "acheteur-syn": ("buyer", SYN, "Acheteur de Seine-et-Yvelines Numérique"),
    "dgas78": ("director", "78", "DGAS des Yvelines"),
    "dgas92": ("director", "92", "DGAS des Hauts-de-Seine"),
    "dgs-saint-martin": ("dgs", "978", "DGS de la Collectivité de Saint-Martin"),
    "juriste-saint-martin": ("legal", "978", "Juriste de la Collectivité de Saint-Martin"),
    "prefecture974": ("director", "974", "Préfecture de La Réunion"),
    "solidarnum": ("legal", "solidarnum", "Solidarnum (opérateur du Pass numérique de l'État)"),
}
TITLES = {"cap-nord": "Pass numérique 2027 – CAP Nord Martinique", "cap-nord-next": "Pass numérique – CAP Nord Martinique",
          "978": "Pass numérique – Saint-Martin",
          "78": "Pass numérique – Yvelines", "92": "Pass numérique – Hauts-de-Seine",
          "974": "Pass numérique de l'État – La Réunion"}
IDENTITIES = {
    "978": {"collectivite": "Collectivité de Saint-Martin", "territoire": "978", "president": "Daniel GIBBS",
            "collectivite_adresse": "Hôtel de la Collectivité, rue de l'Hôtel de ville, 97150 Marigot",
            "tribunal_administratif": "le tribunal administratif de Saint-Martin", "fait_a": "Marigot"},
    "78": {"collectivite": "Département des Yvelines", "type_collectivite": "departement", "territoire": "FR",
           "president": "Le président du conseil départemental", "fait_a": "Versailles",
           "collectivite_adresse": "Hôtel du Département, 78000 Versailles",
           "tribunal_administratif": "le tribunal administratif de Versailles"},
    "92": {"collectivite": "Département des Hauts-de-Seine", "type_collectivite": "departement", "territoire": "FR",
           "president": "Le président du conseil départemental", "fait_a": "Nanterre",
           "collectivite_adresse": "Hôtel du Département, 92000 Nanterre",
           "tribunal_administratif": "le tribunal administratif de Cergy-Pontoise"},
}
COUNCILS = {"978": "conseil_territorial", "78": "conseil_departemental", "92": "conseil_departemental"}


def load_deployments(conventio, demo_territory, demo_usernames, today=None):
    """Load the deployments once: False when they already are (their chains are there)."""
    today = today or date.today()
    if any(c["title"] in TITLES.values() for c in dashboard(conventio, DEMO, ledger=False)["chains"]):
        return False
    import_territories(conventio, DEMO, TERRITORIES.read_bytes())
    for code, roster in ROSTERS.items():
        import_members(conventio, DEMO, code, roster.read_bytes())
    if demo_territory not in {t["code"] for t in list_territories(conventio, DEMO)}:
        add_territory(conventio, DEMO, code=demo_territory, name=demo_territory, kind="commune")
    steps = json.loads(CHAIN.read_text(encoding="utf-8"))["steps"]
    _chains(conventio, steps, demo_territory, demo_usernames, today)
    _campaigns(conventio, demo_territory, today)
    _reunion(conventio, today)
    return True


def _people(conventio, usernames):
    """{role: Actor} of the accounts that exist among `usernames` (the demo's own acts for the rest)."""
    people = {}
    for username in usernames:
        try:
            actor = get_actor(conventio, username)
        except NotFound:
            continue
        people.setdefault(next(iter(actor.roles)), actor)
    return people


def _chains(conventio, steps, demo_territory, demo_usernames, today):
    if demo_territory == "cap-nord":   # the demo's users are CAP Nord's staff: they ran its programme
        cap_nord = _people(conventio, demo_usernames)
        Replay(conventio, cap_nord, cap_nord.get("legal", DEMO), DEMO).run(
            "pass_numerique", steps, "cap-nord", TITLES["cap-nord"])
        # the next programme: the council adopted it a fortnight ago, the legal staff draft the convention
        _stage(conventio, steps, "cap-nord", cap_nord, today, "2027-04-02", "rediger_convention_anct",
               TITLES["cap-nord-next"])
    saint_martin = _people(conventio, ["juriste-saint-martin", "dgs-saint-martin"])
    # the bon de commande went three weeks ago: the issuer's proof (6 days) is late
    _stage(conventio, steps, "978", saint_martin, today - timedelta(days=21), "2027-07-10", "valider_bon_a_tirer")
    syndicat = _people(conventio, ["juriste-syn", "acheteur-syn"])
    # the syndicat drafted the Yvelines' convention ANCT ten days ago: the DGAS decides
    _stage(conventio, steps, "78", syndicat, today - timedelta(days=10), "2027-04-02", "examiner_convention_anct")
    # the Hauts-de-Seine's council is convened (5 jours francs) and sits in three days
    _stage(conventio, steps, "92", syndicat, today + timedelta(days=3), "2027-03-25", "tenir_seance")


def _stage(conventio, steps, territory, people, anchor_day, scenario_day, until, title=None):
    """The chain replayed up to `until`, its dates moved so that the scenario's `scenario_day` is
    `anchor_day`."""
    shift = (anchor_day - date.fromisoformat(scenario_day)).days
    replay = Replay(conventio, people, people.get("legal", DEMO), DEMO, shift_days=shift)
    replay.run("pass_numerique", territory_steps(steps, territory), territory, title or TITLES[territory],
               IDENTITIES.get(territory), until=until)


def territory_steps(steps, territory):
    """The chain's steps with the territory's own deliberating assembly (CAP Nord's is the scenario's)."""
    overrides = {"rediger_projet_deliberation": {"instance_deliberante": COUNCILS[territory]}} \
        if territory in COUNCILS else {}
    return [{**s, "data": {**s["data"], **overrides[s["task"]]}} if s.get("task") in overrides else s
            for s in steps]


# --- last year's booklets, in the ledger ------------------------------------------------------

# territory -> (manager, prescribers {name: booklet size}, [(public, booklets each, people, of whom in a
# priority neighbourhood)]); a public's booklets are of its prescribers' size
CAMPAIGNS = {
    "cap-nord": ("directrice", {"Référents de parcours du PLIE": 10, "CCAS du Lorrain": 5},
                 [("plie_demandeur_emploi", 3, 6, 0), ("senior", 1, 12, 0)]),
    "978": (None, {"Service AIO de la Collectivité": 5, "Pôle emploi Saint-Martin": 10},
            [("femme_16_25", 1, 4, 3), ("beneficiaire_rsa", 1, 5, 3), ("demandeur_emploi", 1, 6, 2),
             ("jeune_quartier_excentre", 1, 4, 1), ("personne_handicap", 1, 3, 1), ("jeune_psad", 1, 4, 3),
             ("senior", 1, 5, 1)]),
    "78": ("dgas78", {"Travailleurs sociaux des Yvelines": 10}, [("pic", 1, 20, 6)]),
    "92": ("dgas92", {"Travailleurs sociaux des Hauts-de-Seine": 10}, [("pic", 1, 14, 4)]),
}
SIZE_OF_PUBLIC = {"978": {"beneficiaire_rsa": 10, "demandeur_emploi": 10},   # Pôle emploi's booklets
                  "cap-nord": {"senior": 5}}   # the CCAS'
PLACES = {"cap-nord": ["Exo 7", "CARECOF", "Martinique Nord Média"], "978": ["ANIS St Martin"],
          "78": ["Espace numérique de Mantes"], "92": ["Médiathèque de Nanterre"]}


def _campaigns(conventio, demo_territory, today):
    received_on = today - timedelta(days=120)
    last_day = min(today - timedelta(days=1), date(received_on.year, 12, 31))
    for territory, (manager, prescribers, publics) in CAMPAIGNS.items():
        if territory == "cap-nord" and demo_territory != "cap-nord":
            continue
        by = get_actor(conventio, manager) if manager else DEMO
        _campaign(conventio, territory, by, prescribers, publics, received_on, last_day)


def _campaign(conventio, territory, by, prescribers, publics, received_on, last_day):
    opened = ledger.open_campaign(conventio, territory, by,
                                  title=f"Pass numérique {received_on.year} – {territory}")["id"]
    handouts = _handouts(territory, prescribers, publics)
    prefix = territory.upper().replace("-", "")
    counts = {}
    for _, _, size, booklets, _ in handouts:
        counts[size] = counts.get(size, 0) + booklets
    received = {size: count * 2 for size, count in counts.items()}
    for size, count in received.items():
        ledger.receive_range(conventio, opened, by, booklet_size=size, first=f"{prefix}{size:02d}-000001",
                             last=f"{prefix}{size:02d}-{count:06d}", issuer=_issuer(territory),
                             validity_year=received_on.year, order=f"BC-{prefix}-{received_on.year}",
                             received_on=received_on)
    for name, size in prescribers.items():
        ledger.add_prescriber(conventio, opened, by, name=name, formats={size: received.get(size, 0)},
                              executory_on=received_on)
    serials = _serials(prefix, handouts)
    for name in prescribers:
        mine = [s for (prescriber, *_), named in zip(handouts, serials) if prescriber == name for s in named]
        if mine:
            ledger.endow(conventio, opened, DEMO, prescriber=name, on=received_on + timedelta(days=5), serials=mine)
    span = max((last_day - received_on).days - 10, 1)
    for n, ((prescriber, public, _, _, priority), named) in enumerate(zip(handouts, serials)):
        ledger.hand_out(conventio, opened, DEMO, prescriber=prescriber, public=public, serials=named,
                        on=received_on + timedelta(days=10 + n * span // len(handouts)),
                        identifier=f"{prefix}-{n + 1:05d}", priority_area=priority)
    _statements(conventio, opened, territory, sum(counts.get(s, 0) * s for s in counts), received_on, last_day)


def _handouts(territory, prescribers, publics):
    """[(prescriber, public, booklet size, booklets, priority area)], one line a person."""
    names = list(prescribers)
    lines = []
    for public, booklets, people, priority in publics:
        size = SIZE_OF_PUBLIC.get(territory, {}).get(public) or prescribers[names[0]]
        of_size = [n for n in names if prescribers[n] == size]
        for person in range(people):
            lines.append((of_size[person % len(of_size)], public, size, booklets, person < priority))
    return lines


def _serials(prefix, handouts):
    following, named = {}, []
    for _, _, size, booklets, _ in handouts:
        first = following.get(size, 1)
        following[size] = first + booklets
        named.append([f"{prefix}{size:02d}-{n:06d}" for n in range(first, first + booklets)])
    return named


def _statements(conventio, opened, territory, handed_passes, received_on, last_day):
    """The places' monthly statements: a third of the passes handed out, redeemed over the months."""
    months = sorted({(received_on + timedelta(days=d)).strftime("%Y-%m")
                     for d in range(40, (last_day - received_on).days, 30)})
    places = PLACES[territory]
    each = handed_passes // 3 // max(len(months) * len(places), 1)
    for month in months:
        for place in places:
            ledger.record_statement(conventio, opened, DEMO, place=place, month=month, passes=each)


def _issuer(territory):
    return "APTIC"


# --- La Réunion: the State's passes, through the relays --------------------------------------

RELAYS = ["Relais CAF", "Relais CGSS", "Relais des Finances publiques", "Relais Pôle emploi"]
REUNION_PEOPLE, REUNION_HANDED = 1000, 30   # 1,000 people, a booklet of 5 each (seed 001); handed so far: the demo's
REUNION_PLACES = [   # the places the letter of each handout lists: the demo's (the seed names none)
    {"nom": "Solidarnum – Saint-Denis", "adresse": "12 rue Jean Chatel", "commune": "Saint-Denis"},
    {"nom": "Médiathèque de Saint-Pierre", "adresse": "Rue Méziaire Guignard", "commune": "Saint-Pierre"},
    {"nom": "Cyberbase du Port", "adresse": "Rue Évariste de Parny", "commune": "Le Port"}]


def _reunion(conventio, today):
    """The préfecture's chain (bpmn/pass_numerique_etat.bpmn): the State's allotment, its 1,000
    booklets received in the ledger, the mediation places Solidarnum referenced (the ledger's letter of
    each handout lists them), the relays handing out."""
    prefecture = get_actor(conventio, "prefecture974")
    operator = _people(conventio, ["solidarnum"]).get("legal", DEMO)
    activated = today - timedelta(days=60)
    if activated.year != today.year:   # early in the year: last autumn's passes, still within their validity
        activated = date(today.year - 1, 10, 1)
    convention = activated + timedelta(days=5)
    last_day = min(today - timedelta(days=1), date(activated.year, 12, 31))
    identity = {"collectivite": "Préfecture de La Réunion", "territoire": "974", "fait_a": "Saint-Denis",
                "collectivite_adresse": "Place du Barachois, 97400 Saint-Denis", "president": "Le préfet de La Réunion",
                "tribunal_administratif": "le tribunal administratif de La Réunion"}
    instance = start_instance(conventio, "pass_numerique_etat", identity, prefecture, territory="974",
                              title=TITLES["974"])["id"]
    allotment = {"date_arrete": (activated - timedelta(days=2)).isoformat(), "nombre_beneficiaires": REUNION_PEOPLE,
                 "carnets_par_beneficiaire": 1, "cheques_par_carnet": 5, "date_activation_pass": activated.isoformat(),
                 "relais": [{"nom": r, "date_convention": convention.isoformat(), "nombre_carnets": REUNION_PEOPLE // 4}
                            for r in RELAYS]}
    _complete(conventio, instance, "arreter_dotation_etat", allotment, prefecture)
    campaign = ledger.open_campaign(conventio, "974", prefecture, instance_id=instance,
                                    title=f"Pass numérique de l'État {activated.year} – La Réunion")["id"]
    ledger.receive_range(conventio, campaign, prefecture, booklet_size=5, first="RUN05-000001",
                         last=f"RUN05-{REUNION_PEOPLE:06d}", issuer="État – achat national de Pass numériques",
                         validity_year=activated.year, order="Dotation de l'État", received_on=activated)
    _complete(conventio, instance, "receptionner_carnets_etat", {"date_reception": activated.isoformat()}, prefecture)
    _complete(conventio, instance, "referencer_lieux_mediation", {"lieux": REUNION_PLACES}, operator)
    quarter = REUNION_PEOPLE // 4
    for n, relay in enumerate(RELAYS):
        ledger.add_prescriber(conventio, campaign, prefecture, name=relay, formats={5: quarter}, executory_on=convention)
        ledger.endow(conventio, campaign, prefecture, prescriber=relay, on=convention + timedelta(days=1),
                     ranges=[{"premier": f"RUN05-{quarter * n + 1:06d}", "dernier": f"RUN05-{quarter * (n + 1):06d}"}])
    _complete(conventio, instance, "repartir_dotations",
              {"date_remise_prescripteurs": (convention + timedelta(days=1)).isoformat()}, prefecture)
    for person in range(REUNION_HANDED):
        n = person % 4
        ledger.hand_out(conventio, campaign, DEMO, prescriber=RELAYS[n], public="autre",
                        on=convention + timedelta(days=2 + person * ((last_day - convention).days - 2) // REUNION_HANDED),
                        serials=[f"RUN05-{quarter * n + person // 4 + 1:06d}"],
                        identifier=f"RUN-{person + 1:04d}", priority_area=True)


def _complete(conventio, instance, bpmn_id, data, by):
    [task] = [t for t in list_tasks(conventio, DEMO, instance_id=instance, include_all_roles=True)
              if t["bpmn_id"] == bpmn_id]
    complete_task(conventio, task["id"], data, by)
