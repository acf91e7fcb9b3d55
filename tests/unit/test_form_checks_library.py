"""The library's forms keep the contract of services/form_checks.py: each refusal they declare is a
variable a model's script sets, placed on fields they have; each rule they name is known."""
import json
import re
from pathlib import Path

from workflows.model_functions.registry import SCRIPT_FUNCTIONS
from workflows.services.form_checks import ALL_FIELDS, RULES

LIBRARY = Path(__file__).resolve().parents[2] / "bpmn"


def _forms():
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in (LIBRARY / "forms").glob("*.json")}


def _assigned():
    scripts = "\n".join(path.read_text(encoding="utf-8") for path in LIBRARY.glob("*.bpmn"))
    return set(re.findall(r"^\s*(?:<bpmn:script>)?(\w+) = ", scripts, re.M))


def test_every_declared_refusal_is_set_by_a_script_and_placed_on_a_field_of_its_form():
    assigned, declared = _assigned(), 0
    for name, form in _forms().items():
        fields = set(form.get("properties") or {})
        for variable, target in (form.get("x-refusals") or {}).items():
            declared += 1
            assert variable in assigned, f"{name} : {variable} n'est posée par aucun script"
            targets = target.values() if isinstance(target, dict) else [] if target == ALL_FIELDS else [target]
            assert set(targets) <= fields, f"{name} : {variable} vise un champ absent"
    assert declared >= 20


def test_every_rule_named_by_a_field_is_known():
    named = {sub["x-rule"] for form in _forms().values() for sub in (form.get("properties") or {}).values()
             if isinstance(sub, dict) and "x-rule" in sub}
    assert named and named <= set(RULES)


def test_the_parts_of_the_publication_check_are_the_fields_of_its_form():
    form = _forms()["publication_transmission.json"]
    reasons = SCRIPT_FUNCTIONS["verifier_parties_publication_deliberation"](
        "2026-09-24", "2026-09-25", "2026-09-20", "2026-09-20", "2026-09-19", 4, "bad number")
    assert set(reasons) == {"numero_acte", "nature_acte", "date_publication", "date_transmission",
                            "date_accuse_reception"} <= set(form["properties"])
