"""What an outside partner (roles.OUTSIDE_PARTNERS: prescribers, mediation places, the ANCT)
reaches of a territory's procedures: their own tasks, with what those tasks are about, and the
documents addressed to them; never the instance itself, its journal, its diagram or its dossier.

Partners of one lane are separate organisations (the CCAS and the Mission locale are both
prescribers of a territory): a task whose model names the organisation it is for (the task
property `partenaire`, engine.PARTNER_PROPERTY: one handout task per dotation, one statement per
mediation place) is that organisation's users' only; a task naming none is its whole lane's.
A user's organisation is their account's `organisation`, else their display name (as the
documents made one per recipient name them).

Every refusal here is a 404, as for a territory one does not see, not a 403: a 403 would tell a
partner that the instance or the document exists and is someone else's, and its number is enough
to guess its neighbours'. What is not theirs does not exist for them.
"""
import json

from jinja2 import Environment, TemplateError, meta

from ..documents.recipients import matching, same_name
from ..errors import NotFound
from ..roles import ADDRESSED_TEMPLATES, OUTSIDE_PARTNERS
from .persistence import definition_for

_PARSER = Environment()


def require_whole_view(actor, not_found_message):
    """The instance as a whole (state, journal, data, diagram, every document): staff only."""
    if actor.is_outside_partner:
        raise NotFound(not_found_message)


def organisation_of(actor):
    """The organisation a partner's tasks and documents name them by."""
    return actor.organisation or actor.display_name


def separated(actor, role):
    """Whether the actor's tasks of `role`'s lane are told apart by organisation: a partner's lane
    the actor holds (the staff read every lane, the administrators act on any)."""
    return role in OUTSIDE_PARTNERS and role in actor.roles and not actor.is_admin


def concerns(actor, role, partner):
    """Whether a task of `role`'s lane, for the organisation `partner` (None: for the whole lane),
    is the actor's as far as organisations go."""
    return partner is None or not separated(actor, role) or same_name(partner, organisation_of(actor))


def stored_partner(app, session, record, definition_id):
    """The organisation a stored task (TaskRecord) is for, as its model names it in its data; None
    for a staff lane's task (its definition is not read)."""
    if record.role not in OUTSIDE_PARTNERS:
        return None
    definition = definition_for(app, session, definition_id)
    return definition.partner(record.process_id, record.spec_name, json.loads(record.body).get("data", {}))


def require_own_task(app, session, record, definition_id, actor):
    """Another organisation's task does not exist for a partner: 404, as for a territory not theirs."""
    if separated(actor, record.role) and not concerns(
            actor, record.role, stored_partner(app, session, record, definition_id)):
        raise NotFound(f"Tâche {record.id} introuvable.")


def addressed_to(actor, template, recipient):
    """Whether a document (its template, and its recipient when made one per recipient) is
    addressed to the outside partner `actor`: its template is one of their roles', and a
    document made for a named recipient names them."""
    templates = frozenset().union(*(ADDRESSED_TEMPLATES.get(role, frozenset()) for role in actor.roles))
    if template not in templates:
        return False
    return recipient is None or same_name(recipient, organisation_of(actor))


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


def organisation_among(known, wanted):
    """The organisation of `known` that `wanted` names (other case or spaces allowed), or None."""
    return matching(list(known), wanted)
