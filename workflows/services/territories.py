"""Territories as data: who they are (code, name, kind, population and its year, time zone) and
their groupings, an operator acting for several territories (its staff prepare, each territory's
own roles decide) or a hub observing several (read only).

While no territory is defined, instances keep taking any free territory code, as they did before
territories were data (the embedded demo, older installations); once one is, a start must name a
known territory.
"""
import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, exists, select

from ..domain.local_time import TIME_ZONES
from ..errors import Conflict, InvalidData
from ..states import JournalAction
from ..store.models import Territory, TerritoryLink
from .actors import Actor
from .csv_files import normalized_name
from .results import TerritorySummary
from .rights import require_admin
from .steps import Step

KINDS = {
    "commune": "Commune", "epci": "EPCI", "departement": "Département", "region": "Région",
    "overseas_collectivity": "Collectivité d’outre-mer", "syndicat_mixte": "Syndicat mixte",
    "state_service": "Service de l’État", "association": "Association",
}
RELATIONS = {"operator": "agit pour", "hub": "observe"}
DEFAULT_TIME_ZONE = "Europe/Paris"
CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
FIRST_CENSUS_YEAR, LAST_YEAR = 1800, 2200


_KIND_NAMES = {**{normalized_name(code): code for code in KINDS}, **{normalized_name(label): code for code, label in KINDS.items()},
               "com": "overseas_collectivity", "collectivite_d_outre_mer": "overseas_collectivity",
               "service_de_l_etat": "state_service", "service_de_l_etat_(prefecture)": "state_service"}


# --- checking one territory's values ------------------------------------------------------------


def checked_values(raw):
    """({field: typed value}, {field: French problem}) for the values of one territory as typed
    (text, or already typed): code, name, kind, population, population_year, time_zone, operator,
    hubs (a list, or codes separated by "|")."""
    values, problems = {}, {}
    for field, check in _CHECKS.items():
        try:
            values[field] = check(raw.get(field))
        except ValueError as problem:
            problems[field] = str(problem)
    if values.get("population") is not None and values.get("population_year") is None \
            and "population_year" not in problems:
        problems["population_year"] = "année de la population obligatoire quand la population est donnée"
    if "code" in values and "time_zone" in values and values["time_zone"] is None:
        values["time_zone"] = TIME_ZONES.get(values["code"][:3], DEFAULT_TIME_ZONE)
    for field in ("operator", "hubs"):
        if values.get("code") and values["code"] in ([values.get(field)] if field == "operator" else values.get(field) or []):
            problems[field] = "un territoire ne se regroupe pas avec lui-même"
    return values, problems


def _text(value):
    return "" if value is None else str(value).strip()


def _code(value, required=True):
    code = _text(value)
    if not code:
        if required:
            raise ValueError("champ obligatoire")
        return None
    if len(code) > 100 or not set(code) <= CODE_CHARS:
        raise ValueError("code d’au plus 100 caractères : lettres sans accent, chiffres, « - », « _ », « . »")
    return code


def _name(value):
    name = _text(value)
    if not name:
        raise ValueError("champ obligatoire")
    if len(name) > 300 or "\n" in name:
        raise ValueError("nom d’une ligne, d’au plus 300 caractères")
    return name


def _kind(value):
    text = _text(value)
    if not text:
        raise ValueError("champ obligatoire")
    kind = _KIND_NAMES.get(normalized_name(text))
    if kind is None:
        raise ValueError(f"type inconnu « {text} » (types possibles : {', '.join(KINDS.values())})")
    return kind


def _whole_number(value, lowest, highest, what):
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = "".join(_text(value).replace("\u202f", " ").replace("\xa0", " ").split())
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(f"{what} : nombre entier attendu, non « {_text(value)} »")
        number = int(text)
    if number is not None and not lowest <= number <= highest:
        raise ValueError(f"{what} : entre {lowest:,} et {highest:,}".replace(",", "\u202f"))
    return number


def _population(value):
    return _whole_number(value, 0, 100_000_000, "population")


def _population_year(value):
    return _whole_number(value, FIRST_CENSUS_YEAR, LAST_YEAR, "année")


def _time_zone(value):
    name = _text(value)
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"fuseau horaire inconnu « {name} » (par exemple America/Martinique, "
                         "Indian/Reunion, Europe/Paris)") from None
    return name


def _operator(value):
    return _code(value, required=False)


def _hubs(value):
    if isinstance(value, list | tuple | set | frozenset):
        parts = list(value)
    else:
        parts = _text(value).split("|")
    codes = [_code(part, required=False) for part in parts]
    return sorted({c for c in codes if c})


_CHECKS = {"code": _code, "name": _name, "kind": _kind, "population": _population,
           "population_year": _population_year, "time_zone": _time_zone, "operator": _operator, "hubs": _hubs}


# --- reading ---------------------------------------------------------------------------------------


def territories_defined(session):
    return session.execute(select(exists().select_from(Territory))).scalar()


