"""HTML forms from a task's JSON schema, and typed JSON back from the submitted form.

The server renders every field (no JavaScript needed) and validates nothing itself:
what the form gives is typed as the schema says, then complete_task validates it and
its field errors come back to the fields. A value that cannot be typed (a letter in a
number) is passed through as text, so the schema's own message explains it.
"""
import json
import math
import re
from dataclasses import dataclass, field

APPROVAL_DECISIONS = ("approuver", "rejeter", "modifier")
TEXTAREA_MIN_LENGTH = 2001   # maxLength above which a text is multi-line


@dataclass
class Field:
    name: str            # HTML name
    path: str            # the path complete_task uses in its error keys ("offres.0.montant")
    title: str
    kind: str            # text textarea number integer date boolean select multiselect lines table json
    required: bool = False
    description: str = ""
    value: object = None
    options: list = field(default_factory=list)    # [(HTML value, label)]
    error: str | None = None
    columns: list = field(default_factory=list)    # table: sub-schemas' Fields (headers)
    rows: list = field(default_factory=list)       # table: [[Field]]
    row_errors: list = field(default_factory=list)
    attributes: dict = field(default_factory=dict)
    rule: dict | None = None   # what the model's checks will apply: {hint, min, max} (services/form_checks.py)

    @property
    def display_value(self):
        if self.value is None:
            return ""
        if self.kind == "json":
            return json.dumps(self.value, ensure_ascii=False, indent=2)
        if self.kind == "lines" and isinstance(self.value, list):
            return "\n".join(str(line) for line in self.value)
        return str(self.value)

    @property
    def has_errors(self):
        """An error of its own, of one of its rows or of one of their cells."""
        return bool(self.error or any(self.row_errors)
                    or any(cell.error for row in self.rows for cell in row))

    def is_selected(self, option_value):
        if self.kind == "multiselect":
            return option_value in {str(v) for v in (self.value or [])}
        return self.value is not None and str(self.value) == option_value


def _choices(schema):
    """[(value, label)] of an enum or a oneOf of consts; None when the schema is not a choice."""
    if "oneOf" in schema and all(isinstance(o, dict) and "const" in o for o in schema["oneOf"]):
        return [(o["const"], o.get("title") or str(o["const"])) for o in schema["oneOf"]]
    if "enum" in schema:
        return [(v, str(v)) for v in schema["enum"]]
    return None


def approval_choices(schema):
    """[(decision, label)] when the form is an approval (decision among approuver/rejeter/modifier)."""
    decision = ((schema or {}).get("properties") or {}).get("decision")
    choices = _choices(decision) if isinstance(decision, dict) else None
    if not choices or "approuver" not in {v for v, _ in choices}:
        return None
    if not {v for v, _ in choices} <= set(APPROVAL_DECISIONS):
        return None
    return [(value, label) for value, label in choices]


def _kind(schema):
    kind = schema.get("type")
    if _choices(schema) is not None:
        return "select"
    if kind == "string":
        if schema.get("format") == "date":
            return "date"
        if schema.get("x-widget") == "textarea" or schema.get("maxLength", 0) >= TEXTAREA_MIN_LENGTH:
            return "textarea"
        return "text"
    if kind in ("number", "integer", "boolean"):
        return kind
    if kind == "array":
        items = schema.get("items") or {}
        if _choices(items) is not None:
            return "multiselect"
        if items.get("type") == "string":   # a list of names: one per line of a text box
            return "lines"
        if items.get("type") == "object" and items.get("properties"):
            return "table"
    return "json"


def _attributes(schema, kind):
    attributes = {}
    if kind == "integer":   # a text field: « 2 080 » is typed as people write it (type=number refuses it)
        attributes.update(inputmode="numeric")
    if kind == "number":
        attributes.update(inputmode="decimal")
    if kind in ("text", "textarea") and "maxLength" in schema:
        attributes["maxlength"] = schema["maxLength"]
    return attributes


def ordered_properties(schema):
    """(key, sub-schema) in the order of the schema's "x-order" (or "ui:order"), then as stored."""
    properties = (schema or {}).get("properties") or {}
    order = (schema or {}).get("x-order") or (schema or {}).get("ui:order") or []
    first = [k for k in order if k in properties]
    return [(k, properties[k]) for k in first + [k for k in properties if k not in first]]


def build_fields(schema, values, errors=None, use_defaults=True, extra_rows=None, skip=(), rules=None):
    """The Fields of a form, filled with `values` and the `errors` of complete_task, each with the
    rule the model's checks will apply to it (`rules`: {name: {hint, min, max}})."""
    errors = errors or {}
    extra_rows = extra_rows or {}
    required = set((schema or {}).get("required", []))
    fields = []
    for key, sub in ordered_properties(schema):
        if key in skip or not isinstance(sub, dict):
            continue
        value = values.get(key, sub.get("default") if use_defaults else None)
        fields.append(_field(key, key, sub, value, key in required, errors, extra_rows.get(key, 0)))
        fields[-1].rule = (rules or {}).get(key)
    return fields


