"""Task drafts kept on the server, on SQLite and PostgreSQL, warm and cold: saved and discarded by
whoever may complete the ready task, read by whoever may open it, never journaled, gone with the
task's completion (in its transaction) or its cancellation; the instance itself is untouched."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, inspect, select

from bpmn_builder import definitions, flow, process, user_task
from helpers import ADMIN, WARM_AND_COLD, actor, deploy_xml, downgrade, with_instances
from workflows.errors import Conflict, Forbidden, InvalidData, NotFound, TooLarge
from workflows.services import open_conventio
from workflows.services.assignments import claim_task, release_task
from workflows.services.drafts import DRAFT_LIMIT, discard_draft, read_draft, save_draft
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.services.timers import run_due_timers
from workflows.store.migrate import upgrade
from workflows.store.models import AuditEntry, ProcessInstance, TaskDraft

MODEL = definitions(process("convention", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("rediger", "Rédiger la convention"),
    '<bpmn:boundaryEvent id="trop_tard" name="Délai dépassé" attachedToRef="rediger"><bpmn:timerEventDefinition>'
    '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P15D"</bpmn:timeDuration>'
    '</bpmn:timerEventDefinition></bpmn:boundaryEvent>',
    user_task("viser", "Viser la convention"),
    '<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end_late"/>',
    flow("f1", "start", "rediger"), flow("f2", "rediger", "viser"), flow("f3", "viser", "end"),
    flow("f4", "trop_tard", "end_late"),
]), lanes={"Service juridique": ["rediger"], "Direction": ["viser"]}))
LEGAL = actor("juriste", "legal", territories=("cap-nord",))
COLLEAGUE = actor("collegue", "legal", territories=("cap-nord",))
DIRECTOR = actor("directrice", "director", territories=("cap-nord",))
ELSEWHERE = actor("juriste78", "legal", territories=("yvelines",))
VALUES = {"montant": "12 000,50 €", "objet": "<script>alert(1)</script>", "_roster": {"3": ["present", None]}}


@pytest.fixture(params=WARM_AND_COLD)
def case(any_db_settings, request):
    app = open_conventio(with_instances(any_db_settings, request.param))
    deploy_xml(app, {"convention.bpmn": MODEL})
    instance_id = start_instance(app, "convention", {}, ADMIN, territory="cap-nord")["id"]
    [task] = list_tasks(app, ADMIN, instance_id=instance_id)
    yield app, instance_id, task["id"]
    app.close()


def _drafts(app):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(TaskDraft)).scalar()


def _instance(app, instance_id):
    with app.db.sessions() as session:
        row = session.get(ProcessInstance, instance_id)
        journal = session.execute(select(func.count()).select_from(AuditEntry)).scalar()
        return row.version, row.updated_at, journal


def test_a_draft_is_kept_as_typed_read_by_the_task_s_role_and_touches_neither_instance_nor_journal(case):
    app, instance_id, task_id = case
    before = _instance(app, instance_id)
    saved = save_draft(app, task_id, VALUES, LEGAL)
    assert saved["values"] == VALUES and saved["saved_by"] == "juriste"
    again = save_draft(app, task_id, dict(VALUES, montant="13 000"), LEGAL)   # one draft a task, replaced
    assert _drafts(app) == 1
    read = read_draft(app, task_id, COLLEAGUE)   # a colleague taking over finds it
    assert read["values"]["montant"] == "13 000" and read["saved_at"] == again["saved_at"]
    assert read["saved_by_name"] == "juriste"
    assert _instance(app, instance_id) == before   # not an act: no version, no journal
    assert discard_draft(app, task_id, LEGAL) is True and read_draft(app, task_id, LEGAL) is None
    assert discard_draft(app, task_id, LEGAL) is False


def test_only_who_may_complete_the_task_saves_its_draft(case):
    app, _instance_id, task_id = case
    save_draft(app, task_id, VALUES, LEGAL)
    with pytest.raises(Forbidden):   # a director cannot save legal staff's draft, nor read it
        save_draft(app, task_id, {"montant": 1}, DIRECTOR)
    with pytest.raises(Forbidden):
        read_draft(app, task_id, DIRECTOR)
    with pytest.raises(Forbidden):
        discard_draft(app, task_id, DIRECTOR)
    for door in (lambda: save_draft(app, task_id, {}, ELSEWHERE), lambda: read_draft(app, task_id, ELSEWHERE)):
        with pytest.raises(NotFound):
            door()
    claim_task(app, task_id, COLLEAGUE)
    with pytest.raises(Conflict) as held:   # held by a colleague: theirs to write
        save_draft(app, task_id, {"montant": 2}, LEGAL)
    assert held.value.details == {"claimed_by": "collegue"}
    with pytest.raises(Conflict):
        discard_draft(app, task_id, LEGAL)
    assert read_draft(app, task_id, LEGAL)["values"] == VALUES
    release_task(app, task_id, COLLEAGUE)
    assert save_draft(app, task_id, {"montant": 2}, LEGAL)["values"] == {"montant": 2}


def test_refused_values_change_nothing(case):
    app, _instance_id, task_id = case
    save_draft(app, task_id, VALUES, LEGAL)
    with pytest.raises(InvalidData):
        save_draft(app, task_id, ["pas", "un", "objet"], LEGAL)
    with pytest.raises(TooLarge) as large:
        save_draft(app, task_id, {"texte": "x" * DRAFT_LIMIT}, LEGAL)
    assert large.value.http_status == 413 and "256 Ko" in large.value.message
    assert read_draft(app, task_id, LEGAL)["values"] == VALUES


def test_the_draft_goes_with_the_completion_and_a_done_task_takes_none(case):
    app, instance_id, task_id = case
    save_draft(app, task_id, VALUES, LEGAL)
    complete_task(app, task_id, {}, LEGAL)
    assert _drafts(app) == 0
    with pytest.raises(Conflict):
        save_draft(app, task_id, VALUES, LEGAL)
    assert read_draft(app, task_id, LEGAL) is None
    [next_task] = list_tasks(app, ADMIN, instance_id=instance_id)
    save_draft(app, next_task["id"], {"commentaire": "à voir"}, DIRECTOR)
    complete_task(app, next_task["id"], {}, DIRECTOR)
    assert _drafts(app) == 0


def test_the_draft_goes_with_the_task_cancelled(case):
    app, instance_id, task_id = case
    save_draft(app, task_id, VALUES, LEGAL)
    assert run_due_timers(app, now=datetime.now(timezone.utc) + timedelta(days=16))["fired"] == 1
    assert list_tasks(app, ADMIN, instance_id=instance_id) == [] and _drafts(app) == 0


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migration_of_the_drafts_goes_down_and_up(case):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from workflows.store.models import Base
    app, _instance_id, task_id = case
    save_draft(app, task_id, VALUES, LEGAL)
    downgrade(app.db, "0016_ledger_speed")
    assert "task_draft" not in inspect(app.db.engine).get_table_names()
    upgrade(app.db)
    with app.db.engine.connect() as connection:   # the table exactly as the model describes it
        differences = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                       if "task_draft" in str(d)]
    assert differences == []
    assert read_draft(app, task_id, LEGAL) is None
    assert save_draft(app, task_id, VALUES, LEGAL)["values"] == VALUES
