"""Hours in the territory's own time: a bid deadline at noon in Martinique is noon in
Fort-de-France, whatever the server's clock. Timers of the models are written with these
functions, so that the due time carries its UTC offset (daylight saving included)."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .calendar import territory
from .errors import DomainError
from .json_values import day

TIME_ZONES = {
    "FR": "Europe/Paris", "57": "Europe/Paris", "67": "Europe/Paris", "68": "Europe/Paris",
    "971": "America/Guadeloupe", "972": "America/Martinique", "973": "America/Cayenne",
    "974": "Indian/Reunion", "975": "America/Miquelon", "976": "Indian/Mayotte",
    "977": "America/St_Barthelemy", "978": "America/Marigot", "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti", "988": "Pacific/Noumea",
}


def zone_of(territory_code: str) -> ZoneInfo:
    return ZoneInfo(TIME_ZONES[territory(territory_code).code])


def local_moment(on: date, at: time, territory_code: str) -> datetime:
    return datetime.combine(on, at, zone_of(territory_code))


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


LOCAL_TIME_FUNCTIONS = (calculer_heure_locale, calculer_fin_de_journee, calculer_debut_de_journee)
