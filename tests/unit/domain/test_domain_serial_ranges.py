"""Booklets are named by serial ranges: as the delivery states them (the campaign's ledger
receives them as they are) and as the ledger's moves name them."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.booklet_register import SerialRange, ranges_of, serials_of
from workflows.domain.errors import DomainError
from workflows.model_functions.registry import SCRIPT_FUNCTIONS

verifier_numeros_livres = SCRIPT_FUNCTIONS["verifier_numeros_livres"]
compter_carnets_livres = SCRIPT_FUNCTIONS["compter_carnets_livres"]


@pytest.mark.parametrize("first, last, message", [
    ("CAPN10-000010", "CAPN10-000001", "précède le premier"),
    ("CAPN10-000001", "CAPN05-000010", "même préfixe"),
    ("CAPN10-0001", "CAPN10-000010", "même préfixe et le même nombre de chiffres"),
    ("CARNET-A", "CARNET-B", "se terminer par des chiffres"),
])
def test_a_malformed_range_is_refused_in_french(first, last, message):
    assert message in verifier_numeros_livres([{"premier_numero": first, "dernier_numero": last,
                                                "cheques_par_carnet": 10}])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 500), st.integers(0, 30)), min_size=1, max_size=6))
def test_ranges_fold_back_to_the_serials_they_came_from(spans):
    serials, start = [], 1
    for gap, length in spans:
        start += gap
        serials += [f"PN-{n:06d}" for n in range(start, start + length + 1)]
        start += length + 1
    assert list(serials_of(ranges_of(serials))) == serials


def test_a_range_has_its_first_and_last():
    assert SerialRange("A-01", "A-03").serials() == ("A-01", "A-02", "A-03")
    with pytest.raises(DomainError):
        SerialRange.from_json({"dernier": "A-03"})


def test_the_numbers_delivered_are_checked_against_the_counts_and_counted_per_format():
    lots = [{"cheques_par_carnet": 10, "nombre_carnets": 150, "premier_numero": "CAPN10-000001",
             "dernier_numero": "CAPN10-000150"},
            {"cheques_par_carnet": 5, "nombre_carnets": 0}]
    assert verifier_numeros_livres(lots) is None
    assert compter_carnets_livres(lots) == [{"cheques_par_carnet": 10, "nombre_carnets": 150}]
    lots[0]["nombre_carnets"] = 149
    assert "compte 150 carnet(s), 149 comptés" in verifier_numeros_livres(lots)
    overlapping = [dict(lots[0], nombre_carnets=150),
                   {"cheques_par_carnet": 5, "nombre_carnets": 2, "premier_numero": "CAPN10-000150",
                    "dernier_numero": "CAPN10-000151"}]
    assert "CAPN10-000150" in verifier_numeros_livres(overlapping)
    assert "premier et le dernier" in verifier_numeros_livres([{"cheques_par_carnet": 5, "nombre_carnets": 3}])
