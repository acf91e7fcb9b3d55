"""Public holidays by territory, date-to-date months and legal deadlines."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.calendar import (
    TERRITORIES,
    add_months,
    appeal_deadline,
    executory_date,
    format_date,
    holiday_name,
    is_working_day,
    next_working_day,
    public_holidays,
    territory,
)
from workflows.domain.errors import DomainError

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)


# --- holidays -----------------------------------------------------------------------------


@pytest.mark.parametrize("code, day", [
    ("971", date(2023, 5, 27)),   # Guadeloupe
    ("972", date(2023, 5, 22)),   # Martinique
    ("973", date(2023, 6, 10)),   # Guyane
    ("974", date(2023, 12, 20)),  # La Réunion
    ("976", date(2023, 4, 27)),   # Mayotte
    ("977", date(2023, 10, 9)),   # Saint-Barthélemy
    ("978", date(2023, 5, 28)),   # Saint-Martin
])
def test_abolition_of_slavery_day_is_a_holiday_of_its_territory_only(code, day):
    assert holiday_name(day, code) == "Abolition de l'esclavage"
    assert holiday_name(day, "FR") is None


def test_victor_schoelcher_day_in_martinique_and_guadeloupe():
    assert holiday_name(date(2023, 7, 21), "MQ") == "Fête de Victor Schoelcher"
    assert holiday_name(date(2023, 7, 21), "GP") == "Fête de Victor Schoelcher"
    assert holiday_name(date(2023, 7, 21), "974") is None


def test_alsace_moselle_keeps_good_friday_and_saint_stephen():
    assert holiday_name(date(2023, 4, 7), "57") is not None
    assert holiday_name(date(2023, 12, 26), "67") is not None
    assert holiday_name(date(2023, 12, 26), "FR") is None


def test_metropole_has_the_eleven_national_holidays():
    days = public_holidays("FR", 2023)
    assert len(days) == 11
    assert days[date(2023, 5, 18)] == "Ascension"
    assert days[date(2023, 7, 14)] == "Fête nationale"


def test_every_territory_has_a_calendar():
    for code in TERRITORIES:
        assert date(2024, 12, 25) in public_holidays(code, 2024), code


def test_unknown_territory_gives_a_french_error():
    with pytest.raises(DomainError, match="Territoire inconnu : « 999 »"):
        territory("999")


def test_working_days():
    assert is_working_day(date(2023, 5, 23), "972")       # Tuesday
    assert not is_working_day(date(2023, 5, 22), "972")   # Abolition day in Martinique
    assert is_working_day(date(2023, 5, 22), "FR")
    assert not is_working_day(date(2023, 5, 20), "FR")    # Saturday
    assert next_working_day(date(2023, 5, 20), "972") == date(2023, 5, 23)
    assert next_working_day(date(2023, 5, 23), "972") == date(2023, 5, 23)


# --- months date to date ------------------------------------------------------------------


@pytest.mark.parametrize("start, months, end", [
    (date(2025, 12, 31), 2, date(2026, 2, 28)),
    (date(2023, 12, 31), 2, date(2024, 2, 29)),
    (date(2023, 3, 31), 1, date(2023, 4, 30)),
    (date(2023, 1, 15), 2, date(2023, 3, 15)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2023, 5, 31), -3, date(2023, 2, 28)),
])
def test_add_months(start, months, end):
    assert add_months(start, months) == end


@DETERMINISTIC
@given(st.dates(date(1900, 1, 1), date(2200, 1, 1)), st.integers(0, 36))
def test_add_months_keeps_the_day_or_ends_the_month(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    if end.day != start.day:
        assert end.day < start.day
        assert (end + timedelta(days=1)).day == 1  # the last day of its month


# --- appeal deadline ----------------------------------------------------------------------


def test_appeal_is_a_delai_franc():
    # Received 12 November 2024: appeal still receivable on 13 January 2025.
    assert appeal_deadline(date(2024, 11, 12), "FR") == date(2025, 1, 13)
    assert appeal_deadline(date(2024, 11, 10), "FR", franc=False) == date(2025, 1, 10)


def test_appeal_carried_over_a_weekend():
    # Published Tuesday 3 January 2023: the period ends Saturday 4 March -> Monday 6.
    assert appeal_deadline(date(2023, 1, 3), "FR") == date(2023, 3, 6)
    # Counted plain date to date it ends Friday 3 March, a working day.
    assert appeal_deadline(date(2023, 1, 3), "FR", franc=False) == date(2023, 3, 3)
    # Notified 1 October 2007: ends Sunday 2 December, carried to Monday 3.
    assert appeal_deadline(date(2007, 10, 1), "FR") == date(2007, 12, 3)


def test_appeal_carried_over_the_martinique_abolition_day():
    # Published 21 March 2023: the period ends Monday 22 May, a holiday in Martinique only.
    assert appeal_deadline(date(2023, 3, 21), "972") == date(2023, 5, 23)
    assert appeal_deadline(date(2023, 3, 21), "FR") == date(2023, 5, 22)
    # 2026: Friday 22 May, then the weekend, then Whit Monday -> Tuesday 26 May.
    assert appeal_deadline(date(2026, 3, 22), "972", franc=False) == date(2026, 5, 26)
    assert appeal_deadline(date(2026, 3, 22), "FR", franc=False) == date(2026, 5, 22)


def test_appeal_carried_over_a_metropole_holiday():
    # Published 17 March 2023: ends on Ascension, Thursday 18 May -> Friday 19.
    assert appeal_deadline(date(2023, 3, 17), "FR") == date(2023, 5, 19)
    # Ends on 1 May 2023 (Monday, Fête du Travail) -> Tuesday 2 May.
    assert appeal_deadline(date(2023, 2, 28), "FR") == date(2023, 5, 2)


def test_appeal_from_31_december_ends_with_february():
    assert appeal_deadline(date(2023, 12, 31), "FR", franc=False) == date(2024, 2, 29)
    # 28 February 2026 is a Saturday -> Monday 2 March.
    assert appeal_deadline(date(2025, 12, 31), "FR", franc=False) == date(2026, 3, 2)


@DETERMINISTIC
@given(st.dates(date(2000, 1, 1), date(2060, 12, 31)), st.sampled_from(["FR", "972", "974", "57"]),
       st.booleans())
def test_appeal_deadline_is_the_first_working_day_from_the_anniversary(start, code, franc):
    base = add_months(start, 2) + timedelta(days=1 if franc else 0)
    deadline = appeal_deadline(start, code, franc=franc)
    assert deadline >= base
    assert is_working_day(deadline, code)
    assert all(not is_working_day(base + timedelta(days=i), code)
               for i in range((deadline - base).days))


def test_appeal_from_a_month_end_is_the_anniversary_plus_one_day():
    # Published 30 December 2024: anniversary 28 February 2025, last day Saturday 1 March,
    # carried to Monday 3 March (counting from 31 December would stop on 28 February).
    assert appeal_deadline(date(2024, 12, 30), "FR") == date(2025, 3, 3)
    # Published 31 December 2023: anniversary 29 February 2024 (leap year), last day
    # Friday 1 March.
    assert appeal_deadline(date(2023, 12, 31), "FR") == date(2024, 3, 1)
    # Published 29 December 2025: anniversary Saturday 28 February 2026 -> 1 March,
    # a Sunday -> Monday 2 March.
    assert appeal_deadline(date(2025, 12, 29), "FR") == date(2026, 3, 2)


def _month_ends():
    """The last four days of a month, where date-to-date counting clamps."""
    return st.builds(lambda year, month, back: add_months(date(year, month, 1), 1) - timedelta(days=back),
                     st.integers(2000, 2060), st.integers(1, 12), st.integers(1, 4))


@DETERMINISTIC
@given(_month_ends(), st.sampled_from(["FR", "972", "974"]))
def test_a_delai_franc_from_a_month_end_never_ends_before_the_anniversary_plus_one_day(start, code):
    anniversary = add_months(start, 2)
    deadline = appeal_deadline(start, code)
    assert deadline > anniversary
    assert deadline >= appeal_deadline(start, code, franc=False)
    first = anniversary + timedelta(days=1)
    assert deadline == first or all(not is_working_day(first + timedelta(days=i), code)
                                    for i in range((deadline - first).days))
    assert is_working_day(deadline, code)


# --- executory date and transmission ------------------------------------------------------


def test_executory_date_is_the_later_of_publication_and_receipt():
    assert executory_date(date(2023, 5, 30), date(2023, 6, 2)) == date(2023, 6, 2)
    assert executory_date(date(2023, 6, 5), date(2023, 6, 2)) == date(2023, 6, 5)


def test_not_executory_until_both_are_done():
    assert executory_date(None, date(2023, 6, 2)) is None
    assert executory_date(date(2023, 6, 2), None) is None
    assert executory_date(date(2023, 6, 2), None, transmission_required=False) == date(2023, 6, 2)


@DETERMINISTIC
@given(st.dates(), st.dates())
def test_executory_date_in_either_order(published, received):
    later = max(published, received)
    assert executory_date(published, received) == executory_date(received, published) == later


def test_format_date():
    assert format_date(date(2023, 4, 27)) == "27 avril 2023"
    assert format_date(date(2026, 8, 1)) == "1er août 2026"


def test_long_date_with_its_weekday():
    from workflows.domain.french_dates import format_date as long_date, format_day_month

    assert long_date(date(2026, 12, 5), weekday=True) == "samedi 5 décembre 2026"
    assert (format_day_month(12, 31), format_day_month(5, 1)) == ("31 décembre", "1er mai")
