"""Booklets (carnets) of Pass numérique cheques: value, validity and expiry alerts.

Validity follows APTIC's cycle: a pass of year N is valid until 31 December N and
still accepted by mediation places until 31 January N+1. These are the issuer's terms,
not law: another issuer may differ, so they are parameters with APTIC's values as
defaults; the days holders are alerted before expiry come from the issuer's cycle
(``data/issuer_cycles.json``).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .errors import DomainError
from .money import to_money

BOOKLET_SIZES = (5, 10)
DEFAULT_FACE_VALUE = Decimal("10.00")


@dataclass(frozen=True, order=True)
class PassId:
    """One cheque: the serial of its booklet and its number in it (1..size)."""

    booklet_serial: str
    number: int

    def __str__(self) -> str:
        return f"{self.booklet_serial}-{self.number:02d}"


@dataclass(frozen=True)
class Booklet:
    """A booklet of 5 or 10 cheques issued by ``issuer`` for validity year ``year``."""

    serial: str
    size: int
    year: int
    issuer: str
    face_value: Decimal = DEFAULT_FACE_VALUE

    def __post_init__(self) -> None:
        if not self.serial or not self.serial.strip():
            raise DomainError("Un carnet doit porter un numéro de série.")
        if self.size not in BOOKLET_SIZES:
            raise DomainError(f"Carnet {self.serial} : {self.size} chèques ; un carnet en "
                              "compte 5 ou 10.")
        if not self.issuer or not self.issuer.strip():
            raise DomainError(f"Carnet {self.serial} : l'émetteur est obligatoire.")
        face_value = to_money(self.face_value)
        if face_value <= 0:
            raise DomainError(f"Carnet {self.serial} : valeur faciale invalide.")
        object.__setattr__(self, "face_value", face_value)

    @property
    def total_value(self) -> Decimal:
        return self.face_value * self.size

    @property
    def valid_until(self) -> date:
        return date(self.year, 12, 31)

    @property
    def accepted_until(self) -> date:
        """Last day a mediation place may still accept the pass (31 January N+1)."""
        return date(self.year + 1, 1, 31)

    def passes(self) -> tuple[PassId, ...]:
        return tuple(PassId(self.serial, number) for number in range(1, self.size + 1))

    def is_accepted_on(self, day: date) -> bool:
        return day <= self.accepted_until


def expiry_alert_dates(valid_until: date, alert_days) -> tuple[date, ...]:
    """The days to alert holders, ``alert_days`` before expiry (the issuer's cycle: APTIC
    alerted 30 and 15 days before, on 1 and 16 December)."""
    return tuple(valid_until - timedelta(days=days) for days in alert_days)


def expiry_alert_due(today: date, valid_until: date, alert_days) -> int | None:
    """How many days before expiry the alert due today is (one of ``alert_days``), or None."""
    for days in alert_days:
        if today == valid_until - timedelta(days=days):
            return days
    return None
