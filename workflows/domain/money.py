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


def format_eur(amount: Decimal | int | str) -> str:
    """French display: ``Decimal("20800")`` -> ``"20 800,00 €"`` (non-breaking spaces)."""
    money = to_money(amount)
    sign = "-" if money < 0 else ""
    units, cents = f"{abs(money):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{THIN_SPACE.join(groups)},{cents}{NO_BREAK_SPACE}€"


def format_percent(rate: Decimal) -> str:
    """French display of a rate: ``Decimal("0.04")`` -> ``"4 %"``, ``0.125`` -> ``"12,5 %"``."""
    percent = (rate * 100).normalize()
    text = f"{percent:f}".replace(".", ",")
    return f"{text}{NO_BREAK_SPACE}%"
