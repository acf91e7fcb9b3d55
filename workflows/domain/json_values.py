"""Plain JSON values in and out of the domain, for the functions model scripts call."""
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import DomainError


def day(value) -> date:
    """An ISO date (AAAA-MM-JJ) as a date; anything else is refused in French."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DomainError(f"Date invalide : {value!r} (format AAAA-MM-JJ attendu).") from None


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def decimal(value) -> Decimal:
    """A JSON number as a Decimal; a float goes through its shortest text (10.4 -> "10.4")."""
    if isinstance(value, bool) or value is None:
        raise DomainError(f"Nombre invalide : {value!r}.")
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"Nombre invalide : {value!r}.") from None


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
