"""A sitting's attendance ticked from the assembly's roster, turned into the data the forms already
take: the counts of the sitting's opening (membres_en_exercice, presents, procurations, absents) or
the extract's lists (liste_presents, liste_representes, liste_absents). The process, its rules and
its documents see nothing else; this only spares typing and checks the proxies as soon as the
sitting opens (one proxy per member, held by a member present: CGCT L2121-20), before the vote.
"""
from ..domain.deliberation import Proxy, validate_proxies
from ..domain.errors import DomainError

PRESENT, REPRESENTED, ABSENT = "present", "represented", "absent"
CHOICES = (PRESENT, REPRESENTED, ABSENT)
COUNTS = ("membres_en_exercice", "presents", "procurations", "absents")
LISTS = ("liste_presents", "liste_representes", "liste_absents")
ROSTER_FIELD = "liste des membres"   # where the problems of the ticking itself are reported
PROXIES_FIELD = "procurations de la liste des membres"


def roster_mode(schema):
    """"lists" for a form taking the extract's lists, "counts" for one taking the sitting's
    counts, None for any other form."""
    properties = (schema or {}).get("properties") or {}
    if all(name in properties for name in LISTS):
        return "lists"
    if all(name in properties for name in COUNTS[1:]):   # the reconvened sitting's form has no membres_en_exercice
        return "counts"
    return None


def roster_data(mode, members, choices, typed, sitting_on=None, declared=COUNTS):
    """(data, problems): `typed` (the form as submitted) completed from the `choices`
    {member id: (choice, holder id)} made on the roster `members`; `typed` unchanged when nothing
    was ticked. A count typed that differs from the ticks is a problem on that count; only the
    counts the form `declared` are given."""
    if not any(choice for choice, _holder in choices.values()):
        return typed, {}
    by_id = {m["id"]: m["name"] for m in members}
    chosen = {m["id"]: choices.get(m["id"], (None, None)) for m in members}
    problems = {}
    unticked = [by_id[i] for i, (choice, _h) in chosen.items() if choice not in CHOICES]
    if unticked:
        problems[ROSTER_FIELD] = (f"{len(unticked)} membre(s) ni présent, ni représenté, ni absent : "
                                  + ", ".join(unticked[:5]) + (" …" if len(unticked) > 5 else ""))
    present = [by_id[i] for i, (choice, _h) in chosen.items() if choice == PRESENT]
    absent = [by_id[i] for i, (choice, _h) in chosen.items() if choice == ABSENT]
    proxies = [(by_id[i], by_id.get(holder)) for i, (choice, holder) in chosen.items() if choice == REPRESENTED]
    proxy_problems = _proxy_problems(proxies, present, sitting_on)
    if proxy_problems:
        problems[PROXIES_FIELD] = proxy_problems
    data = dict(typed)
    if mode == "counts":
        ticked = {"membres_en_exercice": len(members), "presents": len(present), "procurations": len(proxies),
                  "absents": len(absent)}
        for field, number in ticked.items():
            if field not in declared:
                continue
            if field in typed and typed[field] != number:
                problems[field] = f"{typed[field]} saisi(s), {number} d’après la liste des membres cochée"
            data[field] = number
    else:
        data["liste_presents"] = [{"nom": n} for n in present] + _others(typed, "liste_presents", "nom", by_id)
        data["liste_representes"] = [{"mandant": g, "mandataire": h} for g, h in proxies if h] \
            + _others(typed, "liste_representes", "mandant", by_id)
        data["liste_absents"] = [{"nom": n} for n in absent] + _others(typed, "liste_absents", "nom", by_id)
    return data, problems


def _proxy_problems(proxies, present, sitting_on):
    without = [giver for giver, holder in proxies if not holder]
    errors = [f"{giver} : choisissez le membre présent qui a reçu son pouvoir." for giver in without]
    try:
        errors.extend(validate_proxies([Proxy(g, h) for g, h in proxies if h], present, sitting_on))
    except DomainError as error:
        errors.append(str(error))
    return " ".join(errors) or None


def _others(typed, field, key, by_id):
    """The rows typed by hand for people the roster lacks (a roster not yet up to date)."""
    names = {n.casefold() for n in by_id.values()}
    return [row for row in typed.get(field) or [] if str(row.get(key, "")).casefold() not in names]


def ticks_from_lists(members, values):
    """{member id: (choice, holder id)} the extract's lists already name (a form shown again)."""
    ids = {m["name"].casefold(): m["id"] for m in members}
    ticks = {}
    for row in values.get("liste_presents") or []:
        if isinstance(row, dict) and str(row.get("nom", "")).casefold() in ids:
            ticks[ids[str(row["nom"]).casefold()]] = (PRESENT, None)
    for row in values.get("liste_absents") or []:
        if isinstance(row, dict) and str(row.get("nom", "")).casefold() in ids:
            ticks[ids[str(row["nom"]).casefold()]] = (ABSENT, None)
    for row in values.get("liste_representes") or []:
        if isinstance(row, dict) and str(row.get("mandant", "")).casefold() in ids:
            ticks[ids[str(row["mandant"]).casefold()]] = (REPRESENTED,
                                                          ids.get(str(row.get("mandataire", "")).casefold()))
    return ticks


def without_roster_names(members, values):
    """`values` whose lists keep only the rows of people outside the roster (shown in the tables)."""
    by_id = {m["id"]: m["name"] for m in members}
    kept = dict(values)
    for field, key in (("liste_presents", "nom"), ("liste_representes", "mandant"), ("liste_absents", "nom")):
        if isinstance(values.get(field), list):
            kept[field] = [r for r in values[field] if not isinstance(r, dict) or r in _others(
                {field: [r]}, field, key, by_id)]
    return kept


def ticks_from_json(ticks):
    """{member id: (choice, holder id)} from ticks kept as JSON ({"12": [choice, holder id]}), as a
    draft or a sitting keeps them; what is not a tick is left out (a draft sent through the API may
    hold anything). None when nothing is left."""
    if not isinstance(ticks, dict):
        return None
    choices = {}
    for member, tick in ticks.items():
        if str(member).isdigit() and isinstance(tick, list) and len(tick) == 2:
            choice, holder = tick
            choices[int(member)] = (choice if choice in CHOICES else None,
                                    holder if isinstance(holder, int) and not isinstance(holder, bool) else None)
    return choices or None
