"""The rules of the booklet ledger, applied to one move against the facts it touches.

Both ways of keeping the ledger use these functions, so that they refuse the same moves
with the same French messages:
* :class:`.ledger.Ledger` replays a whole register kept in process data;
* the ledger service checks each new record against the facts it reads from the tables
  (where each booklet is, the prescriber's convention de mandat and what it already
  received, what the beneficiary already received), never the whole campaign.

Every function raises :class:`LedgerError` (French message) and returns nothing, or the
value named.
"""
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from .allocation import AllocationRule, allocation_error
from .errors import LedgerError
from .french_dates import format_date
from .passes import Booklet, PassId


class MoveKind(Enum):
    RECEIVED = "reception_commande"
    TO_PRESCRIBER = "dotation_prescripteur"
    RETURNED = "retour_stock"
    TO_BENEFICIARY = "remise_beneficiaire"
    TRANSFERRED = "transfert_prescripteur"
    LOST = "perte"
    DESTROYED = "destruction"
    CORRECTION = "correction"


class Place(Enum):
    STOCK = "stock"
    PRESCRIBER = "prescripteur"
    BENEFICIARY = "beneficiaire"
    LOST = "perdu"
    DESTROYED = "detruit"


STOCK = "stock"


@dataclass(frozen=True)
class Holding:
    place: Place
    party: str  # "stock", the prescriber id or the beneficiary id
    since: date


@dataclass(frozen=True)
class BookletFacts:
    """A booklet and where the ledger has it now: what a move on it is checked against."""

    booklet: Booklet
    holding: Holding


@dataclass(frozen=True)
class Mandate:
    """A prescriber's convention de mandat: executory from ``executory_on`` (None: not yet),
    the booklets it entrusts per size and those already endowed per size."""

    prescriber: str
    executory_on: date | None
    entrusted: Mapping[int, int]
    endowed: Mapping[int, int] = field(default_factory=dict)


# --- one booklet ------------------------------------------------------------------------


def require_unrecorded(serial: str, recorded: bool) -> None:
    if recorded:
        raise LedgerError(f"Le carnet {serial} est déjà enregistré : un carnet "
                          "ne peut pas être reçu deux fois.")


def require_holding(serial: str, holding: Holding | None, place: Place, party: str, on: date) -> None:
    """The booklet is at ``place`` with ``party`` and the move is not dated before its last one."""
    if holding is None:
        raise LedgerError(f"Le carnet {serial} est inconnu du registre.")
    if holding.place is not place or holding.party != party:
        expected = "en stock" if place is Place.STOCK else f"chez {party}"
        raise LedgerError(f"Le carnet {serial} n'est pas {expected} : {describe(holding)}.")
    if on < holding.since:
        raise LedgerError(f"Mouvement du carnet {serial} daté du {format_date(on)}, avant "
                          f"son mouvement précédent ({format_date(holding.since)}).")


def require_accepted(booklet: Booklet, on: date) -> None:
    if not booklet.is_accepted_on(on):
        raise LedgerError(f"Le carnet {booklet.serial} a expiré le {format_date(booklet.accepted_until)} : "
                          "il ne peut plus être remis.")


def describe(holding: Holding) -> str:
    since = format_date(holding.since)
    if holding.place is Place.STOCK:
        return f"il est en stock depuis le {since}"
    if holding.place is Place.PRESCRIBER:
        return f"il est chez le prescripteur {holding.party} depuis le {since}"
    if holding.place is Place.LOST:
        return f"il a été déclaré perdu le {since}"
    if holding.place is Place.DESTROYED:
        return f"il a été détruit le {since}"
    return f"il a été remis au bénéficiaire {holding.party} le {since}"


def refuse_repeats(serials: Sequence[str]) -> None:
    repeated = sorted(s for s, n in Counter(serials).items() if n > 1)
    if repeated:
        raise LedgerError(f"Carnet(s) cité(s) deux fois dans le même mouvement : {', '.join(repeated)}.")
    if not serials:
        raise LedgerError("Un mouvement porte sur au moins un carnet.")


# --- the prescriber's convention de mandat ----------------------------------------------


def require_convention(prescriber: str, signed: bool) -> None:
    if not signed:
        raise LedgerError(f"Aucune convention de mandat signée avec le prescripteur "
                          f"« {prescriber} » : aucun carnet ne peut lui être remis.")


def require_executory(prescriber: str, executory_on: date | None, on: date) -> None:
    """The convention de mandat was executory on the day the booklets reach the prescriber."""
    if executory_on is None:
        raise LedgerError(f"{prescriber} : aucune date à laquelle sa convention de mandat est devenue "
                          "exécutoire (transmission au contrôle de légalité) : pas de carnets avant qu'elle "
                          "le soit.")
    if on < executory_on:
        since = format_date(executory_on)
        raise LedgerError(f"{prescriber} : carnets remis le {format_date(on)}, avant que sa convention de "
                          f"mandat soit exécutoire ({since}) : datez la remise à partir du {since}.")


