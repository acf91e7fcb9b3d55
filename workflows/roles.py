"""The roles that act in the chain, and how BPMN lane names map to them.

A lane may be named by the role's code ("director") or its French label
("Direction"); any other lane name is a role of its own, so that models drawn
elsewhere still route their tasks.
"""
import unicodedata

ROLE_LABELS = {
    "director": "Direction",
    "legal": "Service juridique",
    "dgs": "DGS",
    "buyer": "Commande publique",
    "finance": "Finances",
    "president": "Président",
    "assembly": "Secrétariat des assemblées",
    "prescriber": "Prescripteur",
    "mediation": "Lieu de médiation",
    "anct": "ANCT",
    "elected": "Élus",
    "observer": "Observateur",
    "admin": "Administration de Conventio",
}
# The observer reads everything of its territories (its grouping's included) and acts on nothing.
OBSERVER = "observer"
# The roles that decide for a territory: an operator acting for it (a syndicat mixte) prepares
# every step, but these remain the territory's own (élus, président, directors' approvals).
DECIDING_ROLES = frozenset({"president", "elected", "director"})
# Outside partners take part in a territory's procedures without being its staff: they reach an
# instance only through their own tasks and the documents addressed to them (services/partners.py).
OUTSIDE_PARTNERS = frozenset({"prescriber", "mediation", "anct"})
# The documents addressed to an outside partner's role, by template (a document made one per
# recipient is, besides, addressed to the one it names).
ADDRESSED_TEMPLATES = {
    "anct": frozenset({"convention_anct"}),
    "prescriber": frozenset({"convention_mandat"}),
    "mediation": frozenset({"convention_lieu_mediation"}),
}
# Who hands a ready task of their territory to a colleague, and declares a colleague's absence.
REASSIGNING_ROLES = frozenset({"director"})


def _normalize(text):
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_BY_NAME = {**{_normalize(code): code for code in ROLE_LABELS},
            **{_normalize(label): code for code, label in ROLE_LABELS.items()}}


def role_for_lane(lane):
    """The role code that acts in `lane`; None for a task outside any lane."""
    if not lane:
        return None
    return _BY_NAME.get(_normalize(lane), lane)


def role_label(role):
    return ROLE_LABELS.get(role, role)
