"""How the builders read the variables of the processes of bpmn/.

A process names its data after the step that records it (`numero_deliberation`,
`pour`, `titulaire`); a builder names its input after the document (`numero`,
`votes_pour`, `attributaire`). Each builder lists the process variables it reads:
when the instance holds one, it wins over the input key of the same meaning, so that
a document generated along the chain shows what the steps recorded, while plain input
(the examples, data given on demand) keeps working. What the process computed through
the domain (quorum, vote, estimated value, standstill, indicators) is read, never
computed again.
"""

import re
import textwrap
from typing import Mapping

from ...domain.allocation import default_allocation_rules

ORGANES = {
    "conseil_municipal": "Conseil municipal",
    "conseil_communautaire": "Conseil communautaire",
    "conseil_departemental": "Conseil départemental",
    "conseil_territorial": "Conseil territorial",
    "comite_syndical": "Comité syndical",
}
PROCEDURES = {
    "sans_publicite": "marché sans publicité ni mise en concurrence préalables",
    "mapa": "procédure adaptée (MAPA)",
    "appel_offres": "appel d'offres ouvert",
}
PUBLICS = {  # the codes of the distribution forms, as a document names the public
    "pic": "Personnes éloignées de l'emploi (public PIC)",
    "senior": "Seniors (60 ans et plus)",
    "jeune": "Jeunes de 16 à 25 ans",
    "autre": "Autres publics éloignés du numérique",
    "tout_public": "Tout public",
}
HOUR = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def value_at(values: Mapping, path: str):
    """The value at a dotted path ("choix_procedure.standstill_obligatoire"), None when absent."""
    for key in path.split("."):
        values = values.get(key) if isinstance(values, Mapping) else None
    return values


def taking(values: Mapping, names: Mapping[str, str | tuple[str, ...]]) -> dict:
    """A copy of `values` where each input key takes the first of its process
    variables that the instance holds."""
    adapted = dict(values)
    for key, sources in names.items():
        for source in (sources,) if isinstance(sources, str) else sources:
            value = value_at(values, source)
            if not _blank(value):
                adapted[key] = value
                break
    return adapted


def texts_of(rows, field: str):
    """["a", "b"] from the rows of a form's table [{field: "a"}, {field: "b"}];
    anything else unchanged."""
    if isinstance(rows, list) and all(isinstance(row, Mapping) for row in rows):
        return [row.get(field) for row in rows]
    return rows


def describe(names: Mapping[str, str | tuple[str, ...]]) -> str:
    """The docstring lines that list the process variables a builder reads."""
    pairs = [f"{key} ← {' ou '.join((sources,) if isinstance(sources, str) else sources)}"
             for key, sources in names.items()]
    lines = textwrap.wrap(" ; ".join(pairs) + ".", 78, initial_indent="      ",
                          subsequent_indent="      ", break_on_hyphens=False)
    return ("\n    Variables des processus lues (elles priment sur la clé de même sens) :\n"
            + "\n".join(lines) + "\n")


def hour_fr(text):
    """"17:00" (as the forms record it) -> "17 h 00"; any other text unchanged."""
    match = HOUR.match(text.strip()) if isinstance(text, str) else None
    return f"{int(match[1])} h {match[2]}" if match else text


def procedure_label(code):
    """The procedure as a document names it; a text that is not a code is kept."""
    return PROCEDURES.get(code, code)


def public_label(code: str) -> str:
    """A public as a document names it: the forms' codes, then the allocation rules'."""
    if code in PUBLICS:
        return PUBLICS[code]
    rules = {rule.public: rule.label for rule in default_allocation_rules()}
    return rules.get(code, code)
