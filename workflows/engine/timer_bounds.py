"""Bounds on timer expressions, checked before SpiffWorkflow computes anything from them.

SpiffWorkflow turns a duration into a due time by walking it month by month
(`P99999999Y` is 1.2 billion turns) and fires a cycle once per refresh while its next
time is past (`R100000/PT0S` fires 100000 times in one step): either stalls the step,
and every user waiting on the database with it. Malformed values (`-P1D`, a number)
make it raise bare errors. A model's timer must therefore pass `check_timer_value`
twice: at deployment when its expression is a literal, and at run time on the value
its expression evaluated to, before Spiff parses it.

The bounds, in one place:
- no timer waits more than ten years (`MAX_WAIT`): longer than any delay of the
  library's procedures (conventions, recours, marchés, accords-cadres of four years at
  most) yet small enough that Spiff's month walk stays at 120 turns at most;
- a cycle repeats at most `MAX_CYCLES` times, a count it must state (`R/...`, endless,
  is refused), with an interval of at least `MIN_CYCLE_INTERVAL`: timers are polled,
  a finer cycle cannot be honoured and only piles up cycles to catch up in one step.
"""
import ast
from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

MAX_WAIT = timedelta(days=3653)           # ten years, leap days included
MAX_WAIT_TEXT = "10 ans"
MAX_MONTHS = 120                          # ten years of months: a longer duration is refused unwalked
MAX_CYCLES = 1000
MIN_CYCLE_INTERVAL = timedelta(minutes=1)
SHOWN_CHARACTERS = 60

# Spiff's event definition classes (and the typenames of their serialized form).
DURATION, DATE, CYCLE = "DurationTimerEventDefinition", "TimeDateEventDefinition", "CycleTimerEventDefinition"
TIMER_KINDS = (DURATION, DATE, CYCLE)
EXAMPLES = {DURATION: '"P30D" ou "PT2H"', DATE: '"2027-01-04T00:00:00+01:00"', CYCLE: '"R12/P7D"'}


class TimerRefused(Exception):
    """A timer value out of bounds or malformed; the message, in French, says which bound."""


def check_timer_value(kind, value, now=None):
    """Raise TimerRefused unless `value` is a timer of `kind` (one of TIMER_KINDS) that
    Spiff can compute cheaply and that waits at most MAX_WAIT from `now`."""
    now = now or datetime.now(timezone.utc)
    if not isinstance(value, str):
        raise TimerRefused(f"la valeur du minuteur est {_describe_type(value)} ; attendu une chaîne "
                           f"ISO 8601 comme {EXAMPLES[kind]}")
    text = value.strip()
    if kind == DURATION:
        _check_duration(text, now)
    elif kind == DATE:
        _check_date(text, now)
    elif kind == CYCLE:
        _check_cycle(text, now)


def literal_timer_value(expression):
    """The value of a timer expression written as a literal (`"P30D"`, `5`), or raise
    ValueError when it is computed (from the data, a function...)."""
    return ast.literal_eval((expression or "").strip())


def _check_duration(text, now, what="durée"):
    shown = _shown(text)
    if text.startswith("-") or text[1:2] == "-":
        raise TimerRefused(f"{what} « {shown} » : valeur négative, un minuteur attend une durée positive")
    if not text.upper().startswith("P"):
        raise TimerRefused(f"{what} « {shown} » illisible : attendu une durée ISO 8601 comme {EXAMPLES[DURATION]}")
    try:
        parsed = TimerEventDefinition.parse_iso_duration(text)
    except Exception:
        raise TimerRefused(f"{what} « {shown} » illisible : attendu une durée ISO 8601 comme "
                           f"{EXAMPLES[DURATION]}") from None
    too_long = TimerRefused(f"{what} « {shown} » : au-delà de la limite, un minuteur attend au plus {MAX_WAIT_TEXT}")
    if parsed.get("years", 0) * 12 + parsed.get("months", 0) > MAX_MONTHS:
        raise too_long
    try:
        wait = TimerEventDefinition.get_timedelta_from_start(dict(parsed), now)
    except OverflowError:
        raise too_long from None
    except Exception:   # Spiff cannot compute some valid ISO forms (fractional years, months)
        raise TimerRefused(f"{what} « {shown} » : forme non prise en charge, écrivez des nombres entiers "
                           f"comme {EXAMPLES[DURATION]}") from None
    if wait > MAX_WAIT:
        raise too_long
    return wait


