"""A journal written before the key (revision 0006) stays verifiable after migration 0007:
its entries keep their plain chain, are accepted only at the start of the journal, and the
first checkpoint pins them."""
import hashlib
import json
from datetime import datetime

from sqlalchemy import select, text, update

from bpmn_builder import sequence, user_task
from helpers import deploy_xml
from test_audit import keyed_report, rechain_and_fix_head
from workflows.services import open_conventio
from workflows.store.audit import GENESIS_HASH, journal_of
from workflows.store.db import open_database
from workflows.store.migrate import upgrade
from workflows.store.models import AuditEntry


def write_legacy_journal(url, count=3):
    """Entries as the code before the key wrote them: plain SHA-256, no seal."""
    db = open_database(url)
    try:
        upgrade(db, "0006")
        prev = GENESIS_HASH
        with db.write_engine.begin() as connection:
            for entry_id in range(1, count + 1):
                at = datetime(2026, 11, 2, 9, 30, entry_id)
                row = [entry_id, at.isoformat(), "marie", "legal", "decision", None, None,
                       f"décision n° {entry_id}", "{}", prev]
                digest = hashlib.sha256(json.dumps(row, ensure_ascii=False, separators=(",", ":"))
                                        .encode("utf-8")).hexdigest()
                connection.execute(text(
                    "INSERT INTO audit_entry (id, at, actor, role, action, summary, payload, prev_hash, hash) "
                    "VALUES (:id, :at, 'marie', 'legal', 'decision', :summary, '{}', :prev, :hash)"),
                    dict(id=entry_id, at=at, summary=row[7], prev=prev, hash=digest))
                prev = digest
            connection.execute(text("UPDATE audit_head SET last_id = :n, last_hash = :h"), dict(n=count, h=prev))
    finally:
        db.dispose()


def test_entries_older_than_the_key_stay_verifiable_and_the_first_checkpoint_pins_them(any_db_settings):
    write_legacy_journal(any_db_settings.database_url)
    app = open_conventio(any_db_settings)          # migrates to 0007
    try:
        report = keyed_report(app)
        assert report.ok and (report.entries, report.sealed, report.checkpoints) == (3, 0, 0)
        assert report.describe() == ("3 entrée(s) vérifiée(s), 0 scellée(s) et 3 antérieure(s) à la clé, "
                                     "aucun point de contrôle")
        deploy_xml(app, {"a.bpmn": sequence("a", ("t", user_task("t", "Approuver")))})
        report = keyed_report(app)
        assert report.ok and (report.entries, report.sealed, report.last_checkpoint.entries) == (4, 1, 4)

        # Rewriting an old entry and recomputing the chain, unsealing the new one to pass it
        # for old too: the first checkpoint still holds the old hash of entry 4.
        with app.db.sessions() as session:
            session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="paul"))
            session.commit()
            rechain_and_fix_head(session, seal=lambda entry: None)
        report = keyed_report(app)
        assert report.broken_id == 4 and report.reason.startswith(
            "entrée n° 4 réécrite : son empreinte diffère de celle du point de contrôle du ")
    finally:
        app.close()


def test_an_unsealed_entry_after_the_first_checkpoint_is_refused(any_db_settings):
    write_legacy_journal(any_db_settings.database_url)
    app = open_conventio(any_db_settings)
    try:
        journal = journal_of(app.settings)
        with app.db.sessions() as session:              # `conventio audit checkpoint` after the upgrade
            report, point = journal.checkpoint(session)
        assert report.ok and point.entries == 3
        deploy_xml(app, {"a.bpmn": sequence("a", ("t", user_task("t", "Approuver")))})
        with app.db.sessions() as session:
            session.execute(update(AuditEntry).where(AuditEntry.id == 4).values(mac=None))
            session.commit()
            assert session.execute(select(AuditEntry.mac).where(AuditEntry.id == 3)).scalar() is None
        assert keyed_report(app).reason.startswith("entrée n° 4 sans sceau alors qu’elle est postérieure")
    finally:
        app.close()
