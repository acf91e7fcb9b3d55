"""The publics a territory retained for the Pass numérique: dated data, one list per territory.

``data/publics.json`` holds them (Saint-Martin's seven publics of January 2021). A territory
with a list records handouts for those publics only; a territory without one takes any public.
How many booklets each public receives stays the allocation rules' (``allocation``)."""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .data_files import effective_date, flag, package_file, records_of, required_object, required_text
from .errors import DataFileError, DomainError
from .french_dates import format_date

FORMAT = "conventio.publics/1"
DEFAULT_FILE = "publics.json"


@dataclass(frozen=True)
class TargetPublic:
    territory: str
    public: str
    label: str
    pic: bool
    effective_from: date
    source: str


@lru_cache(maxsize=1)
def default_publics() -> tuple[TargetPublic, ...]:
    return publics_from_json(package_file(DEFAULT_FILE), DEFAULT_FILE)


def publics_from_json(text: str, name: str) -> tuple[TargetPublic, ...]:
    publics = tuple(_parsed(raw, f"{name}, public n° {i}")
                    for i, raw in enumerate(records_of(text, name, FORMAT, "publics"), 1))
    keys = [(p.territory, p.effective_from, p.public) for p in publics]
    if len(set(keys)) != len(keys):
        raise DataFileError(f"{name} : un même public deux fois pour un territoire et une date d'effet.")
    return publics


def _parsed(raw: object, where: str) -> TargetPublic:
    raw = required_object(raw, where)
    return TargetPublic(required_text(raw, "territory", where), required_text(raw, "public", where),
                        required_text(raw, "label", where), flag(raw, "pic", where), effective_date(raw, where),
                        required_text(raw, "source", where))


def territory_publics(territory: str | None, on: date,
                      publics: Sequence[TargetPublic] | None = None) -> tuple[TargetPublic, ...]:
    """The territory's list in force on ``on`` (the latest dated one); () when it has none."""
    publics = default_publics() if publics is None else publics
    mine = [p for p in publics if territory is not None and p.territory == territory and p.effective_from <= on]
    if not mine:
        return ()
    latest = max(p.effective_from for p in mine)
    return tuple(p for p in mine if p.effective_from == latest)


def require_territory_public(public: str, territory: str | None, on: date,
                             publics: Sequence[TargetPublic] | None = None) -> None:
    """DomainError naming the territory's publics when ``public`` is not one of them."""
    listed = territory_publics(territory, on, publics)
    if listed and public not in {p.public for p in listed}:
        names = " ; ".join(f"{p.public} ({p.label})" for p in listed)
        raise DomainError(f"Le public « {public} » n'est pas un des publics retenus par le territoire "
                          f"{territory} au {format_date(on)} : {names}.")


def pic_target_publics(publics: Sequence[TargetPublic] | None = None) -> frozenset[str]:
    publics = default_publics() if publics is None else publics
    return frozenset(p.public for p in publics if p.pic)
