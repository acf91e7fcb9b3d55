"""Metadata of acts sent to the préfecture through @ctes (Pastell / S2LOW)."""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

from .calendar import executory_date
from .errors import DomainError
from .french_dates import format_date
from .legal_delays import LegalValue, legal_value

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


# --- Contracts sent to the contrôle de légalité --------------------------------------


def contract_transmission_delay(signed_on: date, records=None) -> LegalValue:
    """The delay in force on the day the contract was signed (dated data, with its source)."""
    return legal_value("transmission_contrat_jours", signed_on, records=records)


def last_signature(signatures) -> date:
    """A contract is signed once every party has signed: the last of the signature dates."""
    days = list(signatures)
    if not days:
        raise DomainError("Aucune date de signature : la convention doit être signée avant "
                          "d'être transmise au contrôle de légalité.")
    return max(days)


def transmission_deadline(signed_on: date) -> date:
    """Last day to send a contract signed on ``signed_on`` to the préfecture."""
    return signed_on + timedelta(days=contract_transmission_delay(signed_on).value)


@dataclass(frozen=True)
class ContractTransmission:
    """A contract sent through @ctes, with what the law makes of the dates."""

    signed_on: date
    deadline: date
    transmitted_on: date
    received_on: date
    executory_on: date
    delay: LegalValue

    @property
    def days_late(self) -> int:
        return max((self.transmitted_on - self.deadline).days, 0)

    @property
    def on_time(self) -> bool:
        return self.days_late == 0

    @property
    def message(self) -> str:
        sent = (f"Convention transmise au contrôle de légalité le {format_date(self.transmitted_on)}, "
                f"accusé de réception du {format_date(self.received_on)}, exécutoire le "
                f"{format_date(self.executory_on)}")
        if self.on_time:
            return f"{sent} ; transmise dans le délai (au plus tard le {format_date(self.deadline)})."
        return (f"{sent} ; transmise avec {self.days_late} jour(s) de retard sur la date limite du "
                f"{format_date(self.deadline)} ({self.delay.value} jours après la dernière signature "
                f"du {format_date(self.signed_on)}, {self.delay.source}).")


def _number_and_nature_errors(number, nature: int | str, expected: ActNature, what: str) -> dict[str, str]:
    errors = {}
    number_error = act_number_error(number) if isinstance(number, str) else \
        f"Numéro d'acte manquant ou invalide : {number!r}."
    if number_error:
        errors["numero_acte"] = number_error
    kind = act_nature(nature)
    if kind is not expected:
        errors["nature_acte"] = (f"Nature d'acte {kind.value} « {kind.label} » : {what} se transmet en "
                                 f"nature {expected.value} « {expected.label} ».")
    return errors


def transmission_errors(signed_on: date, transmitted_on: date, received_on: date,
                        nature: int | str, number: str) -> list[str]:
    """Every reason @ctes or the law refuses this transmission of a contract, in French."""
    return list(transmission_errors_by_part(signed_on, transmitted_on, received_on, nature, number).values())


def transmission_errors_by_part(signed_on: date, transmitted_on: date, received_on: date,
                                nature: int | str, number: str) -> dict[str, str]:
    """The same reasons, each under the part of the transmission it concerns: numero_acte,
    nature_acte, date_transmission, date_accuse_reception (a form shows it by that field)."""
    return {**_number_and_nature_errors(number, nature, ActNature.CONTRACT, "une convention"),
            **_dated_errors(signed_on, transmitted_on, received_on)}


def deliberation_transmission_errors(sitting_on: date, extract_signed_on: date, published_on: date,
                                     transmitted_on: date, received_on: date, nature: int | str,
                                     number: str) -> list[str]:
    """Every reason the publication and transmission of a deliberation cannot be recorded,
    in French: @ctes number and nature (1, délibération), publication and transmission
    before the sitting or before the extract was signed, receipt before the sending.
    The act would otherwise be declared executory before it was even voted."""
    return list(deliberation_transmission_errors_by_part(sitting_on, extract_signed_on, published_on,
                                                         transmitted_on, received_on, nature, number).values())


