"""The audit journal: every decision chained; any edit, deletion or truncation is named."""
from sqlalchemy import delete, select, update

from bpmn_builder import sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.audit import verify
from workflows.store.models import AuditEntry, AuditHead


def journal_with_three_entries(app):
    deploy_xml(app, {"a.bpmn": sequence("a", ("t", user_task("t", "Approuver")))})
    instance_id = start_instance(app, "a", {"montant": 208000}, ADMIN)["id"]
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    complete_task(app, task["id"], {"decision": "approuver"}, ADMIN)
    return instance_id, task["id"]


def test_each_decision_is_journaled_with_who_what_and_data(any_app):
    instance_id, task_id = journal_with_three_entries(any_app)
    with any_app.db.sessions() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
        assert [e.action for e in entries] == ["deploiement", "demarrage", "decision"]
        completion = entries[-1]
        assert completion.summary == "« Approuver » : décision « approuver »"
        assert (completion.actor, completion.instance_id, completion.task_id) == ("admin", instance_id, task_id)
        assert '"soumis": {"decision": "approuver"}' in completion.payload
        assert '"montant": 208000' in completion.payload   # the data as it was before
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
        report = verify(session)
        assert report.ok and report.entries == 3


def test_an_edited_entry_is_named(any_app):
    journal_with_three_entries(any_app)
    with any_app.db.sessions() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="quelqu’un d’autre"))
        session.commit()
        report = verify(session)
    assert (report.ok, report.broken_id) == (False, 2)
    assert "contenu modifié" in report.reason


def test_a_deleted_entry_is_named(app):
    journal_with_three_entries(app)
    with app.db.sessions() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == 2))
        session.commit()
        report = verify(session)
    assert (report.ok, report.broken_id) == (False, 2)


def test_a_truncated_tail_is_detected(app):
    journal_with_three_entries(app)
    with app.db.sessions() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == 3))
        session.commit()
        report = verify(session)
    assert (report.ok, report.broken_id) == (False, 3)


def test_a_rewritten_chain_needs_the_head_too(app):
    """Recomputing every hash after an edit still leaves the head pointing at the old chain."""
    journal_with_three_entries(app)
    with app.db.sessions() as session:
        head = session.get(AuditHead, 1)
        assert head.last_id == 3
        session.execute(update(AuditHead).values(last_hash="f" * 64))
        session.commit()
        assert verify(session).broken_id == 4
