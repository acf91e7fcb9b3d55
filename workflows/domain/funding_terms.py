"""The terms of the State's co-financing (ANCT), as dated data.

``data/anct_terms.json`` holds each set of terms with its date of effect and its source
(the ANCT's call for projects): the State's maximum share of the passes actually used,
the minimum purchase, the minimum share of passes for the PIC public. The terms of a
convention are those in force on the date of the délibération that authorises its
signature: the latest record whose date of effect is not after it. The indicators, the
checks of the processes and the convention's text all read them from here.
"""
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .data_files import effective_date, flag, package_file, records_of, required_object, required_text
from .errors import DataFileError, DomainError
from .french_dates import format_date

FORMAT = "conventio.anct-terms/1"
DEFAULT_FILE = "anct_terms.json"
# The 2020 call for projects, closed on 15 October 2020.
CALL_2020_CLOSED = date(2020, 10, 15)


@dataclass(frozen=True)
class FundingTerms:
    """Terms of an ANCT co-financing convention; each convention may state its own."""

    state_max_share: Decimal
    minimum_purchase: Decimal
    pic_min_share: Decimal
    source: str
    effective_from: date | None = None
    confirmed: bool = True

    def stating(self, **figures: Decimal | None) -> "FundingTerms":
        """These terms with the figures a convention states instead (None keeps the term)."""
        return replace(self, **{name: value for name, value in figures.items() if value is not None})


def anct_terms(on: date, records: tuple[FundingTerms, ...] | None = None) -> FundingTerms:
    """The ANCT's terms in force on ``on``; DomainError (French) when none were yet."""
    records = default_anct_terms() if records is None else records
    in_force = [r for r in records if r.effective_from <= on]
    if not in_force:
        raise DomainError(f"Aucune condition de cofinancement de l'ANCT connue au {format_date(on)} : "
                          "la table des conditions de l'appel à projets ne couvre pas cette date.")
    return max(in_force, key=lambda r: r.effective_from)


@lru_cache(maxsize=1)
def default_anct_terms() -> tuple[FundingTerms, ...]:
    return anct_terms_from_json(package_file(DEFAULT_FILE), DEFAULT_FILE)


def anct_terms_from_json(text: str, name: str) -> tuple[FundingTerms, ...]:
    records = tuple(_parse_terms(raw, f"{name}, enregistrement n° {i}")
                    for i, raw in enumerate(records_of(text, name, FORMAT, "terms"), 1))
    dates = [r.effective_from for r in records]
    if len(set(dates)) != len(dates):
        raise DataFileError(f"{name} : deux jeux de conditions à la même date d'effet.")
    return records


def _parse_terms(raw: object, where: str) -> FundingTerms:
    raw = required_object(raw, where)
    return FundingTerms(
        state_max_share=_decimal(raw, "state_max_share", where, maximum=Decimal(1)),
        minimum_purchase=_decimal(raw, "minimum_purchase", where),
        pic_min_share=_decimal(raw, "pic_min_share", where, maximum=Decimal(1)),
        source=required_text(raw, "source", where),
        effective_from=effective_date(raw, where),
        confirmed=flag(raw, "confirmed", where),
    )


def _decimal(raw: dict, key: str, where: str, maximum: Decimal | None = None) -> Decimal:
    # Written as strings in the file, so that no float ever carries a legal number.
    value = raw.get(key)
    try:
        number = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or (maximum is not None and number > maximum):
        bound = f" entre 0 et {maximum}" if maximum is not None else " positif"
        raise DataFileError(f"{where} : « {key} » nombre{bound} attendu sous forme de chaîne, reçu {value!r}.")
    return number
