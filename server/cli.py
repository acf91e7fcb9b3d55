"""The `conventio` command line: every use case usable from the shell."""
import getpass
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from workflows.cli_support import conventio_of, fails_in_french
from workflows.errors import InvalidData

from .cli_shared import DATA_HELP, _as_option, _data_argument, _json_option, _parse_json, _print, acting, shell_actor  # noqa: F401
from .cli_usage import FrenchUsage, in_french


class FrenchErrors(click.Group):
    """Whatever a command lets escape (database unreachable, a number too large, a bug) is one
    French line on stderr and exit 1, never a traceback; CONVENTIO_DEBUG=1 shows the traceback.
    Click's usage errors (a missing argument, an unknown option) are one French line too, with
    the command that shows the help, and exit 2 (server/cli_usage.py)."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.ClickException as exc:      # the root's own options: `conventio --foo`
            raise in_french(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise in_french(exc) from None
        except (click.Abort, KeyboardInterrupt):
            raise FrenchUsage("interrompu.", exit_code=1) from None
        except Exception as exc:
            if isinstance(exc, click.exceptions.Exit) or os.environ.get("CONVENTIO_DEBUG"):
                raise
            click.echo(f"Erreur : {describe_failure(exc)}", err=True)
            ctx.exit(1)


def describe_failure(exc):
    from sqlalchemy.exc import DataError
    from workflows.errors import ConventioError
    from .http import DATABASE_UNAVAILABLE, first_line
    reason = first_line(exc)
    if isinstance(exc, ConventioError):
        return exc.message
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return f"base de données indisponible ({_database_shown()}) : {reason}"
    if isinstance(exc, DataError):
        return f"valeur hors des limites de la base de données ({reason})."
    if isinstance(exc, OverflowError):
        return "nombre trop grand."
    if isinstance(exc, UnicodeError):
        return "texte illisible : caractère invalide (UTF-8 attendu)."
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}" + (f" : {exc.filename}" if exc.filename else "") + "."
    return f"erreur inattendue ({type(exc).__name__}) : {reason}"


def _database_shown():
    from sqlalchemy.engine import make_url
    from workflows.config import Settings
    try:
        return make_url(Settings.from_env().database_url).render_as_string(hide_password=True)
    except Exception:
        return "CONVENTIO_DATABASE_URL"


@click.group(cls=FrenchErrors)
@click.pass_context
def main(ctx):
    """Conventio : moteur de workflow BPMN des conventions et achats des collectivités."""
    ctx.call_on_close(lambda: ctx.obj.close() if ctx.obj is not None else None)


# --- database -----------------------------------------------------------------------
@main.group()
def db():
    """Base de données."""


@db.command("upgrade")
@click.pass_context
@fails_in_french
def db_upgrade(ctx):
    """Applique les migrations (crée la base si besoin)."""
    from workflows.services.schema import schema_revision
    app = conventio_of(ctx)
    click.echo(f"Base à jour (révision {schema_revision(app)}) : {app.settings.database_url}")


# --- models -------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_as_option()
@click.pass_context
@fails_in_french
def deploy(ctx, paths, username):
    """Déploie les modèles BPMN/DMN (par défaut le dossier bpmn/)."""
    from workflows.services.deploy import deploy_paths
    app = conventio_of(ctx)
    results = deploy_paths(app, paths or [str(app.settings.bpmn_dir)], acting(app, username))
    for item in results:
        state = "déployé" if item.created else "inchangé"
        click.echo(f"{item.process_id} v{item.version} : {state}")
        for warning in item.warnings:
            click.echo(f"  avertissement : {warning}", err=True)


@main.group()
def processes():
    """Modèles de processus déployés."""


@processes.command("list")
@_json_option
@click.pass_context
@fails_in_french
def processes_list(ctx, as_json):
    from workflows.services.deploy import list_definitions
    rows = list_definitions(conventio_of(ctx))
    _print(rows, as_json, [("process_id", "PROCESSUS"), ("version", "VERSION"), ("name", "NOM"),
                           ("deployed_at", "DÉPLOYÉ LE")])


# --- instances ----------------------------------------------------------------------
@main.group()
def instances():
    """Instances de processus."""


@instances.command("start")
@click.argument("process_id")
@click.option("--data", default="{}", help=f"Données de départ ({DATA_HELP}).")
@click.option("--territory", default=None,
              help="Territoire de l’instance (par défaut, celui de l’utilisateur s’il n’en a qu’un).")
@click.option("--version", type=int, default=None, help="Version du modèle (la dernière par défaut).")
@_as_option("Utilisateur qui démarre (par défaut : la console, administrateur).")
@_json_option
@click.pass_context
@fails_in_french
def instances_start(ctx, process_id, data, territory, version, username, as_json):
    from workflows.services.instances import start_instance
    app = conventio_of(ctx)
    result = start_instance(app, process_id, _data_argument(data), acting(app, username), territory=territory,
                            version=version)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Instance n° {result['id']} démarrée ({result['process_id']} v{result['version']}) : "
                   f"{result['status']}")


@instances.command("list")
@click.option("--status", default=None)
@click.option("--process", "process_id", default=None)
@_json_option
@click.pass_context
@fails_in_french
def instances_list(ctx, status, process_id, as_json):
    from workflows.services.instances import list_instances
    rows = list_instances(conventio_of(ctx), shell_actor(), status=status, process_id=process_id)
    _print(rows, as_json, [("id", "N°"), ("process_id", "PROCESSUS"), ("status", "ÉTAT"),
                           ("territory", "TERRITOIRE"), ("started_at", "DÉMARRÉE LE"),
                           ("next_timer_at", "PROCHAIN MINUTEUR")])


@instances.command("show")
@click.argument("instance_id", type=int)
@_as_option("Utilisateur qui consulte (par défaut : la console, qui voit tout).")
@_json_option
@click.pass_context
@fails_in_french
def instances_show(ctx, instance_id, username, as_json):
    from workflows.services.instances import get_instance
    app = conventio_of(ctx)
    result = get_instance(app, instance_id, acting(app, username))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"Instance n° {result['id']} — {result['title']} ({result['process_id']} v{result['version']})")
    click.echo(f"État : {result['status']}" + (f" — {result['error']}" if result["error"] else ""))
    click.echo("Tâches ouvertes :")
    for task in result["open_tasks"] or [{"name": "(aucune)"}]:
        click.echo(f"  {task.get('id', '')}  {task['name']}  {task.get('role_label') or ''}")
    for waiting in result["waiting"]:
        click.echo(f"  en attente : {waiting['name']} (échéance {waiting['due_at'] or '—'})")
    click.echo("Historique :")
    for entry in result["history"]:
        click.echo(f"  {entry['at']}  {entry['actor']}  {entry['summary']}")


# --- tasks --------------------------------------------------------------------------
@main.group()
def tasks():
    """Tâches humaines."""


@tasks.command("list")
@click.option("--instance", "instance_id", type=int, default=None)
@click.option("--role", default=None)
@_as_option("Utilisateur dont on liste les tâches (par défaut : la console, administrateur).")
@_json_option
@click.pass_context
@fails_in_french
def tasks_list(ctx, instance_id, role, username, as_json):
    from workflows.services.tasks import list_tasks
    app = conventio_of(ctx)
    rows = list_tasks(app, acting(app, username), instance_id=instance_id, role=role)
    _print(rows, as_json, [("id", "TÂCHE"), ("instance_id", "INSTANCE"), ("name", "NOM"),
                           ("role", "RÔLE"), ("due_at", "ÉCHÉANCE")])


@tasks.command("show")
@click.argument("task_id")
@_as_option()
@click.pass_context
@fails_in_french
def tasks_show(ctx, task_id, username=None):
    from workflows.services.tasks import get_task
    app = conventio_of(ctx)
    task = get_task(app, task_id, acting(app, username))
    # As the task page shows them (Markdown over the task's data), in plain text.
    task["instructions"] = _instructions_text(task)
    click.echo(json.dumps(task, ensure_ascii=False, indent=2))


@tasks.command("complete")
@click.argument("task_id")
@click.option("--data", default="{}", help=f"Données du formulaire ({DATA_HELP}).")
@click.option("--as", "username", required=True, help="Utilisateur qui agit.")
@click.pass_context
@fails_in_french
def tasks_complete(ctx, task_id, data, username):
    """Termine une tâche. Code de sortie 3 quand les contrôles du processus renvoient l’étape pour
    correction (la raison sur la sortie d’erreur) ; une saisie après l’échéance légale est acceptée
    avec un avertissement."""
    from workflows.services.tasks import complete_task
    from workflows.services.users import get_actor
    app = conventio_of(ctx)
    who = get_actor(app, username)
    result = complete_task(app, task_id, _data_argument(data), who)
    if result["late"]:
        click.echo(f"Attention : {result['late']['message']}", err=True)
    if result["sent_back"]:
        click.echo(f"Erreur : {_sent_back_line(app, result['sent_back'], who)}", err=True)
        sys.exit(SENT_BACK_EXIT)
    click.echo(f"Tâche terminée. Instance n° {result['instance_id']} : {result['status']}")
    for task in result["next_tasks"]:
        click.echo(f"  à faire : {task['id']}  {task['name']}  {task['role'] or ''}")


SENT_BACK_EXIT = 3


def _sent_back_line(app, returned, who):
    """French lines: the step to take up again and why (its instructions, as the page shows them),
    then each reason under the label of the field it concerns, as the form shows it."""
    from workflows.services.form_checks import field_labels
    from workflows.services.tasks import get_task
    task = get_task(app, returned["id"], who)
    reason = _instructions_text(task)
    line = (f"étape renvoyée pour correction par les contrôles du processus : « {returned['name']} » est à "
            f"reprendre (tâche {returned['id']})" + (f". {' '.join(reason.split())}" if reason else "."))
    fields = field_labels(task["form"], returned.get("field_errors") or {})
    return "\n".join([line] + [f"  {label} : {text}" for label, text in fields])


def _instructions_text(task):
    from server.instructions import instructions_as_text, render_instructions
    return instructions_as_text(render_instructions(task.get("instructions"), task.get("data")))


@tasks.command("claim")
@click.argument("task_id")
@click.option("--as", "username", required=True, help="Utilisateur qui prend la tâche.")
@click.pass_context
@fails_in_french
def tasks_claim(ctx, task_id, username):
    """Prend une tâche de la file de son rôle."""
    from workflows.services.assignments import claim_task
    from workflows.services.users import get_actor
    app = conventio_of(ctx)
    claimed = claim_task(app, task_id, get_actor(app, username))
    click.echo(f"Tâche {claimed['task_id']} prise par « {claimed['claimed_by']} ».")


@tasks.command("release")
@click.argument("task_id")
@_as_option("Utilisateur qui la rend (par défaut : la console, administrateur).")
@click.pass_context
@fails_in_french
def tasks_release(ctx, task_id, username):
    """Remet une tâche prise dans la file de son rôle."""
    from workflows.services.assignments import release_task
    app = conventio_of(ctx)
    release_task(app, task_id, acting(app, username))
    click.echo(f"Tâche {task_id} remise dans la file.")


@tasks.command("attach")
@click.argument("task_id")
@click.argument("file")
@click.option("--as", "username", required=True, help="Utilisateur qui joint le fichier (qui peut agir sur la tâche).")
@click.pass_context
@fails_in_french
def tasks_attach(ctx, task_id, file, username):
    """Joint un fichier (PDF, image, document bureautique) à une tâche à faire."""
    from workflows.services.attachments import attach_file
    from workflows.services.users import get_actor
    app = conventio_of(ctx)
    who = get_actor(app, username)
    try:
        content = Path(file).read_bytes()
    except OSError as exc:
        raise InvalidData(f"Fichier illisible ({exc.strerror} : {file}).", {"file": "illisible"}) from None
    attached = attach_file(app, task_id, Path(file).name, content, who)
    click.echo(f"Pièce jointe n° {attached['id']} : {attached['name']} ({attached['size_text']}, "
               f"{attached['media_type']})")


@tasks.command("attachments")
@click.argument("task_id")
@_json_option
@click.pass_context
@fails_in_french
def tasks_attachments(ctx, task_id, as_json):
    """Les pièces jointes d’une tâche."""
    from workflows.services.attachments import list_attachments
    rows = list_attachments(conventio_of(ctx), shell_actor(), task_id=task_id)
    _print(rows, as_json, [("id", "N°"), ("name", "FICHIER"), ("size_text", "TAILLE"), ("created_by", "PAR"),
                           ("created_at", "LE"), ("checksum", "EMPREINTE")])


# --- timers and audit ---------------------------------------------------------------
@main.group()
def timers():
    """Minuteurs BPMN (délais légaux, relances)."""


@timers.command("run-due")
@click.option("--now", default=None, help="Instant de référence ISO 8601 (par défaut : maintenant).")
@click.pass_context
@fails_in_french
def timers_run_due(ctx, now):
    from workflows.services.timers import run_due_timers
    moment = None
    if now:
        try:
            moment = datetime.fromisoformat(now)
        except ValueError:
            raise click.BadParameter("date ISO 8601 attendue", param_hint="--now")
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    report = run_due_timers(conventio_of(ctx), now=moment)
    click.echo(f"{report['fired']} minuteur(s) déclenché(s) dans {len(report['instances'])} instance(s).")
    for failure in report["failed"]:
        click.echo(f"Échec, instance n° {failure['instance_id']} : {failure['error']}", err=True)
    if report["failed"]:
        sys.exit(1)


@main.group()
def audit():
    """Journal d’audit."""


def _report_problems(report):
    for problem in report.problems:
        click.echo(f"Journal altéré : {problem}", err=True)


@audit.command("verify")
@click.pass_context
@fails_in_french
def audit_verify(ctx):
    """Vérifie le chaînage, les sceaux (clé du journal) et les points de contrôle."""
    from workflows.services.audit import verify_journal
    report = verify_journal(conventio_of(ctx))
    _report_problems(report)
    if not report.ok:
        sys.exit(1)
    click.echo(f"Journal intègre : {report.describe()}.")


@audit.command("checkpoint")
@click.pass_context
@fails_in_french
def audit_checkpoint(ctx):
    """Vérifie le journal puis ajoute un point de contrôle signé, hors de la base."""
    from workflows.services.audit import checkpoint_journal
    report, point, checkpoints = checkpoint_journal(conventio_of(ctx))
    _report_problems(report)
    if point is None:
        click.echo("Point de contrôle refusé : le journal est altéré.", err=True)
        sys.exit(1)
    click.echo(f"Point de contrôle écrit dans {checkpoints} : {point.entries} entrée(s), "
               f"dernière empreinte {point.last_hash[:16]}…")


# --- documents ----------------------------------------------------------------------
@main.group()
def documents():
    """Documents générés (actes, conventions, courriers)."""


@documents.command("render")
@click.argument("template")
@click.option("--data", "data_text", required=True, help=f"Données ({DATA_HELP}).")
@click.option("--out", required=True, type=click.Path(), help="Fichier produit (.docx, ou .pdf via LibreOffice).")
@click.option("--destinataire", "recipient", default=None,
              help="Pour un document établi par destinataire (lettre de rejet) : le candidat évincé.")
@fails_in_french
def documents_render(template, data_text, out, recipient):
    """Produit un document à partir d’un modèle, hors de toute instance."""
    from workflows.services.templates import render_template_file
    path = render_template_file(template, _data_argument(data_text), out, recipient=recipient or None)
    click.echo(f"Document écrit : {path}")


@documents.command("generate")
@click.argument("instance_id", type=int)
@click.argument("template")
@click.option("--as", "username", required=True, help="Utilisateur (service juridique).")
@click.option("--pdf", is_flag=True, help="Produit aussi le PDF.")
@click.option("--destinataire", "recipient", default=None,
              help="Pour un document établi par destinataire (lettre de rejet : un candidat évincé), "
                   "celui-là seulement ; sinon un document par destinataire.")
@click.pass_context
@fails_in_french
def documents_generate(ctx, instance_id, template, username, pdf, recipient):
    """Génère (ou régénère) un document d’une instance."""
    from workflows.services.documents import generate_documents
    from workflows.services.users import get_actor
    app = conventio_of(ctx)
    for result in generate_documents(app, instance_id, template, get_actor(app, username), pdf=pdf,
                                     recipient=recipient or None):
        click.echo(f"Document n° {result['id']} : {result['title']} (version {result['revision']})")
        if result["pdf_note"]:
            click.echo(f"  {result['pdf_note']}", err=True)


@documents.command("list")
@click.argument("instance_id", type=int)
@_as_option("Utilisateur qui consulte (par défaut : la console, qui voit tout).")
@_json_option
@click.pass_context
@fails_in_french
def documents_list(ctx, instance_id, username, as_json):
    from workflows.services.documents import list_documents
    app = conventio_of(ctx)
    rows = list_documents(app, instance_id, acting(app, username))
    _print(rows, as_json, [("id", "N°"), ("template", "MODÈLE"), ("recipient", "DESTINATAIRE"),
                           ("revision", "VERSION"), ("created_by", "PAR"), ("created_at", "LE"),
                           ("reason", "MOTIF"), ("checksum", "EMPREINTE")])


@documents.command("download")
@click.argument("document_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Fichier à écrire.")
@click.option("--pdf", is_flag=True, help="Le PDF plutôt que le document Word.")
@_as_option("Utilisateur qui télécharge (par défaut : la console, qui voit tout).")
@click.pass_context
@fails_in_french
def documents_download(ctx, document_id, out, pdf, username):
    """Enregistre un document généré dans un fichier (vérifié contre son empreinte)."""
    from workflows.services.documents import document_file
    app = conventio_of(ctx)
    content, name, _media_type = document_file(app, document_id, acting(app, username), as_pdf=pdf)
    Path(out).write_bytes(content)
    click.echo(f"Document n° {document_id} enregistré dans {out} ({name}).")


@documents.command("move")
@click.option("--to", "to", required=True, help="Stockage de destination : database ou directory.")
@click.option("--dir", "directory", default=None, help="Avec --to directory : le répertoire de destination.")
@click.pass_context
@fails_in_french
def documents_move(ctx, to, directory):
    """Copie les documents vers un autre stockage et les vérifie ; rien n’est supprimé."""
    from workflows.services.storage import move_documents
    moved = move_documents(conventio_of(ctx), to, directory)
    settings = " ".join(f"{name}={value}" for name, value in moved["settings"].items())
    click.echo(f"{moved['copied']} fichier(s) copié(s) et vérifié(s) : {moved['source']} → {moved['target']}.")
    click.echo(f"Réglez maintenant {settings} sur chaque serveur, worker et beat, puis redémarrez-les "
               f"(relancez d’abord cette commande si des documents ont été générés entre-temps). "
               f"Rien n’a été supprimé de : {moved['source']} ; effacez-le une fois la bascule vérifiée.")


@main.group()
def templates():
    """Modèles de documents."""


@templates.command("check")
def templates_check():
    """Vérifie que chaque modèle n’utilise que des variables fournies par son contexte."""
    from workflows.services.templates import check_templates
    report = check_templates()
    click.echo(report.as_text())
    sys.exit(0 if report.ok else 1)


# --- users --------------------------------------------------------------------------
@main.group()
def users():
    """Comptes utilisateurs locaux."""


@users.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="Rôle (répétable).")
@click.option("--territory", "territories", multiple=True, help="Territoire (répétable).")
@click.option("--name", "display_name", default=None, help="Nom affiché.")
@click.option("--organisation", default=None,
              help="Organisation d’un partenaire extérieur (« CCAS de Trinité ») : il n’en voit que les tâches.")
@click.option("--password-stdin", is_flag=True, help="Lit le mot de passe sur l’entrée standard.")
@click.option("--as", "by_username", default=None, help="Administrateur qui agit (par défaut : la console).")
@click.pass_context
@fails_in_french
def users_add(ctx, username, roles, territories, display_name, organisation, password_stdin, by_username):
    from workflows.services.users import add_user
    app = conventio_of(ctx)
    by = acting(app, by_username)
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    add_user(app, username, roles, territories, password, display_name, by=by, organisation=organisation)
    click.echo(f"Utilisateur « {username} » créé ({', '.join(roles)}).")


@users.command("reset-password")
@click.argument("username")
@click.option("--as", "by_username", default=None, help="Administrateur qui agit (par défaut : la console).")
@click.pass_context
@fails_in_french
def users_reset_password(ctx, username, by_username):
    """Donne un nouveau mot de passe à un compte local (lu sur l’entrée standard, une ligne) ; ses
    sessions et jetons d’API sont fermés."""
    from workflows.services.users import reset_password
    app = conventio_of(ctx)
    by = acting(app, by_username)
    if sys.stdin.isatty():
        password = getpass.getpass("Nouveau mot de passe : ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    ended = reset_password(app, username, password, by)
    click.echo(f"Mot de passe de « {username} » réinitialisé ; {ended} session(s) ou jeton(s) fermé(s).")


@users.command("list")
@_json_option
@_as_option("Administrateur qui consulte (par défaut : la console).")
@click.pass_context
@fails_in_french
def users_list(ctx, as_json, username):
    from workflows.services.users import list_users
    app = conventio_of(ctx)
    rows = [dict(u, roles=",".join(u["roles"]), territories=",".join(u["territories"]))
            for u in list_users(app, acting(app, username))]
    _print(rows, as_json, [("username", "IDENTIFIANT"), ("display_name", "NOM"), ("roles", "RÔLES"),
                           ("organisation", "ORGANISATION"), ("territories", "TERRITOIRES"), ("active", "ACTIF")])


@users.command("disable")
@click.argument("username")
@click.option("--as", "by_username", default=None, help="Administrateur qui agit (par défaut : la console).")
@click.pass_context
@fails_in_french
def users_disable(ctx, username, by_username):
    from workflows.services.users import set_active
    app = conventio_of(ctx)
    set_active(app, username, False, acting(app, by_username))
    click.echo(f"Utilisateur « {username} » désactivé.")


@users.command("sign-out")
@click.argument("username")
@click.option("--as", "by_username", default=None, help="Administrateur qui agit (par défaut : la console).")
@click.pass_context
@fails_in_french
def users_sign_out(ctx, username, by_username):
    """Ferme toutes les sessions et tous les jetons d’API d’un utilisateur."""
    from workflows.services.logins import sign_out_user
    app = conventio_of(ctx)
    ended = sign_out_user(app, username, acting(app, by_username))
    click.echo(f"Utilisateur « {username} » déconnecté partout : {ended} session(s) ou jeton(s) fermé(s).")


# --- territories --------------------------------------------------------------------
@main.group()
def territories():
    """Territoires et regroupements (opérateurs, hubs)."""


@territories.command("add")
@click.argument("code")
@click.option("--name", required=True, help="Nom (« Communauté d’agglomération du Pays Nord Martinique »).")
@click.option("--kind", required=True, help="Type : commune, EPCI, département, région, collectivité "
                                              "d’outre-mer, syndicat mixte, service de l’État, association.")
@click.option("--population", default=None, help="Population (habitants).")
@click.option("--year", "population_year", default=None, help="Année de la population (recensement).")
@click.option("--time-zone", default=None, help="Fuseau horaire (America/Martinique…) ; déduit du code sinon.")
@click.option("--operator", default=None, help="Territoire qui agit pour celui-ci (syndicat mixte…).")
@click.option("--hub", "hubs", multiple=True, help="Territoire qui l’observe (hub ; répétable).")
@_as_option("Administrateur qui agit (par défaut : la console).")
@click.pass_context
@fails_in_french
def territories_add(ctx, code, name, kind, population, population_year, time_zone, operator, hubs, username):
    from workflows.services.territories import add_territory
    app = conventio_of(ctx)
    added = add_territory(app, acting(app, username), code=code, name=name, kind=kind, population=population,
                          population_year=population_year, time_zone=time_zone, operator=operator,
                          hubs=list(hubs))
    click.echo(f"Territoire « {added['code']} » ajouté ({added['name']}).")


@territories.command("list")
@_json_option
@_as_option("Utilisateur qui consulte (par défaut : la console, qui voit tout).")
@click.pass_context
@fails_in_french
def territories_list(ctx, as_json, username):
    from workflows.services.territories import list_territories
    app = conventio_of(ctx)
    rows = list_territories(app, acting(app, username))
    if not as_json:
        rows = [dict(t, hubs=",".join(t["hubs"])) for t in rows]
    _print(rows, as_json, [("code", "CODE"), ("name", "NOM"), ("kind_label", "TYPE"), ("population", "POPULATION"),
                           ("population_year", "ANNÉE"), ("time_zone", "FUSEAU"), ("operator", "OPÉRATEUR"),
                           ("hubs", "OBSERVÉ PAR")])


@territories.command("import")
@click.argument("path")
@_as_option("Administrateur qui agit (par défaut : la console).")
@click.pass_context
@fails_in_french
def territories_import(ctx, path, username):
    """Importe un fichier CSV (UTF-8 ou Windows-1252, « ; » ou « , ») : tout ou rien."""
    from workflows.services.territory_import import import_territories
    app = conventio_of(ctx)
    by = acting(app, username)
    try:
        content = Path(path).read_bytes()
    except OSError as error:
        raise InvalidData(f"Fichier illisible : {path} ({error.strerror}).", {"fichier": "illisible"}) from None
    done = import_territories(app, by, content)
    click.echo(f"{len(done['codes'])} territoire(s) importé(s) : {done['created']} créé(s), "
               f"{done['updated']} mis à jour.")


from server.cli_drafts import draft  # noqa: E402
from server.cli_handover import absences, tasks_reassign  # noqa: E402
from server.cli_ledger import ledger  # noqa: E402
from server.cli_roster import members  # noqa: E402
from server.commands import demo, serve  # noqa: E402  (the web commands import Flask lazily)
from workflows.jobs.cli import beat, jobs, worker  # noqa: E402

for command in (serve, demo, worker, beat, jobs, ledger, absences):
    main.add_command(command)
territories.add_command(members)
tasks.add_command(tasks_reassign)
tasks.add_command(draft)

if __name__ == "__main__":
    main()
