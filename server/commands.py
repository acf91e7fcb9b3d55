"""`conventio serve` and `conventio demo`, registered on the CLI group by server/cli.py."""
import logging

import click

from workflows.cli_support import conventio_of as _conventio
from workflows.config import Settings
from workflows.errors import ConventioError
from workflows.roles import role_label
from workflows.services.storage import check_startup


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d’écoute.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port d’écoute.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Requêtes traitées en parallèle (par processus).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processus serveurs : au-delà d’un, gunicorn les lance et les relance (un par cœur).")
@click.option("--no-timers", is_flag=True, help="Ne pas déclencher les minuteurs ici (Celery s’en charge).")
@click.pass_context
def serve(ctx, host, port, threads, workers, no_timers):
    """Lance le serveur web (waitress ; gunicorn avec --workers) et le déclenchement des minuteurs échus."""
    from workflows.jobs.embedded import start_embedded_jobs
    check_startup(Settings.from_env())   # before anything: one French line saying what to set
    conventio = _conventio(ctx)   # first: a database out of reach is one line, before any log
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    click.echo(f"Conventio sur http://{host}:{port}/ (base : {conventio.settings.database_url})")
    if workers > 1:
        from .workers import ServerProcesses
        conventio.close()   # the workers open their own after the fork; nothing shared across it
        ServerProcesses(conventio.settings, host, port, workers, threads,
                        None if no_timers else start_embedded_jobs).run()
        return
    _serve_one(conventio, host, port, threads, None if no_timers else start_embedded_jobs)


def _serve_one(conventio, host, port, threads, start_jobs):
    import waitress

    from . import create_app
    app = create_app(conventio=conventio)
    # Embedded default: a Celery worker and beat inside this process, no broker to start.
    timers = None if start_jobs is None else start_jobs(conventio)
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="Conventio")
    finally:
        if timers is not None:
            timers.stop()


@click.command()
@click.option("--password", default=None, help="Mot de passe commun aux comptes créés (sinon tirés au hasard).")
@click.option("--territory", default="cap-nord", show_default=True, help="Territoire de démonstration.")
@click.pass_context
def demo(ctx, password, territory):
    """Crée un territoire de démonstration (un utilisateur par rôle, modèles déployés) et charge
    les cinq déploiements des exemples à des étapes réalistes."""
    from .demo import load_demo
    try:
        users, staff, deployed, loaded = load_demo(_conventio(ctx), password=password, territory=territory)
    except ConventioError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Territoire de démonstration : {territory}")
    _echo_users(users)
    click.echo("Déploiements des exemples (Saint-Martin, La Réunion, Seine-et-Yvelines, hub Antilles-Guyane) :")
    _echo_users(staff)
    created = [d for d in deployed if d.created]
    click.echo(f"Modèles : {len(created)} déployé(s), {len(deployed) - len(created)} déjà à jour.")
    click.echo("Déploiements : chargés." if loaded else "Déploiements : déjà chargés, rien n’a changé.")
    click.echo("Connectez-vous : conventio serve, puis http://127.0.0.1:8000/login "
               "avec un des identifiants ci-dessus.")


def _echo_users(users):
    for user in users:
        state = f"mot de passe : {user.password}" if user.password else "existe déjà (mot de passe inchangé)"
        click.echo(f"  {user.username:<20} {role_label(user.role):<28} {state}")
