"""Dates as French readers write them: the one home of the long date, for the domain's
messages and the documents' ``date_fr`` filter alike.

Kept apart from ``calendar`` (which reads its legal delays) so that the delays can name
a date in their refusals without an import cycle.
"""
from datetime import date

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_date(day: date, *, weekday: bool = False) -> str:
    """French long date: ``date(2023, 4, 27)`` -> ``"27 avril 2023"`` (1er for the first);
    ``weekday=True`` -> ``"jeudi 27 avril 2023"``."""
    text = f"{format_day_month(day.month, day.day)} {day.year}"
    return f"{WEEKDAYS_FR[day.weekday()]} {text}" if weekday else text


def format_day_month(month: int, day: int) -> str:
    """A day of any year: ``(12, 31)`` -> ``"31 décembre"``, ``(5, 1)`` -> ``"1er mai"``."""
    return f"{'1er' if day == 1 else day} {MONTHS_FR[month - 1]}"
