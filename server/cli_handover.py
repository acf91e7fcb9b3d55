"""Handing work over from the shell: `conventio tasks reassign` (a director gives a task to a
colleague) and `conventio absences …` (a user away and their substitute: declare, list, cancel,
shorten), through the services the pages and the API call."""
import json

import click

from workflows.cli_support import conventio_of, fails_in_french

from .cli_shared import _as_option, _json_option, _print, acting


@click.command("reassign")
@click.argument("task_id")
@click.argument("user")
@click.option("--as", "username", required=True, help="Directeur ou directrice qui confie la tâche.")
@click.pass_context
@fails_in_french
def tasks_reassign(ctx, task_id, user, username):
    """Confie une tâche à un collègue qui a son rôle dans son territoire (direction du territoire)."""
    from workflows.services.assignments import reassign_task
    from workflows.services.users import get_actor
    app = conventio_of(ctx)
    claimed = reassign_task(app, task_id, user, get_actor(app, username))
    click.echo(f"Tâche {claimed['task_id']} confiée à « {claimed['claimed_by']} ».")


@click.group()
def absences():
    """Absences et remplaçants : le remplaçant peut prendre les tâches prises par l’absent."""


@absences.command("declare")
@click.option("--substitute", required=True, help="Le remplaçant (identifiant).")
@click.option("--from", "first_day", required=True, help="Premier jour d’absence (AAAA-MM-JJ).")
@click.option("--to", "last_day", required=True, help="Dernier jour d’absence (AAAA-MM-JJ).")
@click.option("--for", "absent", default=None, help="L’absent, s’il n’est pas l’utilisateur --as.")
@click.option("--as", "username", required=True, help="Utilisateur qui déclare.")
@_json_option
@click.pass_context
@fails_in_french
def absences_declare(ctx, substitute, first_day, last_day, absent, username, as_json):
    """Déclare une absence ; elle finit d’elle-même après son dernier jour."""
    from workflows.services.absences import declare_absence
    app = conventio_of(ctx)
    by = acting(app, username)
    absence = declare_absence(app, absent or by.username, substitute, first_day, last_day, by)
    if as_json:
        click.echo(json.dumps(absence, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Absence n° {absence['id']} de « {absence['username']} » enregistrée, du {absence['starts_at']} "
                   f"au {absence['ends_at']} : remplacé(e) par « {absence['substitute']} ».")


@absences.command("list")
@click.option("--user", "user", default=None, help="Un collègue (direction de son territoire, administrateurs).")
@_as_option("Utilisateur qui consulte.")
@_json_option
@click.pass_context
@fails_in_french
def absences_list(ctx, user, username, as_json):
    """Les absences en cours ou à venir (où l’on est absent ou remplaçant)."""
    from workflows.services.absences import list_absences
    app = conventio_of(ctx)
    by = acting(app, username)
    _print(list_absences(app, by, user), as_json, [("id", "N°"), ("username", "ABSENT"), ("substitute", "REMPLAÇANT"),
                                                   ("starts_at", "DU"), ("ends_at", "AU (EXCLU)")])


@absences.command("cancel")
@click.argument("absence_id", type=int)
@click.option("--as", "username", required=True, help="L’absent, qui l’a déclarée, ou la direction de son territoire.")
@click.pass_context
@fails_in_french
def absences_cancel(ctx, absence_id, username):
    """Annule une absence : à venir, elle est retirée ; en cours, elle finit maintenant."""
    from workflows.services.absences import cancel_absence
    app = conventio_of(ctx)
    absence = cancel_absence(app, absence_id, acting(app, username))
    click.echo(f"Absence n° {absence['id']} de « {absence['username']} » annulée : « {absence['substitute']} » "
               "ne la remplace plus.")


@absences.command("shorten")
@click.argument("absence_id", type=int)
@click.option("--to", "last_day", required=True, help="Nouveau dernier jour (AAAA-MM-JJ), avant l’actuel.")
@click.option("--as", "username", required=True, help="L’absent, qui l’a déclarée, ou la direction de son territoire.")
@_json_option
@click.pass_context
@fails_in_french
def absences_shorten(ctx, absence_id, last_day, username, as_json):
    """Avance le dernier jour d’une absence."""
    from workflows.services.absences import shorten_absence
    app = conventio_of(ctx)
    absence = shorten_absence(app, absence_id, last_day, acting(app, username))
    if as_json:
        click.echo(json.dumps(absence, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Absence n° {absence['id']} de « {absence['username']} » écourtée : elle finit le "
                   f"{absence['ends_at']} (exclu).")
