"""Amounts of money: ``Decimal`` euros rounded to the cent, never floats."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import DomainError

CENT = Decimal("0.01")
THIN_SPACE = "\u202f"  # French thousands separator (espace fine insécable)
NO_BREAK_SPACE = "\u00a0"


def to_money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as euros rounded half-up to the cent.

    Floats are refused: ``0.1 + 0.2`` is not a sum a public accountant accepts.
    """
    if isinstance(value, (float, bool)):
        raise TypeError(f"Montant {value!r} refusé : utilisez Decimal, int ou str, jamais float.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"Montant invalide : {value!r}.") from None
    if not amount.is_finite():
        raise DomainError(f"Montant invalide : {value!r}.")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_rate(value: Decimal | int | str) -> Decimal:
    """Return a rate (0.04 for 4 %) as a Decimal between 0 and 1 inclusive."""
    if isinstance(value, (float, bool)):
        raise TypeError(f"Taux {value!r} refusé : utilisez Decimal ou str, jamais float.")
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"Taux invalide : {value!r}.") from None
    if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(1):
        raise DomainError(f"Taux invalide : {value!r} (attendu entre 0 et 1).")
    return rate


def group_thousands(digits: str) -> str:
    """``"208000"`` -> ``"208 000"``: groups of three digits joined by the narrow no-break space."""
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return THIN_SPACE.join(groups)


def format_eur(amount: Decimal | int | str, *, space: str = NO_BREAK_SPACE) -> str:
    """French display: ``Decimal("20800")`` -> ``"20 800,00 €"``; ``space`` goes before
    the sign (the documents set the narrow one, the messages keep the no-break space)."""
    money = to_money(amount)
    sign = "-" if money < 0 else ""
    units, cents = f"{abs(money):.2f}".split(".")
    return f"{sign}{group_thousands(units)},{cents}{space}€"


def format_percentage(percent: Decimal | int, *, places: int | None = None,
                      space: str = NO_BREAK_SPACE) -> str:
    """A value already in percent: ``62.5`` -> ``"62,5 %"``, ``Decimal("97.80")`` -> ``"97,8 %"``.

    ``places`` rounds half up to that many decimals (None keeps every digit); trailing
    zeros are dropped either way. ``space`` goes before the sign, as in :func:`format_eur`.
    """
    value = Decimal(percent)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    units, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{sign}{group_thousands(units)}{',' + fraction if fraction else ''}{space}%"


def format_percent(rate: Decimal) -> str:
    """A rate as a French percentage: ``Decimal("0.04")`` -> ``"4 %"``, ``0.125`` -> ``"12,5 %"``."""
    return format_percentage(rate * 100)


def rate_as_percentage(rate: Decimal) -> Decimal:
    """The percentage a form or a document states for a rate: 0.5 -> 50, 0.125 -> 12.5."""
    percent = rate * 100
    return percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent.normalize()


def percentage_as_rate(percent: Decimal | int) -> Decimal:
    """The rate of a percentage a form or a document states: 50 -> 0.5."""
    if isinstance(percent, (float, bool)) or not Decimal(percent).is_finite() \
            or not Decimal(0) <= Decimal(percent) <= Decimal(100):
        raise DomainError(f"Pourcentage invalide : {percent} (attendu entre 0 et 100).")
    return Decimal(percent) / 100
