"""The only package that imports SpiffWorkflow.

Everything outside sees plain data: parsed definitions, TaskView, stored rows.
"""
import threading
from collections import OrderedDict

from .deployment import ModelSetRefused, ParsedProcess, Problem, is_model_file, parse_model_set
from .forms import describe_form_errors, occurrence_fields
from .instance import Definition, ExecutionFailed, FormRejected, Instance, TaskNotReady, TaskView
from .model_runner import DEFAULT_MEMORY_MB, load_functions, resolve, shared_runner
from .sandbox import DEFAULT_BUDGET_SECONDS, ModelCodeStopped, ScriptResourceExceeded, ScriptTimeout, \
    restricted_script_engine
from .serialization import TOP, StateChanges, StoredState, specs_from_json


class Engine:
    """Parses models, loads definitions (cached by content hash) and runs instances."""

    def __init__(self, functions=None, cache_size=256, spec_cache=None,
                 script_budget_seconds=DEFAULT_BUDGET_SECONDS, script_memory_mb=DEFAULT_MEMORY_MB,
                 isolated=True):
        """`functions`: the script functions, a dict or an importable "module:NAME" (which the
        model code workers load by name). `isolated`: model code runs in worker processes,
        bounded in time and memory (model_runner); False runs it here, for tools and tests."""
        self.runner = shared_runner(functions, script_memory_mb) if isolated else None
        self.script_budget_seconds = script_budget_seconds
        self.script_engine = restricted_script_engine(load_functions(functions), script_budget_seconds,
                                                      self.runner, script_memory_mb)
        self._definitions = OrderedDict()
        self._cache_size = cache_size
        self._spec_cache = spec_cache
        self._lock = threading.Lock()   # a threaded server shares one engine

    def parse(self, sources):
        return parse_model_set(sources)

    def definition(self, content_hash, process_id, load_spec_json, load_forms):
        """The runnable definition; `load_spec_json()` and `load_forms()` are only called when
        not cached."""
        if self.runner is not None:
            self.runner.prestart()     # instances will run model code: have a worker ready
        with self._lock:
            cached = self._definitions.get(content_hash)
            if cached is not None:
                self._definitions.move_to_end(content_hash)
                return cached
        spec, subprocess_specs = self._load_specs(content_hash, load_spec_json)
        loaded = Definition(process_id, spec, subprocess_specs, load_forms())
        with self._lock:
            cached = self._definitions.setdefault(content_hash, loaded)
            if len(self._definitions) > self._cache_size:
                self._definitions.popitem(last=False)
        return cached

    def _load_specs(self, content_hash, load_spec_json):
        if self._spec_cache is not None:
            specs = self._spec_cache.load(content_hash)
            if specs is not None:
                return specs
        specs = specs_from_json(load_spec_json())
        if self._spec_cache is not None:
            self._spec_cache.store(content_hash, specs)
            # Used as a fresh process will load it, so that every run goes the same way.
            specs = self._spec_cache.load(content_hash) or specs
        return specs

    def clear(self):
        """Forget the loaded definitions (a fresh process starts without them)."""
        with self._lock:
            self._definitions.clear()

    def call_bounded(self, target, *args):
        """`target` ("module:function") called with `args` bounded like model code (the
        rendering of a model's templates): ModelCodeStopped past the budget or memory."""
        if self.runner is None:
            return resolve(target)(*args)
        return self.runner.call(target, args, self.script_budget_seconds)

    def start(self, definition, data, facts=None):
        return Instance.start(definition, data, self.script_engine, facts)

    def restore(self, definition, stored):
        return Instance.restore(definition, stored, self.script_engine)


__all__ = ["Engine", "Definition", "Instance", "TaskView", "ParsedProcess", "Problem", "ModelSetRefused",
           "TaskNotReady", "FormRejected", "ExecutionFailed", "StateChanges", "StoredState", "TOP",
           "is_model_file", "describe_form_errors", "occurrence_fields", "ModelCodeStopped", "ScriptTimeout",
           "ScriptResourceExceeded"]
