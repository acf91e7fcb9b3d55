"""Deployment: once per content hash, versions kept, broken or unsafe models refused whole."""
import json

import pytest
from sqlalchemy import func, select

from bpmn_builder import definitions, flow, process, sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.errors import ModelRejected
from workflows.services.deploy import collect_sources
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.audit import verify
from workflows.store.models import AuditEntry, ProcessDefinition

ONE_TASK = sequence("simple", ("ask", user_task("ask", "Saisir la demande")))
TWO_TASKS = sequence("simple", ("ask", user_task("ask", "Saisir la demande")),
                     ("check", user_task("check", "Vérifier la demande")))


def definition_count(app):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(ProcessDefinition)).scalar()


def test_unchanged_files_change_nothing_and_new_content_is_a_new_version(any_app):
    first = deploy_xml(any_app, {"simple.bpmn": ONE_TASK})
    again = deploy_xml(any_app, {"simple.bpmn": ONE_TASK})
    assert [(d.version, d.created) for d in first] == [(1, True)]
    assert [(d.version, d.created) for d in again] == [(1, False)]
    with any_app.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar() == 1
    second = deploy_xml(any_app, {"simple.bpmn": TWO_TASKS})
    assert [(d.version, d.created) for d in second] == [(2, True)]
    assert definition_count(any_app) == 2


def test_an_instance_keeps_the_version_it_started_with(app):
    deploy_xml(app, {"simple.bpmn": ONE_TASK})
    old = start_instance(app, "simple", {}, ADMIN)
    deploy_xml(app, {"simple.bpmn": TWO_TASKS})
    new = start_instance(app, "simple", {}, ADMIN)
    assert (old["version"], new["version"]) == (1, 2)
    app.cache.clear()  # the old instance must come back from the database on version 1
    task = list_tasks(app, ADMIN, instance_id=old["id"])[0]
    complete_task(app, task["id"], {}, ADMIN)
    assert get_instance(app, old["id"], ADMIN)["status"] == "completed"
    assert get_instance(app, new["id"], ADMIN)["status"] == "running"


def test_a_set_with_one_broken_file_deploys_nothing(app):
    broken = definitions(process("broken", '<bpmn:userTask id="lonely" name="Seule"/>'))
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"good.bpmn": ONE_TASK, "broken.bpmn": broken})
    problem = refused.value.details["problems"][0]
    assert problem["file"] == "broken.bpmn"
    assert "aucun événement de début" in problem["reason"]
    assert definition_count(app) == 0


def test_a_file_without_executable_process_is_refused_in_plain_words(app):
    not_executable = ONE_TASK.replace('isExecutable="true"', 'isExecutable="false"')
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"draft.bpmn": not_executable})
    assert "aucun processus exécutable" in refused.value.message
    assert definition_count(app) == 0


def test_a_call_to_a_missing_process_names_the_call_activity(app):
    body = ('<bpmn:startEvent id="start"/><bpmn:callActivity id="call_phase" name="Phase absente" '
            'calledElement="nowhere"/><bpmn:endEvent id="end"/>'
            + flow("f1", "start", "call_phase") + flow("f2", "call_phase", "end"))
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"chain.bpmn": definitions(process("chain", body))})
    problem = refused.value.details["problems"][0]
    assert (problem["file"], problem["element_id"], problem["element_name"]) == \
        ("chain.bpmn", "call_phase", "Phase absente")
    assert "nowhere" in problem["reason"]


def test_external_entities_are_refused_before_any_file_is_read(app, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe")
    xxe = ONE_TASK.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                           f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY leak SYSTEM "file://{secret}">]>\n')
    xxe = xxe.replace('name="Saisir la demande"', 'name="&leak;"')
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"xxe.bpmn": xxe})
    assert "DTD ou entités XML interdites" in refused.value.details["problems"][0]["reason"]
    assert definition_count(app) == 0


def test_entity_expansion_bombs_are_refused(app):
    entities = '<!ENTITY a0 "boom">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = ONE_TASK.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                            f'<?xml version="1.0"?>\n<!DOCTYPE d [{entities}]>\n')
    bomb = bomb.replace('name="Saisir la demande"', 'name="&a9;"')
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"bomb.bpmn": bomb})
    assert "DTD ou entités XML interdites" in refused.value.details["problems"][0]["reason"]


def test_malformed_xml_is_refused_with_the_file(app):
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"cut.bpmn": ONE_TASK[:200]})
    assert refused.value.details["problems"][0]["file"] == "cut.bpmn"
    assert "XML mal formé" in refused.value.details["problems"][0]["reason"]


def test_forms_are_loaded_beside_the_model_and_checked(app, tmp_path):
    form = {"type": "object", "required": ["montant"],
            "properties": {"montant": {"type": "number", "minimum": 0, "title": "Montant"}}}
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "montant.json").write_text(json.dumps(form))
    (tmp_path / "simple.bpmn").write_text(sequence("simple", ("ask", user_task(
        "ask", "Saisir", {"formJsonSchemaFilename": "forms/montant.json"}))))
    from workflows.services.deploy import deploy_sources
    deploy_sources(app, collect_sources([tmp_path]), ADMIN)
    started = start_instance(app, "simple", {}, ADMIN)
    task = list_tasks(app, ADMIN, instance_id=started["id"])[0]
    from workflows.services.tasks import get_task
    assert get_task(app, task["id"], ADMIN)["form"] == form


def test_a_broken_form_schema_refuses_the_model(app):
    bad_schema = json.dumps({"type": "object", "properties": {"x": {"type": "nombre"}}})
    model = sequence("simple", ("ask", user_task("ask", "Saisir", {"formJsonSchema": bad_schema})))
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"simple.bpmn": model})
    problem = refused.value.details["problems"][0]
    assert problem["element_id"] == "ask" and "formulaire invalide" in problem["reason"]


def test_every_deployment_is_journaled(app):
    deploy_xml(app, {"simple.bpmn": ONE_TASK})
    with app.db.sessions() as session:
        entry = session.execute(select(AuditEntry)).scalar_one()
        assert (entry.action, entry.actor) == ("deploiement", "admin")
        assert verify(session).ok
