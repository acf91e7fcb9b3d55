"""The portfolio's chains sorted and filtered on the server (by territory, phase, lateness), so
that the page works without JavaScript and the API, the page and the exports agree."""
from ..errors import InvalidData
from ..states import InstanceStatus

SORTS = {   # the French name the page and the API take -> the key of a chain
    "procedure": lambda c: (c["title"] or c["process_id"]).casefold(),
    "territoire": lambda c: c["territory"] or "",
    "etat": lambda c: c["status"],
    "phase": lambda c: c["phase_name"].casefold(),
    "avancement": lambda c: c["progress_pct"],
    "retard": lambda c: (c["overdue_tasks"], c["blocked_tasks"]),
    "mise_a_jour": lambda c: c["updated_at"],
}
LATENESS = {
    "en_retard": lambda c: c["overdue_tasks"] > 0,
    "bloquee": lambda c: c["blocked_tasks"] > 0,
    "en_erreur": lambda c: c["status"] == InstanceStatus.ERROR,
    "a_jour": lambda c: not (c["overdue_tasks"] or c["blocked_tasks"] or c["status"] == InstanceStatus.ERROR),
}
ORDERS = ("asc", "desc")


def portfolio(figures, *, phase=None, lateness=None, sort="territoire", order="asc"):
    """The figures' chains, each with its late tasks counted, filtered then sorted (stable: equal
    keys keep the territory, then instance order)."""
    check_portfolio_choices(phase=phase, lateness=lateness, sort=sort, order=order)
    late = {}
    for task in figures["late_tasks"]:
        counts = late.setdefault(task["instance_id"], [0, 0])
        counts[0 if task["overdue"] else 1] += 1
    chains = [dict(c, overdue_tasks=late.get(c["instance_id"], [0, 0])[0],
                   blocked_tasks=late.get(c["instance_id"], [0, 0])[1]) for c in figures["chains"]]
    if phase is not None:
        chains = [c for c in chains if c["phase"] == phase]
    if lateness:
        chains = [c for c in chains if LATENESS[lateness](c)]
    return sorted(chains, key=SORTS[sort], reverse=order == "desc")


def check_portfolio_choices(*, phase=None, lateness=None, sort="territoire", order="asc"):
    """A sort, an order, a lateness and a phase the portfolio knows, or a French 422 naming the
    field: also for an export of another table, which takes the same parameters."""
    _choice(sort, SORTS, "tri")
    _choice(order, ORDERS, "ordre")
    if lateness is not None:
        _choice(lateness, LATENESS, "retard")
    if phase is not None and not 1 <= len(phase) <= 255:
        raise InvalidData("« phase » : l’identifiant d’un processus appelé (1 à 255 caractères).",
                          {"phase": "identifiant de processus attendu"})


def phases_of(figures):
    """{phase id: its name} of the chains, for the filter's choices."""
    return dict(sorted({c["phase"]: c["phase_name"] for c in figures["chains"]}.items(), key=lambda p: p[1]))


def _choice(value, allowed, field):
    if value not in allowed:
        raise InvalidData(f"« {field} » : valeur inconnue « {value} » (attendu : {', '.join(allowed)}).",
                          {field: "valeur inconnue"})


def page_of(items, page=1, size=100):
    """One page of `items` (numbered from 1) with where it stands; a page past the last is the last."""
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 0
    if page < 1:
        raise InvalidData("« page » : un numéro de page (1 ou plus) attendu.", {"page": "entier positif attendu"})
    pages = max(1, -(-len(items) // size))
    page = min(page, pages)
    start = (page - 1) * size
    return {"items": items[start:start + size], "page": page, "pages": pages, "total": len(items),
            "first": start + 1 if items else 0, "last": min(start + size, len(items))}
