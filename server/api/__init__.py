"""The JSON API under /api/v1: bearer token or session (with its CSRF token for writes)."""
from . import routes  # noqa: F401  (registers the routes on bp)
from .blueprint import bp  # noqa: F401
