"""The assembly's roster on a sitting's or an extract's task page: the roster to show (with the
ticks already made), and the ticks read back from the submitted form. Each member is a row whose
radio buttons are named `_roster-<id>` and whose proxy holder is `_roster-<id>-holder`: names
outside the form's schema, which parse_submission never reads."""
from workflows.services.attendance import CHOICES, COUNTS, roster_mode, ticks_from_lists, without_roster_names
from workflows.services.roster import sitting_roster
from workflows.services.sitting_ticks import sitting_ticks

from .context import conventio
from .identity import current_actor

PREFIX = "_roster-"


def task_roster(task, values, choices=None):
    """The roster context of the task page, or None (another form, or no roster for its territory)."""
    mode = roster_mode(task.get("form"))
    if mode is None or task.get("state") != "ready":
        return None
    data = task.get("data") or {}
    # without a quorum the council deliberates at the reconvened sitting, on its own day
    sitting_on = data.get("date_seance_reconvocation") or data.get("date_seance")
    roster = sitting_roster(conventio(), current_actor(), task.get("territory"), data.get("instance_deliberante"),
                            sitting_on)
    if roster is None:
        return None
    if choices is None:   # the extract's lists as typed, else the sitting as it was ticked
        choices = (ticks_from_lists(roster["members"], values) if mode == "lists" else {}) \
            or sitting_ticks(conventio(), task["instance_id"], current_actor())
    expected = {name: data.get(name) for name in COUNTS} if mode == "lists" else {}
    ticked = [choice for choice, _holder in choices.values()]
    counts = {choice: ticked.count(choice) for choice in CHOICES}
    counts["unticked"] = len(roster["members"]) - sum(counts.values())
    return dict(roster, mode=mode, ticks=choices, expected=expected, counts=counts)


def table_values(roster, values):
    """The values the form's own fields show: in the extract, the lists less the roster's members."""
    if roster is None or roster["mode"] != "lists":
        return values
    return without_roster_names(roster["members"], values)


def posted_choices(form, members):
    """{member id: (choice, holder id)} as ticked in the submitted form."""
    choices = {}
    for member in members:
        choice = form.get(f"{PREFIX}{member['id']}") or None
        holder = form.get(f"{PREFIX}{member['id']}-holder", "")
        choices[member["id"]] = (choice, int(holder) if holder.isdigit() else None)
    return choices
