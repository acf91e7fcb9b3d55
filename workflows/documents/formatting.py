"""French formatting of dates, numbers and amounts, registered as Jinja filters.

The formatters are the domain's (``domain.french_dates``, ``domain.money``): the filters
read the documents' input (ISO strings, numbers) and choose the documents' typography.

Typography: one separator everywhere, the narrow no-break space U+202F (NNBSP),
between thousands groups, before "€" and before "%": "208 000,00 €", "62,5 %".
It is the separator of French typographic usage and of the CLDR "fr" locale, and
Carlito and DejaVu both carry its glyph.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..domain.french_dates import MONTHS_FR, format_date
from ..domain.money import THIN_SPACE, format_eur, format_percentage, group_thousands
from .errors import InvalidData
from .french_numbers import amount_in_words, integer_in_words, ordinal_day

NNBSP = THIN_SPACE  # U+202F


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


def format_number(value, decimals: int = 0) -> str:
    """1000 -> "1 000"; format_number("12.345", 2) -> "12,35"."""
    number = to_decimal(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    text = sign + group_thousands(integer)
    return f"{text},{fraction}" if fraction else text


def format_amount(value) -> str:
    """208000 -> "208 000,00 €"."""
    return format_eur(to_decimal(value), space=NNBSP)


def percentage_text(value, decimals: int = 1) -> str:
    """A value already in percent (not a rate): 62.5 -> "62,5 %", 50 -> "50 %"."""
    return format_percentage(to_decimal(value), places=decimals, space=NNBSP)


def date_text(value, weekday: bool = False) -> str:
    """"27 avril 2023", "1er mai 2026"; weekday=True: "jeudi 27 avril 2023"."""
    return format_date(to_date(value), weekday=weekday)


def date_in_words(value) -> str:
    """"vingt-sept avril deux mille vingt-trois", "premier mai deux mille vingt-six"."""
    day = to_date(value)
    return (
        f"{ordinal_day(day.day)} {MONTHS_FR[day.month - 1]} "
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
    "date_fr": date_text,
    "date_lettres": date_in_words,
    "nombre": format_number,
    "nombre_lettres": number_in_words,
    "montant": format_amount,
    "montant_lettres": amount_words,
    "pourcentage": percentage_text,
}
