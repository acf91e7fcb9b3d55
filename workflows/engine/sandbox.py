"""The restricted environment in which model scripts and expressions run.

Models are uploaded by users: their scripts must not import, open files, reach the
network or climb from an object to the interpreter through dunder attributes. Plain
`exec` with a trimmed `__builtins__` is not a sandbox (SpiffArena's mistake); every
source is compiled by RestrictedPython, whose AST transformer refuses imports and
underscore names and routes attribute, item and iteration access through guards.

Budget ticks (each turn of a loop, each function call) stop Python-level runaways
precisely; work done in C (`7 ** 7 ** 9`, `'x' * 10**10`) never ticks. The application
therefore runs model code in worker processes (`model_runner`), bounded in time and
memory from outside; an environment without a runner runs it here (unit tests, tools).
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


class ModelCodeStopped(Exception):
    """Model code stopped for exceeding a bound (time, memory, recursion); the message,
    in French, says which."""


class ScriptTimeout(ModelCodeStopped):
    """A model script ran past its time budget (an endless loop, most often)."""


class ScriptResourceExceeded(ModelCodeStopped):
    """A model script exceeded its memory, its recursion depth, or killed its worker."""


RECURSION_MESSAGE = ("script interrompu : récursion trop profonde (une fonction qui s'appelle "
                     "sans fin ?) ; corrigez le modèle")


def memory_message(memory_mb=None):
    bound = f"la mémoire permise ({memory_mb} Mo)" if memory_mb else "la mémoire disponible"
    return f"script interrompu : il dépasse {bound} ; corrigez le modèle"


TIMEOUT_MESSAGE = ("script interrompu : il dépasse sa durée maximale d'exécution "
                   "(boucle sans fin ?) ; corrigez le modèle")


class _Budget(threading.local):
    """The running script's deadline: one per thread, a threaded server runs several.

    Once past, it stays past: every later tick raises, so a script that catches the
    timeout (`except Exception`) meets it again at its next loop turn or call, and a
    script that ends anyway after catching it still fails."""
    deadline = None
    ticks = 0
    expired = False

    def running(self, seconds):
        outer = self.deadline
        if outer is None:
            self.expired = False
        self.deadline = time.monotonic() + seconds if outer is None else outer
        return outer

    def tick(self):
        self.ticks += 1
        if self.expired or (self.ticks % TICKS_PER_CLOCK_READ == 0 and self.deadline is not None
                            and time.monotonic() > self.deadline):
            self.expired = True
            raise ScriptTimeout(TIMEOUT_MESSAGE)


_BUDGET = _Budget()


class _BudgetedTransformer(RestrictingNodeTransformer):
    """RestrictedPython's checks, plus a budget tick at each turn of a `while` loop and at
    each call of a function the script defines (`for` loops and comprehensions tick
    through the iteration guard)."""

    def visit_While(self, node):
        return self._ticking(super().visit_While(node))

    def visit_FunctionDef(self, node):
        return self._ticking(super().visit_FunctionDef(node))

    @staticmethod
    def _ticking(node):
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
    """Spiff's task-data environment, executing restricted code only.

    With a `runner` (a model_runner.ModelRunner) the code runs in one of its worker
    processes, bounded in time and memory whatever it does; without one, here.
    """

    def __init__(self, functions=None, budget_seconds=DEFAULT_BUDGET_SECONDS, runner=None, memory_mb=None):
        super().__init__(dict(functions or {}))
        self.budget_seconds = budget_seconds
        self.runner = runner
        self.memory_mb = memory_mb   # only named in messages: the runner's workers enforce it

    @contextmanager
    def _budget(self):
        outer = _BUDGET.running(self.budget_seconds)
        try:
            yield
            if outer is None and _BUDGET.expired:
                raise ScriptTimeout(TIMEOUT_MESSAGE)
        finally:
            _BUDGET.deadline = outer
            if outer is None:
                _BUDGET.expired = False

    def _globals_for(self, context, external_context):
        scope = dict(RESTRICTED_GLOBALS)
        scope.update(self.globals)
        scope.update(external_context or {})
        return scope

    def evaluate(self, expression, context, external_context=None):
        if self.runner is not None:
            return self.runner.evaluate(expression, context, external_context, self.budget_seconds)
        return self.evaluate_here(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        if self.runner is None:
            return self.execute_here(script, context, external_context)
        updated = self.runner.execute(script, context, external_context, self.budget_seconds)
        # Spiff expects the task data changed in place (a script may also delete names).
        context.clear()
        context.update(updated)
        return True

    def evaluate_here(self, expression, context, external_context=None):
        scope = self._globals_for(context, external_context)
        scope.update(context)
        with self._budget(), self._resources():
            return eval(compile_expression(expression), scope)

    def execute_here(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        context.update(self._globals_for(context, external_context))
        try:
            with self._budget(), self._resources():
                exec(compile_script(script), context)
        finally:
            self._remove_sandbox_names(context, external_context)
        return True

    @contextmanager
    def _resources(self):
        """A recursion or memory failure, reported in French like the time budget."""
        try:
            yield
        except RecursionError:
            raise ScriptResourceExceeded(RECURSION_MESSAGE) from None
        except MemoryError:
            raise ScriptResourceExceeded(memory_message(self.memory_mb)) from None

    def _remove_sandbox_names(self, context, external_context):
        for name in list(context):
            if name in RESTRICTED_GLOBALS or name in self.globals or callable(context[name]) \
                    or (external_context and name in external_context):
                context.pop(name)


def restricted_script_engine(functions=None, budget_seconds=DEFAULT_BUDGET_SECONDS, runner=None, memory_mb=None):
    return PythonScriptEngine(environment=RestrictedEnvironment(functions, budget_seconds, runner, memory_mb))
