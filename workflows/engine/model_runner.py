"""Model code runs in a small pool of worker processes, bounded in time and memory.

Scripts, conditions and timer expressions (the sandbox's `evaluate` / `execute`) and the
rendering of task instructions are code written by modelers. The sandbox's budget ticks
stop a Python loop, but work done in C never ticks: `(7 ** 7 ** 9) % 10` computed for
minutes holding the interpreter lock, freezing every thread of the server. So model code
runs in separate processes:

- a pool of long-lived workers (at most `MAX_WORKERS` per server process, more callers
  wait), each a fresh interpreter started by `subprocess` (never a plain fork of a
  threaded server; nor multiprocessing's spawn or forkserver, which re-run the server's
  main script in every worker); each limits its address space (RLIMIT_AS: the memory
  setting beyond the ~50 MB the worker maps at start) and its CPU time (RLIMIT_CPU,
  before each request), and keeps the sandbox's tick budget for a precise failure of
  Python loops;
- the caller sends the request over a socket pair and waits for the answer at most the
  budget plus `MARGIN_SECONDS`, without holding the interpreter lock; past that it kills
  the worker (SIGKILL) and raises ScriptTimeout; workers start in the background, one spare
  ahead of need, so that a start never counts in a step's time;
- a MemoryError or RecursionError comes back as ScriptResourceExceeded, in French; any
  other exception comes back as itself (pickled, or rebuilt from its type's name and
  message), so that the engine reports it exactly as when it ran in-process;
- a worker ends when its pipe closes: it dies with the server.

Only the task data travels (pickled); the functions the models call are loaded once by
each worker, from an importable reference ("module:NAME") or a picklable dict.
"""
import importlib
import os
import pickle
import resource
import signal
import socket
import subprocess
import sys
import threading
from functools import wraps
from multiprocessing.connection import Connection

from .sandbox import (
    RestrictedEnvironment,
    ScriptResourceExceeded,
    ScriptTimeout,
    memory_message,
)

DEFAULT_MEMORY_MB = 512
MAX_WORKERS = 4
# What the caller waits beyond the budget: the pipe, pickling, a loaded machine. The
# worker's own ticks usually fail a Python loop on time; this kills what they cannot reach.
MARGIN_SECONDS = 0.5
# A worker's start (and a module's first import in it) is not model code: not budgeted.
START_TIMEOUT = 60.0
# A worker orphaned mid-request (its server killed) stops by itself past this CPU time.
CPU_MARGIN_SECONDS = 2
# An answer larger than this would cost the server its memory and lock time to unpickle.
MAX_REPLY_BYTES = 32 * 1024 * 1024
PROTOCOL = pickle.HIGHEST_PROTOCOL

# A worker's first lines: take the server's import path from the pipe, then serve.
_BOOT = """
import sys
from multiprocessing.connection import Connection
conn = Connection(int(sys.argv[1]))
try:
    sys.path[:] = conn.recv()
except (EOFError, OSError):
    sys.exit(0)     # the server ended before this worker started
from workflows.engine.model_runner import serve
serve(conn)
"""


def timeout_message(budget_seconds):
    seconds = f"{budget_seconds:g}".replace(".", ",")
    return f"script interrompu : il dépasse sa durée maximale d'exécution ({seconds} s) ; corrigez le modèle"


WORKER_DIED = ("script interrompu : le processus qui l'exécutait s'est arrêté (mémoire ou durée "
               "dépassée ?) ; corrigez le modèle")


def reply_too_large_message():
    return (f"script interrompu : ses données dépassent {MAX_REPLY_BYTES // (1024 * 1024)} Mo ; "
            "corrigez le modèle")


