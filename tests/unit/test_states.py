"""Task states, instance statuses, journal actions and error codes are named once (workflows/states.py,
workflows/errors.py): their stored spellings never change, and the code no longer repeats them bare."""
import ast
from pathlib import Path

import pytest

from workflows.errors import ConventioError, ErrorCode
from workflows.states import InstanceStatus, JournalAction, TaskState

ROOT = Path(__file__).resolve().parents[2]
# As the journal has stored them: each is inside the hash of the entries already written.
STORED_ACTIONS = {"deploiement", "demarrage", "completion", "decision", "prise_en_charge", "liberation", "minuteur",
                  "message", "echec", "document", "document_differe", "document_echec", "document_sans_destinataire",
                  "document_altere", "utilisateur", "session", "territoire", "registre_carnets",
                  "reattribution", "absence", "piece_jointe"}


def test_the_journals_actions_keep_their_stored_spelling():
    assert {action.value for action in JournalAction} == STORED_ACTIONS
    assert f"{JournalAction.START}" == "demarrage" and JournalAction.START == "demarrage"


def test_the_states_and_statuses_as_stored():
    assert [s.value for s in InstanceStatus] == ["running", "completed", "error"]
    assert {"ready", "waiting", "started", "completed"} <= {s.value for s in TaskState}


def test_every_error_has_a_named_code():
    codes = {cls.code for cls in _subclasses(ConventioError)}
    assert all(isinstance(code, ErrorCode) for code in codes), codes
    assert ConventioError("x").to_dict()["error"] == "erreur"


def _subclasses(cls):
    import workflows.services  # noqa: F401 (loads the errors defined beside the use cases)
    import workflows.jobs.settings  # noqa: F401
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


NAMED = {s.value for s in TaskState} | {s.value for s in InstanceStatus}


def bare_words(path):
    """Lines comparing a state or status to a bare string, and journal records naming a bare action."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Compare) and _names_state(node.left):
            literals = [c for c in node.comparators if isinstance(c, ast.Constant)]
            literals += [e for c in node.comparators if isinstance(c, ast.Tuple) for e in c.elts
                         if isinstance(e, ast.Constant)]
            found += [node.lineno for c in literals if c.value in NAMED]
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "in_" \
                and _names_state(node.func.value) and node.args and isinstance(node.args[0], ast.Tuple):
            found += [node.lineno for e in node.args[0].elts if isinstance(e, ast.Constant) and e.value in NAMED]
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "record" and node.args \
                and isinstance(node.args[0], ast.Constant) and node.args[0].value in STORED_ACTIONS:
            found.append(node.lineno)
    return sorted(set(found))


def _names_state(node):
    return (isinstance(node, ast.Attribute) and node.attr in ("state", "status")) or (
        isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "status")


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT) for package in ("workflows/services", "workflows/jobs",
                                                                            "workflows/engine", "server")
                                        for p in (ROOT / package).rglob("*.py")), ids=str)
def test_no_bare_state_status_or_action(path):
    assert bare_words(ROOT / path) == []


def test_the_scan_sees_a_bare_word(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('if row.status == "running":\n    step.record("demarrage", "x", actor)\n'
                      'ok = task.state in ("ready", "waiting")\n'
                      'query.where(TaskRecord.state.in_(("ready", "started")))\n', "utf-8")
    assert bare_words(sample) == [1, 2, 3, 4]
