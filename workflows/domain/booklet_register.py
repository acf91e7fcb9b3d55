"""Booklet serials written as ranges ("CAPN10-000001" to "CAPN10-000150"), as deliveries,
forms and the ledger's imports give them: a range of thousands of booklets stays one line.

(The register processes once kept in their data, replayed here, is gone: the ledger's tables
hold the booklets and their moves.)
"""
import re
from collections import Counter
from dataclasses import dataclass

from .errors import DomainError, LedgerError

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
    repeated = sorted(s for s, n in Counter(serials).items() if n > 1)
    if repeated:
        raise LedgerError(f"Carnet(s) cité(s) deux fois : {', '.join(repeated[:5])}"
                          f"{' …' if len(repeated) > 5 else ''}.")
    return serials
