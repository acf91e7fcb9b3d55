"""A script function refusing its data fails the step with the domain's French sentence, even
when the refusal comes from a dataclass's generated __init__: SpiffWorkflow takes any frame
named "<string>" for the script's and would fail reading a line the script does not have
(IndexError) unless the engine wraps the functions it loads (model_runner.raising_from_here)."""
import pytest

from bpmn_builder import script_task, sequence
from workflows.engine import Engine, ExecutionFailed
from workflows.engine.deployment import parse_model_set
from workflows.engine.instance import Definition
from workflows.services import SCRIPT_FUNCTIONS_REFERENCE

SCRIPT = "membres = 53\nquorum = calculer_quorum(membres, 12, 14)"
REFUSAL = "une procuration"     # Attendance (a dataclass) refuses more proxies than members present


def _definition():
    [parsed] = parse_model_set({"quorum.bpmn": sequence(
        "quorum", ("compter", script_task("compter", SCRIPT, "Compter le quorum"))).encode()})
    return Definition("quorum", parsed.spec, parsed.subprocess_specs, parsed.forms)


@pytest.mark.parametrize("isolated", [False, True], ids=["in-process", "model runner"])
def test_the_refusal_names_the_step_with_the_domain_s_sentence(isolated):
    engine = Engine(functions=SCRIPT_FUNCTIONS_REFERENCE, isolated=isolated)
    with pytest.raises(ExecutionFailed) as failed:
        engine.start(_definition(), {})
    assert "Compter le quorum" in str(failed.value) and REFUSAL in str(failed.value)
    spiff_error = failed.value.__cause__
    assert spiff_error.line_number in (0, 2), "no line of a frame other than the script's"