def resolve(reference):
    """The object named "package.module:NAME"."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


def functions_reference(functions):
    """What a worker needs to load `functions`: None, a "module:NAME" string, or the
    dict itself when it pickles (its functions importable by name)."""
    if functions is None or isinstance(functions, str):
        return functions
    try:
        pickle.dumps(functions, PROTOCOL)
    except Exception as exc:
        raise TypeError("the script functions must pickle by reference, or be given as an "
                        f"importable 'module:NAME' reference ({exc})") from None
    return dict(functions)


def load_functions(reference):
    """The script functions `reference` names, each raising from its own frame."""
    if reference is None:
        return {}
    functions = resolve(reference) if isinstance(reference, str) else reference
    return {name: raising_from_here(function) if callable(function) else function
            for name, function in functions.items()}


def raising_from_here(function):
    """`function`, re-raising what escapes it from its own frame.

    SpiffWorkflow looks for the failing script line in any traceback frame named
    "<string>", which the generated __init__ of a dataclass also is: an error raised
    inside one (a domain value refusing its arguments) would make it report a line the
    script does not have, or fail on it.
    """
    @wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:
            raise error.with_traceback(None) from None
    return call


# --- the worker --------------------------------------------------------------------

def _limit_memory(memory_mb):
    """Address space for model code: `memory_mb` beyond what the worker already maps."""
    if not memory_mb:
        return
    baseline = 0
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    baseline = int(line.split()[1]) * 1024
    except OSError:
        pass
    limit = baseline + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _limit_cpu(budget_seconds):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + budget_seconds + CPU_MARGIN_SECONDS) + 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _error_reply(exc, retire=False):
    """An exception as the caller will rebuild it; whether the worker should retire (a
    MemoryError or RecursionError leaves Python sound: the worker goes on)."""
    name = exc.name if isinstance(exc, NameError) else None   # not pickled with it
    try:
        data = pickle.dumps(exc, PROTOCOL)
        pickle.loads(data)
        return ("error", data, name, retire)
    except Exception:
        return ("foreign", type(exc).__module__, type(exc).__qualname__, str(exc), name, retire)


def _answer(environment, request, memory_mb):
    kind, budget = request[0], request[1]
    environment.budget_seconds = budget
    _limit_cpu(budget)
    try:
        if kind == "execute":
            _kind, _budget, script, context, external_context = request
            environment.execute_here(script, context, external_context)
            return ("ok", context)
        if kind == "evaluate":
            _kind, _budget, expression, context, external_context = request
            return ("ok", environment.evaluate_here(expression, context, external_context))
        if kind == "call":
            _kind, _budget, target, args = request
            try:
                return ("ok", resolve(target)(*args))
            except RecursionError:
                raise ScriptResourceExceeded(
                    "rendu interrompu : récursion trop profonde ; corrigez le modèle") from None
        if kind == "import":
            importlib.import_module(request[2])
            return ("ok", None)
        raise ValueError(f"unknown request {kind!r}")
    except BaseException as exc:    # noqa: BLE001 - everything goes back to the caller
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        if isinstance(exc, MemoryError):
            exc = ScriptResourceExceeded(memory_message(memory_mb))
        return _error_reply(exc)


def _reply_bytes(reply):
    try:
        data = pickle.dumps(reply, PROTOCOL)
    except MemoryError:
        return pickle.dumps(_error_reply(ScriptResourceExceeded(reply_too_large_message())), PROTOCOL)
    except Exception as exc:
        return pickle.dumps(_error_reply(TypeError(
            f"résultat du script non transmissible : {exc}")), PROTOCOL)
    if len(data) > MAX_REPLY_BYTES:
        return pickle.dumps(_error_reply(ScriptResourceExceeded(reply_too_large_message())), PROTOCOL)
    return data


def serve(conn):
    """A worker's life: load the functions, limit memory, answer requests until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C stops the server; its end stops us
    try:
        reference, memory_mb = conn.recv()
    except (EOFError, OSError):
        return
    try:
        environment = RestrictedEnvironment(load_functions(reference), memory_mb=memory_mb)
        _limit_memory(memory_mb)
    except BaseException as exc:   # noqa: BLE001 - told to the caller, which raises it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    try:
        conn.send(("ready", os.getpid()))
    except OSError:
        return      # the server is gone already
    while True:
        try:
            request = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            conn.send_bytes(_reply_bytes(_answer(environment, request, memory_mb)))
        except OSError:
            return
        request = None


# --- the caller's side ---------------------------------------------------------------

class RemoteError(Exception):
    """An exception of model code that could not travel as itself: same type name, same text."""


_REMOTE_TYPES = {}
_REMOTE_LOCK = threading.Lock()


def _remote_type(module, qualname):
    with _REMOTE_LOCK:
        key = (module, qualname)
        if key not in _REMOTE_TYPES:
            _REMOTE_TYPES[key] = type(qualname.rpartition(".")[2], (RemoteError,),
                                      {"__module__": module, "__qualname__": qualname})
        return _REMOTE_TYPES[key]


def _rebuild(reply):
    if reply[0] == "error":
        _kind, data, name, _retire = reply
        try:
            exc = pickle.loads(data)
        except Exception:
            exc = RemoteError("erreur du script non transmissible")
    else:
        _kind, module, qualname, message, name, _retire = reply
        exc = _remote_type(module, qualname)(message)
    if name is not None and isinstance(exc, NameError):
        exc.name = name
    return exc


class _Worker:
    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.imported = set()

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        try:
            self.process.kill()
            self.process.wait(1)
        except Exception:
            pass
        self.conn.close()


