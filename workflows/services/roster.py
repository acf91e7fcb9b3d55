"""The members of each territory's assemblies (its roster), as data of the territory.

A roster is imported whole from a spreadsheet's CSV (services/csv_files: UTF-8 or Windows-1252,
`;` or `,`), all or nothing, and replaces the territory's previous one. Each line names a member,
the assembly (one of the territory's kind, domain/assemblies; the kind's first when the file has
no such column), a function, and the period of office (from, to; either may stay empty).
Administrators import; whoever sees the territory reads it.
"""
from datetime import date

from sqlalchemy import delete, select

from ..domain.assemblies import assemblies_of
from ..domain.deliberation import quorum_required
from ..errors import InvalidData, NotFound
from ..states import JournalAction
from ..store.models import AssemblyMember, Territory
from .csv_files import Layout, normalized_name, read_rows, refusal, where
from .ledger_input import day
from .rights import require_admin
from .steps import Step
from .territories import KINDS

COLUMNS = {
    "nom": "name", "prenom_et_nom": "name", "membre": "name", "fonction": "function", "qualite": "function",
    "assemblee": "assembly", "debut": "start_on", "date_debut": "start_on", "du": "start_on",
    "fin": "end_on", "date_fin": "end_on", "au": "end_on",
}
COLUMN_OF = {"name": "nom", "function": "fonction", "assembly": "assemblee", "start_on": "debut", "end_on": "fin"}
LAYOUT = Layout(COLUMNS, ("name",), COLUMN_OF, "membres", "nom;fonction;assemblee;debut;fin", max_lines=5_000)
NAME_LENGTH = 200   # the extract's forms take names of at most 200 characters


def _territory(session, actor, code):
    row = session.get(Territory, code) if isinstance(code, str) else None
    if row is None or not actor.sees_territory(code):
        raise NotFound(f"Territoire « {code} » introuvable.", {"territory": "territoire inconnu"})
    return row


def assemblies_of_territory(app, actor, code):
    """{assembly code: label} the territory's kind has."""
    with app.db.sessions() as session:
        return assemblies_of(_territory(session, actor, code).kind)


def describe(row, labels):
    return {"id": row.id, "territory": row.territory_code, "assembly": row.assembly,
            "assembly_label": labels.get(row.assembly, row.assembly), "name": row.name, "function": row.function,
            "start_on": row.start_on, "end_on": row.end_on}


def list_members(app, actor, code, assembly=None, on=None):
    """The members of the territory's assemblies (of `assembly` only when given; in office on the
    date `on` only when given), in the order of their list."""
    with app.db.sessions() as session:
        labels = assemblies_of(_territory(session, actor, code).kind)
        if assembly is not None and assembly not in labels:
            raise InvalidData(f"Assemblée « {assembly} » inconnue pour ce territoire (assemblées possibles : "
                              f"{', '.join(labels) or 'aucune'}).", {"assembly": "assemblée inconnue"})
        query = select(AssemblyMember).where(AssemblyMember.territory_code == code)
        if assembly is not None:
            query = query.where(AssemblyMember.assembly == assembly)
        if on is not None:
            query = query.where((AssemblyMember.start_on.is_(None)) | (AssemblyMember.start_on <= on),
                                (AssemblyMember.end_on.is_(None)) | (AssemblyMember.end_on >= on))
        rows = session.execute(query.order_by(AssemblyMember.assembly, AssemblyMember.position)).scalars()
        return [describe(row, labels) for row in rows]


def sitting_roster(app, actor, code, assembly, on):
    """The members in office on the day `on` (a date or ISO text; any day when None) of the
    assembly that sits (the territory's first assembly when the process names none or one its
    kind lacks), with the quorum they make: None when the territory has no roster for it."""
    on = _day_or_none(on)
    with app.db.sessions() as session:
        territory = session.get(Territory, code) if code else None
        if territory is None or not actor.sees_territory(code):
            return None
        labels = assemblies_of(territory.kind)
    if not labels:
        return None
    chosen = assembly if assembly in labels else next(iter(labels))
    members = list_members(app, actor, code, chosen, on)
    if not members:
        return None
    return {"assembly": chosen, "assembly_label": labels[chosen], "on": on, "members": members,
            "quorum": quorum_required(len(members))}


