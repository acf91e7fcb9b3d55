"""Login throttling: after N failures for one login from one address, refuse for a while.

Kept in memory, per process: enough for the embedded server (one process, several
threads). Several server processes each count on their own; a shared store (Redis)
would be the next step for such deployments.
"""
import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(self, attempts, window_seconds, clock=time.monotonic):
        self.attempts = attempts
        self.window = window_seconds
        self.clock = clock
        self._failures = defaultdict(deque)
        self._lock = threading.Lock()

    @staticmethod
    def key(username, address):
        return ((username or "").strip().casefold(), address or "")

    def _recent(self, key):
        failures = self._failures[key]
        horizon = self.clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        return failures

    def retry_after(self, username, address):
        """Seconds until the next attempt is allowed; 0 when allowed now."""
        with self._lock:
            failures = self._recent(self.key(username, address))
            if len(failures) < self.attempts:
                return 0
            return max(1, int(failures[0] + self.window - self.clock()) + 1)

    def failed(self, username, address):
        with self._lock:
            self._recent(self.key(username, address)).append(self.clock())

    def succeeded(self, username, address):
        with self._lock:
            self._failures.pop(self.key(username, address), None)
