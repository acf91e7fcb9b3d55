"""The booklet register a process keeps: every booklet by serial, every move by who and
when, replayed on the ledger so that its invariants hold on what is stored."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.booklet_register import SerialRange, ranges_of, serials_of
from workflows.domain.errors import DomainError, LedgerError
from workflows.model_functions.register import (
    doter_prescripteurs,
    decrire_registre,
    fusionner_mouvements,
    receptionner_carnets,
    remettre_aux_beneficiaires,
    restituer_carnets,
    verifier_numeros_livres,
)

LOTS = [{"premier_numero": "CAPN10-000001", "dernier_numero": "CAPN10-000150", "cheques_par_carnet": 10},
        {"premier_numero": "CAPN05-000001", "dernier_numero": "CAPN05-000100", "cheques_par_carnet": 5}]
CONVENTIONS = ["CCAS du Lorrain", "PLIE Nord Martinique"]


def delivered(lots=LOTS):
    result = receptionner_carnets(None, lots, "APTIC", 2027, 10, "BC-2027-017", "acheteur", "2027-09-06")
    assert result["erreur"] is None, result["erreur"]
    return result


def endowed():
    registre = delivered()["registre"]
    result = doter_prescripteurs(registre, [
        {"prescripteur": "PLIE Nord Martinique", "nombre_carnets": 30, "cheques_par_carnet": 10},
        {"prescripteur": "CCAS du Lorrain",
         "carnets": [{"premier": "CAPN05-000001", "dernier": "CAPN05-000040"}]},
    ], CONVENTIONS, "gestionnaire", "2027-09-13")
    assert result["erreur"] is None, result["erreur"]
    return result["registre"]


def test_a_delivery_of_two_sizes_enters_the_stock_by_serial_ranges():
    result = delivered()
    assert result["formats"] == [{"cheques_par_carnet": 5, "nombre_carnets": 100},
                                 {"cheques_par_carnet": 10, "nombre_carnets": 150}]
    [reception, _] = result["registre"]["receptions"]
    assert reception["carnets"] == [{"premier": "CAPN10-000001", "dernier": "CAPN10-000150"}]
    assert (reception["par"], reception["le"], reception["commande"]) == ("acheteur", "2027-09-06", "BC-2027-017")
    assert len(json.dumps(result["registre"])) < 1000   # 250 booklets, kept as ranges


def test_a_booklet_received_twice_is_refused_and_the_register_is_unchanged():
    registre = delivered()["registre"]
    again = receptionner_carnets(registre, [{"premier_numero": "CAPN10-000150", "dernier_numero": "CAPN10-000160",
                                             "cheques_par_carnet": 10}], "APTIC", 2027, 10, "BC-2", "acheteur",
                                 "2027-10-01")
    assert "CAPN10-000150 est déjà enregistré" in again["erreur"]
    assert again["registre"] == registre


@pytest.mark.parametrize("first, last, message", [
    ("CAPN10-000010", "CAPN10-000001", "précède le premier"),
    ("CAPN10-000001", "CAPN05-000010", "même préfixe"),
    ("CAPN10-0001", "CAPN10-000010", "même préfixe et le même nombre de chiffres"),
    ("CARNET-A", "CARNET-B", "se terminer par des chiffres"),
])
def test_a_malformed_range_is_refused_in_french(first, last, message):
    result = receptionner_carnets(None, [{"premier_numero": first, "dernier_numero": last, "cheques_par_carnet": 10}],
                                  "APTIC", 2027, 10, "BC", "acheteur", "2027-09-06")
    assert message in result["erreur"] and result["registre"] == {"receptions": [], "mouvements": []}


def test_dotations_by_size_or_by_range_record_who_and_when():
    registre = endowed()
    plie, ccas = registre["mouvements"]
    assert (plie["type"], plie["vers"], plie["par"], plie["le"]) == (
        "dotation_prescripteur", "PLIE Nord Martinique", "gestionnaire", "2027-09-13")
    assert plie["carnets"] == [{"premier": "CAPN10-000001", "dernier": "CAPN10-000030"}]
    assert ccas["carnets"] == [{"premier": "CAPN05-000001", "dernier": "CAPN05-000040"}]
    state = decrire_registre(registre)
    assert state["en_stock"] == [{"cheques_par_carnet": 5, "nombre_carnets": 60},
                                 {"cheques_par_carnet": 10, "nombre_carnets": 120}]
    assert state["chez_prescripteurs"]["CCAS du Lorrain"] == [{"cheques_par_carnet": 5, "nombre_carnets": 40}]


@pytest.mark.parametrize("dotation, message", [
    ({"prescripteur": "Mairie sans convention", "nombre_carnets": 1}, "Aucune convention de mandat"),
    ({"prescripteur": "CCAS du Lorrain", "nombre_carnets": 101, "cheques_par_carnet": 5}, "Stock insuffisant"),
    ({"prescripteur": "CCAS du Lorrain", "carnets": [{"premier": "CAPN05-000099", "dernier": "CAPN05-000101"}]},
     "CAPN05-000101 est inconnu du registre"),
])
def test_a_dotation_the_ledger_refuses_changes_nothing(dotation, message):
    registre = delivered()["registre"]
    result = doter_prescripteurs(registre, [dotation], CONVENTIONS, "gestionnaire", "2027-09-13")
    assert message in result["erreur"] and result["registre"] == registre


def test_handouts_follow_each_publics_rule_with_the_size_of_the_booklets_handed():
    registre = endowed()
    ok = remettre_aux_beneficiaires(registre, "PLIE Nord Martinique", [
        {"identifiant_beneficiaire": "B-001", "public": "plie_demandeur_emploi", "date_remise": "2027-09-20",
         "nombre_carnets": 3, "cheques_par_carnet": 10},
    ], "conseillere", "972")
    assert ok["erreur"] is None
    [move] = ok["mouvements"]
    assert move["beneficiaire"]["identifiant"] == "B-001" and move["par"] == "conseillere"
    assert move["carnets"] == [{"premier": "CAPN10-000001", "dernier": "CAPN10-000003"}]
    refused = remettre_aux_beneficiaires(registre, "CCAS du Lorrain", [
        {"identifiant_beneficiaire": "B-002", "public": "plie_demandeur_emploi", "date_remise": "2027-09-20",
         "carnets": [{"premier": "CAPN05-000001", "dernier": "CAPN05-000002"}]},
    ], "agent", "972")
    assert refused["erreur"].startswith("B-002 : ") and refused["registre"] == registre


def test_a_prescriber_hands_out_only_booklets_it_holds():
    result = remettre_aux_beneficiaires(endowed(), "CCAS du Lorrain", [
        {"identifiant_beneficiaire": "B-003", "public": "autre", "date_remise": "2027-09-20",
         "carnets": [{"premier": "CAPN10-000001"}]}], "agent")
    assert "CAPN10-000001 n'est pas chez CCAS du Lorrain" in result["erreur"]


def test_branch_moves_merge_and_a_booklet_moved_twice_is_refused():
    registre = endowed()
    first = remettre_aux_beneficiaires(registre, "CCAS du Lorrain", [
        {"identifiant_beneficiaire": "B-010", "public": "senior", "date_remise": "2027-09-21", "nombre_carnets": 1}],
        "agent")
    returned = restituer_carnets(registre, "CCAS du Lorrain", [{"premier": "CAPN05-000002", "dernier": "CAPN05-000040"}],
                                 "agent", "2027-12-20")
    merged = fusionner_mouvements(registre, [first["mouvements"], returned["registre"]["mouvements"][-1:]])
    assert merged["erreur"] is None
    state = decrire_registre(merged["registre"])
    assert state["remis"] == [{"cheques_par_carnet": 5, "nombre_carnets": 1}]
    assert "CCAS du Lorrain" not in state["chez_prescripteurs"]
    twice = fusionner_mouvements(registre, [first["mouvements"], first["mouvements"]])
    assert "CAPN05-000001" in twice["erreur"] and twice["registre"] == registre


def test_a_register_edited_by_hand_does_not_replay():
    registre = endowed()
    registre["mouvements"].append({"type": "remise_beneficiaire", "carnets": [{"premier": "CAPN05-000090"}],
                                   "de": "CCAS du Lorrain", "par": "x", "le": "2027-09-30",
                                   "beneficiaire": {"identifiant": "B-9", "public": "senior"}})
    with pytest.raises(LedgerError, match="CAPN05-000090 n'est pas chez CCAS du Lorrain"):
        decrire_registre(registre)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 500), st.integers(0, 30)), min_size=1, max_size=6))
def test_ranges_fold_back_to_the_serials_they_came_from(spans):
    serials, start = [], 1
    for gap, length in spans:
        start += gap
        serials += [f"PN-{n:06d}" for n in range(start, start + length + 1)]
        start += length + 1
    assert list(serials_of(ranges_of(serials))) == serials


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=5))
def test_no_booklet_is_lost_or_created_by_dotations(counts):
    registre = delivered()["registre"]
    result = doter_prescripteurs(registre, [{"prescripteur": CONVENTIONS[i % 2], "nombre_carnets": n}
                                            for i, n in enumerate(counts)], CONVENTIONS, "g", "2027-09-13")
    state = decrire_registre(result["registre"])
    held = sum(f["nombre_carnets"] for formats in state["chez_prescripteurs"].values() for f in formats)
    in_stock = sum(f["nombre_carnets"] for f in state["en_stock"])
    assert held + in_stock == 250
    assert (result["erreur"] is None) == (sum(counts) <= 250)
    assert held == (sum(counts) if result["erreur"] is None else 0)


def test_a_range_has_its_first_and_last():
    assert SerialRange("A-01", "A-03").serials() == ("A-01", "A-02", "A-03")
    with pytest.raises(DomainError):
        SerialRange.from_json({"dernier": "A-03"})


def test_the_numbers_delivered_are_checked_against_the_counts():
    lots = [{"cheques_par_carnet": 10, "nombre_carnets": 150, "premier_numero": "CAPN10-000001",
             "dernier_numero": "CAPN10-000150"},
            {"cheques_par_carnet": 5, "nombre_carnets": 0}]
    assert verifier_numeros_livres(lots) is None
    lots[0]["nombre_carnets"] = 149
    assert "compte 150 carnet(s), 149 comptés" in verifier_numeros_livres(lots)
    overlapping = [dict(lots[0], nombre_carnets=150),
                   {"cheques_par_carnet": 5, "nombre_carnets": 2, "premier_numero": "CAPN10-000150",
                    "dernier_numero": "CAPN10-000151"}]
    assert "CAPN10-000150" in verifier_numeros_livres(overlapping)
    assert "premier et le dernier" in verifier_numeros_livres([{"cheques_par_carnet": 5, "nombre_carnets": 3}])


def test_handouts_by_number_are_checked_against_the_size_declared_and_returns_by_count():
    registre = endowed()
    wrong = remettre_aux_beneficiaires(registre, "CCAS du Lorrain", [
        {"identifiant_beneficiaire": "B-020", "public": "autre", "date_remise": "2027-09-20",
         "premier_numero": "CAPN05-000007", "nombre_carnets": 1, "cheques_par_carnet": 10}], "agent")
    assert wrong["erreur"] == "B-020 : le carnet CAPN05-000007 compte 5 pass, non 10 comme indiqué."
    named = remettre_aux_beneficiaires(registre, "CCAS du Lorrain", [
        {"identifiant_beneficiaire": "B-020", "public": "autre", "date_remise": "2027-09-20",
         "premier_numero": "CAPN05-000007", "dernier_numero": "CAPN05-000008", "nombre_carnets": 2,
         "cheques_par_carnet": 5}], "agent")
    assert named["mouvements"][0]["carnets"] == [{"premier": "CAPN05-000007", "dernier": "CAPN05-000008"}]
    back = restituer_carnets(named["registre"], "CCAS du Lorrain", 38, "agent", "2027-12-20")
    assert back["erreur"] is None and back["mouvements"][0]["type"] == "retour_stock"
    assert decrire_registre(back["registre"])["en_stock"][0] == {"cheques_par_carnet": 5, "nombre_carnets": 98}
    too_many = restituer_carnets(named["registre"], "CCAS du Lorrain", 39, "agent", "2027-12-20")
    assert too_many["erreur"] == "39 carnet(s) restitué(s), 38 détenu(s) par CCAS du Lorrain."


def test_two_dotations_of_one_prescriber_hand_out_their_own_booklets_and_merge():
    registre = delivered()["registre"]
    endowed_twice = doter_prescripteurs(registre, [
        {"prescripteur": "CCAS du Lorrain", "nombre_carnets": 2, "cheques_par_carnet": 5},
        {"prescripteur": "CCAS du Lorrain", "nombre_carnets": 2, "cheques_par_carnet": 5},
    ], CONVENTIONS, "gestionnaire", "2027-09-13")
    first, second = endowed_twice["dotations"]
    assert (first["carnets"], second["carnets"]) == ([{"premier": "CAPN05-000001", "dernier": "CAPN05-000002"}],
                                                     [{"premier": "CAPN05-000003", "dernier": "CAPN05-000004"}])
    registre = endowed_twice["registre"]
    branches = [remettre_aux_beneficiaires(registre, "CCAS du Lorrain", [
        {"identifiant_beneficiaire": f"B-{n}", "public": "autre", "date_remise": "2027-09-20", "nombre_carnets": 1,
         "cheques_par_carnet": 5}], "agent", None, dotation["carnets"]) for n, dotation in enumerate((first, second))]
    returns = [restituer_carnets(branch["registre"], "CCAS du Lorrain", 1, "agent", "2027-12-20", 5, dotation["carnets"])
               for branch, dotation in zip(branches, (first, second))]
    merged = fusionner_mouvements(registre, [b["mouvements"] + r["mouvements"] for b, r in zip(branches, returns)])
    assert merged["erreur"] is None
    state = decrire_registre(merged["registre"])
    assert state["remis"] == [{"cheques_par_carnet": 5, "nombre_carnets": 2}] and "CCAS du Lorrain" not in \
        state["chez_prescripteurs"]
    outside = remettre_aux_beneficiaires(registre, "CCAS du Lorrain", [
        {"identifiant_beneficiaire": "B-9", "public": "autre", "date_remise": "2027-09-20",
         "premier_numero": "CAPN05-000003", "nombre_carnets": 1}], "agent", None, first["carnets"])
    assert outside["erreur"] == "B-9 : le carnet CAPN05-000003 ne fait pas partie des carnets de cette dotation."


def test_the_merge_names_a_beneficiary_two_prescribers_served_beyond_the_rule():
    registre = doter_prescripteurs(delivered()["registre"], [
        {"prescripteur": "PLIE Nord Martinique", "nombre_carnets": 6, "cheques_par_carnet": 10},
        {"prescripteur": "CCAS du Lorrain", "nombre_carnets": 6, "cheques_par_carnet": 10},
    ], CONVENTIONS, "gestionnaire", "2027-09-13")["registre"]
    plie = {"identifiant_beneficiaire": "B-100", "public": "plie_demandeur_emploi", "nombre_carnets": 3,
            "cheques_par_carnet": 10}
    branches = [remettre_aux_beneficiaires(registre, prescriber, [dict(plie, date_remise=on)], "agent", "972")
                for prescriber, on in (("PLIE Nord Martinique", "2027-09-20"), ("CCAS du Lorrain", "2027-10-02"))]
    assert all(branch["erreur"] is None for branch in branches)   # each branch alone is right
    merged = fusionner_mouvements(registre, [branch["mouvements"] for branch in branches])
    assert merged["erreur"] is None
    [alert] = merged["alertes_attribution"]
    assert alert.startswith("B-100 (remises de CCAS du Lorrain, PLIE Nord Martinique) : ")
    assert "n'est pas renouvelable" in alert
    once = fusionner_mouvements(registre, [branches[0]["mouvements"]])
    assert once["alertes_attribution"] == []
