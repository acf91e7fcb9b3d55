"""Click's usage errors (a missing argument, an unknown option, a value that is not a number…)
as one French line: what is wrong, and the command that shows the help.

Click writes them in English, over several lines ("Usage: … Try '… --help' for help. Error: …").
Its exceptions carry what went wrong (the parameter, the option's name, the close matches), so
the line is made from them; the English message is only parsed where Click gives nothing else
(extra arguments), and a usage error raised by Conventio's own code is French already.
"""
import re

import click
from click import exceptions as click_errors

NO_ARGS_IS_HELP = getattr(click_errors, "NoArgsIsHelpError", None)    # Click ≥ 8.2: the group's help
NO_SUCH_COMMAND = getattr(click_errors, "NoSuchCommand", None)        # Click ≥ 8.4


class FrenchUsage(click.ClickException):
    """An error already put in French: shown as « Erreur : … » on one line."""

    def __init__(self, message, exit_code=2):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None):
        click.echo(f"Erreur : {self.message}", err=True)


def in_french(exc):
    """The French form of a Click exception (the same object when nothing is to be changed)."""
    if isinstance(exc, FrenchUsage) or (NO_ARGS_IS_HELP and isinstance(exc, NO_ARGS_IS_HELP)):
        return exc
    if not isinstance(exc, click.UsageError):
        # ClickException raised by a command with a French message (e.g. `demo`), or Click's own FileError
        return FrenchUsage(_sentence(exc.format_message()), exc.exit_code)
    what = _what_is_wrong(exc)
    ctx = _context_of(exc)
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        what += f" Aide : {ctx.command_path} --help"
    return FrenchUsage(what, exc.exit_code)


def _what_is_wrong(exc):
    if isinstance(exc, click.MissingParameter):
        if _parameter_kind(exc) == "argument":
            return f"argument {_name(exc)} manquant."
        return f"option {_name(exc)} obligatoire manquante."
    if isinstance(exc, click.BadParameter):
        if not _raised_by_click(exc):
            return f"{_name(exc)} : {_sentence(exc.message)}" if _name(exc) else _sentence(exc.message)
        return f"valeur invalide pour {_name(exc)}{_value_shown(exc.message)} : {_expected(exc.param)}."
    if isinstance(exc, click.NoSuchOption):
        return f"option inconnue « {exc.option_name} »{_did_you_mean(exc.possibilities)}."
    if NO_SUCH_COMMAND and isinstance(exc, NO_SUCH_COMMAND):
        return f"commande inconnue « {exc.command_name} »{_did_you_mean(exc.possibilities)}."
    if isinstance(exc, click.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"l’option {exc.option_name} ne prend pas de valeur."
        return f"l’option {exc.option_name} attend une valeur."
    if not _raised_by_click(exc):
        return _sentence(exc.message)
    extra = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", exc.message)
    if extra:
        return f"argument(s) en trop : {extra.group(1)}."
    unknown = re.fullmatch(r"No such command '(.*)'\.", exc.message)     # Click < 8.4
    if unknown:
        return f"commande inconnue « {unknown.group(1)} »."
    if exc.message == "Missing command.":
        return "commande manquante."
    return f"utilisation incorrecte ({exc.message})."


def _context_of(exc):
    """The command's context: the exception's, else the deepest one its traceback went through
    (Click's parser raises BadOptionUsage without it)."""
    if exc.ctx is not None:
        return exc.ctx
    found, tb = None, exc.__traceback__
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("ctx")
        if isinstance(candidate, click.Context):
            found = candidate
        tb = tb.tb_next
    return found


def _raised_by_click(exc):
    """Whether Click itself raised `exc` (its message is then English), rather than a command of ours."""
    tb = exc.__traceback__
    if tb is None:
        return True
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_globals.get("__name__", "").startswith("click")


def _parameter_kind(exc):
    if getattr(exc, "param_type", None):
        return exc.param_type
    return "argument" if isinstance(exc.param, click.Argument) else "option"


def _name(exc):
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    param = exc.param
    if param is None:
        return ""
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return " / ".join(param.opts)


def _value_shown(message):
    """The value Click names at the start of its message ('abc' is not a valid integer.)."""
    quoted = re.match(r"""^(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")""", message or "")
    if not quoted:
        number = re.match(r"^(\S+) is not in the range", message or "")    # a range's value is not quoted
        return f" (« {number.group(1)} »)" if number else ""
    value = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
    return f" (« {value} »)"


def _expected(param):
    kind = param.type if param is not None else None
    if isinstance(kind, click.Choice):
        return "valeurs possibles : " + ", ".join(map(str, kind.choices))
    if isinstance(kind, click.IntRange | click.FloatRange):
        low, high = kind.min, kind.max
        bounds = (f"entre {low} et {high}" if low is not None and high is not None
                  else f"au moins {low}" if low is not None else f"au plus {high}")
        return f"nombre {bounds} attendu"
    if isinstance(kind, click.types.IntParamType):
        return "nombre entier attendu"
    if isinstance(kind, click.types.FloatParamType):
        return "nombre attendu"
    if isinstance(kind, click.types.BoolParamType):
        return "oui ou non attendu (true, false, 1, 0)"
    if isinstance(kind, click.DateTime):
        return "date attendue (" + ", ".join(kind.formats) + ")"
    if isinstance(kind, click.types.UUIDParameterType):
        return "identifiant UUID attendu"
    if isinstance(kind, click.Path | click.File):
        return "fichier ou dossier introuvable, illisible ou du mauvais type"
    return "valeur refusée"


def _did_you_mean(possibilities):
    if not possibilities:
        return ""
    if len(possibilities) == 1:
        return f" (vouliez-vous dire « {possibilities[0]} » ?)"
    return " (vouliez-vous dire l’une de : " + ", ".join(f"« {p} »" for p in sorted(possibilities)) + " ?)"


def _sentence(text):
    text = " ".join((text or "").split())
    return text if text.endswith((".", "!", "?", "»", ")")) else f"{text}."
