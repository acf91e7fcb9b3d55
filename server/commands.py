"""`conventio serve` and `conventio demo`, registered on the CLI group by server/cli.py."""
import logging

import click

from workflows.cli_support import conventio_of as _conventio
from workflows.config import Settings
from workflows.errors import ConventioError
from workflows.roles import role_label
from workflows.services.storage import check_startup


# The address `serve` listens on, and `demo` prints: the same options, the same variables.
HOST = click.option("--host", default="127.0.0.1", show_default=True, envvar="CONVENTIO_HOST", show_envvar=True,
                    help="Adresse d’écoute.")
PORT = click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
                    envvar="CONVENTIO_PORT", show_envvar=True, help="Port d’écoute.")
WILDCARDS = {"0.0.0.0", "::", ""}


@click.command()
@HOST
@PORT
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
@HOST
@PORT
@click.pass_context
def demo(ctx, password, territory, host, port):
    """Crée un territoire de démonstration (un utilisateur par rôle, modèles déployés) et charge
    les cinq déploiements des exemples à des étapes réalistes. Affiche une fois les identifiants
    et l’adresse où « conventio serve » les accueillera (--host/--port comme pour serve)."""
    from .demo import load_demo
    try:
        users, staff, deployed, loaded = load_demo(_conventio(ctx), password=password, territory=territory)
    except ConventioError as exc:
        raise click.ClickException(exc.message) from exc
    created = [d for d in deployed if d.created]
    click.echo(f"Modèles : {len(created)} déployé(s), {len(deployed) - len(created)} déjà à jour.")
    click.echo("Déploiements des exemples (Saint-Martin, La Réunion, Seine-et-Yvelines, hub Antilles-Guyane) : "
               + ("chargés." if loaded else "déjà chargés, rien n’a changé."))
    click.echo("")
    click.echo(f"Comptes de démonstration (territoire principal : {territory}) :")
    click.echo(logins_table(users + staff))
    if any(user.password for user in users + staff):
        click.echo("Notez ces mots de passe : ils ne seront plus affichés.")
    if not all(user.password for user in users + staff):
        click.echo("Mot de passe « inchangé » : le compte existait ; "
                   "conventio users reset-password IDENTIFIANT lui en donne un nouveau.")
    click.echo("")
    click.echo(f"Lancez « conventio serve{_address_options(host, port)} », puis ouvrez "
               f"http://{_shown_host(host)}:{port}/login et connectez-vous avec un des identifiants ci-dessus.")


def logins_table(users):
    """Login, role, territory, password: one line a user, columns aligned, in a console."""
    rows = [("Identifiant", "Rôle", "Territoire", "Mot de passe")]
    rows += [(u.username, role_label(u.role), u.territory, u.password or "inchangé") for u in users]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3] for row in rows]
    lines.insert(1, "  " + "  ".join("-" * width for width in widths) + "  " + "-" * len(rows[0][3]))
    return "\n".join(lines)


def _address_options(host, port):
    """What to give `serve` so that it listens where the demo says (nothing for the defaults)."""
    return (f" --host {host}" if host != "127.0.0.1" else "") + (f" --port {port}" if port != 8000 else "")


def _shown_host(host):
    """Listening on every interface: this machine answers at its loopback address."""
    return "127.0.0.1" if host in WILDCARDS else (f"[{host}]" if ":" in host else host)
