"""Buying the passes under the Code de la commande publique (amounts HT).

Every legal number comes from the dated table of ``thresholds.py``; the date that
decides is the launch of the consultation (sending of the notice, or the first
request for quotes when there is no notice).

After the award: the booklet formats ordered and delivered, and the issuer's cycle
(proof, delivery, activation on payment). The cycle is commercial, not law: it comes
from the dated ``data/issuer_cycles.json`` (APTIC's as reference), and the contract's
delays, which the buyer confirms at the order, prevail.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from .calendar import territory
from .data_files import effective_date, flag, package_file, positive_int, records_of, required_object, required_text
from .errors import DataFileError, DomainError
from .formats import BookletFormat, parse_formats
from .french_dates import format_date
from .money import format_eur, format_percent, to_money, to_rate
from .passes import BOOKLET_SIZES
from .thresholds import BuyerKind, PurchaseKind, ThresholdRecord, ThresholdTable, load_thresholds

# APTIC's fee was 4 % HT of face value. A commercial assumption, not law: the buyer
# confirms it, so every estimate shows it.
DEFAULT_ISSUER_FEE_RATE = Decimal("0.04")


@lru_cache(maxsize=1)
def default_thresholds() -> ThresholdTable:
    return load_thresholds()


# --- Estimated value ------------------------------------------------------------------


@dataclass(frozen=True)
class OrderEstimate:
    face_value: Decimal
    fee_rate: Decimal
    fees: Decimal
    estimated_value: Decimal
    assumption: str


def estimate_pass_order(
    face_value: Decimal | int | str, fee_rate: Decimal | str = DEFAULT_ISSUER_FEE_RATE
) -> OrderEstimate:
    """Estimated value of a pass order (CCP R2121-1): face value plus the issuer's fees.

    Count the whole need over the whole contract duration, not one delivery.
    """
    face = to_money(face_value)
    rate = to_rate(fee_rate)
    fees = to_money(face * rate)
    assumption = (f"Hypothèse à confirmer par l'acheteur : frais de l'émetteur de "
                  f"{format_percent(rate)} HT de la valeur faciale, soit {format_eur(fees)} "
                  f"pour {format_eur(face)} de pass.")
    return OrderEstimate(face, rate, fees, face + fees, assumption)


# --- Procedure --------------------------------------------------------------------------


class Procedure(Enum):
    NO_COMPETITION = "sans_publicite"
    ADAPTED = "mapa"
    FORMAL = "appel_offres"

    @property
    def label(self) -> str:
        return {
            "sans_publicite": "marché sans publicité ni mise en concurrence préalables",
            "mapa": "marché à procédure adaptée (MAPA)",
            "appel_offres": "procédure formalisée (appel d'offres)",
        }[self.value]


class Publicity(Enum):
    NONE = "aucune"
    ADAPTED = "adaptee"
    NATIONAL = "boamp_ou_jal"
    EUROPEAN = "boamp_et_joue"

    @property
    def label(self) -> str:
        return {
            "aucune": "aucune publicité obligatoire",
            "adaptee": "publicité adaptée au montant et à l'objet du marché",
            "boamp_ou_jal": ("avis au BOAMP ou dans un journal d'annonces légales, "
                             "et sur le profil d'acheteur"),
            "boamp_et_joue": "avis au BOAMP et au JOUE, et sur le profil d'acheteur",
        }[self.value]


@dataclass(frozen=True)
class ProcedureDecision:
    procedure: Procedure
    publicity: Publicity
    estimated_value: Decimal
    purchase_kind: PurchaseKind
    buyer_kind: BuyerKind
    launched_on: date
    standstill_required: bool
    award_notice_required: bool
    essential_data_required: bool
    records: tuple[ThresholdRecord, ...]
    warnings: tuple[str, ...]
    explanation: str


def choose_procedure(
    estimated_value: Decimal | int | str,
    purchase_kind: PurchaseKind,
    buyer_kind: BuyerKind,
    launched_on: date,
    table: ThresholdTable | None = None,
) -> ProcedureDecision:
    """Procedure, publicity and obligations for a purchase (CCP R2122-8, R2123-1,
    R2124-1, R2131-12, R2182-1, R2183-1, R2196-1).

    Below the dispense threshold: no publicity nor competition; from it up to the EU
    threshold: MAPA; from the EU threshold: formal procedure.
    """
    table = table or default_thresholds()
    value = to_money(estimated_value)

    def record(rule: str) -> ThresholdRecord:
        return table.lookup(rule, launched_on, purchase_kind, buyer_kind)

    dispense, formal, data = (record("no_competition_below"),
                              record("formal_procedure_from"), record("essential_data_from"))
    purchase_kind, buyer_kind = PurchaseKind(purchase_kind), BuyerKind(buyer_kind)
    national = _optional(table, "national_publicity_from", launched_on, purchase_kind, buyer_kind)
    procedure, publicity = _procedure_and_publicity(value, dispense, formal, national)
    used = tuple(r for r in (dispense, formal, national, data) if r is not None)
    is_formal = procedure is Procedure.FORMAL
    explanation = (f"{format_eur(value)} HT ({purchase_kind.label}, {buyer_kind.label}, "
                   f"consultation lancée le {format_date(launched_on)}) : {procedure.label} ; "
                   f"{publicity.label}. Seuil de dispense {format_eur(dispense.amount)}, "
                   f"seuil européen {format_eur(formal.amount)}.")
    return ProcedureDecision(
        procedure, publicity, value, purchase_kind, buyer_kind, launched_on,
        standstill_required=is_formal,
        award_notice_required=is_formal,
        essential_data_required=value >= data.amount,
        records=used,
        warnings=tuple(_unconfirmed_warning(r) for r in used if not r.confirmed),
        explanation=explanation,
    )


# EU thresholds are revised every two years: a consultation launched two years or more
# after the EU threshold in force took effect means the dated table was not updated.
EU_THRESHOLD_REVISION_YEARS = 2


def outdated_eu_threshold(decision: ProcedureDecision) -> str | None:
    """Why the procedure must be qualified by hand when the table's EU threshold is older than
    its revision period at the launch date (French), None while it may still be in force."""
    formal = next(r for r in decision.records if r.rule == "formal_procedure_from")
    revised_by = formal.effective_from.replace(year=formal.effective_from.year + EU_THRESHOLD_REVISION_YEARS)
    if decision.launched_on < revised_by:
        return None
    return (f"Les seuils européens de la table datent du {format_date(formal.effective_from)} : "
            f"révisés tous les deux ans, ils doivent être mis à jour pour une consultation lancée "
            f"le {format_date(decision.launched_on)}. Qualifiez la procédure au vu des seuils en vigueur.")


def _procedure_and_publicity(value, dispense, formal, national) -> tuple[Procedure, Publicity]:
    # "Inférieure à" the dispense threshold (R2122-8); "égale ou supérieure" to the
    # EU threshold (R2124-1) and to 90,000 for the BOAMP/JAL notice (R2131-12).
    if value < dispense.amount:
        return Procedure.NO_COMPETITION, Publicity.NONE
    if value >= formal.amount:
        return Procedure.FORMAL, Publicity.EUROPEAN
    if national is not None and value >= national.amount:
        return Procedure.ADAPTED, Publicity.NATIONAL
    return Procedure.ADAPTED, Publicity.ADAPTED


def _unconfirmed_warning(record: ThresholdRecord) -> str:
    warning = f"Valeur non confirmée ({record.source})."
    return f"{warning} {record.note}" if record.note else warning


def unconfirmed_warning(record: ThresholdRecord) -> str | None:
    """The caveat to show with a value the data marks as unconfirmed, None when confirmed."""
    return None if record.confirmed else _unconfirmed_warning(record)


def _optional(table, rule, on, purchase_kind, buyer_kind) -> ThresholdRecord | None:
    matching = [r for r in table.records
                if r.applies_to(rule, None, purchase_kind, buyer_kind) and r.effective_from <= on]
    return max(matching, key=lambda r: r.effective_from) if matching else None


# --- Notice media -----------------------------------------------------------------------


class NoticeMedium(Enum):
    BUYER_PROFILE = "profil_acheteur"
    BOAMP = "boamp"
    LEGAL_JOURNAL = "jal"
    JOUE = "joue"
    SPECIALISED_PRESS = "presse_specialisee"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return {
            "profil_acheteur": "le profil d'acheteur",
            "boamp": "le BOAMP",
            "jal": "un journal d'annonces légales",
            "joue": "le JOUE",
            "presse_specialisee": "la presse spécialisée",
            "autre": "un autre support",
        }[self.value]


def check_notice_media(publicity: Publicity, media) -> str | None:
    """None when the media the notice went to meet the publicity required, else why not.

    BOAMP or a legal-notice journal, and the buyer profile, for a MAPA from the national
    publicity threshold (CCP R2131-12, 2°); BOAMP, JOUE and the buyer profile for a formal
    procedure (R2131-16); adapted or no publicity: the buyer's choice.
    """
    publicity = _enum_member(Publicity, publicity, "Publicité requise inconnue")
    used = {_enum_member(NoticeMedium, medium, "Support de publicité inconnu") for medium in media}
    missing = []
    if publicity in (Publicity.NATIONAL, Publicity.EUROPEAN) and NoticeMedium.BUYER_PROFILE not in used:
        missing.append(NoticeMedium.BUYER_PROFILE.label)
    if publicity is Publicity.NATIONAL and not used & {NoticeMedium.BOAMP, NoticeMedium.LEGAL_JOURNAL}:
        missing.append(f"{NoticeMedium.BOAMP.label} ou {NoticeMedium.LEGAL_JOURNAL.label}")
    if publicity is Publicity.EUROPEAN:
        missing += [m.label for m in (NoticeMedium.BOAMP, NoticeMedium.JOUE) if m not in used]
    if not missing:
        return None
    where = ", ".join(m.label for m in NoticeMedium if m in used) or "aucun support"
    article = "CCP R2131-12" if publicity is Publicity.NATIONAL else "CCP R2131-16"
    return (f"Publicité insuffisante : avis publié sur {where} seulement, alors que la publicité "
            f"requise est : {publicity.label} ({article}). Manque : {' ; '.join(missing)}.")


def _enum_member(enum, value, unknown: str):
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise DomainError(f"{unknown} : {value!r} (valeurs admises : {known}).") from None


# --- Time limits ------------------------------------------------------------------------


def minimum_bid_days(
    notice_sent_on: date,
    *,
    electronic: bool = True,
    prior_information_notice: bool = False,
    urgency: bool = False,
    purchase_kind: PurchaseKind = PurchaseKind.SUPPLIES_SERVICES,
    buyer_kind: BuyerKind = BuyerKind.LOCAL_AUTHORITY,
    table: ThresholdTable | None = None,
) -> int:
    """Minimum days to receive bids in an open tender (CCP R2161-2, R2161-3).

    35 days; 30 when bids can be sent electronically; 15 after a prior information
    notice or in duly justified urgency (the reductions do not add up).
    """
    if prior_information_notice or urgency:
        variant = "reduced"
    else:
        variant = "electronic" if electronic else "standard"
    table = table or default_thresholds()
    return table.lookup("open_tender_min_days", notice_sent_on, purchase_kind, buyer_kind,
                        variant).days


def earliest_bid_deadline(notice_sent_on: date, **options) -> date:
    """First date the bid deadline may fall on: the notice date plus the minimum days.

    The day the notice is sent does not count; the deadline may close at the end of
    the returned day at the earliest. Options are those of :func:`minimum_bid_days`.
    """
    return notice_sent_on + timedelta(days=minimum_bid_days(notice_sent_on, **options))


def earliest_signature_date(
    letters_sent_on: date,
    *,
    electronic: bool = True,
    purchase_kind: PurchaseKind = PurchaseKind.SUPPLIES_SERVICES,
    buyer_kind: BuyerKind = BuyerKind.LOCAL_AUTHORITY,
    table: ThresholdTable | None = None,
) -> date:
    """First day the contract may be signed after the rejection letters (CCP R2182-1).

    Standstill of 11 days, 16 when the letters are not sent electronically, counted
    date to date with the sending day included: letters sent on 28 December on paper,
    signature possible on 13 January (CE, 2 août 2011, n° 347526).
    """
    table = table or default_thresholds()
    variant = "electronic" if electronic else "paper"
    days = table.lookup("standstill_days", letters_sent_on, purchase_kind, buyer_kind, variant).days
    return letters_sent_on + timedelta(days=days)


def award_notice_deadline(
    signed_on: date,
    *,
    purchase_kind: PurchaseKind = PurchaseKind.SUPPLIES_SERVICES,
    buyer_kind: BuyerKind = BuyerKind.LOCAL_AUTHORITY,
    table: ThresholdTable | None = None,
) -> date:
    """Last day to send the award notice of a contract above the EU thresholds (CCP R2183-1)."""
    table = table or default_thresholds()
    days = table.lookup("award_notice_max_days", signed_on, purchase_kind, buyer_kind).days
    return signed_on + timedelta(days=days)


# --- Booklet formats of an order ----------------------------------------------------------


def booklet_formats(rows, *, minimum: int = 1, what: str = "commande") -> tuple[BookletFormat, ...]:
    """The formats of an order (or a delivery, ``minimum=0``): one row per size, sorted by size.

    A size entered twice is refused rather than added up: the buyer may have typed one
    line for another.
    """
    if not isinstance(rows, (list, tuple)) or not rows:
        raise DomainError(f"Formats de carnets de la {what} absents : indiquez au moins un format "
                          f"(carnets de {' ou '.join(map(str, BOOKLET_SIZES))} chèques).")
    formats = parse_formats(list(rows), f"Formats de carnets de la {what}")
    too_few = [f for f in formats if f.booklets < minimum]
    if too_few:
        raise DomainError(f"Nombre de carnets de {too_few[0].size} chèques invalide dans la {what} : "
                          f"{too_few[0].booklets} (au moins {minimum} attendu).")
    return formats


def delivery_gaps(ordered, delivered) -> tuple[str, ...]:
    """Each difference, in French, between the booklets ordered and delivered, per format."""
    wanted = {f.size: f.booklets for f in ordered}
    received = {f.size: f.booklets for f in delivered}
    gaps = []
    for size in sorted(wanted.keys() | received.keys()):
        expected, got = wanted.get(size, 0), received.get(size, 0)
        if expected != got:
            gaps.append(f"carnets de {size} chèques : {got} livré(s) pour {expected} commandé(s)")
    return tuple(gaps)


# --- The issuer's cycle --------------------------------------------------------------------

ISSUER_CYCLES_FORMAT = "conventio.issuer-cycles/1"
ISSUER_CYCLES_FILE = "issuer_cycles.json"
# INSEE codes of the départements and collectivités d'outre-mer begin with 97 or 98.
OVERSEAS_CODE_PREFIXES = ("97", "98")


@dataclass(frozen=True)
class IssuerCycle:
    """An issuer's order cycle: days to approve the proof (bon à tirer) after the order,
    days to deliver after the proof's approval (mainland, overseas), validity of the
    passes of year N (the year they are activated, on payment)."""

    issuer: str
    reference: bool
    proof_approval_days: int
    delivery_days: int
    overseas_delivery_days: int
    validity_end: tuple[int, int, int]      # (years after N, month, day)
    acceptance_end: tuple[int, int, int]
    expiry_alert_days: tuple[int, ...]      # days before the end of validity, holders alerted
    effective_from: date
    source: str
    caveat: str = ""

    def delivery_days_for(self, overseas: bool) -> int:
        return self.overseas_delivery_days if overseas else self.delivery_days

    def validity(self, year: int) -> tuple[date, date]:
        """(last day of validity, last day mediation places accept them) for year N."""
        return tuple(date(year + after, month, day)
                     for after, month, day in (self.validity_end, self.acceptance_end))


@lru_cache(maxsize=1)
def default_issuer_cycles() -> tuple[IssuerCycle, ...]:
    return issuer_cycles_from_json(package_file(ISSUER_CYCLES_FILE), ISSUER_CYCLES_FILE)


def issuer_cycles_from_json(text: str, name: str) -> tuple[IssuerCycle, ...]:
    raw_cycles = records_of(text, name, ISSUER_CYCLES_FORMAT, "cycles")
    return tuple(_parse_cycle(raw, f"{name}, cycle n° {i}") for i, raw in enumerate(raw_cycles, 1))


def _parse_cycle(raw, where: str) -> IssuerCycle:
    raw = required_object(raw, where)
    issuer, source = required_text(raw, "issuer", where), required_text(raw, "source", where)
    days = {key: positive_int(raw.get(key), where, f"« {key} » : nombre de jours")
            for key in ("proof_approval_days", "delivery_days", "overseas_delivery_days")}
    return IssuerCycle(issuer, flag(raw, "reference", where), **days,
                       validity_end=_month_day(raw.get("validity_end"), f"{where}, validity_end"),
                       acceptance_end=_month_day(raw.get("acceptance_end"), f"{where}, acceptance_end"),
                       expiry_alert_days=_alert_days(raw.get("expiry_alert_days"), where),
                       effective_from=effective_date(raw, where), source=source,
                       caveat=str(raw.get("caveat", "")))


def _alert_days(raw, where: str) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise DataFileError(f"{where} : « expiry_alert_days » doit être une liste de jours non vide.")
    days = tuple(positive_int(day, where, "« expiry_alert_days » : nombre de jours") for day in raw)
    return tuple(sorted(days, reverse=True))


def _month_day(raw, where: str) -> tuple[int, int, int]:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where} : objet {{month, day}} attendu.")
    after, month, day = raw.get("years_after", 0), raw.get("month"), raw.get("day")
    try:
        date(2000 + after, month, day)
    except (TypeError, ValueError):
        raise DataFileError(f"{where} : jour {day!r} / mois {month!r} invalide.") from None
    if after < 0:
        raise DataFileError(f"{where} : « years_after » ne peut être négatif.")
    return after, month, day


def is_overseas(territory_code: str) -> bool:
    """Whether the territory is outre-mer (Guadeloupe, Martinique, La Réunion, Saint-Martin...)."""
    return territory(territory_code).code.startswith(OVERSEAS_CODE_PREFIXES)


def issuer_cycle(issuer: str | None, on: date, cycles=None) -> IssuerCycle:
    """The issuer's own cycle in force on ``on``, else the reference cycle in force then."""
    cycles = default_issuer_cycles() if cycles is None else cycles
    in_force = [c for c in cycles if c.effective_from <= on]
    name = (issuer or "").strip().casefold()
    own = [c for c in in_force if name and c.issuer.casefold() in name]
    candidates = own or [c for c in in_force if c.reference]
    if not candidates:
        raise DomainError(f"Aucun cycle d'émetteur connu au {format_date(on)} : saisissez les délais "
                          "du contrat.")
    return max(candidates, key=lambda c: c.effective_from)


