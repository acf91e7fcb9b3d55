"""The publics an evaluation reports on and a territory's own indicators: dated data."""
from datetime import date

import pytest

from workflows.domain.errors import DataFileError
from workflows.domain.evaluation_publics import (
    LIBRARY_PUBLICS,
    PRIORITY_AREA_SHARE,
    indicators_from_json,
    report_publics,
    report_publics_error,
    territory_indicator,
)
from workflows.model_functions.registry import SCRIPT_FUNCTIONS

REPORTED = date(2022, 1, 20)


def test_saint_martin_reports_its_seven_publics_other_territories_the_library_five():
    publics = report_publics("978", REPORTED)
    assert len(publics) == 7 and publics[0].label == "Femme de 16 à 25 ans"
    assert [p.public for p in publics if p.pic] == ["jeune_psad"]
    assert report_publics("978", date(2020, 12, 31)) == LIBRARY_PUBLICS   # before its list
    assert [p.public for p in report_publics("cap-nord", REPORTED)] == \
        ["pic", "plie_demandeur_emploi", "senior", "jeune", "autre"]


def test_an_unknown_public_is_named_with_the_publics_expected():
    assert report_publics_error(["senior", "jeune_psad"], "978", REPORTED) is None
    assert report_publics_error(["autre"], "974", REPORTED) is None
    message = report_publics_error(["autre", "senior", "jeune"], "978", REPORTED)
    assert message.startswith("Public(s) inconnu(s) « autre », « jeune » : les publics retenus par le territoire "
                              "978 au 20 janvier 2022 sont : femme_16_25 (Femme de 16 à 25 ans) ; ")
    assert report_publics_error(["jeune_psad"], None, REPORTED).startswith(
        "Public(s) inconnu(s) « jeune_psad » : sans liste de publics du territoire, ceux de la bibliothèque sont : pic")


def test_the_script_checks_the_report_table_on_the_report_date_else_the_period_end():
    check = SCRIPT_FUNCTIONS["verifier_publics_rapport"]
    table = [{"public": "femme_16_25", "pass_utilises": 3}]
    assert check(table, {"territoire": "978"}, "2022-01-20", "2021-12-31") is None
    # without a report date, the end of the period: before Saint-Martin retained its publics
    assert check(table, {"territoire": "978"}, None, "2020-12-31").startswith(
        "Public(s) inconnu(s) « femme_16_25 » : sans liste de publics du territoire")
    assert check([{"public": "autre", "pass_utilises": 1}], {"territoire": None}, None, "2021-12-31") is None


def test_the_priority_neighbourhood_share_is_saint_martins_from_2021():
    found = territory_indicator("978", PRIORITY_AREA_SHARE, REPORTED)
    assert found is not None and "Contrat de ville" in found.source
    assert territory_indicator("978", PRIORITY_AREA_SHARE, date(2020, 12, 31)) is None
    assert territory_indicator("974", PRIORITY_AREA_SHARE, REPORTED) is None


def test_an_indicator_twice_for_one_date_is_refused_in_french():
    record = ('{"territory": "978", "effective_from": "2021-01-01", "indicator": "part_beneficiaires_qpv", '
              '"label": "QPV", "source": "essai"}')
    text = '{"format": "conventio.publics/1", "indicators": [%s, %s]}' % (record, record)
    with pytest.raises(DataFileError, match="un même indicateur deux fois"):
        indicators_from_json(text, "essai.json")
