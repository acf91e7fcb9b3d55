"""The booklet ledger: issuer order -> stock -> prescriber -> beneficiary -> redemption.

Passes are public money (valeurs inactives): every move records who made it and
when, and the ledger refuses a move that would break an invariant:

* a booklet is received once;
* nothing leaves the stock that is not in it;
* no booklet goes to a prescriber without a signed convention de mandat;
* a prescriber hands over only the booklets it holds;
* a pass is redeemed once, from a booklet handed to a beneficiary, before it expires.

A refused move raises :class:`LedgerError` (French message) and changes nothing.
The ledger is an aggregate with state; its moves and redemptions are frozen values,
and replaying them in order on a new ledger rebuilds the same state.
"""
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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


class Place(Enum):
    STOCK = "stock"
    PRESCRIBER = "prescripteur"
    BENEFICIARY = "beneficiaire"


@dataclass(frozen=True)
class Holding:
    place: Place
    party: str  # "stock", the prescriber id or the beneficiary id
    since: date


@dataclass(frozen=True)
class Beneficiary:
    """A pseudonymous beneficiary: what the evaluation needs, no name (RGPD minimisation)."""

    id: str
    public: str
    territory: str | None = None


@dataclass(frozen=True)
class Move:
    kind: MoveKind
    serials: tuple[str, ...]
    source: str
    destination: str
    by: str
    on: date
    reference: str = ""


@dataclass(frozen=True)
class Handout:
    serial: str
    beneficiary: Beneficiary
    prescriber: str
    on: date


@dataclass(frozen=True)
class Redemption:
    pass_id: PassId
    place: str
    on: date
    by: str


STOCK = "stock"


