"""Seed 000, the Collectivité de Saint-Martin (January 2021): seven target publics, the AIO service
and Pôle emploi as prescribers, priority to the Contrat de ville's priority neighbourhoods, and the
share of beneficiaries living in one as an indicator.

The publics are dated data for territory 978 (domain/data/publics.json); the seed gives no number
of booklets per public, so none has a rule of its own, and in 2021 no general rule was in force
either (the seniors' dates from 2023): a handout is bounded by its prescriber's dotation only. The counts of people
below are this test's own, and so are the evaluation's figures (the seed gives none: no count per public, no
redemption, no share of priority neighbourhoods); the seven publics, their labels, the PSAD's young people as
PIC public and the priority-neighbourhood indicator are the seed's. Run warm and cold: each step then loads the
instance afresh from the database."""
from datetime import date

import pytest

from deployment_helpers import HUB, campaign, complete, footprint, install, open_task, serials, start, user
from documents.conftest import docx_text, table_rows
from helpers import WARM_AND_COLD, sqlite_settings, with_instances
from server.instructions import instructions_as_text, render_instructions
from workflows.errors import InvalidData
from workflows.services import ledger
from workflows.domain.allocation import allocation_for
from workflows.domain.errors import DomainError
from workflows.domain.publics import territory_publics
from workflows.services.dashboard_territory import follow_up, territory_dashboard
from workflows.services.documents import document_file, list_documents
from workflows.services.instances import get_instance
from workflows.services.tasks import complete_task, get_task

SEVEN = ["femme_16_25", "beneficiaire_rsa", "demandeur_emploi", "jeune_quartier_excentre", "personne_handicap",
         "jeune_psad", "senior"]
SPRING = date(2021, 5, 3)


@pytest.fixture(params=WARM_AND_COLD)
def settings(request, tmp_path):
    return with_instances(sqlite_settings(tmp_path), request.param)


def test_the_seven_publics_are_saint_martins_dated_data():
    assert [p.public for p in territory_publics("978", SPRING)] == SEVEN
    assert all("Saint-Martin" in p.source for p in territory_publics("978", SPRING))
    assert [p.public for p in territory_publics("978", SPRING) if p.pic] == ["jeune_psad"]
    assert territory_publics("978", date(2020, 12, 31)) == ()   # before the collectivité retained them
    assert territory_publics("cap-nord", SPRING) == ()          # other territories take any public


@pytest.fixture
def saint_martin(app):
    install(app)
    people = {"director": user(app, "direction-saint-martin", "director", "978"),
              "dgs": user(app, "dgs-saint-martin", "dgs", "978"), "finance": user(app, "finances-saint-martin", "finance", "978"),
              "aio": user(app, "agent-aio", "prescriber", "978"), "pe": user(app, "agent-pe", "prescriber", "978"),
              "hub": user(app, "hub-observateur", "observer", HUB)}
    prescribers = {"Service AIO de la Collectivité": ("agent-aio", {5: 20}),
                   "Pôle emploi Saint-Martin": ("agent-pe", {5: 20})}
    people["campaign"] = campaign(app, "978", people["director"], prescribers, {5: 40}, date(2021, 3, 1), 2021)
    ledger.endow(app, people["campaign"], people["director"], prescriber="Service AIO de la Collectivité",
                 on=date(2021, 4, 1), serials=serials("978", 5, 1, 20))
    ledger.endow(app, people["campaign"], people["director"], prescriber="Pôle emploi Saint-Martin",
                 on=date(2021, 4, 1), serials=serials("978", 5, 21, 40))
    return people


def test_each_public_handed_out_and_the_priority_neighbourhood_share(app, saint_martin):
    opened, booklet = saint_martin["campaign"], iter(range(1, 41))
    for n, public in enumerate(SEVEN):   # two people per public; the first four publics' first one in a QPV
        by, prescriber = (saint_martin["pe"], "Pôle emploi Saint-Martin") \
            if public in ("beneficiaire_rsa", "demandeur_emploi") else (saint_martin["aio"], "Service AIO de la Collectivité")
        for person in range(2):
            number = next(booklet) + (20 if prescriber.startswith("Pôle") else 0)
            ledger.hand_out(app, opened, by, prescriber=prescriber, public=public, on=SPRING,
                            serials=serials("978", 5, number, number), identifier=f"SXM-{n}-{person}",
                            priority_area=person == 0 and n < 4)
    figures = territory_dashboard(app, saint_martin["hub"], "978")
    assert [(p["public"], p["beneficiaries"], p["passes"], p["pic"]) for p in figures["by_public"]] == sorted(
        (public, 2, 10, public == "jeune_psad") for public in SEVEN)
    assert (figures["beneficiaries"], figures["priority_area_beneficiaries"], figures["priority_area_pct"]) == \
        (14, 4, 28.6)
    assert (figures["handed"], figures["pic_handed"], figures["pic_pct"]) == (70, 10, 14.3)
    [line] = [line for line in follow_up(app, saint_martin["hub"], HUB)["lines"] if line["territory"] == "978"]
    assert line["priority_area_pct"] == 28.6


