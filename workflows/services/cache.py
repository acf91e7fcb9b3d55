"""Warm instances kept between steps by a long-running process (server, worker).

An entry is only ever used for the exact version it was saved at: a step reads the
instance row's version and takes the cached object only if it matches (taking removes
it: two steps never share one object), and writes only if the row is still at that
version under its lock; so a change made by another process is never hidden by a stale
object, and the object of a step that could not write is thrown away.
"""
import threading
from collections import OrderedDict


class InstanceCache:
    def __init__(self, size):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def take(self, instance_id, version):
        """Remove and return the instance cached at `version`, or None."""
        with self._lock:
            entry = self._entries.pop(instance_id, None)
        if entry is None or entry[0] != version:
            return None
        return entry[1]

    def put(self, instance_id, version, instance):
        if self.size <= 0:
            return
        with self._lock:
            self._entries[instance_id] = (version, instance)
            self._entries.move_to_end(instance_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()
