"""The dossier as people read it: a process's data under the labels of its own forms, with
dates, amounts, percentages and yes/no in the reader's language, lists as lists. What no
form names (the engine's and the rules' working variables) is left out."""
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, format_decimal, gettext as _

from .schema_form import ordered_properties

AMOUNT = re.compile(r"\((EUR|€)")       # "Montant d'achat prévu (EUR HT)"
PERCENT = re.compile(r"\(%|%\)")         # "Pondération (%)", "(% des passes utilisés)"


@dataclass
class Item:
    label: str
    text: str = ""                                # a value shown on one line
    entries: list = field(default_factory=list)   # a list: [str] or [[Item]] (rows of a table)


@dataclass
class Section:
    title: str
    items: list


def dossier(data, forms):
    """[Section] of `data`, one per form (`forms`: the process's JSON schemas, in order) that
    names some of it; a field two forms share is shown under the first."""
    shown, sections = set(), []
    for schema in forms:
        items = []
        for key, sub in ordered_properties(schema):
            if key in shown or not isinstance(sub, dict) or data.get(key) in (None, "", []):
                continue
            shown.add(key)
            items.append(_item(sub.get("title") or key, sub, data[key]))
        if items:
            sections.append(Section(schema.get("title") or _("Données"), items))
    return sections


def _item(label, schema, value):
    items_schema = schema.get("items") if isinstance(schema.get("items"), dict) else {}
    if isinstance(value, list) and items_schema.get("properties"):
        rows = [[_item(sub.get("title") or key, sub, row[key]) for key, sub in ordered_properties(items_schema)
                 if isinstance(sub, dict) and row.get(key) not in (None, "", [])]
                for row in value if isinstance(row, dict)]
        return Item(label, entries=rows)
    if isinstance(value, list):
        return Item(label, entries=[shown_value(items_schema, v, label) for v in value])
    return Item(label, text=shown_value(schema, value, label))


def shown_value(schema, value, label=""):
    """One value as a reader expects it: « 12 novembre 2026 », « 12 000,50 € », « 50 % », Oui/Non,
    a choice's own title."""
    for choice in schema.get("oneOf") or ():
        if isinstance(choice, dict) and choice.get("const") == value:
            return choice.get("title") or str(value)
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, (int, float)):
        return _number(value, label)
    if isinstance(value, str) and schema.get("format") == "date":
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    if isinstance(value, dict):
        return " ; ".join(f"{k} : {shown_value({}, v)}" for k, v in value.items())
    return str(value)


def _number(value, label):
    if AMOUNT.search(label):
        return format_decimal(value, "#,##0" if float(value).is_integer() else "#,##0.00") + "\u00a0€"
    text = format_decimal(value, "#,##0.##")
    return text + "\u00a0%" if PERCENT.search(label) else text