def known_territory(session, code):
    """The start territory `code` checked against the table: None when no territory is defined
    (free codes, as before) or the code is None; its row when known; InvalidData otherwise."""
    if code is None:
        return None
    row = session.get(Territory, code)
    if row is None and territories_defined(session):
        raise InvalidData(f"Territoire « {code} » inconnu : choisissez un territoire enregistré "
                          "(Administration › Territoires).", {"territory": "territoire inconnu"})
    return row


def scope_of(session, codes):
    """(operated, observed): the territories the groupings among `codes` act for and observe."""
    if not codes:
        return frozenset(), frozenset()
    links = session.execute(select(TerritoryLink.relation, TerritoryLink.member_code)
                            .where(TerritoryLink.group_code.in_(sorted(codes)))).all()
    return (frozenset(m for r, m in links if r == "operator"),
            frozenset(m for r, m in links if r == "hub"))


def account_actor(session, account):
    """The Actor of a stored account, with the territories its groupings operate and observe."""
    own = frozenset(json.loads(account.territories))
    operated, observed = scope_of(session, own)
    return Actor(account.username, frozenset(json.loads(account.roles)), own, account.display_name,
                 operated=operated - own, observed=observed - own - operated,
                 organisation=account.organisation or "")


def describe(row, links=()) -> TerritorySummary:
    return {"code": row.code, "name": row.name, "kind": row.kind, "kind_label": KINDS.get(row.kind, row.kind),
            "population": row.population, "population_year": row.population_year, "time_zone": row.time_zone,
            "operator": next((g for g, r in links if r == "operator"), None),
            "hubs": sorted(g for g, r in links if r == "hub")}


def list_territories(app, actor) -> list[TerritorySummary]:
    """The territories the actor sees (an administrator: every one), with their groupings."""
    visible = actor.visible_territories
    with app.db.sessions() as session:
        query = select(Territory).order_by(Territory.code)
        if visible is not None:
            query = query.where(Territory.code.in_(sorted(visible)))
        rows = session.execute(query).scalars().all()
        links = {}
        for group, member, relation in session.execute(
                select(TerritoryLink.group_code, TerritoryLink.member_code, TerritoryLink.relation)):
            links.setdefault(member, []).append((group, relation))
        return [describe(row, links.get(row.code, ())) for row in rows]


# --- writing ---------------------------------------------------------------------------------------


def add_territory(app, actor, **raw):
    """A new territory (administrators): the fields of `checked_values`."""
    require_admin(actor)
    values, problems = checked_values(raw)
    if problems:
        raise InvalidData("Territoire refusé : " + " ; ".join(f"{_LABELS[f]} : {p}" for f, p in problems.items())
                          + ".", problems)
    with Step(app) as step:
        if step.session.get(Territory, values["code"]) is not None:
            raise Conflict(f"Le territoire « {values['code']} » existe déjà.")
        _require_groups(step.session, [values], {values["code"]})
        write_territories(step, actor, [values], {})
        step.record(JournalAction.TERRITORY, f"Territoire « {values['code']} » ajouté ({values['name']})", actor,
                    payload=_journaled(values))
        step.commit()
    return values


_LABELS = {"code": "code", "name": "nom", "kind": "type", "population": "population",
           "population_year": "année de la population", "time_zone": "fuseau horaire",
           "operator": "opérateur", "hubs": "observé par"}


def _require_groups(session, rows, new_codes):
    known = new_codes | set(session.execute(select(Territory.code).where(
        Territory.code.in_(sorted({g for v in rows for g in _groups(v)})))).scalars())
    for values in rows:
        missing = [g for g in _groups(values) if g not in known]
        if missing:
            raise InvalidData(f"Territoire(s) de regroupement inconnu(s) : {', '.join(missing)}.",
                              {"operator" if values.get("operator") in missing else "hubs": "territoire inconnu"})


def _groups(values):
    return ([values["operator"]] if values.get("operator") else []) + list(values.get("hubs") or [])


def write_territories(step, actor, rows, existing):
    """Create or update `rows` (checked values), replacing each one's groupings; `existing` maps
    the codes already stored to their rows."""
    for values in rows:
        row = existing.get(values["code"])
        if row is None:
            row = Territory(code=values["code"])
            step.session.add(row)
        row.name, row.kind, row.population = values["name"], values["kind"], values["population"]
        row.population_year, row.time_zone = values["population_year"], values["time_zone"]
        row.updated_by, row.updated_at = actor.username, step.now
    step.session.flush()
    codes = sorted(v["code"] for v in rows)
    for start in range(0, len(codes), 500):
        step.session.execute(delete(TerritoryLink).where(TerritoryLink.member_code.in_(codes[start:start + 500])))
    step.session.add_all(
        [TerritoryLink(group_code=v["operator"], member_code=v["code"], relation="operator")
         for v in rows if v.get("operator")]
        + [TerritoryLink(group_code=hub, member_code=v["code"], relation="hub") for v in rows for hub in v["hubs"]])


def _journaled(values):
    return {k: v for k, v in values.items() if v not in (None, [])}


def population_for_start(session, code):
    """The population a process of `code` starts with (None when unknown), and its year."""
    row = known_territory(session, code)
    return (row.population, row.population_year) if row is not None else (None, None)
