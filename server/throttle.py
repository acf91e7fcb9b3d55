"""Login throttling: after N failures for one login from one address, or M failures from one
address whatever the names tried (CONVENTIO_LOGIN_ATTEMPTS_PER_ADDRESS), refuse for a while.
A success forgets its login's failures, never its address's.

The failures are rows of the database (workflows.services.logins), so every server
process behind the same database counts them together. Two processes checking at the
same instant may each let one more attempt through: a few attempts, never a free run.

The address is the client's: X-Forwarded-For is read only when the request comes from
one of CONVENTIO_TRUSTED_PROXIES; anyone else could write any address there.
"""
import ipaddress
import math
from datetime import timedelta

from flask import request

from workflows.services.logins import clear_failures, nth_recent_failure, record_failure
from workflows.services.steps import utc_now

from .context import web_settings


class LoginThrottle:
    def __init__(self, app, attempts, window_seconds, clock=utc_now, attempts_per_address=0):
        self.app = app              # the Conventio whose database keeps the failures
        self.attempts = attempts
        self.attempts_per_address = attempts_per_address   # 0: no limit per address alone
        self.window = timedelta(seconds=window_seconds)
        self.clock = clock

    def retry_after(self, username, address):
        """Seconds until the next attempt is allowed; 0 when allowed now."""
        now = self.clock()
        limits = [(username, self.attempts)]
        if self.attempts_per_address:
            limits.append((None, self.attempts_per_address))    # the address, whatever the name
        return max(self._wait(name, address, attempts, now) for name, attempts in limits)

    def _wait(self, username, address, attempts, now):
        # Blocked while `attempts` failures are within the window: until the oldest of them leaves it.
        oldest = nth_recent_failure(self.app, username, address, now - self.window, attempts)
        if oldest is None:
            return 0
        return max(1, math.ceil((oldest + self.window - now).total_seconds()))

    def failed(self, username, address):
        now = self.clock()
        record_failure(self.app, username, address, now, forget_before=now - self.window)

    def succeeded(self, username, address):
        clear_failures(self.app, username, address)


def _address(text):
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:       # [2001:db8::1]:443
        text = text[1:text.index("]")]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address    # ::ffff:10.0.0.1 is 10.0.0.1


def resolve_client(remote_addr, forwarded_for, trusted):
    """The client's address: the peer's, unless the peer is a trusted proxy; then the
    X-Forwarded-For hops read from the right (the nearest), skipping trusted proxies: the
    first untrusted hop is the client. Hops on the left of it were written by the client
    and prove nothing."""
    peer = _address(remote_addr)
    if peer is None:
        return remote_addr or ""

    def is_trusted(address):
        return any(address in network for network in trusted if address.version == network.version)

    client = peer
    if not is_trusted(peer):
        return str(peer)
    for hop in reversed([part for header in forwarded_for for part in header.split(",")]):
        address = _address(hop)
        if address is None:     # garbage: keep the last hop we could read
            break
        client = address
        if not is_trusted(address):
            break
    return str(client)


def client_address():
    """The address of the current request's client (see resolve_client)."""
    return resolve_client(request.remote_addr, request.headers.getlist("X-Forwarded-For"),
                          web_settings().trusted_proxies)
