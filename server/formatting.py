"""Jinja filters: dates in the user's language and time zone, labels of states and roles."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_location
from flask_babel import format_date, format_datetime, get_locale, lazy_gettext as _l

from workflows.roles import role_label
from workflows.states import InstanceStatus

PAGES_TIME_ZONE = "Europe/Paris"   # the pages' own (BABEL_DEFAULT_TIMEZONE), named nowhere
STATUS_LABELS = {InstanceStatus.RUNNING: _l("En cours"), InstanceStatus.COMPLETED: _l("Terminée"),
                 InstanceStatus.ERROR: _l("En erreur")}


def parse_moment(value):
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def is_overdue(due_at, now=None):
    due = parse_moment(due_at)
    return due is not None and due < (now or datetime.now(timezone.utc))


def moment(value, time_zone=None):
    """A moment as the pages show it; in `time_zone` (a territory's) named after it when that is
    not the pages' own: « 12/11/2026 08:00 (heure : Martinique) »."""
    if not value:
        return "—"
    if not time_zone or time_zone == PAGES_TIME_ZONE:
        return format_datetime(parse_moment(value), "short")
    local = parse_moment(value).astimezone(ZoneInfo(time_zone))
    return f"{format_datetime(local, 'short', rebase=False)} ({get_timezone_location(time_zone, locale=get_locale())})"


def deadline_day(task):
    """A legal deadline is a day, in the territory's time zone (its end is the due moment)."""
    due = parse_moment(task["due_at"])
    zone = ZoneInfo(task.get("due_time_zone") or PAGES_TIME_ZONE)
    return format_date(due.astimezone(zone).date(), "long")


def register_filters(app):
    app.jinja_env.filters["datetime"] = moment
    app.jinja_env.filters["date"] = lambda v: format_date(parse_moment(v), "medium") if v else "—"
    app.jinja_env.filters["role"] = lambda v: role_label(v) if v else "—"
    app.jinja_env.filters["status"] = lambda v: STATUS_LABELS.get(v, v)
    app.jinja_env.filters["deadline_day"] = deadline_day
    app.jinja_env.tests["overdue"] = is_overdue
