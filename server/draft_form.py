"""A task's draft on its page: the form's values as typed, with the roster's ticks, and the form
filled again from them. The ticks are kept under `_roster` ({member id: [choice, holder id]}), a
name outside every form's schema, as the roster's fields are (server/roster_form.py)."""
from workflows.services.attendance import ticks_from_json

from .roster_form import posted_choices, task_roster
from .schema_form import parse_submission

ROSTER_KEY = "_roster"


def form_draft(task, form):
    """The draft of the submitted task form: its fields typed as the schema says (a value that
    cannot be typed is kept as text: a draft need not validate), and the roster's ticks."""
    values = parse_submission(task.get("form") or {}, form)
    roster = task_roster(task, values)
    if roster:
        ticks = {str(member): [choice, holder]
                 for member, (choice, holder) in posted_choices(form, roster["members"]).items() if choice or holder}
        if ticks:
            values[ROSTER_KEY] = ticks
    return values


def drafted(task, draft):
    """(values, choices) the page shows from a draft: the task's data overlaid with the draft's
    fields, and the roster's ticks (None when it holds none). A draft saved through the API may
    hold anything: a list's field that is not a list, or a tick that is not one, is left out."""
    saved = dict(draft["values"])
    ticks = saved.pop(ROSTER_KEY, None)
    properties = (task.get("form") or {}).get("properties") or {}
    saved = {name: value for name, value in saved.items()
             if isinstance(value, list) or (properties.get(name) or {}).get("type") != "array"}
    return dict(task.get("data") or {}, **saved), ticks_from_json(ticks)
