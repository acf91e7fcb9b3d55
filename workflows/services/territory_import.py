"""Importing territories from a CSV file: all or nothing.

The file is read whole (services/csv_files: UTF-8 or Windows-1252, `;` or `,`) and every line
checked before anything is written: a refusal names each line and column at fault, and nothing
changes. A code already known is updated, a
new one created; each line states its groupings (opérateur, observé par), which replace the
ones it had.
"""
from sqlalchemy import select

from ..errors import InvalidData
from ..states import JournalAction
from ..store.models import Territory
from .csv_files import Layout, read_rows, refusal, where
from .rights import require_admin
from .steps import Step
from .territories import checked_values, write_territories

COLUMNS = {   # the file's column (normalised) -> the field
    "code": "code", "nom": "name", "type": "kind", "population": "population",
    "annee_population": "population_year", "annee": "population_year", "fuseau_horaire": "time_zone",
    "operateur": "operator", "observe_par": "hubs",
}
COLUMN_OF = {"code": "code", "name": "nom", "kind": "type", "population": "population",
             "population_year": "annee_population", "time_zone": "fuseau_horaire", "operator": "operateur",
             "hubs": "observe_par"}
LAYOUT = Layout(COLUMNS, ("code", "name", "kind"), COLUMN_OF, "territoires", "code;nom;type")


def import_territories(app, actor, content: bytes):
    """{"created": n, "updated": n, "codes": [...]} once every line is valid; InvalidData otherwise."""
    require_admin(actor)
    lines = read_rows(content, LAYOUT)
    problems, rows = {}, []
    for number, raw in lines:
        values, wrong = checked_values(raw)
        for field, problem in wrong.items():
            problems[where(number, LAYOUT, field)] = problem
        rows.append((number, values))
    with app.db.sessions() as session:
        stored = set(session.execute(select(Territory.code)).scalars())
    problems.update(_duplicates_and_groups(rows, stored))
    if problems:
        raise InvalidData(refusal(problems), problems)
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
                problems[where(number, LAYOUT, field)] = \
                    f"territoire inconnu : {', '.join(missing)} (ni dans le fichier ni enregistré)"
    return problems
