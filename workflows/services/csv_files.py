"""Reading a spreadsheet's CSV export for an all-or-nothing import.

A file is read whole as a spreadsheet saves it (UTF-8, with or without BOM, else
Windows-1252; `;` or `,` between columns, the one the header line uses most) under a header
whose names are compared without accents, case or punctuation. A refusal names the line and
the column (« ligne 4, colonne « carnets » »), and the caller writes nothing.
"""
import csv
import io
import unicodedata
from dataclasses import dataclass

from ..errors import InvalidData

MAX_PROBLEMS_SHOWN = 10


@dataclass(frozen=True)
class Layout:
    """The columns a file may have: `columns` {normalised header: field}, `required` fields,
    `header_of` {field: the header a refusal names}, `what` the lines' name (« territoires »)."""
    columns: dict
    required: tuple
    header_of: dict
    what: str
    example_header: str
    max_lines: int = 50_000


def normalized_name(text):
    decomposed = unicodedata.normalize("NFKD", str(text).strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "_".join(plain.replace("’", " ").replace("'", " ").replace("-", " ").split())


def read_rows(content: bytes, layout: Layout):
    """[(line number, {field: text})], blank lines skipped; InvalidData on the file's form."""
    return _rows(_decoded(content, layout), layout)


def where(number, layout, field):
    return f"ligne {number}, colonne « {layout.header_of[field]} »"


def refusal(problems):
    """The French sentence of a refused import: its first problems, and how many more."""
    shown = [f"{place} : {what}" for place, what in list(problems.items())[:MAX_PROBLEMS_SHOWN]]
    more = len(problems) - len(shown)
    return ("Import refusé, rien n’a été enregistré. " + " ; ".join(shown)
            + (f" ; et {more} autre(s) problème(s)." if more else "."))


def _decoded(content, layout):
    if not content:
        raise InvalidData(f"Fichier vide : une ligne d’en-tête ({layout.example_header}…) est attendue.",
                          {"fichier": "vide"})
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidData("Fichier illisible : ni UTF-8 ni Windows-1252.", {"fichier": "encodage inconnu"}) from None


def _rows(text, layout):
    header_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        fields = _fields(next(reader, []), layout)
        rows = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= layout.max_lines:
                raise InvalidData(f"Fichier trop long : au plus {layout.max_lines} {layout.what} par import.",
                                  {"fichier": "trop long"})
            if len(record) > len(fields):
                raise InvalidData(f"Ligne {reader.line_num} : {len(record)} colonnes pour {len(fields)} en-têtes.",
                                  {f"ligne {reader.line_num}": "colonnes en trop"})
            rows.append((reader.line_num, {f: record[i] if i < len(record) else "" for i, f in enumerate(fields)}))
    except csv.Error as error:
        raise InvalidData(f"Ligne {reader.line_num} : CSV illisible ({error}).",
                          {f"ligne {reader.line_num}": "CSV illisible"}) from None
    if not rows:
        raise InvalidData(f"Aucune ligne de {layout.what} dans le fichier.", {"fichier": "aucune ligne"})
    return rows


def _fields(header, layout):
    names = [normalized_name(h) for h in header]
    unknown = [h for h, n in zip(header, names) if n not in layout.columns]
    if unknown:
        raise InvalidData(f"Ligne 1 : colonne(s) inconnue(s) {', '.join(f'« {h} »' for h in unknown)} (colonnes "
                          f"possibles : {', '.join(dict.fromkeys(layout.header_of.values()))}).",
                          {f"ligne 1, colonne « {h} »": "colonne inconnue" for h in unknown})
    fields = [layout.columns[n] for n in names]
    missing = [layout.header_of[f] for f in layout.required if f not in fields]
    if missing:
        raise InvalidData(f"Ligne 1 : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}.",
                          {f"ligne 1, colonne « {c} »": "colonne obligatoire absente" for c in missing})
    if len(set(fields)) != len(fields):
        raise InvalidData("Ligne 1 : une colonne figure deux fois.", {"ligne 1": "colonne en double"})
    return fields
