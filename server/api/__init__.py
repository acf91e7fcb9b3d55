"""The JSON API under /api/v1: bearer token or session (with its CSRF token for writes)."""
from . import draft_routes, handover_routes, ledger_routes, routes  # noqa: F401  (register the routes on bp)
from .blueprint import bp  # noqa: F401
