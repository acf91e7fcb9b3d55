"""The ANCT's terms as dated data: read for a date, refused when malformed."""
import json
from datetime import date
from decimal import Decimal

import pytest

from workflows.domain.errors import DataFileError, DomainError
from workflows.domain.funding_terms import anct_terms, anct_terms_from_json, default_anct_terms
from workflows.domain.indicators import ANCT_2020, check_minimum_purchase, check_pic_share, state_share_owed

TERMS_2020 = {"effective_from": "2019-01-01", "state_max_share": "0.5", "minimum_purchase": "20000.00",
              "pic_min_share": "0.5", "source": "Appel à projets 2020", "confirmed": False}


def parsed(*terms):
    return anct_terms_from_json(json.dumps({"format": "conventio.anct-terms/1", "terms": list(terms)}), "t.json")


def test_the_2020_call_comes_from_the_data_with_its_source():
    [record] = default_anct_terms()
    assert ANCT_2020 == record
    assert (ANCT_2020.state_max_share, ANCT_2020.minimum_purchase, ANCT_2020.pic_min_share) == (
        Decimal("0.5"), Decimal("20000.00"), Decimal("0.5"))
    assert ANCT_2020.source == "Appel à projets « Pass numérique » 2020 (ANCT)"


def test_terms_are_those_in_force_on_the_date():
    later = {**TERMS_2020, "effective_from": "2027-01-01", "minimum_purchase": "30000", "state_max_share": "0.4"}
    records = parsed(TERMS_2020, later)
    assert anct_terms(date(2026, 12, 31), records).minimum_purchase == Decimal("20000.00")
    assert anct_terms(date(2027, 1, 1), records).minimum_purchase == Decimal("30000")
    assert check_minimum_purchase(25000, anct_terms(date(2027, 1, 1), records)) is not None
    assert state_share_owed(1000, anct_terms(date(2027, 1, 1), records)) == Decimal("400.00")
    assert check_pic_share(50, 100, anct_terms(date(2027, 1, 1), records)).met
    with pytest.raises(DomainError, match="Aucune condition de cofinancement de l'ANCT connue au 31 décembre 2018"):
        anct_terms(date(2018, 12, 31), records)


def test_a_convention_states_its_own_figures():
    stated = ANCT_2020.stating(state_max_share=Decimal("0.4"), minimum_purchase=None)
    assert (stated.state_max_share, stated.minimum_purchase) == (Decimal("0.4"), ANCT_2020.minimum_purchase)


@pytest.mark.parametrize(("change", "message"), [
    ({"state_max_share": 0.5}, "« state_max_share » nombre entre 0 et 1 attendu sous forme de chaîne"),
    ({"pic_min_share": "1.5"}, "« pic_min_share » nombre entre 0 et 1"),
    ({"minimum_purchase": "beaucoup"}, "« minimum_purchase » nombre positif"),
    ({"source": ""}, "« source » est obligatoire"),
    ({"effective_from": "2019-13-01"}, "date d'effet invalide"),
])
def test_a_malformed_record_is_named(change, message):
    with pytest.raises(DataFileError, match=message):
        parsed({**TERMS_2020, **change})


def test_two_terms_on_one_date_are_refused():
    with pytest.raises(DataFileError, match="même date d'effet"):
        parsed(TERMS_2020, TERMS_2020)
