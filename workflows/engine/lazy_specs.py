"""Process definitions pickled task spec by task spec, unpickled as a step reads them.

A definition of 500 tasks takes 3 to 7 ms to unpickle whole: most of a cold step, which
reads a handful of its specs. `encode` pickles the process specs without their task
specs (the skeleton), then each task spec apart; `decode` gives process specs whose
`task_specs` is a `LazyTaskSpecs`, which unpickles a task spec the first time it is read.

The objects are the ones a whole pickle gives, shared as they were: an object reached
from the skeleton, or from more than one task spec (the process spec, its start and end
specs, a spec another one holds a callback of), is pickled once, in the skeleton, and
the task specs refer to it by a persistent id; an object only one task spec reaches is
pickled with that spec. Immutable atoms (strings, numbers, functions) are copied by value,
as they compare by value. A spec is unpickled once, under a lock (a threaded server
shares its definitions), so it is the same object for every task that reads it.
"""
import io
import pickle
import threading
import types
from collections.abc import MutableMapping

from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.specs.WorkflowSpec import WorkflowSpec

# Copied by value into each pickle. Not classes: one that several specs use is named once, in
# the skeleton, rather than in each of their pickles.
ATOMS = (str, bytes, int, float, complex, bool, type(None), types.FunctionType, types.BuiltinFunctionType)
PROTOCOL = pickle.HIGHEST_PROTOCOL


def encode(specs):
    """The bytes of (spec, subprocess_specs), for `decode`."""
    processes = list({id(p): p for p in (specs[0], *specs[1].values())}.values())
    mappings = {id(p.task_specs): index for index, p in enumerate(processes)}
    all_specs = {id(s): s for p in processes for s in p.task_specs.values()}
    reached = {}           # id -> (object, the task spec that reached it first)
    shared = {}            # id -> object: reached from two task specs, or held by one
    for spec in all_specs.values():
        for obj in _walk(spec, _SpecWalk(spec, mappings, all_specs)):
            first = reached.setdefault(id(obj), (obj, spec))[1]
            if first is not spec or isinstance(obj, (TaskSpec, WorkflowSpec)):
                shared[id(obj)] = obj
    skeleton_objects = _walk((specs, list(shared.values())), _SkeletonWalk(mappings))
    shared = [obj for obj in skeleton_objects
              if id(obj) in reached or isinstance(obj, (TaskSpec, WorkflowSpec))]
    index = {id(obj): position for position, obj in enumerate(shared)}
    skeleton = _dumps((specs, shared), _Refs(mappings, {}))
    tables = [[(name, index[id(s)] if id(s) in index else _dumps(s, _Refs(mappings, index)))
               for name, s in p.task_specs.items()] for p in processes]
    return pickle.dumps((skeleton, tables), protocol=PROTOCOL)


def decode(payload):
    """(spec, subprocess_specs) from `encode`'s bytes, task specs unpickled when read."""
    skeleton, tables = pickle.loads(payload)
    mappings = [LazyTaskSpecs() for _ in tables]
    specs, shared = _Loader(io.BytesIO(skeleton), mappings, ()).load()
    for mapping, table in zip(mappings, tables):
        mapping.fill(table, shared, mappings)
    return specs


class LazyTaskSpecs(MutableMapping):
    """A process spec's task specs by name, each unpickled the first time it is read."""

    def __init__(self):
        self._entries = {}      # name -> task spec, or its pickle until first read
        self._shared = self._mappings = ()
        self._lock = threading.Lock()

    def fill(self, table, shared, mappings):
        self._shared, self._mappings = shared, mappings
        self._entries = {name: shared[entry] if isinstance(entry, int) else entry for name, entry in table}

    def __getitem__(self, name):
        spec = self._entries[name]
        return self._load(name) if type(spec) is bytes else spec

    def get(self, name, default=None):
        spec = self._entries.get(name, default)
        return self._load(name) if type(spec) is bytes else spec

    def _load(self, name):
        with self._lock:
            spec = self._entries[name]
            if type(spec) is bytes:
                spec = self._entries[name] = _Loader(io.BytesIO(spec), self._mappings, self._shared).load()
        return spec

    def __contains__(self, name):
        return name in self._entries

    def __iter__(self):
        return iter(self._entries)

    def __len__(self):
        return len(self._entries)

    def __setitem__(self, name, spec):
        self._entries[name] = spec

    def __delitem__(self, name):
        del self._entries[name]

    def __reduce__(self):
        # Pickled again (a copy of the definition), it is the plain dict it stands for.
        return dict, (list(self.items()),)


class _Refs:
    """Which objects a pickle refers to instead of holding: ("m", n) is the n-th process's
    task specs, ("s", n) the n-th shared object."""

    def __init__(self, mappings, shared_index):
        self.mappings, self.shared_index = mappings, shared_index

    def __call__(self, obj):
        if _is_atom(obj):
            return None
        mapping = self.mappings.get(id(obj))
        if mapping is not None:
            return "m", mapping
        position = self.shared_index.get(id(obj))
        return None if position is None else ("s", position)


class _Pickler(pickle.Pickler):
    def __init__(self, file, persistent):
        super().__init__(file, protocol=PROTOCOL)
        self._persistent = persistent

    def persistent_id(self, obj):
        return self._persistent(obj)


def _dumps(obj, refs):
    out = io.BytesIO()
    _Pickler(out, refs).dump(obj)
    return out.getvalue()


class _SpecWalk:
    """Records what a pickle of one task spec holds, and the task and process specs it
    refers to, where it stops: their own pickles hold them."""

    def __init__(self, root, mappings, task_specs):
        self.root, self.mappings, self.task_specs = root, mappings, task_specs
        self.seen = {}

    def __call__(self, obj):
        if _is_atom(obj) or obj is self.root:
            return None
        if id(obj) in self.mappings:
            return "m"
        self.seen.setdefault(id(obj), obj)
        return "stop" if id(obj) in self.task_specs or isinstance(obj, WorkflowSpec) else None


class _SkeletonWalk:
    """Records what a pickle of the skeleton holds: all it reaches but the task specs' mappings."""

    def __init__(self, mappings):
        self.mappings = mappings
        self.seen = {}

    def __call__(self, obj):
        if _is_atom(obj):
            return None
        if id(obj) in self.mappings:
            return "m"
        self.seen.setdefault(id(obj), obj)
        return None


def _walk(root, walk):
    """The objects `walk` saw in a pickle of `root`, each once (kept alive by the caller, so
    that their ids stay theirs)."""
    _Pickler(_Discard(), walk).dump(root)
    return list(walk.seen.values())


def _is_atom(obj):
    return isinstance(obj, ATOMS) or (type(obj) is tuple and not obj)


class _Discard:
    def write(self, data):
        return len(data)


class _Loader(pickle.Unpickler):
    def __init__(self, file, mappings, shared):
        super().__init__(file)
        self._mappings, self._shared = mappings, shared

    def persistent_load(self, pid):
        kind, position = pid
        return self._mappings[position] if kind == "m" else self._shared[position]