def deliberation_transmission_errors_by_part(sitting_on: date, extract_signed_on: date, published_on: date,
                                             transmitted_on: date, received_on: date, nature: int | str,
                                             number: str) -> dict[str, str]:
    """The same reasons, each under the part it concerns: numero_acte, nature_acte,
    date_publication, date_transmission, date_accuse_reception."""
    errors = _number_and_nature_errors(number, nature, ActNature.DELIBERATION, "une délibération")
    for part, label, day in (("date_publication", "Publication", published_on),
                             ("date_transmission", "Transmission à la préfecture", transmitted_on)):
        if day < sitting_on:
            errors[part] = (f"{label} du {format_date(day)} antérieure à la séance du "
                            f"{format_date(sitting_on)} : la délibération n'existe qu'une fois votée.")
        elif day < extract_signed_on:
            errors[part] = (f"{label} du {format_date(day)} antérieure à la signature de l'extrait du "
                            f"{format_date(extract_signed_on)} : on publie et on transmet l'extrait signé.")
    if received_on < transmitted_on:
        errors["date_accuse_reception"] = (f"Accusé de réception du {format_date(received_on)} antérieur à la "
                                           f"transmission du {format_date(transmitted_on)}.")
    return errors


def signature_order_errors(first_signed_on: date, second_signed_on: date, first: str,
                           second: str) -> list[str]:
    """[] when the second party signed on or after the first, else the French reason
    (a counter-signature follows the signature it counter-signs)."""
    if second_signed_on >= first_signed_on:
        return []
    return [f"Signature {second} du {format_date(second_signed_on)} antérieure à la signature "
            f"{first} du {format_date(first_signed_on)} : elle ne peut intervenir qu'après."]


def signature_before_executory_errors(signed_on: date, deliberation_executory_on: date | None) -> list[str]:
    """[] when the convention was signed once the deliberation authorising it was executory
    (CGCT L2131-1: nothing is signed on a non-executory deliberation), else the reason."""
    if deliberation_executory_on is None:
        return ["La délibération autorisant la signature n'est pas exécutoire (publication ou "
                "réception en préfecture manquante) : aucune convention ne peut être signée."]
    if signed_on >= deliberation_executory_on:
        return []
    return [f"Convention signée le {format_date(signed_on)}, avant que la délibération qui "
            f"l'autorise soit exécutoire (le {format_date(deliberation_executory_on)}) : rien ne se "
            "signe sur une délibération non exécutoire (CGCT L2131-1)."]


def _date_errors(signed_on: date, transmitted_on: date, received_on: date) -> list[str]:
    return list(_dated_errors(signed_on, transmitted_on, received_on).values())


def _dated_errors(signed_on: date, transmitted_on: date, received_on: date) -> dict[str, str]:
    errors = {}
    if transmitted_on < signed_on:
        errors["date_transmission"] = (f"Transmission du {format_date(transmitted_on)} antérieure à la dernière "
                                       f"signature du {format_date(signed_on)} : une convention se transmet une "
                                       "fois signée par toutes les parties.")
    if received_on < transmitted_on:
        errors["date_accuse_reception"] = (f"Accusé de réception du {format_date(received_on)} antérieur à la "
                                           f"transmission du {format_date(transmitted_on)}.")
    return errors


def record_contract_transmission(signed_on: date, transmitted_on: date,
                                 received_on: date) -> ContractTransmission:
    """The transmission with its deadline and the day the contract became executory
    (CGCT L2131-1: signed, hence notified to the parties, and received by the préfecture)."""
    errors = _date_errors(signed_on, transmitted_on, received_on)
    if errors:
        raise DomainError(" ".join(errors))
    return ContractTransmission(signed_on, transmission_deadline(signed_on), transmitted_on, received_on,
                                executory_date(signed_on, received_on),
                                contract_transmission_delay(signed_on))