class ModelRunner:
    """A pool of worker processes running model code for one set of script functions."""

    def __init__(self, functions=None, memory_mb=DEFAULT_MEMORY_MB, max_workers=MAX_WORKERS):
        self.reference = functions_reference(functions)
        self.memory_mb = memory_mb
        self.max_workers = max_workers
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._idle = []
        self._count = 0          # workers alive or starting
        self._starting = 0
        self._failures = 0
        self._failure = None
        self._condition = threading.Condition()

    # --- the requests -----------------------------------------------------------
    def execute(self, script, context, external_context, budget_seconds):
        """The context as `script` leaves it."""
        return self._request(("execute", budget_seconds, script, dict(context), external_context),
                             budget_seconds)

    def evaluate(self, expression, context, external_context, budget_seconds):
        return self._request(("evaluate", budget_seconds, expression, dict(context), external_context),
                             budget_seconds)

    def call(self, target, args, budget_seconds):
        """`target` ("module:function") called with `args` in a worker, bounded likewise."""
        return self._request(("call", budget_seconds, target, tuple(args)), budget_seconds,
                             module=target.partition(":")[0])

    def _request(self, request, budget_seconds, module=None):
        data = pickle.dumps(request, PROTOCOL)     # before taking a worker: may fail harmlessly
        worker = self._checkout()
        keep = False
        try:
            if module is not None and module not in worker.imported:
                imported = self._exchange(worker, pickle.dumps(("import", START_TIMEOUT, module), PROTOCOL),
                                          START_TIMEOUT, START_TIMEOUT)
                if imported[0] == "ok":
                    worker.imported.add(module)
            reply = self._exchange(worker, data, budget_seconds + MARGIN_SECONDS, budget_seconds)
            if reply[0] == "ok":
                keep = True
                return reply[1]
            keep = not reply[-1]
            raise _rebuild(reply)
        finally:
            self._checkin(worker, keep)

    @staticmethod
    def _exchange(worker, data, timeout, budget_seconds):
        try:
            worker.conn.send_bytes(data)
            # poll() waits in select(), without the interpreter lock: other threads go on.
            if not worker.conn.poll(timeout):
                raise ScriptTimeout(timeout_message(budget_seconds))
            reply = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError):
            raise ScriptResourceExceeded(WORKER_DIED) from None
        return reply

    # --- the pool ---------------------------------------------------------------
    # Workers start in the background, one spare ahead of need: a caller takes a ready
    # worker, and the half second a new interpreter takes never counts in a step's time.
    def prestart(self):
        """Start a first worker in the background (before the first step needs it)."""
        self._check_pid()
        with self._condition:
            if self._count == 0:
                self._spawn()

    def _checkout(self):
        self._check_pid()
        with self._condition:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        self._top_up()
                        return worker
                    worker.kill()
                    self._count -= 1
                if self._starting == 0 and self._count < self.max_workers:
                    self._spawn()
                failures = self._failures
                self._condition.wait()
                if self._failures != failures and not self._idle:
                    raise RuntimeError(self._failure)

    def _checkin(self, worker, keep):
        if not keep:
            worker.kill()
        with self._condition:
            if self._pid != os.getpid():
                return
            if keep:
                self._idle.append(worker)
            else:
                self._count -= 1
                self._top_up()
            self._condition.notify_all()

    def _top_up(self):
        """Keep a spare starting while the pool may grow (called holding the lock)."""
        if not self._idle and self._starting == 0 and self._count < self.max_workers:
            self._spawn()

    def _spawn(self):
        self._count += 1
        self._starting += 1
        threading.Thread(target=self._start_in_background, name="conventio-model-worker-start",
                         daemon=True).start()

    def _start_in_background(self):
        try:
            worker = self._start()
        except Exception as exc:
            with self._condition:
                self._starting -= 1
                self._count -= 1
                self._failures += 1
                self._failure = f"le processus d'exécution des modèles ne démarre pas : {exc}"
                self._condition.notify_all()
            return
        with self._condition:
            self._starting -= 1
            self._idle.append(worker)
            self._condition.notify_all()

    def _check_pid(self):
        if self._pid != os.getpid():
            self._reset()     # a forked copy of the server: the parent's workers are not ours

    def _start(self):
        ours, theirs = socket.socketpair()
        try:
            process = subprocess.Popen([sys.executable, "-c", _BOOT, str(theirs.fileno())],
                                       pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        worker = _Worker(process, Connection(ours.detach()))
        try:
            worker.conn.send(list(sys.path))
            worker.conn.send((self.reference, self.memory_mb))
            if not worker.conn.poll(START_TIMEOUT):
                raise RuntimeError(f"pas prêt après {START_TIMEOUT:g} s")
            status = worker.conn.recv()
        except BaseException:
            worker.kill()
            raise
        if status[0] != "ready":
            worker.kill()
            raise RuntimeError(status[1])
        return worker

    def close(self):
        """Stop the idle workers (busy ones stop when their caller gives them back)."""
        with self._condition:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()


_RUNNERS = {}
_RUNNERS_LOCK = threading.Lock()


def shared_runner(functions=None, memory_mb=DEFAULT_MEMORY_MB):
    """The process's runner for these functions and memory bound: engines share workers
    (a test suite opens hundreds of applications; a server, one)."""
    reference = functions_reference(functions)
    key = (reference if not isinstance(reference, dict) else pickle.dumps(reference, PROTOCOL), memory_mb)
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = ModelRunner(reference, memory_mb)
        return runner
