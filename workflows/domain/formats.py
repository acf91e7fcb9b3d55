"""Booklet formats: how many booklets of each size (5 or 10 passes) a stock holds.

One territory needs both sizes (PLIE job seekers receive booklets of 10, seniors one
booklet of 5): a stock, a dotation or a handout is counted per format, never as a
number of booklets times one size.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import DomainError
from .passes import BOOKLET_SIZES


@dataclass(frozen=True)
class BookletFormat:
    """``booklets`` booklets of ``size`` passes each."""

    size: int
    booklets: int

    @property
    def passes(self) -> int:
        return self.size * self.booklets


def booklet_size(value, where: str) -> int:
    """A booklet size (5 or 10), else a French refusal naming ``where``."""
    if isinstance(value, bool) or value not in BOOKLET_SIZES:
        raise DomainError(f"{where} : format de carnet {value!r} ; un carnet compte 5 ou 10 pass.")
    return value


def booklet_count(value, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DomainError(f"{where} : nombre de carnets invalide {value!r}.")
    return value


def parse_formats(raw, where: str = "Stock de carnets") -> tuple[BookletFormat, ...]:
    """The formats of ``[{"cheques_par_carnet", "nombre_carnets"}, ...]``, one per size,
    in increasing size; a size listed twice, an unknown size or a negative count is refused."""
    if not isinstance(raw, list):
        raise DomainError(f"{where} : liste des formats attendue "
                          f"([{{cheques_par_carnet, nombre_carnets}}, ...]), reçu {raw!r}.")
    formats = {}
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise DomainError(f"{where} : format invalide {entry!r}.")
        size = booklet_size(entry.get("cheques_par_carnet"), where)
        if size in formats:
            raise DomainError(f"{where} : le format de {size} pass figure deux fois.")
        formats[size] = BookletFormat(size, booklet_count(entry.get("nombre_carnets"), where))
    return tuple(formats[size] for size in sorted(formats))


def total_booklets(formats: Iterable[BookletFormat]) -> int:
    return sum(f.booklets for f in formats)


def total_passes(formats: Iterable[BookletFormat]) -> int:
    return sum(f.passes for f in formats)


def remaining(stock: Iterable[BookletFormat], taken: Iterable[BookletFormat]) -> tuple[BookletFormat, ...]:
    """What is left of ``stock`` once ``taken`` went out, per format; refuses taking more
    booklets of a format than the stock holds."""
    left = {f.size: f.booklets for f in stock}
    for out in taken:
        if out.booklets > left.get(out.size, 0):
            raise DomainError(f"Stock insuffisant : {out.booklets} carnet(s) de {out.size} pass "
                              f"demandé(s), {left.get(out.size, 0)} en stock.")
        left[out.size] = left.get(out.size, 0) - out.booklets
    return tuple(BookletFormat(size, count) for size, count in sorted(left.items()))


def by_format(formats: Iterable[BookletFormat]) -> tuple[BookletFormat, ...]:
    """Sum entries of the same size (several dotations of one format), in increasing size."""
    counts = {}
    for f in formats:
        counts[f.size] = counts.get(f.size, 0) + f.booklets
    return tuple(BookletFormat(size, count) for size, count in sorted(counts.items()))
