"""The restricted environment in which model scripts and expressions run.

Models are uploaded by users: their scripts must not import, open files, reach the
network or climb from an object to the interpreter through dunder attributes. Plain
`exec` with a trimmed `__builtins__` is not a sandbox (SpiffArena's mistake); every
source is compiled by RestrictedPython, whose AST transformer refuses imports and
underscore names and routes attribute, item and iteration access through guards.
"""
import ast
import threading
import time
from contextlib import contextmanager
from functools import lru_cache

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec, \
    safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

SAFE_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in (
        "dict", "list", "set", "frozenset", "min", "max", "sum", "any", "all", "enumerate",
        "sorted", "reversed", "map", "filter", "abs", "round", "len", "range", "zip",
    )
}


# Absent from the restricted builtins anyway; named here so that a model using them is
# refused at deployment rather than failing on its first run.
FORBIDDEN_NAMES = frozenset({
    "open", "eval", "exec", "compile", "globals", "locals", "vars", "dir", "getattr", "setattr",
    "delattr", "input", "breakpoint", "help", "memoryview", "type", "object", "super", "classmethod",
    "staticmethod", "property", "exit", "quit",
})


DEFAULT_BUDGET_SECONDS = 5.0
# Larger ranges are refused outright: a builtin consuming one (sum, list) runs in C,
# beyond the reach of the loop budget.
MAX_RANGE = 10_000_000
TICKS_PER_CLOCK_READ = 1000


class ScriptRefused(Exception):
    """The source uses something the sandbox forbids; the message says what."""


class ScriptTimeout(Exception):
    """A model script ran past its time budget (an endless loop, most often)."""


class _Budget(threading.local):
    """The running script's deadline: one per thread, a threaded server runs several."""
    deadline = None
    ticks = 0

    def running(self, seconds):
        outer = self.deadline
        self.deadline = time.monotonic() + seconds if outer is None else outer
        return outer

    def tick(self):
        self.ticks += 1
        if self.ticks % TICKS_PER_CLOCK_READ == 0 and self.deadline is not None \
                and time.monotonic() > self.deadline:
            raise ScriptTimeout("script interrompu : il dépasse sa durée maximale d'exécution "
                                "(boucle sans fin ?) ; corrigez le modèle")


_BUDGET = _Budget()


class _BudgetedTransformer(RestrictingNodeTransformer):
    """RestrictedPython's checks, plus a budget tick at each turn of a `while` loop (`for`
    loops and comprehensions tick through the iteration guard)."""

    def visit_While(self, node):
        node = super().visit_While(node)
        tick = ast.Expr(ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[]))
        node.body.insert(0, ast.copy_location(tick, node))
        ast.fix_missing_locations(node)
        return node


def _budgeted_iter(iterable):
    for item in default_guarded_getiter(iterable):
        _BUDGET.tick()
        yield item


def _bounded_range(*args):
    bounded = range(*args)
    if len(bounded) > MAX_RANGE:
        raise ScriptRefused(f"range de {len(bounded)} éléments refusé (au plus {MAX_RANGE})")
    return bounded


def _refuse_forbidden_nodes(source, mode):
    for node in ast.walk(ast.parse(source, mode=mode)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise ScriptRefused(f"ligne {node.lineno} : import interdit")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise ScriptRefused(f"ligne {node.lineno} : « {node.id} » interdit")


def _inplace(op, left, right):
    operations = {
        "+=": lambda a, b: a + b, "-=": lambda a, b: a - b, "*=": lambda a, b: a * b,
        "/=": lambda a, b: a / b, "//=": lambda a, b: a // b, "%=": lambda a, b: a % b,
    }
    if op not in operations:
        raise ScriptRefused(f"opérateur {op} non autorisé")
    return operations[op](left, right)


def _restricted_builtins():
    builtins = dict(safe_builtins)
    builtins.update(SAFE_EXTRA_BUILTINS)
    builtins["range"] = _bounded_range
    return builtins


RESTRICTED_GLOBALS = {
    "__builtins__": _restricted_builtins(),
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": _budgeted_iter,
    "_tick_": _BUDGET.tick,
    "_write_": full_write_guard,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_inplacevar_": _inplace,
}


@lru_cache(maxsize=4096)
def compile_script(source):
    _refuse_forbidden_nodes(source, "exec")
    result = compile_restricted_exec(source, filename="<script>", policy=_BudgetedTransformer)
    if result.errors:
        raise ScriptRefused("; ".join(result.errors))
    return result.code


@lru_cache(maxsize=4096)
def compile_expression(source):
    _refuse_forbidden_nodes(source.strip(), "eval")
    result = compile_restricted_eval(source.strip(), filename="<expression>", policy=_BudgetedTransformer)
    if result.errors:
        raise ScriptRefused("; ".join(result.errors))
    return result.code


def check_source(source, is_expression):
    """Raise ScriptRefused when the sandbox would refuse this source."""
    (compile_expression if is_expression else compile_script)(source)


class RestrictedEnvironment(TaskDataEnvironment):
    """Spiff's task-data environment, executing restricted code only."""

    def __init__(self, functions=None, budget_seconds=DEFAULT_BUDGET_SECONDS):
        super().__init__(dict(functions or {}))
        self.budget_seconds = budget_seconds

    @contextmanager
    def _budget(self):
        outer = _BUDGET.running(self.budget_seconds)
        try:
            yield
        finally:
            _BUDGET.deadline = outer

    def _globals_for(self, context, external_context):
        scope = dict(RESTRICTED_GLOBALS)
        scope.update(self.globals)
        scope.update(external_context or {})
        return scope

    def evaluate(self, expression, context, external_context=None):
        scope = self._globals_for(context, external_context)
        scope.update(context)
        with self._budget():
            return eval(compile_expression(expression), scope)

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        context.update(self._globals_for(context, external_context))
        try:
            with self._budget():
                exec(compile_script(script), context)
        finally:
            self._remove_sandbox_names(context, external_context)
        return True

    def _remove_sandbox_names(self, context, external_context):
        for name in list(context):
            if name in RESTRICTED_GLOBALS or name in self.globals or callable(context[name]) \
                    or (external_context and name in external_context):
                context.pop(name)


def restricted_script_engine(functions=None, budget_seconds=DEFAULT_BUDGET_SECONDS):
    return PythonScriptEngine(environment=RestrictedEnvironment(functions, budget_seconds))
