"""The booklet register a process keeps: the ledger's moves as plain JSON, replayed.

A process holds ``registre_carnets`` = {"receptions": [...], "mouvements": [...]}: the
deliveries (booklets by serial range, with size, face value, validity year, issuer,
order) and the moves that followed (to a prescriber, back to stock, to a beneficiary),
each with who recorded it (``par``) and the day it happened (``le``). Reading it
replays everything on a :class:`Ledger`, so every invariant of the ledger holds on
what is stored: a register that does not replay is refused, never half-applied.

Serials are kept as ranges ("CAPN10-000001" to "CAPN10-000150") so that a register of
thousands of booklets stays small in the process data.
"""
import re
from collections import Counter
from dataclasses import dataclass

from .errors import DomainError, LedgerError
from .json_values import day, decimal
from .ledger import Beneficiary, Ledger, MoveKind, Place
from .passes import Booklet

SERIAL = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")
MAX_RANGE = 100_000


@dataclass(frozen=True)
class SerialRange:
    """Booklets numbered from ``first`` to ``last``: same prefix, same number of digits."""

    first: str
    last: str

    def serials(self) -> tuple[str, ...]:
        prefix, start, width = _split(self.first)
        last_prefix, end, last_width = _split(self.last)
        if (prefix, width) != (last_prefix, last_width):
            raise DomainError(f"Plage {self.first} – {self.last} : les deux numéros doivent avoir le même "
                              "préfixe et le même nombre de chiffres.")
        if end < start:
            raise DomainError(f"Plage {self.first} – {self.last} : le dernier numéro précède le premier.")
        if end - start + 1 > MAX_RANGE:
            raise DomainError(f"Plage {self.first} – {self.last} : plus de {MAX_RANGE} carnets.")
        return tuple(f"{prefix}{number:0{width}d}" for number in range(start, end + 1))

    def as_json(self) -> dict:
        return {"premier": self.first, "dernier": self.last}

    @classmethod
    def from_json(cls, value: dict) -> "SerialRange":
        first = (value.get("premier") or "").strip()
        last = (value.get("dernier") or first).strip()
        if not first:
            raise DomainError("Plage de carnets sans premier numéro.")
        return cls(first, last)


def _split(serial: str) -> tuple[str, int, int]:
    found = SERIAL.match(serial.strip())
    if not found:
        raise DomainError(f"Numéro de carnet « {serial} » : il doit se terminer par des chiffres.")
    return found["prefix"], int(found["number"]), len(found["number"])


def ranges_of(serials) -> list[dict]:
    """Consecutive serials folded back into ranges, in the order given."""
    ranges = []
    for serial in serials:
        if ranges:
            prefix, number, width = _split(serial)
            last_prefix, last_number, last_width = _split(ranges[-1]["dernier"])
            if (prefix, width) == (last_prefix, last_width) and number == last_number + 1:
                ranges[-1]["dernier"] = serial
                continue
        ranges.append({"premier": serial, "dernier": serial})
    return ranges


def serials_of(ranges) -> tuple[str, ...]:
    serials = tuple(s for value in ranges or () for s in SerialRange.from_json(value).serials())
    refuse_repeats(serials)
    return serials


def refuse_repeats(serials) -> None:
    repeated = sorted(s for s, n in Counter(serials).items() if n > 1)
    if repeated:
        raise LedgerError(f"Carnet(s) cité(s) deux fois : {', '.join(repeated[:5])}"
                          f"{' …' if len(repeated) > 5 else ''}.")


def empty_register() -> dict:
    return {"receptions": [], "mouvements": []}


def replay(register: dict | None, prescribers_with_convention=()) -> Ledger:
    """The ledger the register describes; LedgerError (French) when it breaks a rule.

    A prescriber a recorded move gave booklets to keeps its convention for the replay:
    the convention was checked when the move was recorded.
    """
    register = register or empty_register()
    moves = register.get("mouvements") or []
    holders = {m["vers"] for m in moves if m["type"] == MoveKind.TO_PRESCRIBER.value}
    ledger = Ledger(set(prescribers_with_convention) | holders)
    for reception in register.get("receptions") or []:
        record_reception(ledger, reception)
    for move in moves:
        _replay_move(ledger, move)
    return ledger


def record_reception(ledger: Ledger, reception: dict) -> None:
    """Enter one stored reception (a format's serial ranges) into the ledger's stock."""
    size, face_value = int(reception["cheques_par_carnet"]), decimal(reception["valeur_cheque"])
    booklets = (Booklet(serial, size, int(reception["annee_validite"]), reception["emetteur"], face_value)
                for serial in serials_of(reception["carnets"]))
    ledger.receive(booklets, order=reception.get("commande") or "", by=reception["par"], on=day(reception["le"]))


def _replay_move(ledger: Ledger, move: dict) -> None:
    serials, by, on = serials_of(move["carnets"]), move["par"], day(move["le"])
    kind = MoveKind(move["type"])
    if kind is MoveKind.TO_PRESCRIBER:
        ledger.assign_to_prescriber(serials, move["vers"], by=by, on=on)
    elif kind is MoveKind.RETURNED:
        ledger.return_to_stock(serials, move["de"], by=by, on=on)
    else:
        person = move["beneficiaire"]
        beneficiary = Beneficiary(person["identifiant"], person["public"], person.get("territoire"))
        ledger.hand_to_beneficiary(serials, move["de"], beneficiary, by=by, on=on)


def booklets_by_size(ledger: Ledger, place: Place | None = None, party: str | None = None) -> list[dict]:
    """[{cheques_par_carnet, nombre_carnets}] of the booklets at a place (all when None)."""
    counts = Counter(b.size for b in ledger.booklets()
                     if place is None or (ledger.holding(b.serial).place is place
                                          and party in (None, ledger.holding(b.serial).party)))
    return [{"cheques_par_carnet": size, "nombre_carnets": counts[size]} for size in sorted(counts)]


def register_summary(register: dict | None) -> dict:
    """Where the booklets of a register are, by size: received, in stock, per prescriber,
    handed out; the ranges each prescriber holds and the number of moves. A register
    that does not replay is refused (DomainError) with the rule it breaks."""
    ledger = replay(register)
    prescribers = sorted({ledger.holding(b.serial).party for b in ledger.booklets()
                          if ledger.holding(b.serial).place is Place.PRESCRIBER})
    return {
        "plages_par_prescripteur": {p: ranges_of(sorted(ledger.held_by(p))) for p in prescribers},
        "recus": booklets_by_size(ledger),
        "en_stock": booklets_by_size(ledger, Place.STOCK),
        "chez_prescripteurs": {p: booklets_by_size(ledger, Place.PRESCRIBER, p) for p in prescribers},
        "remis": booklets_by_size(ledger, Place.BENEFICIARY),
        "mouvements": len(ledger.moves),
    }
