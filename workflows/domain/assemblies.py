"""Which assemblies a collectivité has, by its kind, as data (``data/assemblies.json``): a
commune has a conseil municipal, an EPCI a conseil communautaire, a syndicat mixte a comité
syndical… A roster names one of its territory's kind, never another's."""
from functools import lru_cache

from .data_files import package_file, records_of, required_object, required_text

FORMAT = "conventio.assemblies/1"
DEFAULT_FILE = "assemblies.json"


@lru_cache(maxsize=1)
def assemblies_by_kind() -> dict:
    """{territory kind: {assembly code: label}}, each kind's first assembly first."""
    by_kind = {}
    for index, raw in enumerate(records_of(package_file(DEFAULT_FILE), DEFAULT_FILE, FORMAT, "assemblies")):
        where = f"{DEFAULT_FILE}, assemblée n° {index + 1}"
        record = required_object(raw, where)
        kind = required_text(record, "territory_kind", where)
        by_kind.setdefault(kind, {})[required_text(record, "assembly", where)] = required_text(record, "label", where)
    return by_kind


def assemblies_of(territory_kind: str) -> dict:
    """{assembly code: label} of a kind of territory (empty when it has none)."""
    return dict(assemblies_by_kind().get(territory_kind, {}))
