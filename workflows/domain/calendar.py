"""Legal calendars: public holidays by territory, working days and legal deadlines.

Public holidays come from the maintained ``holidays`` library (``holidays.France``
and its subdivisions), so the overseas days (abolition of slavery: 22 May in
Martinique, 27 May in Guadeloupe, 10 June in Guyane, 20 December at La Réunion...)
follow the law without being copied here.
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .errors import DomainError
from .french_dates import format_date  # noqa: F401 (the script functions import it from here)
from .legal_delays import legal_value


@dataclass(frozen=True)
class Territory:
    """A territory with its own legal calendar; ``code`` is the INSEE code ("FR" for métropole)."""

    code: str
    label: str
    holidays_subdivision: str | None
    aliases: tuple[str, ...] = ()


_TERRITORIES = (
    Territory("FR", "France métropolitaine", None, ("METROPOLE",)),
    Territory("57", "Moselle", "57"),
    Territory("67", "Bas-Rhin", "6AE"),
    Territory("68", "Haut-Rhin", "6AE"),
    Territory("971", "Guadeloupe", "971", ("GP",)),
    Territory("972", "Martinique", "972", ("MQ",)),
    Territory("973", "Guyane", "973", ("GF", "GY")),
    Territory("974", "La Réunion", "974", ("RE",)),
    Territory("975", "Saint-Pierre-et-Miquelon", "PM", ("PM",)),
    Territory("976", "Mayotte", "976", ("YT",)),
    Territory("977", "Saint-Barthélemy", "BL", ("BL",)),
    Territory("978", "Saint-Martin", "MF", ("MF",)),
    Territory("986", "Wallis-et-Futuna", "WF", ("WF",)),
    Territory("987", "Polynésie française", "PF", ("PF",)),
    Territory("988", "Nouvelle-Calédonie", "NC", ("NC",)),
)
TERRITORIES = {territory.code: territory for territory in _TERRITORIES}
_BY_NAME = {name: t for t in _TERRITORIES for name in (t.code, *t.aliases)}


def territory(code: str) -> Territory:
    """The territory of an INSEE code ("972") or ISO alias ("MQ"); "FR" is métropole."""
    found = _BY_NAME.get(code.strip().upper())
    if found is None:
        known = ", ".join(TERRITORIES)
        raise DomainError(f"Territoire inconnu : « {code} ». Codes connus : {known}.")
    return found


@lru_cache(maxsize=256)
def _holidays_of(subdivision: str | None, year: int) -> dict[date, str]:
    france = holidays.France(subdiv=subdivision, years=year, language="fr")
    return dict(sorted(france.items()))


def public_holidays(territory_code: str, year: int) -> dict[date, str]:
    """Public holidays (jours fériés) of a territory for a year, with their French names."""
    return dict(_holidays_of(territory(territory_code).holidays_subdivision, year))


def holiday_name(day: date, territory_code: str) -> str | None:
    """The French name of the public holiday on ``day``, or None."""
    subdivision = territory(territory_code).holidays_subdivision
    return _holidays_of(subdivision, day.year).get(day)


def is_working_day(day: date, territory_code: str) -> bool:
    """Monday to Friday and not a public holiday of the territory (CPC art. 642)."""
    return day.weekday() < 5 and holiday_name(day, territory_code) is None


def next_working_day(day: date, territory_code: str) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, territory_code):
        day += timedelta(days=1)
    return day


def add_months(start: date, months: int) -> date:
    """Count months date to date ("de quantième à quantième", CPC art. 641).

    When the target month has no such day, the period ends on its last day:
    31 December + 2 months = 28 (or 29) February.
    """
    month_index = start.year * 12 + start.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def appeal_deadline(start: date, territory_code: str, *, franc: bool = True) -> date:
    """Last day to bring an appeal: two months from publication (third parties) or
    receipt (préfet's déféré, CGCT L2131-6), per CJA R421-1.

    ``franc=True`` (the default) follows the Conseil d'État: the appeal time limit is
    a délai franc, so neither the day of publication nor the last day counts and the
    appeal is still receivable on the day after the date-to-date anniversary
    (published 12 November -> last day 13 January). ``franc=False`` counts plain date
    to date (published 12 November -> 12 January). Either way a period ending on a
    Saturday, Sunday or public holiday of the territory runs to the next working day.

    The anniversary is taken from the day of publication itself, then the day is
    added: at a month end the two orders differ (published 30 December 2024: anniversary
    28 February 2025, last day 1 March, a Saturday, carried to Monday 3 March; counting
    from 31 December would stop on 28 February).
    """
    months = legal_value("recours_mois", start).value
    anniversary = add_months(start, months)
    last_day = anniversary + timedelta(days=1) if franc else anniversary
    return next_working_day(last_day, territory_code)


def executory_date(
    published_on: date | None,
    prefecture_receipt_on: date | None,
    *,
    transmission_required: bool = True,
) -> date | None:
    """The date an act becomes executory (CGCT L2131-1), or None while it is not.

    An act is executory once it is both published (or notified) and received by the
    préfecture, in either order: the later of the two dates. Acts outside the list of
    L2131-2 need no transmission and are executory on publication.
    """
    if published_on is None:
        return None
    if not transmission_required:
        return published_on
    if prefecture_receipt_on is None:
        return None
    return max(published_on, prefecture_receipt_on)

