"""What a process step knows of its campaign: the ledger's figures, as a small summary.

The distribution and evaluation models refer to the ledger campaign tied to their instance;
their gates (dotations within the conventions de mandat, every booklet handed or returned,
redemptions bounded by handouts, the evaluation's indicators) read these figures through
the model functions. The summary grows with the prescribers, publics and formats of the
territory, never with its booklets, handouts or beneficiaries: it is read from the counters the
ledger's writes keep (ledger_counts), a handful of rows whatever the size of the campaign.
"""
from sqlalchemy import select

from ..domain.allocation import is_pic_public
from ..domain.ledger_rules import Place
from ..errors import InvalidData
from ..store.models import LedgerCampaign, LedgerMandate, LedgerPrescriber, LedgerPublicTally, LedgerTally

# The name under which the scripts of a step find the figures of their instance's campaign.
LEDGER_FIGURES = "registre"
# The data name of a campaign's identifier in a process's data.
CAMPAIGN = "campagne_registre"


def step_facts(session, instance_id):
    """{"registre": the figures of the campaign tied to the instance, None without one}:
    offered to the step's scripts, never stored in the instance's data."""
    campaign = session.execute(select(LedgerCampaign.id, LedgerCampaign.redeemed_passes, LedgerCampaign.territory)
                               .where(LedgerCampaign.instance_id == instance_id)
                               .order_by(LedgerCampaign.id.desc()).limit(1)).first()
    if campaign is None:
        return {LEDGER_FIGURES: None}
    return {LEDGER_FIGURES: step_figures(session, campaign.id, campaign.redeemed_passes, campaign.territory)}


def start_facts(session, data, territory, actor):
    """The facts of a start: the figures of the campaign its data names (`campagne_registre`,
    a process started apart from the chain, such as an evaluation), one the starter sees, of
    the instance's territory when it has one."""
    campaign_id = data.get(CAMPAIGN)
    if campaign_id is None:
        return {LEDGER_FIGURES: None}
    campaign = session.get(LedgerCampaign, campaign_id) if isinstance(campaign_id, int) else None
    if campaign is None or not actor.sees_territory(campaign.territory) \
            or territory not in (None, campaign.territory):
        raise InvalidData(f"Campagne du registre n° {campaign_id} introuvable sur ce territoire.",
                          {CAMPAIGN: "campagne inconnue sur ce territoire"})
    return {LEDGER_FIGURES: step_figures(session, campaign.id, campaign.redeemed_passes, campaign.territory)}


def step_figures(session, campaign_id, redeemed_passes, territory=None):
    tallies = _tallies(session, campaign_id)
    figures = _prescribers(session, campaign_id)
    names = {one.pop("_id"): name for name, one in figures.items()}
    handed = [{"prescripteur": names[t.prescriber_id], "public": t.public, "taille": str(t.size),
               "carnets": t.booklets, "passes": t.booklets * t.size, "beneficiaires": t.people}
              for t in tallies if t.place == Place.BENEFICIARY.value]
    for t in tallies:
        if t.place == Place.PRESCRIBER.value:
            _format(figures[names[t.prescriber_id]], t.size)["detenus"] = t.booklets
    for line in handed:   # a beneficiary has one public: summing over publics counts each once
        one = figures[line["prescripteur"]]
        _format(one, line["taille"])["remis"] += line["carnets"]
        one["passes_remis"] += line["passes"]
        one["beneficiaires"] += line["beneficiaires"]
        one["beneficiaires_pic"] += line["beneficiaires"] if is_pic_public(line["public"]) else 0
    people = _people_by_public(session, campaign_id)
    return {
        "campagne": campaign_id,
        "territoire": territory,
        "recus": _sizes(tallies),
        "stock": _sizes(t for t in tallies if t.place == Place.STOCK.value),
        "prescripteurs": figures,
        "passes_remis": sum(line["passes"] for line in handed),
        "passes_remis_pic": sum(line["passes"] for line in handed if is_pic_public(line["public"])),
        "passes_remis_par_format": _fold(handed, "taille", "passes"),
        "passes_remis_par_public": _fold(handed, "public", "passes"),
        "beneficiaires_par_public": {public: n for public, (n, _qpv) in people.items() if n},
        "beneficiaires_qpv": sum(qpv for _n, qpv in people.values()),
        "passes_encaisses": redeemed_passes,
    }


def _tallies(session, campaign_id):
    """The campaign's counters with booklets, in a stable order (ledger_counts keeps them)."""
    return session.execute(select(LedgerTally).where(LedgerTally.campaign_id == campaign_id, LedgerTally.booklets > 0)
                           .order_by(LedgerTally.place, LedgerTally.prescriber_id, LedgerTally.public,
                                     LedgerTally.size)).scalars().all()


def _sizes(tallies):
    """[{cheques_par_carnet, nombre_carnets}] in increasing size, as the forms write formats."""
    sizes = {}
    for t in tallies:
        sizes[t.size] = sizes.get(t.size, 0) + t.booklets
    return [{"cheques_par_carnet": size, "nombre_carnets": n} for size, n in sorted(sizes.items())]


def _prescribers(session, campaign_id):
    """{name: {"executoire_le", "formats": {size: {"confies", "dotes", "detenus", "remis"}},
    "beneficiaires", "beneficiaires_pic", "passes_remis", "_id"}}, from the conventions de mandat."""
    figures = {}
    for prescriber_id, name, executory, size, entrusted, endowed in session.execute(
            select(LedgerPrescriber.id, LedgerPrescriber.name, LedgerPrescriber.executory_on,
                   LedgerMandate.booklet_size, LedgerMandate.booklets, LedgerMandate.endowed)
            .outerjoin(LedgerMandate, LedgerMandate.prescriber_id == LedgerPrescriber.id)
            .where(LedgerPrescriber.campaign_id == campaign_id).order_by(LedgerPrescriber.name)):
        one = figures.setdefault(name, {"executoire_le": executory and executory.isoformat(), "formats": {},
                                        "beneficiaires": 0, "beneficiaires_pic": 0, "passes_remis": 0,
                                        "_id": prescriber_id})
        if size is not None:
            one["formats"][str(size)] = {"confies": entrusted, "dotes": endowed, "detenus": 0, "remis": 0}
    return figures


def _format(prescriber, size):
    return prescriber["formats"].setdefault(str(size), {"confies": 0, "dotes": 0, "detenus": 0, "remis": 0})


def _fold(lines, key, value):
    folded = {}
    for line in lines:
        folded[line[key]] = folded.get(line[key], 0) + line[value]
    return dict(sorted(folded.items()))


def _people_by_public(session, campaign_id):
    """{public: (people who received booklets, those of them in a priority neighbourhood)}, from the
    counters ledger_counts keeps."""
    return {public: (people, qpv) for public, people, qpv in session.execute(
        select(LedgerPublicTally.public, LedgerPublicTally.people, LedgerPublicTally.priority_people)
        .where(LedgerPublicTally.campaign_id == campaign_id).order_by(LedgerPublicTally.public))}