def _check_date(text, now, what="date"):
    shown = _shown(text)
    try:
        moment = TimerEventDefinition.parse_time_or_duration(text)
    except Exception:
        moment = None
    if not isinstance(moment, datetime):
        raise TimerRefused(f"{what} « {shown} » illisible : attendu une date ISO 8601 comme {EXAMPLES[DATE]}")
    if moment - now > MAX_WAIT:
        raise TimerRefused(f"{what} « {shown} » trop lointaine : un minuteur attend au plus "
                           f"{MAX_WAIT_TEXT} après maintenant")
    return moment


def _check_cycle(text, now):
    shown = _shown(text)
    unreadable = TimerRefused(f"cycle « {shown} » illisible : attendu « R<répétitions>/<intervalle> » "
                              f"comme {EXAMPLES[CYCLE]}")
    # Split as Spiff does (SpiffWorkflow's parse_iso_recurring_interval).
    components = text.upper().replace("--", "/").strip("R").split("/")
    if not text.upper().startswith("R") or len(components) not in (2, 3):
        raise unreadable
    count = components[0]
    if not count:
        raise TimerRefused(f"cycle « {shown} » sans fin : indiquez le nombre de répétitions "
                           f"(au plus {MAX_CYCLES}), par exemple {EXAMPLES[CYCLE]}")
    if not count.isdigit():
        raise unreadable
    if len(count) > len(str(MAX_CYCLES)) or int(count) > MAX_CYCLES:
        raise TimerRefused(f"cycle « {shown} » : trop de répétitions, au plus {MAX_CYCLES}")
    durations = [c for c in components[1:] if c.startswith("P")]
    dates = [c for c in components[1:] if not c.startswith("P")]
    if len(durations) != 1:
        raise unreadable
    interval = _check_duration(durations[0], now, what="intervalle")
    if interval < MIN_CYCLE_INTERVAL:
        raise TimerRefused(f"cycle « {shown} » : intervalle nul ou trop court, au moins une minute")
    for date in dates:
        _check_date(date, now, what="date de cycle")


def _describe_type(value):
    names = {int: "un nombre", float: "un nombre", bool: "un booléen", type(None): "vide (None)",
             dict: "un dictionnaire", list: "une liste"}
    return names.get(type(value), f"de type {type(value).__name__}")


def _shown(text):
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


class TimerCheckingScriptEngine:
    """A script engine that checks what timer expressions evaluate to.

    Spiff evaluates a timer's expression through the workflow's script engine, then
    parses and walks the value at once (DurationTimerEventDefinition.has_fired,
    CycleTimerEventDefinition.cycle_complete): the evaluation is the last moment the
    value can be checked. A refused value fails the step like a failing script does.
    """

    def __init__(self, engine):
        self.engine = engine

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def evaluate(self, task, expression, external_context=None):
        value = self.engine.evaluate(task, expression, external_context)
        kind = _timer_kind_evaluated(task, expression)
        if kind is None:
            return value
        try:
            check_timer_value(kind, value)
            return value
        except TimerRefused as exc:
            refused = TimerRefused(f"minuteur refusé : {exc}")
        # Raised outside the handler: the step's error message reads this text, not the bare reason.
        raise WorkflowTaskException(str(refused), task=task, exception=refused) from refused


def checking_timers(engine):
    return engine if isinstance(engine, TimerCheckingScriptEngine) else TimerCheckingScriptEngine(engine)


def _timer_kind_evaluated(task, expression):
    """The kind of the timer of `task` whose expression is `expression`, if any."""
    definition = getattr(task.task_spec, "event_definition", None)
    definitions = getattr(definition, "event_definitions", None) or [definition]
    for candidate in definitions:
        if isinstance(candidate, TimerEventDefinition) and candidate.expression == expression:
            for cls in type(candidate).__mro__:
                if cls.__name__ in TIMER_KINDS:
                    return cls.__name__
    return None