def _field(name, path, schema, value, required, errors, extra_rows=0):
    kind = _kind(schema)
    result = Field(name=name, path=path, title=schema.get("title") or path.rsplit(".", 1)[-1], kind=kind,
                   required=required, description=schema.get("description", ""), value=value,
                   error=errors.get(path), attributes=_attributes(schema, kind))
    if kind == "select":
        result.options = [(str(v), label) for v, label in _choices(schema)]
    elif kind == "multiselect":
        result.options = [(str(v), label) for v, label in _choices(schema["items"])]
    elif kind == "table":
        _fill_table(result, schema, value if isinstance(value, list) else [], errors, extra_rows)
    return result


def _fill_table(table, schema, rows, errors, extra_rows):
    items = schema["items"]
    required = set(items.get("required", []))
    properties = items["properties"]
    table.columns = [_field(k, k, s, None, k in required, {}) for k, s in properties.items()]
    count = max(len(rows), 1 if schema.get("minItems") else 0) + extra_rows
    count = max(count, 1)
    for index in range(count):
        row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
        table.rows.append([
            _field(f"{table.name}-{index}-{key}", f"{table.path}.{index}.{key}", sub, row.get(key),
                   key in required, errors)
            for key, sub in properties.items()])
        table.row_errors.append(errors.get(f"{table.path}.{index}"))


def unplaced_errors(fields, errors):
    """Errors that belong to no rendered field (form-level ones), to show above the form."""
    placed = set()
    for f in fields:
        placed.add(f.path)
        for row in f.rows:
            placed.update(cell.path for cell in row)
        placed.update(f"{f.path}.{i}" for i in range(len(f.rows)))
    return {path: message for path, message in errors.items() if path not in placed}


# --- from the submitted form to JSON --------------------------------------------------
# What people type around a French number: group separators (spaces, non-breaking or thin) and
# a unit (« 12 000,50 € », « 50 % »); the decimal comma becomes a point.
_NUMBER_NOISE = re.compile(r"[\s\u00a0\u2007\u2009\u202f]|(?:€|EUR|%)$", re.IGNORECASE)


def _number(text, integer):
    cleaned = _NUMBER_NOISE.sub("", text.strip()).replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return text   # the schema then says "doit être un nombre"
    if not math.isfinite(number):
        return text
    if integer:
        return int(number) if number.is_integer() else text
    return int(cleaned) if cleaned.lstrip("+-").isdigit() else number


def _choice(text, schema):
    for value, _label in _choices(schema):
        if str(value) == text:
            return value
    return text


def _typed(kind, schema, form, name):
    """The JSON value of one field, or the marker _MISSING when the user left it empty."""
    if kind == "boolean":
        return form.get(name) in ("on", "true", "1", "oui")
    if kind == "multiselect":
        chosen = form.getlist(name)
        return [_choice(v, schema["items"]) for v in chosen] if chosen else _MISSING
    text = form.get(name, "")
    if kind not in ("textarea", "json", "lines"):
        text = text.strip()
    if kind == "lines":
        lines = [line.strip() for line in _LINE_BREAK.split(text)]
        return [line for line in lines if line] or _MISSING
    if text == "":
        return _MISSING
    if kind in ("number", "integer"):
        return _number(text, kind == "integer")
    if kind == "select":
        return _choice(text, schema)
    if kind == "json":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


_MISSING = object()
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_submission(schema, form, skip=()):
    """The data dict of a submitted form: typed values, empty fields left out, except a
    required list that may be empty (no absent member at a sitting): an empty table is []."""
    data, required = {}, set(schema.get("required") or [])
    for key, sub in ordered_properties(schema):
        if key in skip or not isinstance(sub, dict):
            continue
        kind = _kind(sub)
        value = _table(sub, form, key) if kind == "table" else _typed(kind, sub, form, key)
        if value is _MISSING and kind == "table" and key in required and not sub.get("minItems"):
            value = []
        if value is not _MISSING:
            data[key] = value
    return data


def _table(schema, form, name):
    properties = schema["items"]["properties"]
    prefix = f"{name}-"
    indexes = sorted({int(rest.split("-", 1)[0]) for rest in (k[len(prefix):] for k in form if k.startswith(prefix))
                      if rest.split("-", 1)[0].isdigit()})
    rows = []
    for index in indexes:
        row = {key: _typed(_kind(sub), sub, form, f"{name}-{index}-{key}") for key, sub in properties.items()}
        filled = {k: v for k, v in row.items() if v is not _MISSING and v is not False}
        if filled:   # a row left blank (an unchecked box aside) is no row
            rows.append({k: v for k, v in row.items() if v is not _MISSING})
    return rows if rows else _MISSING
