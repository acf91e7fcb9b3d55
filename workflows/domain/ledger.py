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
and replaying them in order on a new ledger rebuilds the same state. The checks are
those of :mod:`.ledger_rules`, which the ledger service applies to each new record.
"""
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .allocation import AllocationRule
from .errors import LedgerError
from .ledger_rules import (  # noqa: F401 (MoveKind, Place, Holding, STOCK: the ledger's own names)
    STOCK,
    BookletFacts,
    Holding,
    MoveKind,
    Place,
    check_handout,
    check_held,
    check_redemption,
    refuse_repeats as _refuse_repeats,
    require_convention,
    require_holding,
    require_stock,
    require_unrecorded,
)
from .passes import Booklet, PassId


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
            require_unrecorded(booklet.serial, booklet.serial in self._booklets)
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
            require_stock(len(serials), len(in_stock))
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
        require_stock(count, len(candidates), booklet_size)
        candidates.sort(key=lambda s: (self._booklets[s].year, s))
        return self.assign_to_prescriber(candidates[:count], prescriber, by=by, on=on)

    def return_to_stock(self, serials: Iterable[str], prescriber: str, *, by: str, on: date) -> Move:
        """Prescriber -> stock (unused booklets brought back)."""
        serials = tuple(serials)
        _refuse_repeats(serials)
        check_held(self._facts(serials), prescriber, on)
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
        check_handout(self._facts(serials), prescriber, on, allocation, self._handed_booklets[beneficiary.id])
        move = self._move(MoveKind.TO_BENEFICIARY, serials, prescriber, beneficiary.id,
                          Holding(Place.BENEFICIARY, beneficiary.id, on), by, on)
        for serial in serials:
            self._handouts[serial] = Handout(serial, beneficiary, prescriber, on)
        self._handed_booklets[beneficiary.id] += len(serials)
        return move

    def redeem(self, pass_id: PassId, *, place: str, by: str, on: date) -> Redemption:
        """A mediation place cashes one pass of a booklet handed to a beneficiary."""
        booklet = self.booklet(pass_id.booklet_serial)
        handout = self._handouts.get(booklet.serial)
        previous = self._redemptions.get(pass_id)
        check_redemption(pass_id, booklet, handout and handout.on, previous and (previous.on, previous.place),
                         place, on, self._places)
        redemption = Redemption(pass_id, place, on, by)
        self._redemptions[pass_id] = redemption
        return redemption

    # --- checks --------------------------------------------------------------------

    def _require_convention(self, prescriber: str) -> None:
        require_convention(prescriber, prescriber in self._conventions)

    def _require_holding(self, serial: str, place: Place, party: str, on: date) -> None:
        require_holding(serial, self._holdings.get(serial), place, party, on)

    def _facts(self, serials) -> list[BookletFacts]:
        """The booklets as the rules read them (LedgerError for one the register does not know)."""
        return [BookletFacts(self.booklet(serial), self._holdings[serial]) for serial in serials]

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