class Ledger:
    def __init__(
        self,
        prescribers_with_convention: Iterable[str],
        mediation_places: Iterable[str] | None = None,
    ):
        """``mediation_places``, when given, restricts redemptions to those places."""
        self._conventions = frozenset(prescribers_with_convention)
        self._places = None if mediation_places is None else frozenset(mediation_places)
        self._booklets: dict[str, Booklet] = {}
        self._holdings: dict[str, Holding] = {}
        self._handouts: dict[str, Handout] = {}
        self._redemptions: dict[PassId, Redemption] = {}
        self._moves: list[Move] = []
        self._handed_booklets: Counter = Counter()   # booklets received, per beneficiary

    # --- moves ---------------------------------------------------------------------

    def receive(self, booklets: Iterable[Booklet], *, order: str, by: str, on: date) -> Move:
        """Booklets delivered on an issuer order enter the stock."""
        booklets = tuple(booklets)
        _refuse_repeats([b.serial for b in booklets])
        for booklet in booklets:
            if booklet.serial in self._booklets:
                raise LedgerError(f"Le carnet {booklet.serial} est déjà enregistré : un carnet "
                                  "ne peut pas être reçu deux fois.")
        issuers = sorted({b.issuer for b in booklets})
        move = Move(MoveKind.RECEIVED, tuple(b.serial for b in booklets),
                    f"émetteur {', '.join(issuers)}", STOCK, by, on, order)
        for booklet in booklets:
            self._booklets[booklet.serial] = booklet
            self._holdings[booklet.serial] = Holding(Place.STOCK, STOCK, on)
        return self._record(move)

    def assign_to_prescriber(self, serials: Iterable[str], prescriber: str, *, by: str, on: date) -> Move:
        """Stock -> prescriber; only for a prescriber with a signed convention de mandat."""
        serials = tuple(serials)
        self._require_convention(prescriber)
        _refuse_repeats(serials)
        in_stock = self.stock()
        if len(serials) > len(in_stock):
            raise LedgerError(f"Stock insuffisant : {len(serials)} carnet(s) demandé(s), "
                              f"{len(in_stock)} en stock.")
        for serial in serials:
            self._require_holding(serial, Place.STOCK, STOCK, on)
        return self._move(MoveKind.TO_PRESCRIBER, serials, STOCK, prescriber,
                          Holding(Place.PRESCRIBER, prescriber, on), by, on)

    def assign_quantity_to_prescriber(
        self, count: int, prescriber: str, *, by: str, on: date, booklet_size: int | None = None
    ) -> Move:
        """Give ``count`` booklets from stock, those expiring first (then by serial)."""
        self._require_convention(prescriber)
        candidates = [s for s in self.stock() if booklet_size in (None, self._booklets[s].size)]
        if count < 1 or count > len(candidates):
            size = f" de {booklet_size} pass" if booklet_size else ""
            raise LedgerError(f"Stock insuffisant : {count} carnet(s){size} demandé(s), "
                              f"{len(candidates)} en stock.")
        candidates.sort(key=lambda s: (self._booklets[s].year, s))
        return self.assign_to_prescriber(candidates[:count], prescriber, by=by, on=on)

    def return_to_stock(self, serials: Iterable[str], prescriber: str, *, by: str, on: date) -> Move:
        """Prescriber -> stock (unused booklets brought back)."""
        serials = tuple(serials)
        _refuse_repeats(serials)
        for serial in serials:
            self._require_holding(serial, Place.PRESCRIBER, prescriber, on)
        return self._move(MoveKind.RETURNED, serials, prescriber, STOCK,
                          Holding(Place.STOCK, STOCK, on), by, on)

    def hand_to_beneficiary(
        self,
        serials: Iterable[str],
        prescriber: str,
        beneficiary: Beneficiary,
        *,
        by: str,
        on: date,
        allocation: AllocationRule | None = None,
    ) -> Move:
        """Prescriber -> beneficiary: the prescription (the prescriber hands its own booklets).

        With ``allocation``, the booklets must also respect the public's rule.
        """
        serials = tuple(serials)
        _refuse_repeats(serials)
        if allocation is not None:
            self._require_allocation(allocation, serials, beneficiary)
        for serial in serials:
            self._require_holding(serial, Place.PRESCRIBER, prescriber, on)
            booklet = self._booklets[serial]
            if not booklet.is_accepted_on(on):
                raise LedgerError(f"Le carnet {serial} a expiré le {format_date(booklet.accepted_until)} : "
                                  "il ne peut plus être remis.")
        move = self._move(MoveKind.TO_BENEFICIARY, serials, prescriber, beneficiary.id,
                          Holding(Place.BENEFICIARY, beneficiary.id, on), by, on)
        for serial in serials:
            self._handouts[serial] = Handout(serial, beneficiary, prescriber, on)
        self._handed_booklets[beneficiary.id] += len(serials)
        return move

    def redeem(self, pass_id: PassId, *, place: str, by: str, on: date) -> Redemption:
        """A mediation place cashes one pass of a booklet handed to a beneficiary."""
        booklet = self.booklet(pass_id.booklet_serial)
        if not 1 <= pass_id.number <= booklet.size:
            raise LedgerError(f"Le pass {pass_id} n'existe pas : le carnet {booklet.serial} "
                              f"compte {booklet.size} pass.")
        if self._places is not None and place not in self._places:
            raise LedgerError(f"« {place} » n'est pas un lieu de médiation conventionné.")
        handout = self._handouts.get(booklet.serial)
        if handout is None:
            raise LedgerError(f"Le pass {pass_id} n'a pas été remis à un bénéficiaire : il ne "
                              "peut pas être encaissé.")
        previous = self._redemptions.get(pass_id)
        if previous is not None:
            raise LedgerError(f"Le pass {pass_id} a déjà été encaissé le "
                              f"{format_date(previous.on)} par {previous.place}.")
        if on < handout.on:
            raise LedgerError(f"Le pass {pass_id} ne peut pas être encaissé avant sa remise "
                              f"({format_date(handout.on)}).")
        if not booklet.is_accepted_on(on):
            raise LedgerError(f"Le pass {pass_id} n'est plus accepté depuis le "
                              f"{format_date(booklet.accepted_until)}.")
        redemption = Redemption(pass_id, place, on, by)
        self._redemptions[pass_id] = redemption
        return redemption

    # --- checks --------------------------------------------------------------------

    def _require_convention(self, prescriber: str) -> None:
        if prescriber not in self._conventions:
            raise LedgerError(f"Aucune convention de mandat signée avec le prescripteur "
                              f"« {prescriber} » : aucun carnet ne peut lui être remis.")

    def _require_allocation(self, rule: AllocationRule, serials, beneficiary: Beneficiary) -> None:
        sizes = [self.booklet(serial).size for serial in serials]
        error = allocation_error(rule, sizes, self._handed_booklets[beneficiary.id])
        if error:
            raise LedgerError(error)

    def _require_holding(self, serial: str, place: Place, party: str, on: date) -> None:
        holding = self._holdings.get(serial)
        if holding is None:
            raise LedgerError(f"Le carnet {serial} est inconnu du registre.")
        if holding.place is not place or holding.party != party:
            expected = "en stock" if place is Place.STOCK else f"chez {party}"
            raise LedgerError(f"Le carnet {serial} n'est pas {expected} : "
                              f"{_describe(holding)}.")
        if on < holding.since:
            raise LedgerError(f"Mouvement du carnet {serial} daté du {format_date(on)}, avant "
                              f"son mouvement précédent ({format_date(holding.since)}).")

    def _move(self, kind, serials, source, destination, holding, by, on) -> Move:
        for serial in serials:
            self._holdings[serial] = holding
        return self._record(Move(kind, serials, source, destination, by, on))

    def _record(self, move: Move) -> Move:
        self._moves.append(move)
        return move

    # --- queries -------------------------------------------------------------------

    def booklet(self, serial: str) -> Booklet:
        try:
            return self._booklets[serial]
        except KeyError:
            raise LedgerError(f"Le carnet {serial} est inconnu du registre.") from None

    def holding(self, serial: str) -> Holding:
        self.booklet(serial)
        return self._holdings[serial]

    def booklets(self) -> tuple[Booklet, ...]:
        return tuple(self._booklets.values())

    def stock(self) -> tuple[str, ...]:
        return tuple(s for s, h in self._holdings.items() if h.place is Place.STOCK)

    def held_by(self, prescriber: str) -> tuple[str, ...]:
        return tuple(s for s, h in self._holdings.items()
                     if h.place is Place.PRESCRIBER and h.party == prescriber)

    @property
    def moves(self) -> tuple[Move, ...]:
        return tuple(self._moves)

    @property
    def redemptions(self) -> tuple[Redemption, ...]:
        return tuple(self._redemptions.values())

    def handouts(self) -> tuple[Handout, ...]:
        return tuple(self._handouts.values())

    def is_redeemed(self, pass_id: PassId) -> bool:
        return pass_id in self._redemptions

    def redemptions_by_place(self) -> dict[str, int]:
        return dict(Counter(r.place for r in self._redemptions.values()))

    def unused_at_expiry(self, as_of: date) -> tuple[PassId, ...]:
        """Passes of booklets no longer accepted on ``as_of`` that were never redeemed."""
        return tuple(p for b in self._booklets.values() if not b.is_accepted_on(as_of)
                     for p in b.passes() if p not in self._redemptions)

    def credit_due(self, as_of: date) -> Decimal:
        """Credit note owed by the issuer: unused expired passes at face value."""
        return sum((self._booklets[p.booklet_serial].face_value for p in self.unused_at_expiry(as_of)),
                   Decimal("0.00"))


def _describe(holding: Holding) -> str:
    if holding.place is Place.STOCK:
        return f"il est en stock depuis le {format_date(holding.since)}"
    if holding.place is Place.PRESCRIBER:
        return f"il est chez le prescripteur {holding.party} depuis le {format_date(holding.since)}"
    return f"il a été remis au bénéficiaire {holding.party} le {format_date(holding.since)}"


def _refuse_repeats(serials) -> None:
    repeated = sorted(s for s, n in Counter(serials).items() if n > 1)
    if repeated:
        raise LedgerError(f"Carnet(s) cité(s) deux fois dans le même mouvement : {', '.join(repeated)}.")
    if not serials:
        raise LedgerError("Un mouvement porte sur au moins un carnet.")
