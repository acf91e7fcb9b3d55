"""Database engines for SQLite (embedded default) and PostgreSQL."""
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker


@dataclass
class Database:
    url: str
    engine: Engine          # reads
    write_engine: Engine    # steps: on SQLite every transaction takes the write lock first
    sessions: sessionmaker
    write_sessions: sessionmaker

    @property
    def is_sqlite(self):
        return self.engine.dialect.name == "sqlite"

    def dispose(self):
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


SQLITE_BUSY_SECONDS = 30


def _sqlite_engine(url, immediate, synchronous):
    pool = {}
    if immediate and make_url(url).database not in (None, "", ":memory:"):
        # One writer at a time in the whole file: the threads of a process wait for the write
        # connection in the pool's queue, in order, instead of in SQLite's busy handler, which
        # sleeps up to 100 ms between tries and lets a late comer overtake (seconds of p99 under
        # load). Processes still meet at BEGIN IMMEDIATE, one thread each.
        pool = {"pool_size": 1, "max_overflow": 0, "pool_timeout": SQLITE_BUSY_SECONDS}
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}, **pool)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Let SQLAlchemy (not pysqlite) decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A deferred transaction that reads then writes fails with SQLITE_BUSY when another
        # writer committed in between; steps take the write lock up front instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


# A database host that drops packets must give an error, not a request that hangs: libpq
# waits forever by default. Each bound can be overridden in the URL's query string.
NETWORK_BOUNDS = {
    "connect_timeout": 10,                  # seconds to open a connection
    "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
    "tcp_user_timeout": 30_000,             # ms for data sent and not acknowledged
}


PG_OVERFLOW = 4           # connections opened beyond the pool at a peak, closed after
PREPARE_THRESHOLD = 2     # psycopg's default is 5; the steps' statements repeat for the pool's life


def _network_bounds(parsed):
    if not parsed.get_backend_name().startswith("postgresql"):
        return {}
    return {name: value for name, value in NETWORK_BOUNDS.items() if name not in parsed.query}


def open_database(url, sqlite_synchronous="FULL", pool_size=None):
    """`pool_size`: PostgreSQL connections kept per process (None: SQLAlchemy's 5), plus a few
    more opened at a peak; size it to the process's threads, so that every server process's
    pool fits in the server's max_connections."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = _sqlite_engine(url, immediate=False, synchronous=sqlite_synchronous)
        write_engine = _sqlite_engine(url, immediate=True, synchronous=sqlite_synchronous)
    else:
        # psycopg 3 prepares on the server every statement a connection runs PREPARE_THRESHOLD times.
        pool = {} if pool_size is None else {"pool_size": pool_size, "max_overflow": PG_OVERFLOW}
        engine = write_engine = create_engine(url, pool_pre_ping=True, **pool,
                                              connect_args={**_network_bounds(parsed),
                                                            "prepare_threshold": PREPARE_THRESHOLD})
    return Database(
        url=url, engine=engine, write_engine=write_engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        write_sessions=sessionmaker(write_engine, expire_on_commit=False),
    )
