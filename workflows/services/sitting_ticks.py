"""The roster as ticked at an instance's last sitting (present, represented and by whom, absent),
kept on the server when the sitting's step is done in the pages: the extract of the register then
opens ticked the same way, on any computer, and a sitting sent back opens as it was ticked.

A convenience of the pages, not an act: the sitting's counts in the process data are what the
process, its rules and its documents read; a tick naming a member no longer on the roster (a roster
imported again) is simply not shown."""
import json

from ..errors import NotFound
from ..store.models import ProcessInstance, SittingTicks
from .attendance import CHOICES, ticks_from_json
from .steps import Step


def keep_sitting_ticks(app, instance_id, choices, actor):
    """Keep `choices` {member id: (choice, holder id)} as the instance's last sitting's ticks."""
    ticks = {str(member): [choice, holder] for member, (choice, holder) in choices.items() if choice in CHOICES}
    with Step(app) as step:
        _visible(step.session, instance_id, actor)
        row = step.session.get(SittingTicks, instance_id)
        if row is None:
            row = SittingTicks(instance_id=instance_id)
            step.session.add(row)
        row.ticks_json, row.saved_by, row.saved_at = json.dumps(ticks), actor.username, step.now
        step.commit()


def sitting_ticks(app, instance_id, actor) -> dict:
    """{member id: (choice, holder id)} of the instance's last sitting; empty when none was ticked."""
    with app.db.sessions() as session:
        _visible(session, instance_id, actor)
        row = session.get(SittingTicks, instance_id)
        stored = json.loads(row.ticks_json) if row is not None else {}
    return ticks_from_json(stored) or {}


def _visible(session, instance_id, actor):
    row = session.get(ProcessInstance, instance_id)
    if row is None or not actor.sees_territory(row.territory):
        raise NotFound(f"Procédure {instance_id} introuvable.")
