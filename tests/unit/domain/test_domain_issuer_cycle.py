"""The issuer's order cycle (proof, delivery, activation) and the booklet formats of an
order: dated data, the overseas delivery delay, the validity of activated passes."""
import json
from dataclasses import replace
from datetime import date
from importlib import resources

import pytest
from hypothesis import given, strategies as st

from workflows.domain.errors import DataFileError, DomainError
from workflows.domain.formats import BookletFormat
from workflows.domain.passes import BOOKLET_SIZES
from workflows.domain.procurement import (
    ISSUER_CYCLES_FILE,
    booklet_formats,
    default_issuer_cycles,
    delivery_deadline,
    delivery_gaps,
    is_overseas,
    issuer_cycle,
    issuer_cycles_from_json,
    pass_validity,
    proof_deadline,
)

ON = date(2027, 7, 10)


def raw_data() -> dict:
    text = resources.files("workflows.domain").joinpath("data", ISSUER_CYCLES_FILE).read_text("utf-8")
    return json.loads(text)


def aptic():
    return issuer_cycle("APTIC", ON)


# --- the dated data -------------------------------------------------------------------------


def test_aptic_cycle_is_the_one_of_domain_md_with_its_source_and_the_liquidation_caveat():
    cycle = aptic()
    assert (cycle.proof_approval_days, cycle.delivery_days, cycle.overseas_delivery_days) == (6, 7, 14)
    assert cycle.reference is True
    assert "liquidation" in cycle.caveat and "janvier 2024" in cycle.caveat
    assert "délais du contrat" in cycle.caveat and "prévalent" in cycle.caveat
    assert "APTIC" in cycle.source and cycle.effective_from <= date(2020, 1, 1)


def test_the_loaded_cycles_are_those_of_the_file():
    raw = raw_data()["cycles"]
    loaded = default_issuer_cycles()
    assert [(c.issuer, c.proof_approval_days, c.delivery_days, c.overseas_delivery_days) for c in loaded] == \
        [(r["issuer"], r["proof_approval_days"], r["delivery_days"], r["overseas_delivery_days"]) for r in raw]


def _document(**changes) -> str:
    document = raw_data()
    document["cycles"][0].update(changes)
    return json.dumps(document)


@pytest.mark.parametrize("changes, message", [
    ({"delivery_days": 0}, "« delivery_days » : nombre de jours entier positif attendu, reçu 0"),
    ({"proof_approval_days": True}, "« proof_approval_days » : nombre de jours entier positif attendu"),
    ({"issuer": " "}, "« issuer » est obligatoire"),
    ({"reference": "oui"}, "« reference » doit valoir true ou false"),
    ({"effective_from": "01/01/2019"}, "date d'effet invalide"),
    ({"expiry_alert_days": []}, "« expiry_alert_days » doit être une liste de jours non vide"),
    ({"expiry_alert_days": [30, 0]}, "« expiry_alert_days » : nombre de jours entier positif attendu, reçu 0"),
    ({"validity_end": {"month": 2, "day": 30}}, "validity_end : jour 30 / mois 2 invalide"),
])
def test_a_malformed_cycle_is_refused_in_french_naming_the_cycle(changes, message):
    with pytest.raises(DataFileError, match="cycles.json, cycle n° 1") as refusal:
        issuer_cycles_from_json(_document(**changes), "cycles.json")
    assert message in str(refusal.value)


def test_a_document_of_another_format_is_refused():
    with pytest.raises(DataFileError, match="format attendu « conventio.issuer-cycles/1 »"):
        issuer_cycles_from_json(json.dumps({"format": "autre", "cycles": []}), "x.json")
    with pytest.raises(DataFileError, match="JSON illisible"):
        issuer_cycles_from_json("{", "x.json")


# --- whose cycle ----------------------------------------------------------------------------


OTHER = replace(aptic(), issuer="Chèques Solidaires", reference=False, proof_approval_days=3,
                delivery_days=10, overseas_delivery_days=21, effective_from=date(2025, 1, 1))


def test_an_issuer_without_a_known_cycle_gets_the_reference_one():
    assert issuer_cycle("Solidarité Numérique Émission SAS", ON) == aptic()
    assert issuer_cycle(None, ON).issuer == "APTIC"


def test_the_issuer_is_a_party_its_own_cycle_wins_over_the_reference():
    cycles = (aptic(), OTHER)
    assert issuer_cycle("CHÈQUES SOLIDAIRES SCOP", ON, cycles) is OTHER
    assert issuer_cycle("Autre émetteur", ON, cycles) == aptic()
    # Not yet in force: the reference cycle still applies.
    assert issuer_cycle("Chèques Solidaires", date(2024, 12, 31), cycles) == aptic()


def test_no_cycle_in_force_asks_for_the_contract_delays():
    with pytest.raises(DomainError, match="Aucun cycle d'émetteur connu au 1er janvier 2018"):
        issuer_cycle("APTIC", date(2018, 1, 1))


# --- overseas -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["971", "972", "973", "974", "976", "978", "988", "MQ", "re"])
def test_overseas_territories(code):
    assert is_overseas(code) is True
    assert aptic().delivery_days_for(is_overseas(code)) == aptic().overseas_delivery_days


@pytest.mark.parametrize("code", ["FR", "57", "67", "68", "metropole"])
def test_mainland_territories(code):
    assert is_overseas(code) is False
    assert aptic().delivery_days_for(is_overseas(code)) == aptic().delivery_days


