"""The Pass numérique library in bpmn/: it deploys, its diagrams are complete, and its
scenarios apply the rules of DOMAIN.md through the real services.

A scenario (tests/scenarios/*.json) is {"process", "description", "steps"}; its steps run
in order:

* {"start": data} starts the process (first step only);
* {"task": bpmn id, "data": ..., "where": {"a.b": value}} completes the open task of that
  id (the one whose data matches "where") through the task service, form validation
  included; with "refused": "text" the completion must be refused with that text;
* {"timer": bpmn id, "due": "2027-05-31T23:59:59-04:00"} checks the waiting timer's due time
  (with its UTC offset; without one, read as the engine reads a date without zone) and fires
  it at that time;
* {"ledger": service function, "with": {...}} records in the pass ledger through its service
  (workflows/services/ledger.py) as its pages do, for the campaign of the scenario:
  "open_campaign" opens it, tied to the instance (before "start": untied, and a start value
  "$campagne" names it); ISO dates are read as dates; "as": name keeps the record's result
  for a later "$name.key" value (a move to correct); with "refused": "text" the ledger must
  refuse with that text;
* {"expect": {...}} checks the instance now: "status", "open" (tasks ready), "reached" and
  "not_reached" (bpmn ids completed, end events included), "data" (exact values) and
  "data_contains" (texts containing a fragment), names may be dotted ("quorum.message").

Every scenario ends with an "expect": each asserts its outcome, not only that it ran.
"""
import itertools
import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from lxml import etree
from sqlalchemy import select

from helpers import ADMIN, ROOT, WARM_AND_COLD, sqlite_settings, with_instances
from workflows.model_functions.registry import SCRIPT_FUNCTIONS
from workflows.errors import ConventioError
from workflows.services import ledger, open_conventio
from workflows.services.deploy import deploy_paths
from workflows.services.instances import get_instance, start_instance
from workflows.services.persistence import aware
from workflows.services.tasks import complete_task, get_task, list_tasks
from workflows.services.timers import fire_instance_timers
from workflows.store.models import TaskRecord

LIBRARY = ROOT / "bpmn"
SCENARIOS = ROOT / "tests" / "scenarios"
PHASES = ["deliberation", "convention_anct", "achat_public", "conventions_partenaires", "distribution",
          "evaluation"]
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}
# The engine reads a date without zone at the UTC offset in force when it was loaded (no
# daylight-saving switch): the scenarios' due times are read the same way.
ENGINE_LOCAL_TIME = timezone(datetime.now().astimezone().utcoffset())
ASSIGNED = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)", re.MULTILINE)
FLOW_NODES = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
              "userTask", "scriptTask", "serviceTask", "businessRuleTask", "manualTask", "task", "callActivity",
              "subProcess", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway")


@pytest.fixture(scope="module", params=WARM_AND_COLD)
def library(request, tmp_path_factory):
    """One Conventio with the library deployed, shared by the scenarios of this module,
    warm (instances kept between steps) then cold (each step loads its instance afresh)."""
    app = open_conventio(with_instances(sqlite_settings(tmp_path_factory.mktemp("library")), request.param))
    deployed = deploy_paths(app, [LIBRARY], ADMIN)
    yield app, deployed
    app.close()


# --- the library as a whole --------------------------------------------------------------


def test_the_library_deploys_without_warning_with_one_process_per_phase(library):
    _app, deployed = library
    assert {d.process_id for d in deployed} >= {"pass_numerique", *PHASES}
    assert all(not d.warnings for d in deployed), [d.warnings for d in deployed]


def _models():
    return sorted(LIBRARY.glob("*.bpmn"))


