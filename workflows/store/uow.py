"""A unit of work: one transaction, committed explicitly, rolled back otherwise."""


class UnitOfWork:
    def __init__(self, database, write=False):
        self._factory = database.write_sessions if write else database.sessions
        self.is_sqlite = database.is_sqlite
        self.session = None
        self._committed = False

    def __enter__(self):
        self.session = self._factory()
        return self

    def __exit__(self, exc_type, exc, tb):
        if not self._committed:
            self.session.rollback()
        self.session.close()
        return False

    def commit(self):
        self.session.commit()
        self._committed = True

    def lock(self, query):
        """Add FOR UPDATE where the database has row locks (SQLite locks the whole file)."""
        return query if self.is_sqlite else query.with_for_update()
