"""The conversions every verb makes at the edge: JSON values in, domain values out, and back.

Each is defined once here; the phase modules import them instead of restating them.
"""
import re
import unicodedata
from datetime import date
from decimal import Decimal

from ..domain.allocation import AllocationRule, allocation_for
from ..domain.errors import DomainError
from ..domain.funding_terms import FundingTerms, anct_terms
from ..domain.indicators import ANCT_2020
from ..domain.json_values import day, decimal, iso, json_number
from ..domain.mediation_payments import Month, Payment
from ..domain.money import to_money

__all__ = ["day", "decimal", "iso", "json_number", "rate", "percent", "amount", "payments",
           "allocation_rule", "folded_words", "anct_terms_on"]


def rate(percent) -> Decimal:
    """A percentage as the form holds it (50) as the domain's rate (0.5)."""
    return decimal(percent) / 100


def percent(rate: Decimal | None) -> int | float | None:
    """A rate of the domain (0.5) as the percentage the data holds (50)."""
    return None if rate is None else json_number((rate * 100).normalize())


def amount(value) -> Decimal:
    """A JSON amount in euros as money (rounded to the cent)."""
    return to_money(decimal(value))


def payments(paiements_lieux) -> list[Payment]:
    """The mediation places' payments as the process records them ([{lieu, mois, passes,
    montant, numero_mandat_lieu, date_mandatement_lieu}]), None being none."""
    return [Payment(p["lieu"], Month.parse(p["mois"]), p["passes"], amount(p["montant"]),
                    p["numero_mandat_lieu"], day(p["date_mandatement_lieu"])) for p in paiements_lieux or []]


def allocation_rule(public: str, on: date, territoire: str | None) -> AllocationRule | None:
    """The allocation rule in force for this public, None when the public has none: a
    public without a rule in force is bounded by the dotation only."""
    try:
        return allocation_for(public, on, territoire)
    except DomainError:
        return None


def anct_terms_on(date_convention) -> FundingTerms:
    """The ANCT's terms in force on the convention's date (AAAA-MM-JJ); those of the 2020 call
    when the data names no date."""
    return anct_terms(day(date_convention)) if date_convention else ANCT_2020


def folded_words(name: str) -> tuple[str, ...]:
    """The words of a name without accents or case: "AZÉROT" and "Azerot" are one word."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return tuple(re.split(r"\s+", text.casefold().strip()))
