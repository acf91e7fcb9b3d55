"""What every `conventio` command shares: the Conventio it works on, and French errors."""
import sys
from functools import wraps

import click

from .config import Settings
from .errors import ConventioError


def conventio_of(ctx):
    """The Conventio of the root context, opened once from CONVENTIO_* settings; the root closes it."""
    from .services import open_conventio
    root = ctx.find_root()
    if root.obj is None:
        root.obj = open_conventio(Settings.from_env())
    return root.obj


def describe_problem(problem):
    parts = [problem.get("file") or "modèle"]
    if problem.get("line"):
        parts.append(f"ligne {problem['line']}")
    element = " ".join(f"« {v} »" for v in (problem.get("element_id"), problem.get("element_name")) if v)
    if element:
        parts.append(f"élément {element}")
    return ", ".join(parts) + f" : {problem.get('reason')}"


def fails_in_french(command):
    """A use case's refusal becomes one French line on stderr (plus a model's problems) and exit 1."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ConventioError as exc:
            click.echo(f"Erreur : {exc.message}", err=True)
            for problem in exc.details.get("problems", []) if isinstance(exc.details, dict) else []:
                click.echo(f"  - {describe_problem(problem)}", err=True)
            sys.exit(1)
    return wrapper
