"""@ctes act metadata and money amounts."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.acts import (
    ActNature,
    act_nature,
    act_number_error,
    is_valid_act_number,
    suggest_act_number,
)
from workflows.domain.errors import DomainError
from workflows.domain.money import format_eur, format_percent, to_money, to_rate

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)


@pytest.mark.parametrize("number", ["CC_04_2023_095", "2023_095", "A", "123456789012345"])
def test_valid_act_numbers(number):
    assert is_valid_act_number(number)


@pytest.mark.parametrize("number", ["", "cc_04", "CC-04-2023-095", "1234567890123456", "DÉLIB1",
                                    "ABC\n", "AB C"])
def test_invalid_act_numbers(number):
    assert not is_valid_act_number(number)


def test_the_seed_number_is_refused_with_a_suggestion():
    message = act_number_error("CC-04-2023-095")
    assert message.startswith("Numéro d'acte « CC-04-2023-095 » refusé par @ctes")
    assert "Proposition : « CC_04_2023_095 »" in message


def test_suggestion():
    assert suggest_act_number("délib n°12") == "DELIB_N_12"
    assert suggest_act_number("BC-11-2022/236") == "BC_11_2022_236"
    assert suggest_act_number("une référence bien trop longue") is None


@DETERMINISTIC
@given(st.text(max_size=30))
def test_a_suggestion_is_always_valid(text):
    suggestion = suggest_act_number(text)
    assert suggestion is None or is_valid_act_number(suggestion)


def test_act_natures():
    assert [n.value for n in ActNature] == [1, 2, 3, 4, 5, 6]
    assert act_nature(1).label == "Délibération"
    assert act_nature("4").label == "Contrat, convention ou avenant"
    assert act_nature(5).label == "Document budgétaire et financier"
    with pytest.raises(DomainError, match="Nature d'acte inconnue"):
        act_nature(7)


def test_money_is_decimal_rounded_to_the_cent():
    assert to_money("10.005") == Decimal("10.01")
    assert to_money(20_000) == Decimal("20000.00")
    with pytest.raises(TypeError):
        to_money(10.0)
    with pytest.raises(DomainError):
        to_money("dix euros")
    with pytest.raises(DomainError):
        to_rate("1.2")


def test_french_formats():
    assert format_eur(Decimal("20800")) == "20\u202f800,00\u00a0€"
    assert format_eur(Decimal("-5")) == "-5,00\u00a0€"
    assert format_eur(999) == "999,00\u00a0€"
    assert format_percent(Decimal("0.125")) == "12,5\u00a0%"


def test_one_percentage_formatter_for_rates_and_percentages():
    from workflows.domain.money import format_percentage, percentage_as_rate, rate_as_percentage

    assert format_percentage(Decimal("62.5")) == "62,5\u00a0%"
    assert format_percentage(Decimal("41.65"), places=1, space="\u202f") == "41,7\u202f%"
    assert format_percentage(Decimal("97.80"), places=1) == "97,8\u00a0%"
    assert format_percentage(1500) == "1\u202f500\u00a0%"
    assert format_percent(Decimal("0.04")) == format_percentage(4) == "4\u00a0%"
    assert (rate_as_percentage(Decimal("0.5")), rate_as_percentage(Decimal("0.7617"))) == (50, Decimal("76.17"))
    assert str(rate_as_percentage(Decimal("0.5"))) == "50"
    assert percentage_as_rate(Decimal(50)) == Decimal("0.5")
    with pytest.raises(DomainError, match="Pourcentage invalide : 120"):
        percentage_as_rate(Decimal(120))
