"""What a form's fields declare with `x-` keywords about the territory a task runs in.

`"x-assembly-of-territory": true` on a choice of assemblies: only the assemblies of the
territory's kind (domain/assemblies.py) may be chosen. The task's form offers those alone and
a completion choosing another is refused, whether it comes from the page, the API or the
command line. A territory without a kind, or of a kind none of the field's choices belongs to,
keeps every choice: the model, not this rule, then decides."""
import copy

from ..domain.assemblies import assemblies_of
from .territories import KINDS

ASSEMBLY_OF_TERRITORY = "x-assembly-of-territory"
FEMININE_KINDS = {"commune", "region", "overseas_collectivity", "association"}


def form_for_territory(form, kind):
    """The form as a task of a territory of `kind` offers it: a copy, its assembly choices narrowed."""
    narrowed = None
    for name, choices in _assembly_choices(form, kind):
        narrowed = narrowed or copy.deepcopy(form)
        narrowed["properties"][name]["oneOf"] = choices
    return narrowed or form


def territory_errors(form, kind, data):
    """{field: French message} for each assembly `data` chooses that the territory's kind has not."""
    errors = {}
    for name, choices in _assembly_choices(form, kind):
        if not isinstance(data, dict) or name not in data or data[name] in {c["const"] for c in choices}:
            continue
        chosen = next((c.get("title") for c in form["properties"][name]["oneOf"] if c["const"] == data[name]), None)
        if chosen is None:   # not a choice of the form at all: the form's own validation says so
            continue
        label = KINDS.get(kind, kind)
        allowed = " ou ".join(_lower(c.get("title") or c["const"]) for c in choices)
        errors[name] = (f"{'Une' if kind in FEMININE_KINDS else 'Un'} {label if label.isupper() else _lower(label)} "
                        f"délibère en {allowed} : « {chosen} » n’est pas une de ses assemblées.")
    return errors


def _assembly_choices(form, kind):
    """(field, its choices that are the kind's assemblies) for each field the contract narrows."""
    if not kind or not isinstance(form, dict):
        return
    assemblies = assemblies_of(kind)
    for name, field in (form.get("properties") or {}).items():
        if not isinstance(field, dict) or not field.get(ASSEMBLY_OF_TERRITORY):
            continue
        choices = [c for c in field.get("oneOf") or () if isinstance(c, dict) and c.get("const") in assemblies]
        if choices:
            yield name, choices


def _lower(text):
    return text[:1].lower() + text[1:]
