"""The audit journal: every decision chained and sealed with a key the database does not hold;
any edit, deletion, truncation, wipe or forged checkpoint is named.

The attacks are those of whoever can write the database but holds neither the journal key
nor the checkpoint file: they know the code, so they recompute plain SHA-256 hashes and
fix the head row. The keyless check (`verify(session)`, what `audit verify` did before the
key) is fooled by each of them; the keyed one is not."""
import hashlib
import json
import os
from dataclasses import replace

import pytest
from sqlalchemy import delete, select, update

from bpmn_builder import sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.audit import GENESIS_HASH, Journal, journal_of, verify
from workflows.store.models import AuditEntry, AuditHead


def journal_with_three_entries(app):
    deploy_xml(app, {"a.bpmn": sequence("a", ("t", user_task("t", "Approuver")))})
    instance_id = start_instance(app, "a", {"montant": 208000}, ADMIN)["id"]
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    complete_task(app, task["id"], {"decision": "approuver"}, ADMIN)
    return instance_id, task["id"]


def keyed_report(app):
    with app.db.sessions() as session:
        return journal_of(app.settings).verify(session)


def keyless_report(app):
    with app.db.sessions() as session:
        return verify(session)


def plain_canonical(entry):
    """The published canonical form of an entry, as an attacker restates it."""
    return json.dumps([entry.id, entry.at.isoformat(), entry.actor, entry.role, entry.action,
                       entry.instance_id, entry.task_id, entry.summary, entry.payload, entry.prev_hash],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def plain_hash(entry):
    """What an attacker without the key computes: the canonical form, plain SHA-256."""
    return hashlib.sha256(plain_canonical(entry)).hexdigest()


def rechain_and_fix_head(session, seal=None):
    """Recompute every hash from the start and point the head at the new end, as the attacker would."""
    prev, last_id = GENESIS_HASH, 0
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        entry.prev_hash = prev
        entry.hash = plain_hash(entry)
        if seal is not None:
            entry.mac = seal(entry)
        prev, last_id = entry.hash, entry.id
    session.execute(update(AuditHead).values(last_id=last_id, last_hash=prev))
    session.commit()


# --- a normal run ----------------------------------------------------------------------
def test_each_decision_is_journaled_sealed_and_checkpointed(any_app):
    instance_id, task_id = journal_with_three_entries(any_app)
    journal = journal_of(any_app.settings)
    with any_app.db.sessions() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
        assert [e.action for e in entries] == ["deploiement", "demarrage", "decision"]
        completion = entries[-1]
        assert completion.summary == "« Approuver » : approuvé"
        assert (completion.actor, completion.instance_id, completion.task_id) == ("admin", instance_id, task_id)
        assert '"soumis": {"decision": "approuver"}' in completion.payload
        assert '"montant": 208000' in completion.payload   # the data as it was before
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
        assert all(e.mac and e.mac != e.hash for e in entries)
        head = session.get(AuditHead, 1)
    # One signed line per commit that journaled something, outside the database.
    lines = [json.loads(line) for line in journal.checkpoints.read_text().splitlines()]
    assert [line["entries"] for line in lines] == [1, 2, 3]
    assert lines[-1]["last_hash"] == head.last_hash and lines[-1]["key"] == journal.key_id
    report = keyed_report(any_app)
    assert report.ok and (report.entries, report.sealed, report.checkpoints) == (3, 3, 3)
    assert report.last_checkpoint.entries == 3
    assert report.describe().startswith("3 entrée(s) vérifiée(s), 3 scellée(s), 3 point(s) de contrôle")


def test_the_key_is_generated_once_outside_the_database_or_given(settings, tmp_path):
    from workflows.services import open_conventio
    app = open_conventio(settings)
    try:
        journal_with_three_entries(app)
    finally:
        app.close()
    key_file = settings.data_dir / "audit_key"
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    key = key_file.read_text()
    assert len(key) > 40 and settings.journal_key() == key
    assert key.encode() not in (settings.data_dir / "conventio.db").read_bytes()
    assert settings.journal_checkpoints() == settings.data_dir / "audit-checkpoints.jsonl"
    given = replace(settings, audit_key="une-autre-clé-du-journal", audit_checkpoints=tmp_path / "ailleurs.jsonl")
    assert given.journal_key() == "une-autre-clé-du-journal"
    assert journal_of(given).checkpoints == tmp_path / "ailleurs.jsonl"
    from workflows.config import Settings
    from_env = Settings.from_env(env={"CONVENTIO_DATA_DIR": str(tmp_path), "CONVENTIO_AUDIT_KEY": "k" * 32,
                                      "CONVENTIO_AUDIT_CHECKPOINTS": str(tmp_path / "cp.jsonl")})
    assert (from_env.journal_key(), from_env.journal_checkpoints()) == ("k" * 32, tmp_path / "cp.jsonl")


# --- the attacks -------------------------------------------------------------------------
def test_deleting_the_last_entries_and_fixing_the_head_is_named(any_app):
    journal_with_three_entries(any_app)
    with any_app.db.sessions() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id >= 2))
        session.execute(update(AuditHead).values(
            last_id=1, last_hash=session.get(AuditEntry, 1).hash))
        session.commit()
    assert keyless_report(any_app).ok                 # the chain alone is fooled
    report = keyed_report(any_app)
    assert not report.ok and report.broken_id == 2
    assert report.problems == (report.problems[0],)
    assert report.reason.startswith("journal tronqué : 1 entrée(s), alors que le point de contrôle du ")
    assert report.reason.endswith("en atteste 3 ; fin du journal supprimée")