def test_a_public_saint_martin_did_not_retain_is_refused_and_changes_nothing(app, saint_martin):
    before = footprint(app)
    with pytest.raises(InvalidData) as refused:
        ledger.hand_out(app, saint_martin["campaign"], saint_martin["aio"], prescriber="Service AIO de la Collectivité",
                        public="plie_demandeur_emploi", on=SPRING, serials=serials("978", 5, 1, 1))
    assert refused.value.details == {"public": refused.value.message}
    assert refused.value.message.startswith("Le public « plie_demandeur_emploi » n'est pas un des publics retenus "
                                            "par le territoire 978 au 3 mai 2021 : femme_16_25 (Femme de 16 à 25 ans)")
    assert footprint(app) == before


def test_no_rule_was_in_force_in_2021_so_the_dotation_alone_bounds_a_handout(app, saint_martin):
    # the general senior rule (one booklet of 5) dates from CAP Nord's deliberation of 27 April 2023
    with pytest.raises(DomainError):
        allocation_for("senior", SPRING, "978")
    assert allocation_for("senior", date(2023, 5, 2), "978").passes == 5
    handed = ledger.hand_out(app, saint_martin["campaign"], saint_martin["aio"],
                             prescriber="Service AIO de la Collectivité", public="senior", on=SPRING,
                             serials=serials("978", 5, 1, 2), identifier="SXM-S")
    assert handed["passes"] == 10
    with pytest.raises(InvalidData):   # beyond what the AIO service holds
        ledger.hand_out(app, saint_martin["campaign"], saint_martin["aio"],
                        prescriber="Service AIO de la Collectivité", public="femme_16_25", on=SPRING,
                        serials=serials("978", 5, 20, 21), identifier="SXM-F")


# The evaluation's figures, this test's own: {public: (people, of whom in a priority neighbourhood,
# passes used)}, each person given one booklet of 5; Pôle emploi hands out to its two publics, the AIO
# service to the others; no senior received a pass (the report still names the public).
EVALUATED = {"femme_16_25": (3, 2, 12), "beneficiaire_rsa": (2, 1, 6), "demandeur_emploi": (4, 1, 15),
             "jeune_quartier_excentre": (3, 2, 6), "personne_handicap": (1, 0, 5), "jeune_psad": (2, 0, 4),
             "senior": (0, 0, 0)}
PE_PUBLICS = ("beneficiaire_rsa", "demandeur_emploi")
LABELS = {"femme_16_25": "Femme de 16 à 25 ans", "beneficiaire_rsa": "Bénéficiaire du RSA",
          "demandeur_emploi": "Demandeur d'emploi", "jeune_quartier_excentre": "Jeune d'un quartier excentré",
          "personne_handicap": "Personne en situation de handicap",
          "jeune_psad": "Jeune suivi par la PSAD (décrochage scolaire)", "senior": "Senior"}
IDENTITY = {"collectivite": "Collectivité de Saint-Martin", "collectivite_adresse": "Hôtel de la Collectivité, "
            "97150 Marigot", "president": "Daniel Gibbs", "territoire": "978", "fait_a": "Marigot",
            "tribunal_administratif": "le tribunal administratif de Saint-Martin"}   # the address: the test's own
PLACE = "Espace numérique de Marigot"   # the seed names no place: the test's own


def _handed_out_for_the_evaluation(app, people):
    numbers = {"aio": iter(range(1, 21)), "pe": iter(range(21, 41))}
    for public, (count, in_priority_area, _) in EVALUATED.items():
        who = "pe" if public in PE_PUBLICS else "aio"
        prescriber = "Pôle emploi Saint-Martin" if who == "pe" else "Service AIO de la Collectivité"
        for person in range(count):
            number = next(numbers[who])
            ledger.hand_out(app, people["campaign"], people[who], prescriber=prescriber, public=public, on=SPRING,
                            serials=serials("978", 5, number, number), identifier=f"SXM-{public}-{person}",
                            priority_area=person < in_priority_area)


def _report(used_by_public):
    aio = sum(used for public, (_, _, used) in EVALUATED.items() if public not in PE_PUBLICS)
    pe = sum(EVALUATED[public][2] for public in PE_PUBLICS)
    return {"synthese": "Quinze personnes des sept publics retenus ont reçu un carnet de 5 Pass numériques.",
            "recommandations": "Ouvrir le dispositif aux seniors avec le CCAS.", "reconduction_envisagee": True,
            "periode_debut": "2021-03-01", "periode_fin": "2021-12-31", "date_rapport": "2022-01-20",
            "auteur": "Délégation Solidarité et Familles",
            "pass_utilises_par_prescripteur": [{"prescripteur": "Service AIO de la Collectivité", "pass_utilises": aio},
                                               {"prescripteur": "Pôle emploi Saint-Martin", "pass_utilises": pe}],
            "pass_utilises_par_public": [{"public": public, "pass_utilises": used} for public, used in used_by_public]}