def _day_or_none(value):
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --- import ----------------------------------------------------------------------------------------


def import_members(app, actor, code, content: bytes):
    """The territory's roster replaced by the file's: {"territory", "members": n, "assemblies":
    {assembly: n}} once every line is valid; InvalidData naming each line and column otherwise."""
    require_admin(actor)
    with app.db.sessions() as session:
        territory = _territory(session, actor, code)
        labels = assemblies_of(territory.kind)
    if not labels:
        raise InvalidData(f"Un territoire de type « {KINDS.get(territory.kind, territory.kind)} » n’a pas "
                          "d’assemblée délibérante : pas de liste de membres.", {"territory": "sans assemblée"})
    problems, members = {}, []
    for number, raw in read_rows(content, LAYOUT):
        values, wrong = _checked(raw, labels, territory.kind)
        problems.update({where(number, LAYOUT, field): problem for field, problem in wrong.items()})
        members.append((number, values))
    problems.update(_duplicates(members))
    if problems:
        raise InvalidData(refusal(problems), problems)
    with Step(app) as step:
        step.session.execute(delete(AssemblyMember).where(AssemblyMember.territory_code == code))
        step.session.add_all([AssemblyMember(territory_code=code, position=position, updated_by=actor.username,
                                             updated_at=step.now, **values)
                              for position, (_number, values) in enumerate(members)])
        counts = {}
        for _number, values in members:
            counts[values["assembly"]] = counts.get(values["assembly"], 0) + 1
        step.record(JournalAction.TERRITORY, f"Liste des membres de « {code} » importée : " + ", ".join(
            f"{labels[a]} {n} membre(s)" for a, n in counts.items()), actor, payload={"territory": code, **counts})
        step.commit()
    return {"territory": code, "members": len(members), "assemblies": counts}


def _checked(raw, labels, kind):
    values, problems = {}, {}
    name = " ".join((raw.get("name") or "").split())
    if not name:
        problems["name"] = "champ obligatoire"
    elif len(name) > NAME_LENGTH:
        problems["name"] = f"nom d’au plus {NAME_LENGTH} caractères"
    values["name"] = name
    values["function"] = " ".join((raw.get("function") or "").split())[:200] or None
    values["assembly"] = _assembly(raw.get("assembly"), labels, kind, problems)
    for field in ("start_on", "end_on"):
        try:
            values[field] = day(raw, field) if (raw.get(field) or "").strip() else None
        except InvalidData:
            problems[field] = f"date invalide « {raw[field].strip()} » (JJ/MM/AAAA ou AAAA-MM-JJ)"
    if isinstance(values.get("start_on"), date) and isinstance(values.get("end_on"), date) \
            and values["end_on"] < values["start_on"]:
        problems["end_on"] = "fin du mandat avant son début"
    return values, problems


def _assembly(text, labels, kind, problems):
    text = (text or "").strip()
    if not text:
        return next(iter(labels))
    wanted = normalized_name(text)
    for code, label in labels.items():
        if wanted in (code, normalized_name(label)):
            return code
    problems["assembly"] = (f"assemblée « {text} » impossible pour un territoire de type « {KINDS.get(kind, kind)} » "
                            f"(assemblées possibles : {', '.join(labels.values())})")
    return None


def _duplicates(members):
    problems, seen = {}, {}
    for number, values in members:
        key = (values["assembly"], values["name"].casefold(), values.get("start_on"))
        if values["name"] and key in seen:
            problems[where(number, LAYOUT, "name")] = f"« {values['name']} » déjà donné ligne {seen[key]}"
        seen.setdefault(key, number)
    return problems
