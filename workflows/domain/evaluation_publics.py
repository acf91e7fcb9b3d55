"""The publics an evaluation reports on, and the indicators a territory retained of its own.

A territory with a list of publics (``publics``) reports on those, at the report's date; one
without keeps the five publics of the library's evaluation form. The territory's own
indicators (Saint-Martin's share of beneficiaries living in a priority neighbourhood) are
dated records of ``data/publics.json`` too."""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .data_files import effective_date, package_file, records_of, required_object, required_text
from .errors import DataFileError
from .french_dates import format_date
from .publics import DEFAULT_FILE, FORMAT, TargetPublic, territory_publics

PRIORITY_AREA_SHARE = "part_beneficiaires_qpv"


@dataclass(frozen=True)
class ReportPublic:
    public: str
    label: str
    pic: bool


# The evaluation form's publics before territories had lists: still those of a territory without one.
LIBRARY_PUBLICS = (
    ReportPublic("pic", "Public éloigné de l'emploi (PIC)", True),
    ReportPublic("plie_demandeur_emploi", "Demandeur d'emploi suivi par un PLIE", True),
    ReportPublic("senior", "Senior", False),
    ReportPublic("jeune", "Jeune (16-25 ans)", False),
    ReportPublic("autre", "Autre public", False),
)


def report_publics(territory: str | None, on: date,
                   publics: Sequence[TargetPublic] | None = None) -> tuple[ReportPublic, ...]:
    """The publics a report of ``territory`` dated ``on`` names: its list then in force, else the library's five."""
    listed = territory_publics(territory, on, publics)
    if not listed:
        return LIBRARY_PUBLICS
    return tuple(ReportPublic(p.public, p.label, p.pic) for p in listed)


def report_publics_error(codes: Sequence[str], territory: str | None, on: date,
                         publics: Sequence[TargetPublic] | None = None) -> str | None:
    """None when every code is one of the report's publics, else a French message naming the
    codes refused and the publics expected."""
    expected = report_publics(territory, on, publics)
    unknown = sorted({code for code in codes if code not in {p.public for p in expected}})
    if not unknown:
        return None
    whose = f"les publics retenus par le territoire {territory} au {format_date(on)}" \
        if expected != LIBRARY_PUBLICS else "sans liste de publics du territoire, ceux de la bibliothèque"
    names = " ; ".join(f"{p.public} ({p.label})" for p in expected)
    return f"Public(s) inconnu(s) {', '.join('« %s »' % code for code in unknown)} : {whose} sont : {names}."


@dataclass(frozen=True)
class TerritoryIndicator:
    territory: str
    indicator: str
    label: str
    effective_from: date
    source: str


@lru_cache(maxsize=1)
def default_indicators() -> tuple[TerritoryIndicator, ...]:
    return indicators_from_json(package_file(DEFAULT_FILE), DEFAULT_FILE)


def indicators_from_json(text: str, name: str) -> tuple[TerritoryIndicator, ...]:
    indicators = tuple(_indicator(raw, f"{name}, indicateur n° {i}")
                       for i, raw in enumerate(records_of(text, name, FORMAT, "indicators"), 1))
    keys = [(i.territory, i.effective_from, i.indicator) for i in indicators]
    if len(set(keys)) != len(keys):
        raise DataFileError(f"{name} : un même indicateur deux fois pour un territoire et une date d'effet.")
    return indicators


def _indicator(raw: object, where: str) -> TerritoryIndicator:
    raw = required_object(raw, where)
    return TerritoryIndicator(required_text(raw, "territory", where), required_text(raw, "indicator", where),
                              required_text(raw, "label", where), effective_date(raw, where),
                              required_text(raw, "source", where))


def territory_indicator(territory: str | None, indicator: str, on: date,
                        indicators: Sequence[TerritoryIndicator] | None = None) -> TerritoryIndicator | None:
    """The territory's record of ``indicator`` in force on ``on``; None when it has not retained it."""
    indicators = default_indicators() if indicators is None else indicators
    mine = [i for i in indicators if territory is not None and i.territory == territory
            and i.indicator == indicator and i.effective_from <= on]
    return max(mine, key=lambda i: i.effective_from, default=None)
