"""Jinja filters: dates in the user's language and time zone, labels of states and roles."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_datetime, lazy_gettext as _l

from workflows.roles import role_label
from workflows.states import InstanceStatus

STATUS_LABELS = {InstanceStatus.RUNNING: _l("En cours"), InstanceStatus.COMPLETED: _l("Terminée"),
                 InstanceStatus.ERROR: _l("En erreur")}


def parse_moment(value):
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def is_overdue(due_at, now=None):
    due = parse_moment(due_at)
    return due is not None and due < (now or datetime.now(timezone.utc))


def deadline_day(task):
    """A legal deadline is a day, in the territory's time zone (its end is the due moment)."""
    due = parse_moment(task["due_at"])
    zone = ZoneInfo(task.get("due_time_zone") or "Europe/Paris")
    return format_date(due.astimezone(zone).date(), "long")


def register_filters(app):
    app.jinja_env.filters["datetime"] = lambda v: format_datetime(parse_moment(v), "short") if v else "—"
    app.jinja_env.filters["date"] = lambda v: format_date(parse_moment(v), "medium") if v else "—"
    app.jinja_env.filters["role"] = lambda v: role_label(v) if v else "—"
    app.jinja_env.filters["status"] = lambda v: STATUS_LABELS.get(v, v)
    app.jinja_env.filters["deadline_day"] = deadline_day
    app.jinja_env.tests["overdue"] = is_overdue
