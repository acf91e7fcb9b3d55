"""What a step tells the rest once it is committed: events, and the handlers that act on them.

A step publishes its event after its transaction commits, so a handler (the step's
documents, later its notifications) never undoes or delays the step: it sees the step's
committed state, and its own failures are its own. The handlers are registered when
`open_conventio` builds the Conventio; each returns what the caller should report, or None.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepCompleted:
    """A human task was completed; `documents` are the templates the step names, to be generated
    (none when the model's checks sent the step back for correction: `sent_back`, and then no
    document is regenerated from the refused data either)."""
    instance_id: int
    task_id: str
    actor: object
    documents: tuple = ()
    sent_back: bool = False


@dataclass
class Events:
    handlers: dict = field(default_factory=dict)   # event type -> [handler(app, event)]

    def subscribe(self, event_type, handler):
        self.handlers.setdefault(event_type, []).append(handler)

    def publish(self, app, event):
        """Run the handlers of the event's type, in the order subscribed; their outcomes (not None)."""
        outcomes = (handler(app, event) for handler in self.handlers.get(type(event), ()))
        return [outcome for outcome in outcomes if outcome is not None]
