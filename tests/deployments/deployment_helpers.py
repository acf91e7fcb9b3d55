"""The installation the five deployments of shared/seeds share: the seeds' territories and
groupings (data/territoires.csv), the process library, and real user accounts, so that every
actor is read back as the login reads it (with the territories its grouping operates or observes).

The seeds are press articles and one extract of a register; where a test needs a value they do not
give (a date of sending, a population), the test says so beside it."""
import json
from datetime import date

from sqlalchemy import func, select

from helpers import ADMIN, ROOT
from workflows.services import ledger
from workflows.services.deploy import deploy_paths
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.services.territory_import import import_territories
from workflows.services.users import add_user, get_actor
from workflows.store.models import AuditEntry, LedgerMove, ProcessInstance, TaskRecord

TERRITORIES = ROOT / "data" / "territoires.csv"
LIBRARY = ROOT / "bpmn"
SCENARIOS = ROOT / "tests" / "scenarios"
HUB, SYN, CAP_NORD = "hub-antilles-guyane", "seine-et-yvelines-numerique", "cap-nord"
PASSWORD = "mot-de-passe-des-deploiements"


def install(app):
    """The seeds' territories and the library, as `conventio territories import` and `deploy` do."""
    import_territories(app, ADMIN, TERRITORIES.read_bytes())
    deploy_paths(app, [LIBRARY], ADMIN)


def user(app, username, role, *territories, organisation=None):
    add_user(app, username, [role], list(territories), PASSWORD, username, by=ADMIN, organisation=organisation)
    return get_actor(app, username)


def start(app, process_id, data, by, territory, title=None):
    return start_instance(app, process_id, data, by, territory=territory, title=title)["id"]


def open_task(app, instance_id, bpmn_id, by=ADMIN):
    """The ready task `bpmn_id` of the instance, as `by` lists it (every role's when an admin)."""
    tasks = [t for t in list_tasks(app, by, instance_id=instance_id, include_all_roles=True) if t["bpmn_id"] == bpmn_id]
    assert tasks, (bpmn_id, [t["bpmn_id"] for t in list_tasks(app, ADMIN, instance_id=instance_id)])
    return tasks[0]["id"]


def complete(app, instance_id, bpmn_id, data, by):
    return complete_task(app, open_task(app, instance_id, bpmn_id), data, by)


def scenario_data(name, task, which=0):
    """The data a library scenario gives `task` (the seeds' texts already typed there once); its
    `which`-th completion of it (-1: the last, the one accepted after a correction)."""
    steps = json.loads((SCENARIOS / f"{name}.json").read_text())["steps"]
    return [s["data"] for s in steps if s.get("task") == task][which]


def scenario_start(name):
    return json.loads((SCENARIOS / f"{name}.json").read_text())["steps"][0]["start"]


ANCT_SCENARIO = "convention_anct_signee"


def anct_convention_at_review(app, legal, territory, calendar, collectivite, title):
    """A convention ANCT drafted by `legal` for `territory` (whose legal calendar is `calendar`: "972",
    "FR"…): the director's review waits."""
    data = {**scenario_start(ANCT_SCENARIO), "collectivite": collectivite, "territoire": calendar}
    instance = start(app, "convention_anct", data, legal, territory, title)
    complete(app, instance, "rediger_convention_anct", scenario_data(ANCT_SCENARIO, "rediger_convention_anct", -1),
             legal)
    return instance


def footprint(app):
    """What a refused action must leave as it was: instances, tasks, journal and ledger moves."""
    with app.db.sessions() as session:
        return tuple(session.execute(select(func.count()).select_from(model)).scalar()
                     for model in (ProcessInstance, TaskRecord, AuditEntry, LedgerMove)) + (
            tuple(session.execute(select(TaskRecord.id, TaskRecord.state).order_by(TaskRecord.id)).all()),)


def campaign(app, territory, manager, prescribers, booklets, received_on, validity_year):
    """A distribution campaign: `prescribers` {name: (agent username, {size: entrusted})} and
    `booklets` {size: count} received in one order."""
    opened = ledger.open_campaign(app, territory, manager)["id"]
    for name, (agent, formats) in prescribers.items():
        ledger.add_prescriber(app, opened, manager, name=name, formats=formats, executory_on=received_on,
                              agents=[agent])
    for size, count in booklets.items():
        ledger.receive_range(app, opened, manager, booklet_size=size, first=serial(territory, size, 1),
                             last=serial(territory, size, count), issuer="APTIC", validity_year=validity_year,
                             order=f"BC-{territory}-{validity_year}", received_on=received_on)
    return opened


def serial(territory, size, number):
    return f"{territory.upper()}{size:02d}-{number:06d}"


def serials(territory, size, first, last):
    return [serial(territory, size, n) for n in range(first, last + 1)]


def day(text):
    return date.fromisoformat(text)
