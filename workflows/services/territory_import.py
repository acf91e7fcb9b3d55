"""Importing territories from a CSV file: all or nothing.

The file is read whole (UTF-8, with or without BOM, else Windows-1252, as a spreadsheet saves
it; `;` or `,` between columns) and every line checked before anything is written: a refusal
names each line and column at fault, and nothing changes. A code already known is updated, a
new one created; each line states its groupings (opérateur, observé par), which replace the
ones it had.
"""
import csv
import io

from sqlalchemy import select

from ..errors import InvalidData
from ..states import JournalAction
from ..store.models import Territory
from .rights import require_admin
from .steps import Step
from .territories import normalized_name, checked_values, write_territories

COLUMNS = {   # the file's column (normalised) -> the field
    "code": "code", "nom": "name", "type": "kind", "population": "population",
    "annee_population": "population_year", "annee": "population_year", "fuseau_horaire": "time_zone",
    "operateur": "operator", "observe_par": "hubs",
}
REQUIRED = ("code", "nom", "type")
MAX_LINES = 50_000
MAX_PROBLEMS_SHOWN = 10
COLUMN_OF = {"code": "code", "name": "nom", "kind": "type", "population": "population",
             "population_year": "annee_population", "time_zone": "fuseau_horaire", "operator": "operateur",
             "hubs": "observe_par"}


def import_territories(app, actor, content: bytes):
    """{"created": n, "updated": n, "codes": [...]} once every line is valid; InvalidData otherwise."""
    require_admin(actor)
    lines = _rows(_decoded(content))
    problems, rows = {}, []
    for number, raw in lines:
        values, wrong = checked_values(raw)
        for field, problem in wrong.items():
            problems[f"ligne {number}, colonne « {COLUMN_OF[field]} »"] = problem
        rows.append((number, values))
    with app.db.sessions() as session:
        stored = set(session.execute(select(Territory.code)).scalars())
    problems.update(_duplicates_and_groups(rows, stored))
    if problems:
        raise InvalidData(_refusal(problems), problems)
    territories = [values for _, values in rows]
    with Step(app) as step:
        codes = sorted(v["code"] for v in territories)
        existing = {r.code: r for start in range(0, len(codes), 500) for r in step.session.execute(
            select(Territory).where(Territory.code.in_(codes[start:start + 500]))).scalars()}
        write_territories(step, actor, territories, existing)
        created = len(territories) - len(existing)
        step.record(JournalAction.TERRITORY, f"Import de {len(territories)} territoire(s) : {created} créé(s), "
                    f"{len(existing)} mis à jour", actor, payload={"codes": codes})
        step.commit()
    return {"created": created, "updated": len(existing), "codes": codes}


def _decoded(content):
    if not content:
        raise InvalidData("Fichier vide : une ligne d’en-tête (code;nom;type…) est attendue.", {"fichier": "vide"})
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidData("Fichier illisible : ni UTF-8 ni Windows-1252.", {"fichier": "encodage inconnu"}) from None


def _rows(text):
    """[(line number, {field: text})] under the header's columns."""
    header_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        fields = _fields(header)
        rows = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_LINES:
                raise InvalidData(f"Fichier trop long : au plus {MAX_LINES} territoires par import.",
                                  {"fichier": "trop long"})
            if len(record) > len(fields):
                raise InvalidData(f"Ligne {reader.line_num} : {len(record)} colonnes pour {len(fields)} en-têtes.",
                                  {f"ligne {reader.line_num}": "colonnes en trop"})
            rows.append((reader.line_num, {f: record[i] if i < len(record) else "" for i, f in enumerate(fields)}))
    except csv.Error as error:
        raise InvalidData(f"Ligne {reader.line_num} : CSV illisible ({error}).",
                          {f"ligne {reader.line_num}": "CSV illisible"}) from None
    if not rows:
        raise InvalidData("Aucun territoire dans le fichier.", {"fichier": "aucune ligne"})
    return rows


def _fields(header):
    names = [normalized_name(h) for h in header]
    unknown = [h for h, n in zip(header, names) if n not in COLUMNS]
    if unknown:
        raise InvalidData(f"Ligne 1 : colonne(s) inconnue(s) {', '.join(f'« {h} »' for h in unknown)} (colonnes "
                          f"possibles : {', '.join(dict.fromkeys(COLUMN_OF.values()))}).",
                          {f"ligne 1, colonne « {h} »": "colonne inconnue" for h in unknown})
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InvalidData(f"Ligne 1 : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}.",
                          {f"ligne 1, colonne « {c} »": "colonne obligatoire absente" for c in missing})
    fields = [COLUMNS[n] for n in names]
    if len(set(fields)) != len(fields):
        raise InvalidData("Ligne 1 : une colonne figure deux fois.", {"ligne 1": "colonne en double"})
    return fields


def _duplicates_and_groups(rows, stored):
    problems, seen = {}, {}
    in_file = {values["code"] for _, values in rows if "code" in values}
    for number, values in rows:
        code = values.get("code")
        if code in seen:
            problems[f"ligne {number}, colonne « code »"] = f"code « {code} » déjà donné ligne {seen[code]}"
        seen.setdefault(code, number)
        for field, wanted in (("operator", [values["operator"]] if values.get("operator") else []),
                              ("hubs", values.get("hubs") or [])):
            missing = [g for g in wanted if g not in in_file and g not in stored]
            if missing:
                problems[f"ligne {number}, colonne « {COLUMN_OF[field]} »"] = \
                    f"territoire inconnu : {', '.join(missing)} (ni dans le fichier ni enregistré)"
    return problems


def _refusal(problems):
    shown = [f"{where} : {what}" for where, what in list(problems.items())[:MAX_PROBLEMS_SHOWN]]
    more = len(problems) - len(shown)
    return ("Import refusé, rien n’a été enregistré. " + " ; ".join(shown)
            + (f" ; et {more} autre(s) problème(s)." if more else "."))
