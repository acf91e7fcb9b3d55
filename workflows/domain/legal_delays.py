"""Delays and counts of the law on local assemblies and appeals, as dated data.

``data/legal_delays.json`` holds each value with its date of effect and its source
(convocation in jours francs, the 3,500-inhabitant threshold, reconvocation, proxies,
appeal, transmission of contracts). A rule is read for a date: the latest record whose
date of effect is not after it, so that an act is judged by the rule of its day.
"""
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .data_files import effective_date, flag, package_file, positive_int, records_of, required_object, \
    required_text
from .errors import DataFileError, DomainError
from .french_dates import format_date

FORMAT = "conventio.legal-delays/1"
DEFAULT_FILE = "legal_delays.json"
RULES = {
    "convocation_jours_francs": ("moins_de_3500_habitants", "3500_habitants_et_plus", "urgence"),
    "seuil_habitants_grande_commune": (None,),
    "reconvocation_jours_francs": (None,),
    "procuration_seances_consecutives": (None,),
    "recours_mois": (None,),
    "transmission_contrat_jours": (None,),
}


@dataclass(frozen=True)
class LegalValue:
    rule: str
    variant: str | None
    value: int
    unit: str
    effective_from: date
    source: str
    confirmed: bool
    note: str = ""


def legal_value(rule: str, on: date, variant: str | None = None,
                records: tuple[LegalValue, ...] | None = None) -> LegalValue:
    """The value of ``rule`` in force on ``on``; DomainError (French) when none was yet."""
    records = default_legal_delays() if records is None else records
    in_force = [r for r in records if r.rule == rule and r.variant == variant and r.effective_from <= on]
    if not in_force:
        raise DomainError(f"Aucune valeur connue pour « {rule} »{f' ({variant})' if variant else ''} au "
                          f"{format_date(on)} : la table des délais légaux ne couvre pas cette date.")
    return max(in_force, key=lambda r: r.effective_from)


@lru_cache(maxsize=1)
def default_legal_delays() -> tuple[LegalValue, ...]:
    return legal_delays_from_json(package_file(DEFAULT_FILE), DEFAULT_FILE)


def legal_delays_from_json(text: str, name: str) -> tuple[LegalValue, ...]:
    records = tuple(_parse_record(raw, f"{name}, enregistrement n° {i}")
                    for i, raw in enumerate(records_of(text, name, FORMAT, "records"), 1))
    keys = [(r.rule, r.variant, r.effective_from) for r in records]
    if len(set(keys)) != len(keys):
        raise DataFileError(f"{name} : deux valeurs pour la même règle à la même date d'effet.")
    return records


def _parse_record(raw: object, where: str) -> LegalValue:
    raw = required_object(raw, where)
    rule, variant = raw.get("rule"), raw.get("variant")
    if rule not in RULES:
        raise DataFileError(f"{where} : règle inconnue {rule!r}.")
    if variant not in RULES[rule]:
        raise DataFileError(f"{where} : variante {variant!r} inconnue pour {rule}.")
    return LegalValue(rule, variant, positive_int(raw.get("value"), where, "« value »"),
                      required_text(raw, "unit", where), effective_date(raw, where),
                      required_text(raw, "source", where), flag(raw, "confirmed", where),
                      str(raw.get("note", "")))
