"""Settings read from CONVENTIO_* environment variables, once, by the entry point."""
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
AUDIT_KEY_FILE = "audit_key"
AUDIT_CHECKPOINTS_FILE = "audit-checkpoints.jsonl"
STARTER_ROLES = "director,dgs,legal,admin"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    bpmn_dir: Path
    sqlite_synchronous: str = "FULL"
    instance_cache_size: int = 500
    db_pool_size: int | None = None           # PostgreSQL connections per process (None: 5; serve: its threads)
    spec_cache: bool = True
    documents_dir: Path | None = None
    document_storage: str = "local"           # local, directory (CONVENTIO_DOCUMENTS_DIR) or database
    secret_key: str = ""
    broker_url: str = ""                      # empty: jobs run inside `conventio serve`
    script_budget_seconds: float = 5.0
    script_memory_mb: int = 512               # memory a model's code may allocate (its worker's address space)
    audit_key: str = ""                       # empty: DATA_DIR/audit_key, generated once
    audit_checkpoints: Path | None = None     # None: DATA_DIR/audit-checkpoints.jsonl
    audit_syslog: bool = False
    starter_roles: frozenset = frozenset(STARTER_ROLES.split(","))   # who may start an instance
    attachment_max_mb: int = 10               # largest file a user may attach to a task

    @classmethod
    def from_env(cls, env=None, **overrides):
        env = os.environ if env is None else env
        data_dir = Path(env.get("CONVENTIO_DATA_DIR", "conventio-data")).resolve()
        settings = cls(
            data_dir=data_dir,
            database_url=env.get("CONVENTIO_DATABASE_URL") or f"sqlite:///{data_dir / 'conventio.db'}",
            bpmn_dir=Path(env.get("CONVENTIO_BPMN_DIR", PROJECT_ROOT / "bpmn")),
            sqlite_synchronous=env.get("CONVENTIO_SQLITE_SYNCHRONOUS", "FULL").upper(),
            instance_cache_size=int(env.get("CONVENTIO_INSTANCE_CACHE", "500")),
            db_pool_size=int(env["CONVENTIO_DB_POOL_SIZE"]) if env.get("CONVENTIO_DB_POOL_SIZE") else None,
            spec_cache=env.get("CONVENTIO_SPEC_CACHE", "1") != "0",
            documents_dir=Path(env["CONVENTIO_DOCUMENTS_DIR"]) if env.get("CONVENTIO_DOCUMENTS_DIR") else None,
            document_storage=env.get("CONVENTIO_DOCUMENT_STORAGE", "local").strip().lower() or "local",
            secret_key=env.get("CONVENTIO_SECRET_KEY", ""),
            broker_url=env.get("CONVENTIO_BROKER_URL", ""),
            script_budget_seconds=float(env.get("CONVENTIO_SCRIPT_BUDGET", "5")),
            script_memory_mb=int(env.get("CONVENTIO_SCRIPT_MEMORY_MB", "512")),
            audit_key=env.get("CONVENTIO_AUDIT_KEY", ""),
            audit_checkpoints=(Path(env["CONVENTIO_AUDIT_CHECKPOINTS"]).resolve()
                               if env.get("CONVENTIO_AUDIT_CHECKPOINTS") else None),
            audit_syslog=env.get("CONVENTIO_AUDIT_SYSLOG", "0") == "1",
            starter_roles=frozenset(_split(env.get("CONVENTIO_STARTER_ROLES", STARTER_ROLES))),
            attachment_max_mb=int(env.get("CONVENTIO_ATTACHMENT_MAX_MB", "10")),
        )
        return replace(settings, **overrides)

    def journal_key(self):
        """The audit journal's key: CONVENTIO_AUDIT_KEY, else a file of the data dir, never the database."""
        return self.audit_key or persisted_key(self.data_dir, AUDIT_KEY_FILE)

    def journal_checkpoints(self):
        return self.audit_checkpoints or self.data_dir / AUDIT_CHECKPOINTS_FILE


def _split(text):
    return [part.strip() for part in text.split(",") if part.strip()]


def persisted_key(data_dir, name):
    """A random key kept in the file `name` of `data_dir`, created on first use (readable by its owner only)."""
    data_dir = Path(data_dir)
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Written whole under a private name, then linked: no process ever reads a half-written key.
    draft = data_dir / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(key)
            file.flush()
            os.fsync(file.fileno())
        os.link(draft, path)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip()
    finally:
        draft.unlink(missing_ok=True)
    return key
