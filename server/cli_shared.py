"""What the `conventio` command groups share: who acts, the --as and --json options, JSON data
given inline, as @file or on the standard input, the table printed."""
import getpass
import json
import sys
from pathlib import Path

import click

from workflows.errors import InvalidData
from workflows.services.actors import Actor


def shell_actor():
    """Whoever runs the CLI has the database in hand: they act as an administrator."""
    return Actor(f"shell:{getpass.getuser()}", frozenset({"admin"}), display_name="Console")


def acting(app, username):
    """The user `--as` names (their roles and territories apply), or the shell's administrator."""
    from workflows.services.users import get_actor
    return get_actor(app, username) if username else shell_actor()


def _as_option(help_text="Utilisateur qui agit (par défaut : la console, administrateur)."):
    return click.option("--as", "username", default=None, help=help_text)


def _json_option(function):
    return click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")(function)


def _parse_json(text, what="--data"):
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InvalidData(f"{what} : JSON invalide ({exc}).", {what: "JSON invalide"}) from None
    if not isinstance(value, dict):
        raise InvalidData(f"{what} : un objet JSON est attendu ({{...}}).", {what: "objet JSON attendu"})
    return value


def _print(rows, as_json, columns):
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        click.echo("(aucun)")
        return
    widths = {c: max(len(label), *(len(str(r.get(c) if r.get(c) is not None else "")) for r in rows))
              for c, label in columns}
    click.echo("  ".join(label.ljust(widths[c]) for c, label in columns))
    for row in rows:
        click.echo("  ".join(str(row.get(c) if row.get(c) is not None else "").ljust(widths[c])
                             for c, _ in columns))


def _data_argument(text, what="--data"):
    """Inline JSON, @FILE for a JSON file, or - for the standard input (data too large for a
    command line)."""
    if text == "-":
        text = sys.stdin.read()
    elif text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidData(f"{what} : fichier illisible ({exc.strerror} : {text[1:]}).") from None
        except UnicodeError:
            raise InvalidData(f"{what} : le fichier {text[1:]} n’est pas un texte UTF-8.") from None
    return _parse_json(text, what)


DATA_HELP = "objet JSON, @fichier.json, ou - pour l’entrée standard"
