"""The audit journal as a whole: its verification and its signed checkpoints."""
from ..store.audit import journal_of


def verify_journal(app):
    """The report of the journal's chain, seals and checkpoints (ok, problems, describe())."""
    with app.db.sessions() as session:
        return journal_of(app.settings).verify(session)


def checkpoint_journal(app):
    """Verify the journal, then append a signed checkpoint outside the database:
    (report, checkpoint or None when the journal is altered, the checkpoints file)."""
    journal = journal_of(app.settings)
    with app.db.sessions() as session:
        report, point = journal.checkpoint(session)
    return report, point, journal.checkpoints
