"""The registry holds the verbs the models call: every function a script, condition or timer
expression of bpmn/ calls is registered, and the registered verbs no model calls are named."""
import ast
import builtins
from pathlib import Path

from lxml import etree

from workflows.model_functions import registry
from workflows.model_functions.registry import SCRIPT_FUNCTIONS

LIBRARY = Path(__file__).resolve().parents[3] / "bpmn"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# Where a model holds Python: run as statements, or evaluated as an expression.
STATEMENTS = {(BPMN, "script"), (SPIFF, "preScript"), (SPIFF, "postScript")}
EXPRESSIONS = {(BPMN, "conditionExpression"), (BPMN, "timeDate"), (BPMN, "timeDuration"), (BPMN, "timeCycle"),
               (BPMN, "loopCardinality"), (BPMN, "completionCondition")}
# Registered, called by no model of bpmn/ (reported, not deleted): the act number is checked
# inside verifier_publication_deliberation and verifier_transmission_convention. These two and
# verifier_convention_anct give every reason as one message: the library's models call their
# variants that keep each reason under its field (services/form_checks.py); uploaded models may
# still call them.
CALLED_BY_NO_MODEL = {"verifier_numero_acte", "verifier_convention_anct", "verifier_transmission_convention",
                      "verifier_publication_deliberation"}


def _model_code():
    """(file, source, mode) of every piece of Python in the library's models."""
    for path in sorted(LIBRARY.glob("*.bpmn")):
        for element in etree.parse(str(path)).getroot().iter():
            if not isinstance(element.tag, str) or not (element.text or "").strip():
                continue
            namespace, _, tag = element.tag[1:].partition("}")
            if (namespace, tag) in STATEMENTS:
                yield path.name, element.text, "exec"
            elif (namespace, tag) in EXPRESSIONS:
                yield path.name, element.text.strip(), "eval"


def _called_names(source, mode):
    tree = ast.parse(source, mode=mode)
    defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    return {node.func.id for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)} - defined - set(dir(builtins))


def _calls():
    return {(name, file) for file, source, mode in _model_code() for name in _called_names(source, mode)}


def test_the_scan_reads_scripts_conditions_and_timers():
    modes = {mode for _file, _source, mode in _model_code()}
    assert modes == {"exec", "eval"}
    assert ("calculer_fin_de_journee", "pass_numerique.bpmn") in _calls()    # a timer's date


def test_every_function_a_model_calls_is_registered():
    assert sorted((name, file) for name, file in _calls() if name not in SCRIPT_FUNCTIONS) == []


def test_the_registered_verbs_no_model_calls_are_the_known_ones():
    called = {name for name, _file in _calls()}
    assert set(SCRIPT_FUNCTIONS) - called == CALLED_BY_NO_MODEL


def test_each_verb_is_registered_once_from_its_phase_module():
    verbs = [function for phase in registry.PHASES for function in phase.VERBS]
    assert len(verbs) == len(SCRIPT_FUNCTIONS)
    assert all(SCRIPT_FUNCTIONS[function.__name__] is function for function in verbs)
