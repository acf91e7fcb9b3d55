"""The dated thresholds file and its loader."""
import copy
import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from workflows.domain.errors import DataFileError
from workflows.domain.procurement import Procedure, choose_procedure
from workflows.domain.thresholds import (
    AMOUNT_RULES,
    BuyerKind,
    PurchaseKind,
    load_thresholds,
    parse_thresholds,
    thresholds_from_json,
)

FS, LOCAL = PurchaseKind.SUPPLIES_SERVICES, BuyerKind.LOCAL_AUTHORITY


@pytest.fixture(scope="module")
def document():
    data = resources.files("workflows.domain").joinpath("data")
    return json.loads(data.joinpath("procurement_thresholds.json").read_text("utf-8"))


def test_the_shipped_file_loads_and_every_record_names_its_source():
    table = load_thresholds()
    assert len(table.records) >= 20
    assert all(record.source for record in table.records)
    assert all((r.amount is None) != (r.days is None) for r in table.records)


def test_lookup_picks_the_record_in_force():
    table = load_thresholds()
    assert table.lookup("no_competition_below", date(2026, 3, 31), FS, LOCAL).amount == Decimal(40_000)
    assert table.lookup("no_competition_below", date(2026, 4, 1), FS, LOCAL).amount == Decimal(60_000)
    record = table.lookup("essential_data_from", date(2026, 4, 1), FS, LOCAL)
    assert record.confirmed is False and record.note


def test_every_amount_rule_is_covered_from_2024_for_each_kind():
    table = load_thresholds()
    for rule in ("no_competition_below", "formal_procedure_from", "essential_data_from"):
        for kind in PurchaseKind:
            for buyer in BuyerKind:
                assert table.lookup(rule, date(2024, 1, 1), kind, buyer).rule == rule
    assert set(AMOUNT_RULES) == {r.rule for r in table.records if r.amount is not None}


def test_a_changed_file_changes_the_decision(document):
    edited = copy.deepcopy(document)
    for record in edited["records"]:
        if record["rule"] == "no_competition_below" and record["amount"] == "60000":
            record["amount"] = "70000"
    table = parse_thresholds(edited)
    decision = choose_procedure(Decimal(65_000), FS, LOCAL, date(2026, 4, 1), table)
    assert decision.procedure is Procedure.NO_COMPETITION
    assert choose_procedure(Decimal(65_000), FS, LOCAL, date(2026, 4, 1)).procedure is Procedure.ADAPTED


@pytest.mark.parametrize("field, value, message", [
    ("effective_from", "2026-13-01", "date d'effet invalide"),
    ("effective_from", None, "date d'effet invalide"),
    ("amount", 40000.0, "montant attendu sous forme de chaîne"),
    ("amount", "-1", "montant invalide"),
    ("amount", "quarante mille", "montant invalide"),
    ("source", "", "source juridique"),
    ("rule", "seuil_magique", "règle inconnue"),
    ("purchase_kinds", ["fournitures"], "valeur inconnue dans « purchase_kinds »"),
    ("buyer_kinds", [], "liste non vide"),
    ("confirmed", "oui", "« confirmed » doit valoir true ou false"),
])
def test_a_bad_record_is_refused_with_its_number(document, field, value, message):
    edited = copy.deepcopy(document)
    edited["records"][1][field] = value
    with pytest.raises(DataFileError) as error:
        parse_thresholds(edited)
    assert "enregistrement n° 2" in str(error.value)
    assert message in str(error.value)


def test_bad_days_and_variants_are_refused(document):
    edited = copy.deepcopy(document)
    day_record = next(r for r in edited["records"] if r["rule"] == "standstill_days")
    day_record["days"] = 0
    with pytest.raises(DataFileError, match="nombre de jours"):
        parse_thresholds(edited)
    day_record["days"], day_record["variant"] = 11, "pigeon"
    with pytest.raises(DataFileError, match="variante"):
        parse_thresholds(edited)


def test_two_values_for_the_same_date_are_refused(document):
    edited = copy.deepcopy(document)
    edited["records"].append(copy.deepcopy(edited["records"][0]))
    with pytest.raises(DataFileError, match="deux valeurs"):
        parse_thresholds(edited)


def test_wrong_format_and_unreadable_file(document):
    with pytest.raises(DataFileError, match="format attendu"):
        parse_thresholds({"records": document["records"]})
    with pytest.raises(DataFileError, match="absente ou vide"):
        parse_thresholds({"format": document["format"], "records": []})
    with pytest.raises(DataFileError, match="seuils.json : JSON illisible"):
        thresholds_from_json("{ pas du json", "seuils.json")
