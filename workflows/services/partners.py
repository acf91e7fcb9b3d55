"""What an outside partner (roles.OUTSIDE_PARTNERS: prescribers, mediation places, the ANCT)
reaches of a territory's procedures: their own tasks, with what those tasks are about, and the
documents addressed to them; never the instance itself, its journal, its diagram or its dossier.

Every refusal here is a 404, as for a territory one does not see, not a 403: a 403 would tell a
partner that the instance or the document exists and is someone else's, and its number is enough
to guess its neighbours'. What is not theirs does not exist for them.
"""
from jinja2 import Environment, TemplateError, meta

from ..documents.recipients import same_name
from ..errors import NotFound
from ..roles import ADDRESSED_TEMPLATES

_PARSER = Environment()


def require_whole_view(actor, not_found_message):
    """The instance as a whole (state, journal, data, diagram, every document): staff only."""
    if actor.is_outside_partner:
        raise NotFound(not_found_message)


def addressed_to(actor, template, recipient):
    """Whether a document (its template, and its recipient when made one per recipient) is
    addressed to the outside partner `actor`: its template is one of their roles', and a
    document made for a named recipient names them."""
    templates = frozenset().union(*(ADDRESSED_TEMPLATES.get(role, frozenset()) for role in actor.roles))
    if template not in templates:
        return False
    return recipient is None or same_name(recipient, actor.display_name)


def may_read_document(actor, template, recipient):
    return not actor.is_outside_partner or addressed_to(actor, template, recipient)


def task_data_for(actor, data, form, instructions):
    """The process data a task shows `actor`: all of it to the staff; to an outside partner, only
    what the task is about: its form's fields and the variables its instructions print (their
    dotation, their mediation place), not the rest of the dossier (members, votes, amounts)."""
    if not actor.is_outside_partner:
        return data
    wanted = set(((form or {}).get("properties") or {}) if isinstance(form, dict) else ()) | _names_in(instructions)
    return {key: value for key, value in data.items() if key in wanted}


def _names_in(instructions):
    if not instructions:
        return set()
    try:
        return meta.find_undeclared_variables(_PARSER.parse(instructions))
    except TemplateError:   # a broken template is shown as written, with no value in it
        return set()
