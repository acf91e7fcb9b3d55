"""Script functions of the territory, for every phase: its name, and the hours of its own
clock that the models' timers are written with (a bid deadline at noon in Martinique is noon
in Fort-de-France, whatever the server's clock: the due time carries its UTC offset).
"""
from datetime import time

from ..domain.calendar import territory
from ..domain.errors import DomainError
from ..domain.local_time import local_moment
from .conversions import day


def nommer_territoire(code: str) -> str:
    """The territory's name ("972" -> "Martinique"); refuses an unknown code."""
    if not isinstance(code, str):
        raise DomainError("Territoire non renseigné : indiquez le code INSEE du territoire "
                          "(« 972 » pour la Martinique, « FR » pour la métropole).")
    return territory(code).label


# --- local time -----------------------------------------------------------------------


def calculer_heure_locale(date_jour: str, heure: str, territoire: str) -> str:
    """« 2027-05-20 », « 12:00 », « 972 » → « 2027-05-20T12:00:00-04:00 »: the moment in the
    territory's time, as a timer reads it."""
    try:
        at = time.fromisoformat(heure)
    except (TypeError, ValueError):
        raise DomainError(f"Heure invalide : {heure!r} (format HH:MM attendu).") from None
    return local_moment(day(date_jour), at, territoire).isoformat()


def calculer_fin_de_journee(date_jour: str, territoire: str) -> str:
    """The last second of the day in the territory: a deadline « au plus tard le » that day."""
    return calculer_heure_locale(date_jour, "23:59:59", territoire)


def calculer_debut_de_journee(date_jour: str, territoire: str) -> str:
    """Midnight at the start of the day in the territory."""
    return calculer_heure_locale(date_jour, "00:00:00", territoire)


VERBS = (
    nommer_territoire, calculer_heure_locale, calculer_fin_de_journee, calculer_debut_de_journee,
)
