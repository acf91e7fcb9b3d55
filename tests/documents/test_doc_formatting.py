"""French formatting filters, checked against exact strings."""

from datetime import date
from decimal import Decimal

import pytest

from workflows.documents.errors import InvalidData
from workflows.documents.formatting import (
    FILTERS, NNBSP, amount_words, date_in_words, date_text, format_amount, format_number,
    number_in_words, percentage_text, to_date, to_decimal,
)
from workflows.documents.french_numbers import amount_in_words, integer_in_words

WORDS = {
    0: "zéro", 1: "un", 16: "seize", 17: "dix-sept", 20: "vingt", 21: "vingt et un",
    22: "vingt-deux", 31: "trente et un", 61: "soixante et un", 70: "soixante-dix",
    71: "soixante et onze", 72: "soixante-douze", 79: "soixante-dix-neuf",
    80: "quatre-vingts", 81: "quatre-vingt-un", 88: "quatre-vingt-huit",
    90: "quatre-vingt-dix", 91: "quatre-vingt-onze", 99: "quatre-vingt-dix-neuf",
    100: "cent", 101: "cent un", 180: "cent quatre-vingts", 200: "deux cents",
    201: "deux cent un", 280: "deux cent quatre-vingts", 999: "neuf cent quatre-vingt-dix-neuf",
    1000: "mille", 1001: "mille un", 1080: "mille quatre-vingts", 2000: "deux mille",
    21_000: "vingt et un mille", 80_000: "quatre-vingt mille",
    200_000: "deux cent mille", 208_000: "deux cent huit mille",
    280_000: "deux cent quatre-vingt mille", 1_000_000: "un million",
    2_000_000: "deux millions", 80_000_000: "quatre-vingts millions",
    200_000_000: "deux cents millions", 1_000_000_000: "un milliard",
    1_234_567: "un million deux cent trente-quatre mille cinq cent soixante-sept",
    2023: "deux mille vingt-trois",
}


@pytest.mark.parametrize(("number", "words"), WORDS.items())
def test_integer_in_words(number, words):
    assert integer_in_words(number) == words


def test_negative_and_invalid_integers():
    assert integer_in_words(-21) == "moins vingt et un"
    with pytest.raises(TypeError):
        integer_in_words(1.5)


@pytest.mark.parametrize(("amount", "words"), [
    ("208000", "deux cent huit mille euros"),
    ("0", "zéro euro"),
    ("1", "un euro"),
    ("2", "deux euros"),
    ("0.01", "un centime"),
    ("0.50", "cinquante centimes"),
    ("80", "quatre-vingts euros"),
    ("200", "deux cents euros"),
    ("1.50", "un euro et cinquante centimes"),
    ("21.21", "vingt et un euros et vingt et un centimes"),
    ("1000000", "un million d'euros"),
    ("2000000.80", "deux millions d'euros et quatre-vingts centimes"),
    ("1000200", "un million deux cents euros"),
    ("217027.20", "deux cent dix-sept mille vingt-sept euros et vingt centimes"),
    ("10.005", "dix euros et un centime"),  # rounded half up to the centime
])
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize(("value", "text"), [
    (208000, "208\u202f000,00\u202f€"),
    ("208000.5", "208\u202f000,50\u202f€"),
    (Decimal("1234567.891"), "1\u202f234\u202f567,89\u202f€"),
    (0, "0,00\u202f€"),
    (999, "999,00\u202f€"),
    ("-1500", "-1\u202f500,00\u202f€"),
    (0.1, "0,10\u202f€"),
])
def test_format_amount(value, text):
    assert format_amount(value) == text


def test_one_separator_everywhere():
    assert NNBSP == "\u202f"
    assert format_number(20800) == "20\u202f800"
    assert format_number(Decimal("12.345"), 2) == "12,35"
    assert percentage_text(Decimal("62.5")) == "62,5\u202f%"
    assert percentage_text(50) == "50\u202f%"
    assert percentage_text(Decimal("97.80")) == "97,8\u202f%"
    assert percentage_text("41.65") == "41,7\u202f%"


@pytest.mark.parametrize(("value", "text"), [
    ("2023-04-27", "27 avril 2023"),
    ("2026-05-01", "1er mai 2026"),
    (date(2024, 2, 29), "29 février 2024"),
    ("2023-12-31T18:30:00", "31 décembre 2023"),
])
def test_date_text(value, text):
    assert date_text(value) == text


def test_dates_with_weekday_and_in_words():
    assert date_text("2023-04-27", weekday=True) == "jeudi 27 avril 2023"
    assert date_in_words("2023-04-27") == "vingt-sept avril deux mille vingt-trois"
    assert date_in_words("2026-05-01") == "premier mai deux mille vingt-six"
    assert date_in_words("2021-03-21") == "vingt et un mars deux mille vingt et un"


def test_filters_on_strings_as_stored_in_process_data():
    assert amount_words("208 000,00") == "deux cent huit mille euros"
    assert number_in_words("38") == "trente-huit"
    assert to_decimal("1\u202f000,5") == Decimal("1000.5")


@pytest.mark.parametrize("bad", ["27/04/2023", "", None, 20230427])
def test_bad_dates_fail_in_french(bad):
    with pytest.raises(InvalidData, match="Date invalide"):
        to_date(bad)


@pytest.mark.parametrize("bad", ["douze", True, None, "1,2,3"])
def test_bad_numbers_fail_in_french(bad):
    with pytest.raises(InvalidData, match="Nombre invalide"):
        to_decimal(bad)


def test_number_in_words_refuses_fractions():
    with pytest.raises(InvalidData, match="entier"):
        number_in_words("1.5")


def test_the_filters_are_the_domains_formatters_in_the_documents_typography():
    """One home per meaning: a long date, a percentage, an amount read the same in a
    document as in the domain's messages, save the space before the sign."""
    from workflows.domain.french_dates import format_date
    from workflows.domain.money import format_eur, format_percent

    assert FILTERS["date_fr"]("2026-12-05") == format_date(date(2026, 12, 5)) == "5 décembre 2026"
    assert FILTERS["pourcentage"](50) == format_percent(Decimal("0.5")).replace("\u00a0", NNBSP)
    assert FILTERS["montant"]("20800") == format_eur(Decimal("20800")).replace("\u00a0", NNBSP)
