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
    day_text = "1er" if day.day == 1 else str(day.day)
    text = f"{day_text} {MONTHS_FR[day.month - 1]} {day.year}"
    return f"{WEEKDAYS_FR[day.weekday()]} {text}" if weekday else text