def test_rewriting_an_entry_and_recomputing_the_chain_without_the_key_is_named(any_app):
    journal_with_three_entries(any_app)
    with any_app.db.sessions() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="quelqu’un d’autre"))
        session.commit()
        rechain_and_fix_head(session)
    assert keyless_report(any_app).ok                 # the chain alone is fooled
    report = keyed_report(any_app)
    assert (report.ok, report.broken_id) == (False, 2)
    assert report.reason == ("entrée n° 2 réécrite : son empreinte est cohérente mais son sceau (HMAC) "
                             "ne correspond pas, chaîne recalculée sans la clé")


def test_rewriting_with_forged_seals_or_no_seals_is_named(any_app):
    """Seals made with a guessed key, or removed to pass for entries older than the key."""
    journal_with_three_entries(any_app)
    guessed = Journal(b"cle-devinee", any_app.settings.journal_checkpoints())
    with any_app.db.sessions() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 3).values(summary="autre chose"))
        rechain_and_fix_head(session, seal=lambda entry: entry.mac if entry.id < 3
                             else guessed.seal(plain_canonical(entry)))
    assert "entrée n° 3 réécrite" in keyed_report(any_app).reason
    with any_app.db.sessions() as session:   # no seal at all, as if older than the key
        rechain_and_fix_head(session, seal=lambda entry: None)
    report = keyed_report(any_app)
    assert report.broken_id == 2 and report.reason == (
        "entrée n° 2 sans sceau alors qu’elle est postérieure à la clé du journal : ajoutée ou "
        "réécrite sans la clé")


def test_emptying_the_journal_is_named(any_app):
    journal_with_three_entries(any_app)
    with any_app.db.sessions() as session:
        session.execute(delete(AuditEntry))
        session.execute(update(AuditHead).values(last_id=0, last_hash=GENESIS_HASH))
        session.commit()
    assert keyless_report(any_app).ok                 # the chain alone is fooled
    report = keyed_report(any_app)
    assert (report.ok, report.entries) == (False, 0)
    assert report.reason.startswith("journal vidé : aucune entrée, alors que le point de contrôle du ")
    assert report.reason.endswith("en atteste 3")


def test_an_edited_entry_is_named(any_app):
    journal_with_three_entries(any_app)
    with any_app.db.sessions() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="quelqu’un d’autre"))
        session.commit()
    for report in (keyless_report(any_app), keyed_report(any_app)):
        assert (report.ok, report.broken_id) == (False, 2)
        assert "contenu modifié" in report.reason


def test_a_deleted_entry_is_named(app):
    journal_with_three_entries(app)
    with app.db.sessions() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == 2))
        session.commit()
    report = keyed_report(app)
    assert (report.ok, report.broken_id, report.reason) == (False, 2, "entrée n° 2 manquante : supprimée du journal")


def test_a_truncated_tail_is_detected_even_by_the_chain_alone(app):
    journal_with_three_entries(app)
    with app.db.sessions() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == 3))
        session.commit()
    assert (keyless_report(app).ok, keyless_report(app).broken_id) == (False, 3)
    assert "journal tronqué" in keyed_report(app).reason


def test_a_head_pointing_elsewhere_is_named(app):
    journal_with_three_entries(app)
    with app.db.sessions() as session:
        session.execute(update(AuditHead).values(last_hash="f" * 64))
        session.commit()
    report = keyed_report(app)
    assert report.broken_id == 4 and report.reason.startswith("tête de chaîne incohérente")


# --- the checkpoints -----------------------------------------------------------------------
def rewrite_checkpoints(app, change):
    path = journal_of(app.settings).checkpoints
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(line) + "\n" for line in change(lines)))


def test_an_altered_checkpoint_is_named(app):
    journal_with_three_entries(app)
    assert keyed_report(app).ok

    def lower_the_count(lines):
        lines[-1]["entries"] = 1
        return lines
    rewrite_checkpoints(app, lower_the_count)
    report = keyed_report(app)
    assert not report.ok and report.problems == (
        f"point de contrôle falsifié ou altéré : ligne 3 de {journal_of(app.settings).checkpoints}, "
        f"signature invalide",)