@pytest.mark.parametrize("path", _models(), ids=lambda p: p.stem)
def test_every_element_is_drawn_and_sits_in_one_lane(path):
    root = etree.parse(str(path)).getroot()
    drawn = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNPlane/*", NS)}
    nodes = [n for kind in FLOW_NODES for n in root.iterfind(f".//bpmn:{kind}", NS)]
    flows = root.findall(".//bpmn:sequenceFlow", NS)
    assert [n.get("id") for n in nodes + flows if n.get("id") not in drawn] == []
    lane_refs = [r.text for r in root.iterfind(".//bpmn:lane/bpmn:flowNodeRef", NS)]
    top_level = [n.get("id") for n in root.find("bpmn:process", NS) if n.tag.split("}")[1] in FLOW_NODES]
    assert [node for node in top_level if lane_refs.count(node) != 1] == []
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert [ref for ref in lane_refs if ref not in ids] == []
    assert [f.get("id") for f in flows if not {f.get("sourceRef"), f.get("targetRef")} <= ids] == []


def _data_names():
    """Every name a form fills or a script assigns, across the library."""
    names = set()
    for form in (LIBRARY / "forms").glob("*.json"):
        names |= set(json.loads(form.read_text())["properties"])
    for path in _models():
        for script in etree.parse(str(path)).getroot().iterfind(".//bpmn:script", NS):
            names |= set(ASSIGNED.findall(script.text))
    return names


def test_no_data_name_hides_a_domain_function():
    # The engine refuses task data that would shadow a script function: catch it here.
    assert _data_names() & set(SCRIPT_FUNCTIONS) == set()


def test_the_procedure_thresholds_live_in_one_place():
    # The dated table of the domain decides; no DMN copy of its numbers may drift from it.
    assert list(LIBRARY.glob("*.dmn")) == []
    for path in _models():
        assert "calledDecisionId" not in path.read_text()


# --- scenarios ---------------------------------------------------------------------------


def _scenarios():
    return sorted(SCENARIOS.glob("*.json"))


def _open_task(app, instance_id, bpmn_id, where=None):
    candidates = [t for t in list_tasks(app, ADMIN, instance_id=instance_id) if t["bpmn_id"] == bpmn_id]
    for task in candidates:
        if not where or _matches(get_task(app, task["id"], ADMIN)["data"], where):
            return task
    open_tasks = [t["bpmn_id"] for t in list_tasks(app, ADMIN, instance_id=instance_id)]
    pytest.fail(f"tâche {bpmn_id} {where or ''} absente ; ouvertes : {open_tasks}")


def _value(data, path):
    """The value at a dotted path ("resultat_vote.message"), None when absent."""
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _matches(data, where):
    return all(_value(data, path) == expected for path, expected in where.items())


def _complete(app, instance_id, step):
    task = _open_task(app, instance_id, step["task"], step.get("where"))
    if "refused" not in step:
        complete_task(app, task["id"], step.get("data", {}), ADMIN)
        return
    with pytest.raises(ConventioError) as refusal:
        complete_task(app, task["id"], step.get("data", {}), ADMIN)
    assert step["refused"] in refusal.value.message, refusal.value.message
    assert _open_task(app, instance_id, step["task"], step.get("where"))["id"] == task["id"]


def _waiting_timer(app, instance_id, bpmn_id):
    with app.db.sessions() as session:
        rows = session.execute(select(TaskRecord).where(
            TaskRecord.instance_id == instance_id, TaskRecord.state == "waiting",
            TaskRecord.bpmn_id == bpmn_id)).scalars().all()
    assert rows and rows[0].due_at, f"minuteur {bpmn_id} non armé"
    return aware(rows[0].due_at)


def _fire(app, instance_id, step):
    due = _waiting_timer(app, instance_id, step["timer"])
    if "due" in step:
        expected = datetime.fromisoformat(step["due"])
        assert due == (expected if expected.tzinfo else expected.replace(tzinfo=ENGINE_LOCAL_TIME)), due
    assert fire_instance_timers(app, instance_id, due + timedelta(seconds=1)) >= 1
    with app.db.sessions() as session:
        still = session.execute(select(TaskRecord.id).where(
            TaskRecord.instance_id == instance_id, TaskRecord.state == "waiting",
            TaskRecord.bpmn_id == step["timer"], TaskRecord.due_at <= due.replace(tzinfo=None))).all()
    assert not still, f"minuteur {step['timer']} non déclenché"


def _check(app, instance_id, expected):
    check_state(get_instance(app, instance_id, ADMIN), expected)


def check_state(state, expected):
    """The instance's state (as get_instance shows it) is what the scenario expects."""
    reached = {t["bpmn_id"] for t in state["completed_tasks"]}
    if "status" in expected:
        assert state["status"] == expected["status"], (state["error"], state["open_tasks"])
    if "open" in expected:
        assert sorted({t["bpmn_id"] for t in state["open_tasks"]}) == sorted(expected["open"])
    assert set(expected.get("reached", [])) <= reached, set(expected["reached"]) - reached
    assert set(expected.get("not_reached", [])) & reached == set()
    for name, value in expected.get("data", {}).items():
        assert _value(state["data"], name) == value, (name, _value(state["data"], name))
    for name, fragment in expected.get("data_contains", {}).items():
        assert fragment in (_value(state["data"], name) or ""), (name, _value(state["data"], name))


LEDGER_DATES = ("on", "received_on", "executory_on", "as_of")


def _ledger(app, instance_id, campaign, step, territory, saved):
    """One record in the ledger; the campaign's id once opened. A record's result is kept
    under its "as" name; "$name.key" in a later record's values reads it (a move's number)."""
    args = {k: _saved(saved, v) for k, v in step.get("with", {}).items()}
    args = {k: date.fromisoformat(v) if k in LEDGER_DATES and v else v for k, v in args.items()}
    if step["ledger"] == "open_campaign":
        return ledger.open_campaign(app, territory, ADMIN, instance_id=instance_id, **args)["id"]
    record = getattr(ledger, step["ledger"])
    if step["ledger"] == "correct":   # the move's number comes before the actor
        move, record = args.pop("move_id"), lambda app, campaign, actor, **rest: ledger.correct(
            app, campaign, move, actor, **rest)
    if "refused" not in step:
        saved[step.get("as")] = record(app, campaign, ADMIN, **args)
        return campaign
    with pytest.raises(ConventioError) as refusal:
        record(app, campaign, ADMIN, **args)
    assert step["refused"] in refusal.value.message, refusal.value.message
    return campaign


def _saved(saved, value):
    if isinstance(value, str) and value.startswith("$") and "." in value:
        name, key = value[1:].split(".", 1)
        return saved[name][key]
    return value


def run_scenario(app, scenario):
    steps = scenario["steps"]
    before = list(itertools.takewhile(lambda step: "ledger" in step, steps))
    start = steps[len(before)]["start"]
    territory = start.get("territoire", "FR")
    campaign, saved = None, {}
    for step in before:
        campaign = _ledger(app, None, campaign, step, territory, saved)
    start = {k: campaign if v == "$campagne" else v for k, v in start.items()}
    instance_id = start_instance(app, scenario["process"], start, ADMIN)["id"]
    for step in steps[len(before) + 1:]:
        if "ledger" in step:
            campaign = _ledger(app, instance_id, campaign, step, territory, saved)
        elif "timer" in step:
            _fire(app, instance_id, step)
        elif "expect" in step:
            _check(app, instance_id, step["expect"])
        else:
            _complete(app, instance_id, step)
    return get_instance(app, instance_id, ADMIN)


SCENARIOS_RUN = set()


@pytest.mark.parametrize("path", _scenarios(), ids=lambda p: p.stem)
def test_scenario(library, path):
    app, _ = library
    scenario = json.loads(path.read_text())
    first = next(step for step in scenario["steps"] if "ledger" not in step)
    assert "start" in first and "expect" in scenario["steps"][-1], \
        "un scénario démarre par « start » (après l'ouverture de sa campagne) et finit par « expect »"
    run_scenario(app, scenario)
    SCENARIOS_RUN.add(path.stem)


def _steps_taken(app):
    """{(process, from bpmn id, to bpmn id)} of every move some instance made."""
    with app.db.sessions() as session:
        rows = session.execute(select(TaskRecord.id, TaskRecord.process_id, TaskRecord.bpmn_id,
                                      TaskRecord.state, TaskRecord.body)).all()
    bpmn_ids = {row.id: row.bpmn_id for row in rows}
    return {(row.process_id, bpmn_ids.get(json.loads(row.body).get("parent")), row.bpmn_id)
            for row in rows if row.state in ("ready", "waiting", "started", "completed")}


def test_every_branch_of_every_exclusive_gateway_is_taken_by_a_scenario(library):
    if SCENARIOS_RUN != {p.stem for p in _scenarios()}:
        pytest.skip("mesure faite après l'ensemble des scénarios de ce module")
    taken = _steps_taken(library[0])
    missing = []
    for path in _models():
        process = etree.parse(str(path)).getroot().find("bpmn:process", NS)
        flows = {f.get("id"): f for f in process.iter(f"{{{NS['bpmn']}}}sequenceFlow")}
        for gateway in process.iter(f"{{{NS['bpmn']}}}exclusiveGateway"):
            for flow_id in [o.text for o in gateway.findall("bpmn:outgoing", NS)]:
                target = flows[flow_id].get("targetRef")
                # A gateway inside an embedded sub-process runs in that sub-process's workflow.
                owner = gateway.getparent().get("id")
                if len(gateway.findall("bpmn:outgoing", NS)) > 1 and \
                        (owner, gateway.get("id"), target) not in taken:
                    missing.append(f"{process.get('id')}:{flow_id}")
    assert missing == []


def test_a_deliberation_without_territory_is_refused_at_the_start(library):
    app, _ = library
    identity = dict(json.loads((SCENARIOS / "deliberation_adoptee_martinique.json").read_text())["steps"][0]["start"])
    del identity["territoire"]
    with pytest.raises(ConventioError) as refusal:
        start_instance(app, "deliberation", identity, ADMIN)
    assert refusal.value.details == {"territoire": "champ obligatoire"}
    with pytest.raises(ConventioError) as unknown:
        start_instance(app, "deliberation", dict(identity, territoire="Martinique"), ADMIN)
    assert unknown.value.details["territoire"].startswith("valeur non autorisée (choix possibles : FR, 57")
