"""Due times in the territory's own time, with the UTC offset of that day."""
from datetime import datetime, timezone

import pytest

from workflows.domain.calendar import TERRITORIES
from workflows.domain.errors import DomainError
from workflows.domain.local_time import TIME_ZONES
from workflows.model_functions.territory import calculer_debut_de_journee, calculer_fin_de_journee, calculer_heure_locale


def test_noon_in_martinique_is_four_in_the_afternoon_utc():
    moment = calculer_heure_locale("2027-05-20", "12:00", "972")
    assert moment == "2027-05-20T12:00:00-04:00"
    assert datetime.fromisoformat(moment).astimezone(timezone.utc).hour == 16


def test_mainland_follows_daylight_saving_time():
    assert calculer_fin_de_journee("2027-01-15", "FR") == "2027-01-15T23:59:59+01:00"
    assert calculer_fin_de_journee("2027-07-15", "FR") == "2027-07-15T23:59:59+02:00"
    assert calculer_debut_de_journee("2027-12-01", "974") == "2027-12-01T00:00:00+04:00"


def test_every_territory_of_the_calendar_has_its_time_zone():
    assert set(TIME_ZONES) == set(TERRITORIES)


@pytest.mark.parametrize("args, message", [
    (("2027-05-20", "midi", "972"), "Heure invalide"),
    (("20/05/2027", "12:00", "972"), "Date invalide"),
    (("2027-05-20", "12:00", "Atlantide"), "Territoire"),
])
def test_bad_values_are_refused_in_french(args, message):
    with pytest.raises(DomainError, match=message):
        calculer_heure_locale(*args)
