"""The use cases the server, the CLI and the jobs call, taking and returning plain values."""
from dataclasses import dataclass, field

from ..config import Settings
from ..engine import Engine, ModelCodeStopped  # noqa: F401 (the server catches it around bounded renderings)
from ..engine.spec_cache import SpecCache
from ..store.db import Database, open_database
from ..store.migrate import upgrade
from .cache import InstanceCache
from .documents import on_step_completed
from .events import Events, StepCompleted
from .storage import open_storage

SCRIPT_FUNCTIONS_REFERENCE = "workflows.model_functions.registry:SCRIPT_FUNCTIONS"


@dataclass
class Conventio:
    """What every use case needs: settings, database, engine, the warm instances, the handlers
    of what the steps publish once committed, and where the generated files are stored."""
    settings: Settings
    db: Database
    engine: Engine
    cache: InstanceCache
    events: Events = field(default_factory=Events)
    storage: object = None

    def close(self):
        self.db.dispose()


def open_conventio(settings=None, migrate=True):
    settings = settings or Settings.from_env()
    db = open_database(settings.database_url, settings.sqlite_synchronous, settings.db_pool_size)
    try:
        storage = open_storage(settings, db)
    except Exception:
        db.dispose()
        raise
    if migrate:
        upgrade(db)
    spec_cache = SpecCache.in_data_dir(settings.data_dir, settings.secret_key) if settings.spec_cache else None
    # Model code runs in worker processes (engine.model_runner), which load the functions by name.
    engine = Engine(functions=SCRIPT_FUNCTIONS_REFERENCE, spec_cache=spec_cache,
                    script_budget_seconds=settings.script_budget_seconds,
                    script_memory_mb=settings.script_memory_mb)
    events = Events()
    events.subscribe(StepCompleted, on_step_completed)
    return Conventio(settings, db, engine, InstanceCache(settings.instance_cache_size), events, storage)