def test_an_unknown_territory_is_refused():
    with pytest.raises(DomainError, match="Territoire inconnu : « Martinique »"):
        is_overseas("Martinique")


# --- deadlines and validity -----------------------------------------------------------------


def test_the_proof_is_due_days_after_the_order_and_the_delivery_days_after_the_proof():
    assert proof_deadline(date(2027, 7, 10), 6) == date(2027, 7, 16)
    assert delivery_deadline(date(2027, 7, 10), date(2027, 7, 19), 14) == date(2027, 8, 2)
    assert delivery_deadline(date(2027, 12, 28), date(2027, 12, 28), 7) == date(2028, 1, 4)


def test_a_proof_approved_before_the_order_is_refused():
    with pytest.raises(DomainError, match="Bon à tirer validé le 9 juillet 2027, avant le bon de commande "
                                          "du 10 juillet 2027"):
        delivery_deadline(date(2027, 7, 10), date(2027, 7, 9), 7)


@pytest.mark.parametrize("days", [0, -1, True, 6.5, "6"])
def test_a_delay_must_be_a_positive_number_of_days(days):
    with pytest.raises(DomainError, match="nombre de jours entier positif attendu"):
        proof_deadline(ON, days)


def test_passes_activated_on_payment_are_valid_until_the_end_of_the_year_of_activation():
    assert pass_validity(date(2027, 8, 6), date(2027, 8, 5), aptic()) == (date(2027, 12, 31), date(2028, 1, 31))
    assert pass_validity(date(2028, 1, 3), date(2027, 12, 30), aptic()) == (date(2028, 12, 31), date(2029, 1, 31))


def test_another_issuer_s_validity_comes_from_its_cycle():
    twelve_months = replace(OTHER, validity_end=(1, 6, 30), acceptance_end=(1, 7, 31))
    assert pass_validity(date(2027, 8, 6), date(2027, 8, 6), twelve_months) == (date(2028, 6, 30),
                                                                                  date(2028, 7, 31))


def test_passes_are_not_activated_before_their_payment():
    with pytest.raises(DomainError, match="Passes activés le 1er août 2027, avant le mandatement du 5 août 2027"):
        pass_validity(date(2027, 8, 1), date(2027, 8, 5), aptic())


# --- booklet formats ------------------------------------------------------------------------


def test_formats_are_sorted_by_size():
    rows = [{"cheques_par_carnet": 10, "nombre_carnets": 150}, {"cheques_par_carnet": 5, "nombre_carnets": 100}]
    assert booklet_formats(rows) == (BookletFormat(5, 100), BookletFormat(10, 150))
    assert sum(f.passes for f in booklet_formats(rows)) == 2000


@pytest.mark.parametrize("rows, message", [
    ([], "Formats de carnets de la commande absents"),
    (None, "Formats de carnets de la commande absents"),
    ([{"cheques_par_carnet": 7, "nombre_carnets": 1}], "Formats de carnets de la commande : format de carnet 7"),
    ([{"cheques_par_carnet": 10, "nombre_carnets": 0}],
     "Nombre de carnets de 10 chèques invalide dans la commande : 0"),
    ([{"cheques_par_carnet": 10, "nombre_carnets": 1}, {"cheques_par_carnet": 10, "nombre_carnets": 2}],
     "Formats de carnets de la commande : le format de 10 pass figure deux fois"),
    (["10 x 150"], "Formats de carnets de la commande : format invalide"),
    ([{"cheques_par_carnet": 5, "nombre_carnets": "100"}],
     "Formats de carnets de la commande : nombre de carnets invalide"),
])
def test_bad_formats_are_refused_in_french(rows, message):
    with pytest.raises(DomainError, match=message):
        booklet_formats(rows)


def test_a_delivery_may_count_zero_booklets_of_a_format_and_its_gaps_are_named():
    ordered = booklet_formats([{"cheques_par_carnet": 10, "nombre_carnets": 150},
                               {"cheques_par_carnet": 5, "nombre_carnets": 100}])
    delivered = booklet_formats([{"cheques_par_carnet": 10, "nombre_carnets": 150},
                                 {"cheques_par_carnet": 5, "nombre_carnets": 0}], minimum=0, what="livraison")
    assert delivery_gaps(ordered, delivered) == ("carnets de 5 chèques : 0 livré(s) pour 100 commandé(s)",)
    assert delivery_gaps(ordered, ordered) == ()


formats = st.lists(st.tuples(st.sampled_from(BOOKLET_SIZES), st.integers(1, 10_000)),
                   min_size=1, max_size=2, unique_by=lambda row: row[0])


@given(formats)
def test_the_passes_of_an_order_are_the_sum_of_its_formats(rows):
    checked = booklet_formats([{"cheques_par_carnet": s, "nombre_carnets": n} for s, n in rows])
    assert sum(f.passes for f in checked) == sum(s * n for s, n in rows)
    assert [f.size for f in checked] == sorted(s for s, _ in rows)


@given(formats, formats)
def test_no_gap_exactly_when_every_format_matches(ordered_rows, delivered_rows):
    ordered = booklet_formats([{"cheques_par_carnet": s, "nombre_carnets": n} for s, n in ordered_rows])
    delivered = booklet_formats([{"cheques_par_carnet": s, "nombre_carnets": n} for s, n in delivered_rows])
    assert (delivery_gaps(ordered, delivered) == ()) is (ordered == delivered)
