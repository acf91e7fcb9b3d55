"""What a task's form knows of the model's own checks, so that nobody works blind: the reasons
of a refusal placed on the fields they concern, and the rules the checks apply shown before
submission. Pages, API and CLI read both from here.

The contract lives in the form's JSON schema, next to the fields:
- ``"x-refusals": {variable: field}`` at the top: the process variable a check sets to its French
  reason when it sends the step back (``erreur_convocation``), and the field the reason concerns.
  When one check judges several fields, its variable holds ``{part: reason}``: mapped to ``"*"`` when
  its parts are the form's field names, else to ``{part: field}`` (a check shared by several forms,
  such as a transmission to the préfecture). A variable that is empty or None refuses nothing.
- ``"x-refused-field": field`` at the top: the field whose value a rule of the model refuses outright
  (the step is not done, nothing changes: a signature dated before the deliberation was executory);
  the refusal then comes back as invalid data on that field (422), like a field the schema refuses.
- ``"x-rule": name`` on a field: one of RULES, computed from the data the process holds (the ANCT's
  dated terms, the counts recorded at the sitting); the page shows it as the field's hint and checks
  it as one types, the model checks it again at the step.
"""
from datetime import date

from ..domain.errors import DomainError
from ..domain.funding_terms import anct_terms
from ..domain.json_values import day
from ..domain.money import format_eur, format_percent, rate_as_percentage

ALL_FIELDS = "*"


def refusal_errors(form, data) -> dict:
    """{field: reason} of the model's checks that sent the step back, for the fields of `form`."""
    fields = set(((form or {}).get("properties") or {}))
    errors = {}
    for variable, target in ((form or {}).get("x-refusals") or {}).items():
        reason = (data or {}).get(variable)
        if not reason:
            continue
        if isinstance(reason, dict):
            field_of = target.get if isinstance(target, dict) else (lambda part: part if target == ALL_FIELDS else None)
            pairs = [(field_of(part), str(text)) for part, text in reason.items() if text and field_of(part) in fields]
        else:
            pairs = [(target, str(reason))] if isinstance(target, str) and target in fields else []
        for name, text in pairs:
            errors[name] = f"{errors[name]} {text}" if name in errors else text
    return errors


def refused_field(form):
    """The field a rule's outright refusal of this form's step concerns (``x-refused-field``), or None."""
    field = (form or {}).get("x-refused-field")
    return field if field in ((form or {}).get("properties") or {}) else None


def field_labels(form, errors) -> list:
    """[(the field's title, reason)] for people reading a refusal away from the form (the CLI)."""
    properties = (form or {}).get("properties") or {}
    return [((properties.get(name) or {}).get("title") or name, reason) for name, reason in errors.items()]


def field_rules(form, data, today=None) -> dict:
    """{field: {"hint": French text, "min": number or None, "max": number or None}} of the rules
    the model's checks apply to the form's fields, from the data the process holds now."""
    rules = {}
    for name, schema in (((form or {}).get("properties")) or {}).items():
        rule = RULES.get((schema or {}).get("x-rule")) if isinstance(schema, dict) else None
        found = rule(data or {}, today or date.today()) if rule else None
        if found:
            rules[name] = found
    return rules


def _terms(data, today):
    """The ANCT's terms the draft's check will apply: those in force on the draft's date, else on
    the délibération's (the procedure's date), else today's."""
    for key in ("date_projet_convention_anct", "date_deliberation", "date_seance"):
        if data.get(key):
            try:
                return anct_terms(day(data[key]))
            except (DomainError, ValueError, TypeError):
                continue
    try:
        return anct_terms(today)
    except DomainError:
        return None


def _minimum_purchase(data, today):
    terms = _terms(data, today)
    if terms is None:
        return None
    return {"hint": f"Minimum de l’appel à projets : {format_eur(terms.minimum_purchase)} HT ({terms.source}).",
            "min": float(terms.minimum_purchase), "max": None}


def _state_max_share(data, today):
    terms = _terms(data, today)
    if terms is None:
        return None
    return {"hint": f"Au plus {format_percent(terms.state_max_share)} des passes utilisés ({terms.source}).",
            "min": None, "max": float(rate_as_percentage(terms.state_max_share))}


def _pic_min_share(data, today):
    terms = _terms(data, today)
    if terms is None:
        return None
    return {"hint": f"Au moins {format_percent(terms.pic_min_share)} des passes ({terms.source}).",
            "min": float(rate_as_percentage(terms.pic_min_share)), "max": None}


def _votes(data, _today):
    """The votes cannot outnumber the members who vote: present (less those withdrawn) and represented."""
    counts = [data.get(key) for key in ("presents", "procurations")]
    if not all(isinstance(count, int) for count in counts):
        return None
    withdrawn = data.get("membres_retires") if isinstance(data.get("membres_retires"), int) else 0
    voters = counts[0] - withdrawn + counts[1]
    return {"hint": f"Voix pour, contre et abstentions : {voters} au plus en tout ({counts[0]} présents"
                    f"{f', dont {withdrawn} retirés,' if withdrawn else ''} et {counts[1]} représentés à la séance).",
            "min": None, "max": voters, "sum": "votes"}


RULES = {
    "anct_minimum_purchase": _minimum_purchase,
    "anct_state_max_share": _state_max_share,
    "anct_pic_min_share": _pic_min_share,
    "votes": _votes,
}
