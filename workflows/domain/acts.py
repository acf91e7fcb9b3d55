"""Metadata of acts sent to the préfecture through @ctes (Pastell / S2LOW)."""
import re
import unicodedata
from enum import IntEnum

from .errors import DomainError

ACT_NUMBER_PATTERN = re.compile(r"[0-9A-Z_]{1,15}")
ACT_NUMBER_MAX_LENGTH = 15


class ActNature(IntEnum):
    """The nature codes of @ctes."""

    DELIBERATION = 1
    REGULATORY = 2
    INDIVIDUAL = 3
    CONTRACT = 4
    BUDGETARY = 5
    OTHER = 6

    @property
    def label(self) -> str:
        return _NATURE_LABELS[self]


_NATURE_LABELS = {
    ActNature.DELIBERATION: "Délibération",
    ActNature.REGULATORY: "Acte réglementaire",
    ActNature.INDIVIDUAL: "Acte individuel",
    ActNature.CONTRACT: "Contrat, convention ou avenant",
    ActNature.BUDGETARY: "Document budgétaire et financier",
    ActNature.OTHER: "Autre",
}


def act_nature(code: int | str) -> ActNature:
    """The nature of an @ctes code (1 to 6); a French error for anything else."""
    try:
        return ActNature(int(code))
    except (TypeError, ValueError):
        raise DomainError(f"Nature d'acte inconnue : {code!r} (codes @ctes 1 à 6).") from None


def act_number_error(number: str) -> str | None:
    """None when ``number`` is a valid @ctes act number, else a French message.

    @ctes accepts 1 to 15 characters among digits, capital letters and "_".
    """
    if ACT_NUMBER_PATTERN.fullmatch(number):
        return None
    suggestion = suggest_act_number(number)
    hint = f" Proposition : « {suggestion} »." if suggestion else ""
    return (f"Numéro d'acte « {number} » refusé par @ctes : 1 à 15 caractères parmi les "
            f"chiffres, les majuscules sans accent et « _ ».{hint}")


def is_valid_act_number(number: str) -> bool:
    return act_number_error(number) is None


def suggest_act_number(local_number: str) -> str | None:
    """An @ctes number derived from a local one, or None when it would be too long.

    "CC-04-2023-095" -> "CC_04_2023_095": accents dropped, letters capitalised,
    every other character replaced by "_".
    """
    ascii_text = unicodedata.normalize("NFKD", local_number.strip())
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c)).upper()
    candidate = re.sub(r"[^0-9A-Z_]", "_", ascii_text)
    if not candidate or len(candidate) > ACT_NUMBER_MAX_LENGTH:
        return None
    return candidate
