"""Words for people: the names of the territories, processes and users a page shows, read with
one query each for the whole page (rows, journal and API keep the codes and logins)."""
from dataclasses import dataclass, field

from sqlalchemy import select

from ..states import JournalAction
from ..store.models import ProcessDefinition, Territory, UserAccount
from .actors import SYSTEM

SHELL_PREFIX = "shell:"   # server/cli_shared.py: the command line acts as `shell:<login>`
DEMO_ACTOR = "demo"       # server/demo.py: the demo's users and deployments
SYSTEM_WORDS = {
    JournalAction.TIMER: "Conventio (minuterie)",
    JournalAction.MESSAGE: "Conventio (message entre procédures)",
    JournalAction.DOCUMENT: "Conventio (documents)",
    JournalAction.DOCUMENT_DEFERRED: "Conventio (documents)",
    JournalAction.DOCUMENT_FAILED: "Conventio (documents)",
    JournalAction.DOCUMENT_WITHOUT_RECIPIENT: "Conventio (documents)",
    JournalAction.DOCUMENT_DAMAGED: "Conventio (documents)",
}


@dataclass(frozen=True)
class Names:
    """Each lookup falls back to the code or login itself (a deleted user, an unknown territory)."""
    territories: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    def territory(self, code):
        return self.territories.get(code) or code

    def process(self, process_id):
        return self.processes.get(process_id) or process_id

    def person(self, actor, action=None):
        """A user's display name; the system's and the command line's actors in words."""
        if not actor or self.people.get(actor):
            return self.people.get(actor) or actor
        if actor == SYSTEM.username:
            return SYSTEM_WORDS.get(action, "Conventio (automatique)")
        if actor.startswith(SHELL_PREFIX) and len(actor) > len(SHELL_PREFIX):
            return f"ligne de commande ({actor[len(SHELL_PREFIX):]})"
        if actor == DEMO_ACTOR:
            return "Conventio (démonstration)"
        return actor


def names_for(app, territories=(), processes=(), people=()) -> Names:
    """The names of the given territory codes, process ids (their latest deployed version's name)
    and logins; None and empty values are ignored, and nothing is read for an empty set."""
    territories, processes, people = (sorted({v for v in values if v}) for values in (territories, processes, people))
    with app.db.sessions() as session:
        found = [{}, {}, {}]
        if territories:
            found[0] = dict(session.execute(select(Territory.code, Territory.name)
                                            .where(Territory.code.in_(territories))).all())
        if processes:
            rows = session.execute(select(ProcessDefinition.process_id, ProcessDefinition.name)
                                   .where(ProcessDefinition.process_id.in_(processes))
                                   .order_by(ProcessDefinition.version)).all()
            found[1] = {process_id: name for process_id, name in rows}   # the latest version wins
        if people:
            found[2] = dict(session.execute(select(UserAccount.username, UserAccount.display_name)
                                            .where(UserAccount.username.in_(people))).all())
    return Names(*found)


def person_name(session, username, known=None):
    """Who a login is, in words: their display name (the login when the account has none or is gone)."""
    if known:
        return known
    account = session.get(UserAccount, username)
    return account.display_name if account is not None and account.display_name else username
