"""Evaluation indicators of a deployment, and the checks of the ANCT convention.

The arithmetic functions take plain counts so that figures from any source can be
checked; :func:`evaluate` computes them all from a ledger.
"""
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .errors import DomainError
from .funding_terms import CALL_2020_CLOSED, FundingTerms, anct_terms
from .ledger import Ledger
from .money import format_eur, format_percent, to_money, to_rate

RATE_PLACES = Decimal("0.0001")


# The terms of the 2020 call, read from the dated data (``funding_terms``).
ANCT_2020 = anct_terms(CALL_2020_CLOSED)


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` rounded to four places (0.4167 for 5/12); None when ``whole`` is 0."""
    if part < 0 or whole < 0:
        raise DomainError("Un taux se calcule sur des nombres positifs.")
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def distribution_rate(passes_handed_out: int, passes_purchased: int) -> Decimal | None:
    """Passes handed to beneficiaries / passes received from the issuer."""
    return rate(passes_handed_out, passes_purchased)


def usage_rate(passes_redeemed: int, passes_handed_out: int) -> Decimal | None:
    """Passes redeemed at a mediation place / passes handed to beneficiaries."""
    return rate(passes_redeemed, passes_handed_out)


@dataclass(frozen=True)
class Check:
    value: Decimal | None
    met: bool
    message: str


def check_pic_share(pic_passes: int, passes_handed_out: int, terms: FundingTerms = ANCT_2020) -> Check:
    """At least ``terms.pic_min_share`` of the passes handed out go to the PIC public."""
    share = rate(pic_passes, passes_handed_out)
    minimum = to_rate(terms.pic_min_share)
    if share is None:
        return Check(None, False, "Aucun pass remis : la part du public PIC ne peut pas être mesurée.")
    met = share >= minimum
    verdict = "respecté" if met else "non respecté"
    return Check(share, met, f"Public PIC : {pic_passes} pass sur {passes_handed_out} remis, soit "
                             f"{format_percent(share)} ; engagement d'au moins "
                             f"{format_percent(minimum)} {verdict} ({terms.source}).")


def state_share_owed(
    redeemed_face_value: Decimal | int | str,
    terms: FundingTerms = ANCT_2020,
    cap: Decimal | int | str | None = None,
) -> Decimal:
    """The State's share: at most ``terms.state_max_share`` of the passes actually used,
    within the convention's ``cap`` when it states one."""
    owed = to_money(to_money(redeemed_face_value) * to_rate(terms.state_max_share))
    return owed if cap is None else min(owed, to_money(cap))


def check_requested_funding(requested: Decimal | int | str, owed: Decimal | int | str) -> str | None:
    """None when the co-financing asked of the ANCT is at most the State's share owed,
    else a French message saying both amounts and what to do."""
    asked, due = to_money(requested), to_money(owed)
    if asked < 0:
        raise DomainError(f"Cofinancement demandé négatif : {format_eur(asked)}.")
    if asked <= due:
        return None
    return (f"Cofinancement demandé de {format_eur(asked)}, au-delà de la part due par l'État "
            f"({format_eur(due)}, calculée sur les passes effectivement utilisés) : demandez au plus "
            f"{format_eur(due)}.")


def check_minimum_purchase(face_value: Decimal | int | str, terms: FundingTerms = ANCT_2020) -> str | None:
    """None when the purchase reaches the convention's minimum, else a French message."""
    amount, minimum = to_money(face_value), to_money(terms.minimum_purchase)
    if amount >= minimum:
        return None
    return (f"Achat de {format_eur(amount)} inférieur au minimum de {format_eur(minimum)} "
            f"exigé par la convention ({terms.source}).")


@dataclass(frozen=True)
class Evaluation:
    passes_purchased: int
    passes_handed_out: int
    passes_redeemed: int
    distribution_rate: Decimal | None
    usage_rate: Decimal | None
    beneficiaries_by_public: dict[str, int]
    beneficiaries_by_prescriber: dict[str, int]
    redemptions_by_place: dict[str, int]
    pic: Check
    state_share_owed: Decimal
    unused_at_expiry: int
    credit_due: Decimal
    minimum_purchase_error: str | None


def evaluate(
    ledger: Ledger,
    as_of: date,
    pic_publics: Collection[str],
    terms: FundingTerms = ANCT_2020,
    state_cap: Decimal | None = None,
) -> Evaluation:
    """Every indicator of the evaluation phase (docs/domain.md#phase-6-evaluation), from the ledger."""
    handouts = ledger.handouts()
    purchased = sum(b.size for b in ledger.booklets())
    handed_out = sum(ledger.booklet(h.serial).size for h in handouts)
    pic_passes = sum(ledger.booklet(h.serial).size for h in handouts
                     if h.beneficiary.public in pic_publics)
    redeemed_value = sum((ledger.booklet(r.pass_id.booklet_serial).face_value
                          for r in ledger.redemptions), Decimal("0"))
    purchased_value = sum((b.total_value for b in ledger.booklets()), Decimal("0"))
    by_public, by_prescriber = defaultdict(set), defaultdict(set)
    for handout in handouts:
        by_public[handout.beneficiary.public].add(handout.beneficiary.id)
        by_prescriber[handout.prescriber].add(handout.beneficiary.id)
    return Evaluation(
        passes_purchased=purchased,
        passes_handed_out=handed_out,
        passes_redeemed=len(ledger.redemptions),
        distribution_rate=distribution_rate(handed_out, purchased),
        usage_rate=usage_rate(len(ledger.redemptions), handed_out),
        beneficiaries_by_public={k: len(v) for k, v in sorted(by_public.items())},
        beneficiaries_by_prescriber={k: len(v) for k, v in sorted(by_prescriber.items())},
        redemptions_by_place=ledger.redemptions_by_place(),
        pic=check_pic_share(pic_passes, handed_out, terms),
        state_share_owed=state_share_owed(redeemed_value, terms, state_cap),
        unused_at_expiry=len(ledger.unused_at_expiry(as_of)),
        credit_due=ledger.credit_due(as_of),
        minimum_purchase_error=check_minimum_purchase(purchased_value, terms),
    )
