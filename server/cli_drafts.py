"""A task's draft from the shell: `conventio tasks draft show|save|discard`, through the service the
pages and the API call (services/drafts.py): the same rights, the same refusals."""
import json

import click

from workflows.cli_support import conventio_of, fails_in_french

from .cli_shared import DATA_HELP, _as_option, _data_argument, _json_option, acting


@click.group("draft")
def draft():
    """Brouillon d’une tâche : les valeurs de son formulaire gardées avant de la terminer."""


def _saved_line(found):
    return f"Brouillon enregistré par {found['saved_by_name']} le {found['saved_at']}."


@draft.command("show")
@click.argument("task_id")
@_as_option()
@_json_option
@click.pass_context
@fails_in_french
def draft_show(ctx, task_id, username, as_json):
    """Le brouillon d’une tâche (pour qui peut l’ouvrir)."""
    from workflows.services.drafts import read_draft
    app = conventio_of(ctx)
    found = read_draft(app, task_id, acting(app, username))
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif found is None:
        click.echo(f"La tâche {task_id} n’a pas de brouillon.")
    else:
        click.echo(_saved_line(found))
        click.echo(json.dumps(found["values"], ensure_ascii=False, indent=2))


@draft.command("save")
@click.argument("task_id")
@click.option("--data", required=True, help=f"Valeurs du formulaire, telles que saisies ({DATA_HELP}).")
@click.option("--as", "username", required=True, help="Utilisateur qui peut terminer la tâche.")
@click.pass_context
@fails_in_french
def draft_save(ctx, task_id, data, username):
    """Enregistre le brouillon d’une tâche à faire (il remplace le précédent ; il n’a pas à être valide)."""
    from workflows.services.drafts import save_draft
    from workflows.services.users import get_actor
    app = conventio_of(ctx)
    click.echo(_saved_line(save_draft(app, task_id, _data_argument(data), get_actor(app, username))))


@draft.command("discard")
@click.argument("task_id")
@click.option("--as", "username", required=True, help="Utilisateur qui peut terminer la tâche.")
@click.pass_context
@fails_in_french
def draft_discard(ctx, task_id, username):
    """Efface le brouillon d’une tâche à faire."""
    from workflows.services.drafts import discard_draft
    from workflows.services.users import get_actor
    app = conventio_of(ctx)
    if discard_draft(app, task_id, get_actor(app, username)):
        click.echo(f"Brouillon de la tâche {task_id} effacé.")
    else:
        click.echo(f"La tâche {task_id} n’avait pas de brouillon.")
