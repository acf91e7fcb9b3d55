"""The words the parts share about where things stand: task states, instance statuses, and the
actions the journal records.

They are stored as they are spelled here (task and instance rows, journal entries): a journal
action's value is part of its entry's hash, so a value never changes once written.
"""
from enum import StrEnum


class TaskState(StrEnum):
    """A task's state as the store keeps it (the engine's states, by name)."""
    READY = "ready"
    WAITING = "waiting"
    STARTED = "started"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ERROR = "error"
    FUTURE = "future"
    LIKELY = "likely"
    MAYBE = "maybe"


# A task someone or something still has to finish: a person's, or a timer's or a message's.
OPEN_TASK_STATES = (TaskState.READY, TaskState.WAITING, TaskState.STARTED)


class InstanceStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    ERROR = "error"


class JournalAction(StrEnum):
    """What a journal entry records (French, as the journal has always spelled them)."""
    DEPLOYMENT = "deploiement"
    START = "demarrage"
    COMPLETION = "completion"
    DECISION = "decision"
    CLAIM = "prise_en_charge"
    RELEASE = "liberation"
    TIMER = "minuteur"
    MESSAGE = "message"
    FAILURE = "echec"
    DOCUMENT = "document"
    DOCUMENT_DEFERRED = "document_differe"
    DOCUMENT_FAILED = "document_echec"
    DOCUMENT_WITHOUT_RECIPIENT = "document_sans_destinataire"
    DOCUMENT_DAMAGED = "document_altere"
    ATTACHMENT = "piece_jointe"
    USER = "utilisateur"
    SESSION = "session"
    TERRITORY = "territoire"
    BOOKLET_LEDGER = "registre_carnets"
    REASSIGNMENT = "reattribution"
    ABSENCE = "absence"