def require_entrusted(mandate: Mandate, sizes: Iterable[int]) -> None:
    """The booklets endowed so far plus these stay within what the convention entrusts, per size."""
    for size, count in sorted(Counter(sizes).items()):
        allowed = mandate.entrusted.get(size)
        if allowed is None:
            raise LedgerError(f"{mandate.prescriber} : carnets de {size} pass, que sa convention de mandat ne "
                              "lui confie pas ; un avenant est nécessaire.")
        total = mandate.endowed.get(size, 0) + count
        if total > allowed:
            raise LedgerError(f"{mandate.prescriber} : dotation de {total} carnets de {size} pass, sa convention "
                              f"de mandat en confie {allowed} ; au-delà, un avenant est nécessaire.")


def require_mandate(prescriber: str, mandate: Mandate | None, sizes: Sequence[int], on: date) -> None:
    """Signed, executory on ``on``, and entrusting these booklets."""
    require_convention(prescriber, mandate is not None)
    require_executory(prescriber, mandate.executory_on, on)
    require_entrusted(mandate, sizes)


# --- one move -----------------------------------------------------------------------------


def require_stock(count: int, available: int, booklet_size: int | None = None) -> None:
    if count < 1 or count > available:
        size = f" de {booklet_size} pass" if booklet_size else ""
        raise LedgerError(f"Stock insuffisant : {count} carnet(s){size} demandé(s), "
                          f"{available} en stock.")


def check_dotation(booklets: Sequence[BookletFacts], prescriber: str, mandate: Mandate | None, on: date) -> None:
    """Stock -> prescriber, within its convention de mandat."""
    refuse_repeats([f.booklet.serial for f in booklets])
    require_mandate(prescriber, mandate, [f.booklet.size for f in booklets], on)
    for facts in booklets:
        require_holding(facts.booklet.serial, facts.holding, Place.STOCK, STOCK, on)


def check_transfer(booklets: Sequence[BookletFacts], source: str, destination: str, mandate: Mandate | None,
                   on: date) -> None:
    """Prescriber -> prescriber: the source holds them, the destination's convention entrusts them."""
    refuse_repeats([f.booklet.serial for f in booklets])
    if source == destination:
        raise LedgerError(f"Transfert de {source} à lui-même : choisissez un autre prescripteur.")
    require_mandate(destination, mandate, [f.booklet.size for f in booklets], on)
    check_held(booklets, source, on)


def check_held(booklets: Sequence[BookletFacts], prescriber: str, on: date) -> None:
    """The prescriber holds them (a return to stock, a transfer's source)."""
    refuse_repeats([f.booklet.serial for f in booklets])
    for facts in booklets:
        require_holding(facts.booklet.serial, facts.holding, Place.PRESCRIBER, prescriber, on)


def check_handout(booklets: Sequence[BookletFacts], prescriber: str, on: date,
                  rule: AllocationRule | None = None, previous_booklets: int = 0) -> None:
    """Prescriber -> beneficiary: booklets it holds, still accepted, within the public's rule
    (``rule``, in force on ``on``; ``previous_booklets`` the person already received)."""
    refuse_repeats([f.booklet.serial for f in booklets])
    if rule is not None:
        error = allocation_error(rule, [f.booklet.size for f in booklets], previous_booklets)
        if error:
            raise LedgerError(error)
    for facts in booklets:
        require_holding(facts.booklet.serial, facts.holding, Place.PRESCRIBER, prescriber, on)
        require_accepted(facts.booklet, on)


def check_loss(booklets: Sequence[BookletFacts], on: date, reason: str) -> None:
    """Lost or destroyed, from the stock or a prescriber, always with its reason."""
    refuse_repeats([f.booklet.serial for f in booklets])
    if not (reason or "").strip():
        raise LedgerError("Indiquez le motif de la perte ou de la destruction : un carnet ne sort pas "
                          "du registre sans motif.")
    for facts in booklets:
        holding = facts.holding
        if holding.place not in (Place.STOCK, Place.PRESCRIBER):
            raise LedgerError(f"Le carnet {facts.booklet.serial} ne peut pas être déclaré perdu ou détruit : "
                              f"{describe(holding)}.")
        require_holding(facts.booklet.serial, holding, holding.place, holding.party, on)


# --- redemptions --------------------------------------------------------------------------


def check_redemption(pass_id: PassId, booklet: Booklet, handed_on: date | None, redeemed: tuple | None,
                     place: str, on: date, places: frozenset | None = None) -> None:
    """A pass of a booklet handed to a beneficiary, cashed once, not before the handout nor
    after expiry, at a listed place when ``places`` is given. ``redeemed``: (day, place) of
    its earlier redemption, if any."""
    if not 1 <= pass_id.number <= booklet.size:
        raise LedgerError(f"Le pass {pass_id} n'existe pas : le carnet {booklet.serial} "
                          f"compte {booklet.size} pass.")
    if places is not None and place not in places:
        raise LedgerError(f"« {place} » n'est pas un lieu de médiation conventionné.")
    if handed_on is None:
        raise LedgerError(f"Le pass {pass_id} n'a pas été remis à un bénéficiaire : il ne "
                          "peut pas être encaissé.")
    if redeemed is not None:
        raise LedgerError(f"Le pass {pass_id} a déjà été encaissé le "
                          f"{format_date(redeemed[0])} par {redeemed[1]}.")
    if on < handed_on:
        raise LedgerError(f"Le pass {pass_id} ne peut pas être encaissé avant sa remise "
                          f"({format_date(handed_on)}).")
    if not booklet.is_accepted_on(on):
        raise LedgerError(f"Le pass {pass_id} n'est plus accepté depuis le "
                          f"{format_date(booklet.accepted_until)}.")
