"""The delays of the law on local assemblies are dated data with their source: an act is
judged by the rule of its day, a malformed file is refused in French."""
import json
from datetime import date

import pytest

from workflows.domain.data_files import package_file
from workflows.domain.deliberation import Proxy, check_convocation, convocation_delay_days, validate_proxies
from workflows.domain.errors import DataFileError, DomainError
from workflows.domain.legal_delays import (
    DEFAULT_FILE,
    RULES,
    LegalValue,
    default_legal_delays,
    legal_delays_from_json,
    legal_value,
)


def test_every_rule_and_variant_has_a_value_with_its_source():
    known = {(r.rule, r.variant) for r in default_legal_delays()}
    assert known == {(rule, variant) for rule, variants in RULES.items() for variant in variants}
    assert all(r.source and r.unit for r in default_legal_delays())


@pytest.mark.parametrize("rule, variant, value", [
    ("convocation_jours_francs", "moins_de_3500_habitants", 3),
    ("convocation_jours_francs", "3500_habitants_et_plus", 5),
    ("convocation_jours_francs", "urgence", 1),
    ("seuil_habitants_grande_commune", None, 3500),
    ("reconvocation_jours_francs", None, 3),
    ("procuration_seances_consecutives", None, 3),
    ("recours_mois", None, 2),
    ("transmission_contrat_jours", None, 15),
])
def test_the_values_of_domain_md_in_force_in_2027(rule, variant, value):
    assert legal_value(rule, date(2027, 5, 1), variant).value == value


def test_an_act_is_judged_by_the_rule_of_its_day():
    def record(days, since):
        return LegalValue("convocation_jours_francs", "urgence", days, "jours francs", since, f"règle de {since}", True)
    table = (record(1, date(1996, 2, 24)), record(2, date(2030, 1, 1)))
    assert legal_value("convocation_jours_francs", date(2029, 12, 31), "urgence", table).value == 1
    assert legal_value("convocation_jours_francs", date(2030, 1, 1), "urgence", table).source == "règle de 2030-01-01"
    with pytest.raises(DomainError, match="ne couvre pas cette date"):
        legal_value("convocation_jours_francs", date(1990, 1, 1), "urgence", table)


def test_the_deliberation_rules_read_the_table_and_name_its_source():
    assert convocation_delay_days(2_000, on=date(2027, 3, 1)) == 3
    assert check_convocation(date(2027, 3, 20), date(2027, 3, 24), 2_000) is None
    message = check_convocation(date(2027, 3, 21), date(2027, 3, 24), 2_000)
    assert "il en faut au moins 3 (moins de 3 500 habitants, CGCT art. L2121-11)" in message
    four_sittings = Proxy("A", "B", consecutive_sittings=4)
    assert "au-delà de 3" in validate_proxies([four_sittings], ["B"], date(2027, 3, 24))[0]


def _document(**changes):
    document = json.loads(package_file(DEFAULT_FILE))
    document["records"][0].update(changes)
    return json.dumps(document)


@pytest.mark.parametrize("changes, message", [
    ({"rule": "inconnue"}, "règle inconnue 'inconnue'"),
    ({"variant": "village"}, "variante 'village' inconnue"),
    ({"value": 0}, "« value » entier positif attendu, reçu 0"),
    ({"source": " "}, "« source » est obligatoire"),
    ({"effective_from": "24/02/1996"}, "date d'effet invalide"),
    ({"confirmed": "oui"}, "« confirmed » doit valoir true ou false"),
])
def test_a_malformed_record_is_refused_naming_it(changes, message):
    with pytest.raises(DataFileError, match="delais.json, enregistrement n° 1") as refusal:
        legal_delays_from_json(_document(**changes), "delais.json")
    assert message in str(refusal.value)


def test_two_values_for_one_rule_on_one_date_are_refused():
    document = json.loads(package_file(DEFAULT_FILE))
    document["records"].append(dict(document["records"][0]))
    with pytest.raises(DataFileError, match="deux valeurs pour la même règle"):
        legal_delays_from_json(json.dumps(document), "delais.json")
