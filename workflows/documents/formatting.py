"""French formatting of dates, numbers and amounts, registered as Jinja filters.

Typography: one separator everywhere, the narrow no-break space U+202F (NNBSP),
between thousands groups, before "€" and before "%": "208 000,00 €", "62,5 %".
It is the separator of French typographic usage and of the CLDR "fr" locale, and
Carlito and DejaVu both carry its glyph.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InvalidData
from .french_numbers import amount_in_words, integer_in_words, ordinal_day

NNBSP = "\u202f"
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def to_date(value) -> date:
    """A date from a date, a datetime or an ISO string ("2023-04-27")."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise InvalidData(f"Date invalide : {value!r} (format attendu AAAA-MM-JJ).")


def to_decimal(value) -> Decimal:
    """A Decimal from an int, a Decimal, a float or a string ("208000.50",
    "208 000,50"). Floats go through str() so 0.1 stays 0.1."""
    if isinstance(value, bool):
        raise InvalidData(f"Nombre invalide : {value!r}.")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        cleaned = "".join(value.split()).replace(NNBSP, "").replace(",", ".")
        try:
            return Decimal(cleaned.removesuffix("€"))
        except InvalidOperation:
            pass
    raise InvalidData(f"Nombre invalide : {value!r}.")


def _group_thousands(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NNBSP.join(groups)


def format_number(value, decimals: int = 0) -> str:
    """1000 -> "1 000"; format_number("12.345", 2) -> "12,35"."""
    number = to_decimal(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    text = sign + _group_thousands(integer)
    return f"{text},{fraction}" if fraction else text


def format_amount(value) -> str:
    """208000 -> "208 000,00 €"."""
    return format_number(value, 2) + NNBSP + "€"


def format_percent(value, decimals: int = 1) -> str:
    """A value already in percent: 62.5 -> "62,5 %", 50 -> "50 %"."""
    text = format_number(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + NNBSP + "%"


def format_date(value, weekday: bool = False) -> str:
    """"27 avril 2023", "1er mai 2026"; weekday=True: "jeudi 27 avril 2023"."""
    day = to_date(value)
    text = f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def date_in_words(value) -> str:
    """"vingt-sept avril deux mille vingt-trois", "premier mai deux mille vingt-six"."""
    day = to_date(value)
    return (
        f"{ordinal_day(day.day)} {MONTHS[day.month - 1]} "
        f"{integer_in_words(day.year)}"
    )


def number_in_words(value) -> str:
    """An integer in words: 38 -> "trente-huit"."""
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise InvalidData(f"Nombre entier attendu : {value!r}.")
    return integer_in_words(int(number))


def amount_words(value) -> str:
    """208000 -> "deux cent huit mille euros" (centimes included when present)."""
    return amount_in_words(to_decimal(value))


FILTERS = {
    "date_fr": format_date,
    "date_lettres": date_in_words,
    "nombre": format_number,
    "nombre_lettres": number_in_words,
    "montant": format_amount,
    "montant_lettres": amount_words,
    "pourcentage": format_percent,
}