def _days(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DomainError(f"{label} invalide : {value!r} (nombre de jours entier positif attendu).")
    return value


def proof_deadline(ordered_on: date, days: int) -> date:
    """Last day to approve the proof (bon à tirer): ``days`` after the order."""
    return ordered_on + timedelta(days=_days(days, "Délai de validation du bon à tirer"))


def delivery_deadline(ordered_on: date, proof_approved_on: date, days: int) -> date:
    """Last day of delivery: ``days`` after the proof's approval, which follows the order."""
    if proof_approved_on < ordered_on:
        raise DomainError(f"Bon à tirer validé le {format_date(proof_approved_on)}, avant le bon de "
                          f"commande du {format_date(ordered_on)} : vérifiez la date de validation.")
    return proof_approved_on + timedelta(days=_days(days, "Délai de livraison"))


def pass_validity(activated_on: date, paid_on: date, cycle: IssuerCycle) -> tuple[date, date]:
    """(end of validity, end of acceptance) of passes activated on ``activated_on``: the issuer
    activates them on payment, so not before the payment order."""
    if activated_on < paid_on:
        raise DomainError(f"Passes activés le {format_date(activated_on)}, avant le mandatement du "
                          f"{format_date(paid_on)} : l'émetteur les active au paiement.")
    return cycle.validity(activated_on.year)
