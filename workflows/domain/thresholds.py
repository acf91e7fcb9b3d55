"""The dated table of procurement thresholds and time limits, loaded from data.

Legal numbers change by decree every two years: they live in
``data/procurement_thresholds.json`` with their date of effect and their source,
never in code. The loader refuses a malformed file with a French message naming the
record at fault.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum

from .data_files import effective_date, flag, listed, package_file, positive_int, records_of, required_object
from .errors import DataFileError, DomainError

FORMAT = "conventio.procurement-thresholds/1"
DEFAULT_FILE = "procurement_thresholds.json"


class PurchaseKind(Enum):
    SUPPLIES_SERVICES = "fournitures_services"
    WORKS = "travaux"

    @property
    def label(self) -> str:
        return {"fournitures_services": "fournitures et services", "travaux": "travaux"}[self.value]


class BuyerKind(Enum):
    LOCAL_AUTHORITY = "collectivite_territoriale"
    CENTRAL_STATE = "etat_central"
    UTILITY = "entite_adjudicatrice"

    @property
    def label(self) -> str:
        return {
            "collectivite_territoriale": "collectivité territoriale",
            "etat_central": "autorité publique centrale (État)",
            "entite_adjudicatrice": "entité adjudicatrice",
        }[self.value]


AMOUNT_RULES = {
    "no_competition_below": "seuil de dispense de publicité et de mise en concurrence",
    "national_publicity_from": "seuil de publicité au BOAMP ou dans un JAL",
    "formal_procedure_from": "seuil européen de procédure formalisée",
    "essential_data_from": "seuil de publication des données essentielles",
}
DAY_RULES = {
    "open_tender_min_days": ("standard", "electronic", "reduced"),
    "standstill_days": ("electronic", "paper"),
    "award_notice_max_days": (None,),
}


@dataclass(frozen=True)
class ThresholdRecord:
    """One dated value: an ``amount`` (EUR HT) or a number of ``days``."""

    rule: str
    variant: str | None
    purchase_kinds: frozenset[PurchaseKind]
    buyer_kinds: frozenset[BuyerKind]
    amount: Decimal | None
    days: int | None
    effective_from: date
    source: str
    confirmed: bool
    note: str = ""

    def applies_to(self, rule, variant, purchase_kind, buyer_kind) -> bool:
        return (self.rule == rule and self.variant == variant
                and purchase_kind in self.purchase_kinds and buyer_kind in self.buyer_kinds)


@dataclass(frozen=True)
class ThresholdTable:
    records: tuple[ThresholdRecord, ...]

    def lookup(
        self,
        rule: str,
        on: date,
        purchase_kind: PurchaseKind,
        buyer_kind: BuyerKind,
        variant: str | None = None,
    ) -> ThresholdRecord:
        """The record in force on ``on`` (the latest whose date of effect is not after it).

        Kinds may be given as enum members or their values ("travaux").
        """
        purchase_kind = _member(PurchaseKind, purchase_kind, "Nature d'achat inconnue")
        buyer_kind = _member(BuyerKind, buyer_kind, "Type d'acheteur inconnu")
        matching = [r for r in self.records if r.applies_to(rule, variant, purchase_kind, buyer_kind)]
        in_force = [r for r in matching if r.effective_from <= on]
        if not in_force:
            label = AMOUNT_RULES.get(rule, rule)
            raise DomainError(
                f"Aucune valeur connue pour « {label} » ({purchase_kind.label}, "
                f"{buyer_kind.label}) au {on.isoformat()} : la table des seuils ne couvre pas "
                "cette date.")
        return max(in_force, key=lambda r: r.effective_from)


def _member(enum, value, unknown: str):
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise DomainError(f"{unknown} : {value!r} (valeurs admises : {known}).") from None


def load_thresholds() -> ThresholdTable:
    """Load and validate the package's own thresholds file."""
    return thresholds_from_json(package_file(DEFAULT_FILE), DEFAULT_FILE)


def thresholds_from_json(text: str, name: str) -> ThresholdTable:
    """Validate a thresholds document read by the caller (a territory's own table)."""
    return _table(records_of(text, name, FORMAT, "records"), name)


def parse_thresholds(document: object, name: str = DEFAULT_FILE) -> ThresholdTable:
    return _table(listed(document, name, FORMAT, "records"), name)


def _table(raw_records: list, name: str) -> ThresholdTable:
    records = tuple(_parse_record(raw, f"{name}, enregistrement n° {i}")
                    for i, raw in enumerate(raw_records, start=1))
    _refuse_duplicates(records, name)
    return ThresholdTable(records)


def _parse_record(raw: object, where: str) -> ThresholdRecord:
    raw = required_object(raw, where)
    rule = raw.get("rule")
    if rule not in AMOUNT_RULES and rule not in DAY_RULES:
        raise DataFileError(f"{where} : règle inconnue {rule!r}.")
    variant = raw.get("variant")
    if rule in DAY_RULES and variant not in DAY_RULES[rule]:
        raise DataFileError(f"{where} : variante {variant!r} inconnue pour {rule}.")
    if rule in AMOUNT_RULES and variant is not None:
        raise DataFileError(f"{where} : la règle {rule} n'a pas de variante.")
    return ThresholdRecord(
        rule=rule,
        variant=variant,
        purchase_kinds=_parse_kinds(raw, "purchase_kinds", PurchaseKind, where),
        buyer_kinds=_parse_kinds(raw, "buyer_kinds", BuyerKind, where),
        amount=_parse_amount(raw.get("amount"), where) if rule in AMOUNT_RULES else None,
        days=positive_int(raw.get("days"), where, "nombre de jours") if rule in DAY_RULES else None,
        effective_from=effective_date(raw, where),
        source=_parse_source(raw.get("source"), where),
        confirmed=flag(raw, "confirmed", where),
        note=str(raw.get("note", "")),
    )


def _parse_kinds(raw: dict, key: str, enum, where: str) -> frozenset:
    values = raw.get(key)
    if not isinstance(values, list) or not values:
        raise DataFileError(f"{where} : « {key} » doit être une liste non vide.")
    try:
        return frozenset(enum(value) for value in values)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise DataFileError(f"{where} : valeur inconnue dans « {key} » {values!r} "
                            f"(valeurs admises : {known}).") from None


def _parse_amount(value: object, where: str) -> Decimal:
    # Amounts are strings in the file so that no float ever carries a legal number.
    if not isinstance(value, str):
        raise DataFileError(f"{where} : montant attendu sous forme de chaîne (\"40000\"), reçu {value!r}.")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise DataFileError(f"{where} : montant invalide {value!r}.") from None
    if not amount.is_finite() or amount <= 0:
        raise DataFileError(f"{where} : montant invalide {value!r}.")
    return amount


def _parse_source(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where} : la source juridique (« source ») est obligatoire.")
    return value.strip()


def _refuse_duplicates(records: tuple[ThresholdRecord, ...], name: str) -> None:
    seen = set()
    for record in records:
        for purchase_kind in record.purchase_kinds:
            for buyer_kind in record.buyer_kinds:
                key = (record.rule, record.variant, purchase_kind, buyer_kind, record.effective_from)
                if key in seen:
                    raise DataFileError(
                        f"{name} : deux valeurs pour {record.rule} ({purchase_kind.value}, "
                        f"{buyer_kind.value}) à la même date d'effet {record.effective_from}.")
                seen.add(key)
