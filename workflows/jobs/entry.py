"""`celery -A workflows.jobs.entry worker|beat`: an entry point, so it reads the environment.

`conventio worker` and `conventio beat` do the same with the Conventio command line.
"""
from ..config import Settings
from .celery_app import make_celery
from .settings import JobSettings

app = make_celery(Settings.from_env(), JobSettings.from_env().require_broker())
