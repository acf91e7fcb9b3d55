"""`conventio worker`, `conventio beat` and `conventio jobs …` (registered by server/cli.py).

Arguments after the command go to Celery as they are, e.g. `conventio worker -c 4 --pool prefork`.
"""
import json

import click

from ..config import Settings
from ..cli_support import conventio_of, fails_in_french
from .settings import JobSettings

CELERY_ARGS = dict(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})


def _broker_app():
    from ..services.storage import check_startup
    from .celery_app import make_celery
    jobs, settings = JobSettings.from_env().require_broker(), Settings.from_env()
    check_startup(settings)
    return make_celery(settings, jobs)


@click.command(**CELERY_ARGS)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@fails_in_french
def worker(celery_args):
    """Démarre un worker Celery (tâches de fond) avec la configuration Conventio."""
    _broker_app().worker_main(["worker", "--loglevel=INFO", *celery_args])


@click.command(**CELERY_ARGS)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@fails_in_french
def beat(celery_args):
    """Démarre l’ordonnanceur Celery beat (minuteurs, relances, indicateurs) : un seul par installation."""
    app = _broker_app()
    schedule = Settings.from_env().data_dir / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    app.start(["beat", "--loglevel=INFO", f"--schedule={schedule}", *celery_args])


@click.group()
def jobs():
    """Tâches de fond : suivi des exécutions."""



@jobs.command("failed")
@click.option("--limit", default=50, show_default=True, help="Nombre maximal de tâches affichées.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.pass_context
@fails_in_french
def jobs_failed(ctx, limit, as_json):
    """Tâches de fond en échec (après leurs nouvelles tentatives), avec leur erreur."""
    from .runs import failed_runs
    rows = failed_runs(conventio_of(ctx).db, limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        click.echo("Aucune tâche de fond en échec.")
    else:
        timezone = JobSettings.from_env().timezone
        for row in rows:
            click.echo(_describe_failure(row, timezone))


def _describe_failure(run, timezone):
    from datetime import datetime

    from .messages import local_time
    from .tasks import JOB_LABELS
    arguments = ", ".join([*map(str, run["arguments"]["args"]),
                           *(f"{k}={v}" for k, v in run["arguments"]["kwargs"].items() if v is not None)])
    failed_at = local_time(datetime.fromisoformat(run["finished_at"] or run["updated_at"]), timezone)
    return (f"n° {run['id']}  {JOB_LABELS.get(run['name'], run['name'])} ({arguments or 'sans argument'})  "
            f"{run['attempts']} essai(s), en échec depuis le {failed_at}\n    erreur : {run['last_error']}")