def _evaluation(app, people):
    used = sum(u for _, _, u in EVALUATED.values())
    data = {**IDENTITY, "valeur_cheque": 10, "formats_en_stock": [{"cheques_par_carnet": 5, "nombre_carnets": 40}],
            "taux_cofinancement_etat_pct": 50, "part_minimale_public_pic_pct": 50,
            "encaissements": [{"lieu": PLACE, "passes_encaisses": used, "ateliers": used}], "paiements_lieux": [],
            "campagne_registre": people["campaign"], "date_projet_convention_anct": "2021-02-15"}
    return start(app, "evaluation", data, people["dgs"], "978", "Évaluation du Pass numérique 2021")


def test_saint_martins_evaluation_reports_its_seven_publics_and_the_priority_neighbourhood_share(app, saint_martin):
    _handed_out_for_the_evaluation(app, saint_martin)
    instance = _evaluation(app, saint_martin)
    indicators = get_instance(app, instance, saint_martin["director"])["data"]["indicateurs"]
    assert indicators["passes_remis_par_public"] == {p: 5 * n for p, (n, _, _) in EVALUATED.items() if n}
    assert indicators["beneficiaires_par_public"] == {p: n for p, (n, _, _) in EVALUATED.items() if n}
    assert (indicators["passes_remis"], indicators["passes_remis_pic"], indicators["beneficiaires_qpv"]) == (75, 10, 6)
    assert indicators["part_public_pic_pct"] == 13.33 and indicators["territoire"] == "978"
    task = get_task(app, open_task(app, instance, "rediger_rapport_evaluation"), saint_martin["dgs"])
    instructions = instructions_as_text(render_instructions(task["instructions"], task["data"]))
    assert "femme_16_25 : 15 ; jeune_psad : 10 ;" in instructions   # the codes handed out, for the table

    # a public of the library's five, not Saint-Martin's: sent back with the reason, nothing else written
    library_public = _report([("plie_demandeur_emploi", 15)] + [(p, u) for p, (_, _, u) in EVALUATED.items()
                                                                 if p != "demandeur_emploi"])
    sent = complete(app, instance, "rediger_rapport_evaluation", library_public, saint_martin["dgs"])
    assert sent["sent_back"] and sent["documents"] == []
    refused = get_instance(app, instance, saint_martin["director"])["data"]["erreur_publics_rapport"]
    assert refused.startswith("Public(s) inconnu(s) « plie_demandeur_emploi » : les publics retenus par le "
                              "territoire 978 au 20 janvier 2022 sont : femme_16_25 (Femme de 16 à 25 ans) ;")

    complete(app, instance, "rediger_rapport_evaluation", _report([(p, u) for p, (_, _, u) in EVALUATED.items()]),
             saint_martin["dgs"])
    complete(app, instance, "approuver_rapport_evaluation", {"decision": "approuver"}, saint_martin["director"])
    complete(app, instance, "transmettre_bilan_anct", {"date_transmission_bilan_anct": "2022-02-01",
                                                        "montant_cofinancement_demande": 240}, saint_martin["finance"])
    complete(app, instance, "cloturer_dispositif", {"date_cloture": "2022-03-31", "avoir_emetteur_demande": True},
             saint_martin["dgs"])
    assert get_instance(app, instance, saint_martin["director"])["status"] == "completed"
    _check_the_report(app, saint_martin, instance)


def _check_the_report(app, people, instance):
    [document] = [d for d in list_documents(app, instance, people["director"]) if d["template"] == "rapport_evaluation"]
    content, _, _ = document_file(app, document["id"], people["director"])
    rows, text = table_rows(content), docx_text(content)
    rates = {"femme_16_25": "80 %", "beneficiaire_rsa": "60 %", "demandeur_emploi": "75 %",
             "jeune_quartier_excentre": "40 %", "personne_handicap": "100 %", "jeune_psad": "40 %", "senior": "0 %"}
    by_public = [row for row in rows if row[0] in LABELS.values()]
    assert by_public == [[LABELS[p], "oui" if p == "jeune_psad" else "non", str(n), str(5 * n), str(u), rates[p]]
                         for p, (n, _, u) in EVALUATED.items()]   # the seven, in the territory's order
    assert ["Total", "", "15", "75", "48", "64 %"] in rows
    assert ["Service AIO de la Collectivité", "9", "45", "27", "60 %"] in rows
    assert ["Pôle emploi Saint-Martin", "6", "30", "21", "70 %"] in rows
    assert ["Bénéficiaires", "15"] in rows and ["Pass utilisés", "48"] in rows
    assert ["Part des pass remis au public PIC", "13,3 % (objectif : au moins 50 %, non atteint)"] in rows
    assert "Part des bénéficiaires habitant un quartier prioritaire de la politique de la ville : 40 % " \
           "(6 sur 15)." in text
    assert "Autre public" not in text and "Demandeur d'emploi suivi par un PLIE" not in text
