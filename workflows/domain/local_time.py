"""Hours in the territory's own time: a bid deadline at noon in Martinique is noon in
Fort-de-France, whatever the server's clock. The models' timers are written with these
moments (through the script functions), so that the due time carries its UTC offset
(daylight saving included)."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .calendar import territory

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
