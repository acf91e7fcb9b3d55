"""How many booklets each public receives: dated rules kept in data, overridable per territory.

The defaults come from ``data/allocation_rules.json`` (PLIE job seekers 3 booklets of
10; seniors 1 booklet of 5, renewable). A territory overrides a public's rule by a
record carrying its code.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .data_files import effective_date, flag, listed, package_file, records_of, required_object, required_text
from .errors import DataFileError, DomainError
from .french_dates import format_date
from .passes import BOOKLET_SIZES
from .publics import pic_target_publics

FORMAT = "conventio.allocation-rules/1"
DEFAULT_FILE = "allocation_rules.json"
# The forms' public "pic" counts toward the PIC share as the rules' publics flagged PIC do.
FORM_PIC_PUBLIC = "pic"


@dataclass(frozen=True)
class AllocationRule:
    public: str
    label: str
    booklets: int
    booklet_size: int
    renewable: bool
    pic: bool
    territory: str | None
    effective_from: date
    source: str

    @property
    def passes(self) -> int:
        return self.booklets * self.booklet_size


@lru_cache(maxsize=1)
def default_allocation_rules() -> tuple[AllocationRule, ...]:
    return load_allocation_rules()


def load_allocation_rules() -> tuple[AllocationRule, ...]:
    """Load and validate the package's own allocation file."""
    return allocation_rules_from_json(package_file(DEFAULT_FILE), DEFAULT_FILE)


def allocation_rules_from_json(text: str, name: str) -> tuple[AllocationRule, ...]:
    """Validate an allocation document read by the caller (a territory's own rules)."""
    return _parsed_rules(records_of(text, name, FORMAT, "rules"), name)


def parse_allocation_rules(document: object, name: str = DEFAULT_FILE) -> tuple[AllocationRule, ...]:
    return _parsed_rules(listed(document, name, FORMAT, "rules"), name)


def _parsed_rules(raw_rules: list, name: str) -> tuple[AllocationRule, ...]:
    rules = tuple(_parse_rule(raw, f"{name}, règle n° {i}") for i, raw in enumerate(raw_rules, 1))
    keys = [(r.public, r.territory, r.effective_from) for r in rules]
    if len(set(keys)) != len(keys):
        raise DataFileError(f"{name} : deux règles pour le même public, le même territoire "
                            "et la même date d'effet.")
    return rules


def _parse_rule(raw: object, where: str) -> AllocationRule:
    raw = required_object(raw, where)
    public, label, source = (required_text(raw, key, where) for key in ("public", "label", "source"))
    booklets, size = raw.get("booklets"), raw.get("booklet_size")
    if isinstance(booklets, bool) or not isinstance(booklets, int) or booklets < 1:
        raise DataFileError(f"{where} : nombre de carnets invalide {booklets!r}.")
    if size not in BOOKLET_SIZES:
        raise DataFileError(f"{where} : taille de carnet {size!r} (5 ou 10 attendu).")
    territory = raw.get("territory")
    if territory is not None and (not isinstance(territory, str) or not territory.strip()):
        raise DataFileError(f"{where} : territoire invalide {territory!r}.")
    return AllocationRule(public, label, booklets, size, flag(raw, "renewable", where),
                          flag(raw, "pic", where), territory, effective_date(raw, where), source)


def allocation_for(
    public: str,
    on: date,
    territory: str | None = None,
    rules: Sequence[AllocationRule] | None = None,
) -> AllocationRule:
    """The rule in force on ``on`` for a public; a territory's own rule wins over the general one."""
    rules = default_allocation_rules() if rules is None else rules
    in_force = [r for r in rules if r.public == public and r.effective_from <= on]
    local = [r for r in in_force if territory is not None and r.territory == territory]
    general = [r for r in in_force if r.territory is None]
    candidates = local or general
    if not candidates:
        raise DomainError(f"Aucune règle d'attribution pour le public « {public} » au "
                          f"{format_date(on)}.")
    return max(candidates, key=lambda r: r.effective_from)


def pic_publics(rules: Sequence[AllocationRule] | None = None) -> frozenset[str]:
    """Publics counted as far from employment (PIC) for the ANCT convention."""
    rules = default_allocation_rules() if rules is None else rules
    return frozenset(r.public for r in rules if r.pic)


def is_pic_public(public: str) -> bool:
    """Whether a public counts toward the PIC share of the ANCT convention (a territory's own
    publics flagged PIC too: Saint-Martin's young school drop-outs)."""
    return public == FORM_PIC_PUBLIC or public in pic_publics() or public in pic_target_publics()


def allocation_error(
    rule: AllocationRule, booklet_sizes: Sequence[int], previous_booklets: int = 0
) -> str | None:
    """None when handing these booklets respects the rule, else a French message.

    ``previous_booklets``: the booklets the person already received under this public. A
    dotation that is not renewable may be handed in instalments, never beyond its total; a
    renewable one is bounded per handout."""
    if not rule.renewable and previous_booklets >= rule.booklets:
        return (f"{rule.label} : la dotation n'est pas renouvelable et cette personne l'a "
                f"déjà reçue ({previous_booklets} carnet(s)).")
    if len(booklet_sizes) > rule.booklets:
        return (f"{rule.label} : {len(booklet_sizes)} carnets remis, {rule.booklets} au plus "
                "par dotation.")
    if not rule.renewable and previous_booklets + len(booklet_sizes) > rule.booklets:
        return (f"{rule.label} : la dotation n'est pas renouvelable : {previous_booklets} carnet(s) "
                f"déjà remis, {len(booklet_sizes)} de plus dépasseraient les {rule.booklets} de la dotation.")
    wrong = [size for size in booklet_sizes if size != rule.booklet_size]
    if wrong:
        return (f"{rule.label} : carnets de {rule.booklet_size} pass attendus, carnet(s) de "
                f"{', '.join(map(str, wrong))} remis.")
    return None