"""Replaying a chain's steps (the library scenarios' format: start, task, timer, ledger) through
the services, as the people of each lane would, for the demo.

Dates can be moved by a number of days, so that a chain stopped mid-way stands where it would
stand today: the engine then fires by itself the timers already due (the wall clock decides, as
in production), and those steps are skipped here; a late step stays open, late."""
import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from workflows.services import ledger
from workflows.services.instances import get_instance, start_instance
from workflows.services.partners import concerns, organisation_among
from workflows.services.tasks import complete_task, get_task, list_tasks, task_partner
from workflows.services.timers import fire_instance_timers

LEDGER_DATES = ("on", "received_on", "executory_on", "as_of")
ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?=$|T|\b)")


@dataclass
class Replay:
    """`people` {role: Actor} act in their lanes, `fallback` in the others; `starter` starts;
    `shift_days` moves the dates; `agents` {prescriber: Actor} record their handouts (else the
    prescriber's lane); `before_task(instance_id, task, data)`, when given, is called before each
    task is completed (a test tries there who must be refused)."""
    app: object
    people: dict
    starter: object
    fallback: object
    shift_days: int = 0
    before_task: object = None
    agents: dict = field(default_factory=dict)

    def run(self, process_id, steps, territory, title, start_overrides=None, until=None):
        """Start and complete `steps` up to the task `until` (left open); the instance id. The
        ledger's records ({"ledger": service function, "with": …}) go to the chain's campaign."""
        self.campaign, self.saved = None, {}
        before = list(itertools.takewhile(lambda step: "ledger" in step, steps))
        for step in before:
            self._ledger(step, None, territory)
        start = {k: self.campaign if v == "$campagne" else v
                 for k, v in {**self.moved(steps[len(before)]["start"]), **(start_overrides or {})}.items()}
        instance_id = start_instance(self.app, process_id, start, self.starter, territory=territory,
                                     title=title)["id"]
        for step in steps[len(before) + 1:]:
            if until is not None and step.get("task") == until:
                break
            if "refused" in step or "expect" in step:
                continue   # the scenario's checks: the demo shows what was accepted
            if "ledger" in step:
                self._ledger(step, instance_id, territory)
            elif "timer" in step:
                self._fire(instance_id, step["timer"])
            else:
                task = self._open(instance_id, step["task"], step.get("where"))
                data = self.moved(step.get("data", {}))
                if self.before_task:
                    self.before_task(instance_id, task, data)
                complete_task(self.app, task["id"], data, self._actor(task))
        return instance_id

    def _ledger(self, step, instance_id, territory):
        args = {k: self._saved_value(v) for k, v in self.moved(step.get("with", {})).items()}
        args = {k: date.fromisoformat(v) if k in LEDGER_DATES and v else v for k, v in args.items()}
        if step["ledger"] == "open_campaign":
            self.campaign = ledger.open_campaign(self.app, territory, self.fallback, instance_id=instance_id,
                                                 **args)["id"]
        elif step["ledger"] == "correct":
            move = args.pop("move_id")
            self.saved[step.get("as")] = ledger.correct(self.app, self.campaign, move, self.fallback, **args)
        else:
            agent = self.agents.get(args.get("name") or args.get("prescriber")) or self.people.get("prescriber")
            if agent and step["ledger"] == "add_prescriber":
                args.setdefault("agents", [agent.username])   # the prescriber's lane records its handouts
            by = agent if agent and step["ledger"] == "hand_out" else self.fallback
            record = getattr(ledger, step["ledger"])
            self.saved[step.get("as")] = record(self.app, self.campaign, by, **args)

    def _saved_value(self, value):
        """"$name.key": the key of a record kept under "as": name (a move to correct)."""
        if isinstance(value, str) and value.startswith("$") and "." in value:
            name, key = value[1:].split(".", 1)
            return self.saved[name][key]
        return value

    def moved(self, value):
        """`value` with every ISO date in it moved by `shift_days`."""
        if not self.shift_days:
            return value
        if isinstance(value, dict):
            return {k: self.moved(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.moved(v) for v in value]
        if isinstance(value, str):
            return ISO_DAY.sub(lambda m: (date.fromisoformat(m.group(1)) + timedelta(days=self.shift_days))
                               .isoformat(), value)
        return value

    def _actor(self, task):
        """The lane's person; for a partner's task made for one organisation (a dotation's handouts,
        a mediation place's statement), its own agent when given, else the lane's person playing
        that organisation's part (the demo has one user a partner lane)."""
        lane = self.people.get(task["role"], self.fallback)
        partner = task_partner(self.app, task["id"])
        if partner is None:
            return lane
        who = self.agents.get(organisation_among(self.agents, partner), lane)
        return who if concerns(who, task["role"], partner) else replace(who, organisation=partner)

    def _open(self, instance_id, bpmn_id, where):
        for task in list_tasks(self.app, self.starter, instance_id=instance_id, include_all_roles=True):
            if task["bpmn_id"] == bpmn_id and (not where or _matches(
                    get_task(self.app, task["id"], self._actor(task))["data"], where)):
                return task
        open_now = [t["bpmn_id"] for t in list_tasks(self.app, self.starter, instance_id=instance_id,
                                                     include_all_roles=True)]
        raise LookupError(f"démonstration : étape « {bpmn_id} » introuvable (ouvertes : {', '.join(open_now)})")

    def _fire(self, instance_id, bpmn_id):
        waiting = [w for w in get_instance(self.app, instance_id, self.starter)["waiting"]
                   if w["bpmn_id"] == bpmn_id and w["due_at"]]
        if waiting:   # else the engine fired it already: its date was past
            due = datetime.fromisoformat(waiting[0]["due_at"])
            fire_instance_timers(self.app, instance_id, due + timedelta(seconds=1))


def _matches(data, where):
    for path, expected in where.items():
        value = data
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value != expected:
            return False
    return True
