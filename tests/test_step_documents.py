"""Documents named at a step are made once the process accepted the step: a step its own
checks send back for correction leaves no superseded version behind."""
import json

from sqlalchemy import select

from bpmn_builder import definitions, flow, process, script_task, user_task
from helpers import ADMIN, deploy_xml, sqlite_settings
from test_library import LIBRARY, SCENARIOS, run_scenario
from workflows.services import open_conventio
from workflows.services.deploy import deploy_paths
from workflows.services.instances import get_instance
from workflows.documents.examples import EXAMPLES
from workflows.services.documents import list_documents
from workflows.services.events import Events, StepCompleted
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import AuditEntry

CHECKED = definitions(process("lettre", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("rediger", "Rédiger la lettre", {"documents": "lettre_rejet"}),
    script_task("controler", "erreur = None if conforme else 'Motif de rejet à préciser'"),
    '<bpmn:exclusiveGateway id="gw" default="f_retour"/>',
    user_task("suite", "Suite"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "rediger"), flow("f2", "rediger", "controler"), flow("f3", "controler", "gw"),
    flow("f_ok", "gw", "suite", "erreur is None"), flow("f_retour", "gw", "rediger"), flow("f5", "suite", "end"),
])))

SEQUENTIAL = definitions(process("lettres", "\n".join([
    '<bpmn:startEvent id="start"/>',
    '<bpmn:userTask id="rediger" name="Rédiger une lettre"><bpmn:extensionElements><spiffworkflow:properties>'
    '<spiffworkflow:property name="documents" value="lettre_rejet"/></spiffworkflow:properties>'
    '</bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics isSequential="true">'
    '<bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>',
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "rediger"), flow("f2", "rediger", "end"),
])))


def ready(app, instance_id):
    return [(t["bpmn_id"], t["id"]) for t in list_tasks(app, ADMIN, instance_id=instance_id)]


def test_a_step_sent_back_by_the_model_makes_no_document_until_it_is_accepted(app):
    deploy_xml(app, {"lettre.bpmn": CHECKED})
    instance_id = start_instance(app, "lettre", EXAMPLES["lettre_rejet"], ADMIN, territory="cap-nord")["id"]
    [(_bpmn_id, first)] = ready(app, instance_id)

    refused = complete_task(app, first, {"conforme": False}, ADMIN)

    assert refused["documents"] == []
    assert [e["template"] for e in refused["document_errors"]] == ["lettre_rejet"]
    assert "renvoyée pour correction" in refused["document_errors"][0]["error"]
    assert list_documents(app, instance_id, ADMIN) == []
    [(bpmn_id, second)] = ready(app, instance_id)
    assert bpmn_id == "rediger" and second != first
    with app.db.sessions() as session:
        withheld = session.execute(select(AuditEntry).where(AuditEntry.action == "document_differe")).scalar_one()
        assert withheld.task_id == first and "lettre_rejet" in withheld.summary

    accepted = complete_task(app, second, {"conforme": True}, ADMIN)

    assert [d["template"] for d in accepted["documents"]] == ["lettre_rejet"]
    assert [(d["revision"], d["task_id"]) for d in list_documents(app, instance_id, ADMIN)] == [(1, second)]
    assert [b for b, _id in ready(app, instance_id)] == ["suite"]


def test_each_item_of_a_sequential_multi_instance_step_makes_its_document(app):
    deploy_xml(app, {"lettres.bpmn": SEQUENTIAL})
    instance_id = start_instance(app, "lettres", EXAMPLES["lettre_rejet"], ADMIN, territory="cap-nord")["id"]
    made = []
    for _item in range(2):
        [(_bpmn_id, task_id)] = ready(app, instance_id)
        made += [d["task_id"] for d in complete_task(app, task_id, {}, ADMIN)["documents"]]
    assert len(set(made)) == 2
    assert [d["revision"] for d in list_documents(app, instance_id, ADMIN)] == [1, 2]


def test_the_extract_refused_for_its_proxies_leaves_only_the_corrected_one(tmp_path):
    app = open_conventio(sqlite_settings(tmp_path))
    try:
        deploy_paths(app, [LIBRARY], ADMIN)
        scenario = json.loads((SCENARIOS / "deliberation_procurations_mandataire_double.json").read_text())
        instance_id = run_scenario(app, scenario)["id"]
        extracts = [d for d in list_documents(app, instance_id, ADMIN) if d["template"] == "extrait_deliberation"]
        history = get_instance(app, instance_id, ADMIN)["history"]
        [withheld] = [e["task_id"] for e in history if e["action"] == "document_differe"]
        made_at_the_step = [d for d in extracts if d["reason"].startswith("Généré à l’étape")]
        assert [d["revision"] for d in made_at_the_step] == [1] and made_at_the_step[0]["task_id"] != withheld
        # the later versions are the signature's and the publication's, never the refused step's
        assert withheld not in {d["task_id"] for d in extracts}
        assert all(d["reason"].startswith("Régénéré après") for d in extracts[1:])
    finally:
        app.close()


DOCUMENTED = definitions(process("lettre_simple", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("rediger", "Rédiger la lettre", {"documents": "lettre_rejet"}),
    user_task("suite", "Suite"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "rediger"), flow("f2", "rediger", "suite"), flow("f3", "suite", "end"),
])))


def test_the_step_documents_are_made_by_a_handler_of_the_committed_step(app):
    """StepCompleted is published once the step is committed: its handlers see the step done, and
    what they return (the documents) completes the step's result."""
    deploy_xml(app, {"lettre_simple.bpmn": DOCUMENTED})
    instance_id = start_instance(app, "lettre_simple", EXAMPLES["lettre_rejet"], ADMIN, territory="cap-nord")["id"]
    [(_bpmn_id, task_id)] = ready(app, instance_id)
    seen = []

    def spy(app, event):
        seen.append((event, [b for b, _id in ready(app, instance_id)], len(list_documents(app, instance_id, ADMIN))))

    app.events.subscribe(StepCompleted, spy)
    result = complete_task(app, task_id, {}, ADMIN)

    [(event, ready_then, documents_then)] = seen
    assert (event.instance_id, event.task_id, event.documents) == (instance_id, task_id, ("lettre_rejet",))
    assert ready_then == ["suite"] and documents_then == 1, "handlers run after the step and after each other"
    assert [d["template"] for d in result["documents"]] == ["lettre_rejet"] and result["document_errors"] == []


def test_without_the_document_handler_a_step_makes_no_document(app):
    deploy_xml(app, {"lettre_simple.bpmn": DOCUMENTED})
    instance_id = start_instance(app, "lettre_simple", EXAMPLES["lettre_rejet"], ADMIN, territory="cap-nord")["id"]
    [(_bpmn_id, task_id)] = ready(app, instance_id)
    app.events = Events()

    result = complete_task(app, task_id, {}, ADMIN)

    assert (result["documents"], result["document_errors"]) == ([], [])
    assert list_documents(app, instance_id, ADMIN) == []