def test_a_forged_checkpoint_line_is_named(app):
    journal_with_three_entries(app)
    path = journal_of(app.settings).checkpoints
    with path.open("a") as file:
        file.write(json.dumps({"entries": 1, "last_hash": "0" * 64, "at": "2026-12-05T10:00:00+00:00",
                               "key": journal_of(app.settings).key_id, "sig": "a" * 64}) + "\n")
        file.write("pas du JSON\n")
    report = keyed_report(app)
    assert report.problems == (f"point de contrôle falsifié ou altéré : ligne 4 (et 1 autre(s)) de {path}, "
                               f"signature invalide",)


def test_the_wrong_key_is_told_apart_from_a_forgery(app):
    journal_with_three_entries(app)
    other = Journal(b"une autre cle", journal_of(app.settings).checkpoints)
    with app.db.sessions() as session:
        report = other.verify(session)
    assert not report.ok
    assert any(p.startswith("points de contrôle signés par une autre clé") for p in report.problems)
    assert report.reason.startswith("entrée n° 1 réécrite")


def test_a_lost_checkpoint_file_is_named_and_not_silently_started_again(app):
    journal_with_three_entries(app)
    journal = journal_of(app.settings)
    journal.checkpoints.unlink()
    assert keyed_report(app).reason.startswith("aucun point de contrôle dans ")
    with app.db.sessions() as session:
        report, point = journal.checkpoint(session)
    assert point is None and not journal.checkpoints.exists()


def test_checkpoints_survive_concurrent_writers(tmp_path):
    """Threads and processes appending at once: every line whole and signed."""
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor
    journal = Journal(b"k" * 32, tmp_path / "cp.jsonl")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: journal.write_checkpoint(n, "%064x" % n), range(200)))
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_checkpoints, args=(journal, start)) for start in (1000, 2000, 3000)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    valid, problems = journal.read_checkpoints()
    assert problems == [] and len(valid) == 200 + 3 * 100
    assert sorted(p.entries for p in valid) == [*range(200), *range(1000, 1100), *range(2000, 2100),
                                                *range(3000, 3100)]
    assert oct(os.stat(journal.checkpoints).st_mode & 0o777) == "0o600"


def _write_checkpoints(journal, start):
    for n in range(start, start + 100):
        journal.write_checkpoint(n, "%064x" % n)


def test_a_rolled_back_transaction_writes_no_checkpoint(app):
    journal_with_three_entries(app)
    from workflows.services.steps import utc_now
    from workflows.store.uow import UnitOfWork
    journal = journal_of(app.settings)
    with pytest.raises(RuntimeError):
        with UnitOfWork(app.db, write=True) as uow:
            journal.append(uow, at=utc_now().replace(tzinfo=None), actor="admin", role=None, action="essai",
                           summary="jamais écrit")
            raise RuntimeError("abandon")
    assert len(journal_of(app.settings).checkpoints.read_text().splitlines()) == 3
    with UnitOfWork(app.db, write=True) as uow:   # the next commit checkpoints only what it wrote
        journal.append(uow, at=utc_now().replace(tzinfo=None), actor="admin", role=None, action="essai",
                       summary="écrit")
        uow.commit()
    assert json.loads(journal_of(app.settings).checkpoints.read_text().splitlines()[-1])["entries"] == 4
    assert keyed_report(app).ok


def test_a_checkpoint_on_demand_pins_the_verified_head_and_refuses_a_broken_journal(app):
    journal_with_three_entries(app)
    journal = journal_of(app.settings)
    with app.db.sessions() as session:
        report, point = journal.checkpoint(session)
        head = session.get(AuditHead, 1)
    assert report.ok and (point.entries, point.last_hash) == (3, head.last_hash)
    assert len(journal.checkpoints.read_text().splitlines()) == 4
    with app.db.sessions() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 1).values(summary="autre"))
        session.commit()
        report, point = journal.checkpoint(session)
    assert point is None and "contenu modifié" in report.reason
    assert len(journal.checkpoints.read_text().splitlines()) == 4


def test_verifying_while_steps_commit_reports_nothing(any_app):
    """Appends and checkpoints committed during a walk are neither a truncation nor a broken head."""
    import threading
    deploy_xml(any_app, {"a.bpmn": sequence("a", ("t", user_task("t", "Approuver")))})
    done, failures = threading.Event(), []

    def start_many():
        try:
            for n in range(40):
                start_instance(any_app, "a", {"n": n}, ADMIN)
        except Exception as exc:   # pragma: no cover - reported below
            failures.append(exc)
        finally:
            done.set()
    writer = threading.Thread(target=start_many)
    writer.start()
    reports = []
    while not done.is_set():
        reports.append(keyed_report(any_app))
    writer.join()
    reports.append(keyed_report(any_app))
    assert failures == [] and len(reports) > 1
    assert [r.problems for r in reports if not r.ok] == []
    assert (reports[-1].entries, reports[-1].last_checkpoint.entries) == (41, 41)
