"""Partners separated by organisation (issue 15, « Who sees what »): two prescribers of one territory
(the CCAS and the Mission locale) each see, claim and complete only the tasks made for their own
organisation (the model's task property `partenaire` names it in the task's data); a task naming
none stays its whole lane's; the staff still see every task. Another organisation's task is a 404,
as a territory not theirs, and a refusal changes nothing."""
import pytest
from sqlalchemy import func, select

from bpmn_builder import definitions, flow, process, user_task
from helpers import ADMIN, deploy_xml
from workflows.errors import InvalidData, NotFound
from workflows.services.absences import declare_absence
from workflows.services.assignments import claim_task, colleagues_for, reassign_task
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, get_task, list_tasks, step_history
from workflows.services.users import add_user
from workflows.store.models import AuditEntry, TaskClaim

T = "cap-nord"
HANDOUT = ('<bpmn:userTask id="remettre" name="Remettre les carnets">'
           '<bpmn:extensionElements><spiffworkflow:properties>'
           '<spiffworkflow:property name="partenaire" value="dotation.prescripteur"/>'
           '</spiffworkflow:properties><spiffworkflow:instructionsForEndUser>Carnets confiés à '
           '{{ dotation["prescripteur"] }}</spiffworkflow:instructionsForEndUser></bpmn:extensionElements>'
           '<bpmn:multiInstanceLoopCharacteristics><bpmn:loopDataInputRef>dotations</bpmn:loopDataInputRef>'
           '<bpmn:inputDataItem id="dotation" name="dotation"/></bpmn:multiInstanceLoopCharacteristics>'
           '</bpmn:userTask>')
DOTATIONS = definitions(process("dotations", "\n".join([
    '<bpmn:startEvent id="start"/>', HANDOUT, user_task("bilan", "Signaler un bilan"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "remettre"), flow("f2", "remettre", "bilan"), flow("f3", "bilan", "end"),
]), lanes={"Prescripteur": ["remettre", "bilan"]}))
CCAS, MISSION = "CCAS du Lorrain", "Mission locale du Nord"


def people(app):
    """Two prescribers of cap-nord: the CCAS's agent (an explicit organisation) and the Mission
    locale's (no organisation: their display name stands for it), a director; the two handout
    tasks, one per dotation: ({username: Actor}, instance id, {organisation: task id})."""
    deploy_xml(app, {"dotations.bpmn": DOTATIONS})
    made = {"ccas": add_user(app, "ccas", ["prescriber"], [T], None, "Chloé Agent", organisation=CCAS),
            "ccas2": add_user(app, "ccas2", ["prescriber"], [T], None, "Céline Agent", organisation="ccas du lorrain "),
            "mission": add_user(app, "mission", ["prescriber"], [T], None, MISSION),
            "directrice": add_user(app, "directrice", ["director"], [T], None, "Claire Directrice")}
    instance = start_instance(app, "dotations", {"dotations": [{"prescripteur": CCAS, "nombre_carnets": 4},
                                                               {"prescripteur": MISSION, "nombre_carnets": 2}]},
                              ADMIN, territory=T)
    tasks = {t["id"]: t for t in list_tasks(app, ADMIN, instance_id=instance["id"])}
    by_partner = {get_task(app, task_id, ADMIN)["data"]["dotation"]["prescripteur"]: task_id for task_id in tasks}
    return made, instance["id"], by_partner


def journal_and_claims(app):
    with app.db.sessions() as session:
        return (session.execute(select(func.count()).select_from(AuditEntry)).scalar(),
                sorted(session.execute(select(TaskClaim.task_id, TaskClaim.username)).all()))


def test_each_prescriber_sees_and_opens_only_the_task_made_for_their_organisation(app):
    made, instance_id, task_of = people(app)
    assert [t["id"] for t in list_tasks(app, made["ccas"])] == [task_of[CCAS]]
    assert [t["id"] for t in list_tasks(app, made["ccas2"])] == [task_of[CCAS]]   # case and spaces aside
    assert [t["id"] for t in list_tasks(app, made["mission"], instance_id=instance_id)] == [task_of[MISSION]]
    assert get_task(app, task_of[MISSION], made["mission"])["data"]["dotation"]["prescripteur"] == MISSION
    for reading in (get_task, step_history):
        with pytest.raises(NotFound, match="introuvable"):
            reading(app, task_of[CCAS], made["mission"])
    # the staff see every lane's tasks of their territory, both organisations'
    assert set(t["id"] for t in list_tasks(app, made["directrice"], include_all_roles=True)) == set(task_of.values())


def test_another_organisation_s_task_is_neither_claimed_nor_completed_and_nothing_changes(app):
    made, _, task_of = people(app)
    before = journal_and_claims(app)
    with pytest.raises(NotFound):
        claim_task(app, task_of[CCAS], made["mission"])
    with pytest.raises(NotFound):
        complete_task(app, task_of[CCAS], {}, made["mission"])
    assert journal_and_claims(app) == before
    assert claim_task(app, task_of[CCAS], made["ccas"])["claimed_by"] == "ccas"
    done = complete_task(app, task_of[MISSION], {}, made["mission"])
    assert done["your_tasks"] == []   # the CCAS's handout still open: not theirs
    done = complete_task(app, task_of[CCAS], {}, made["ccas"])
    # the report that follows names no organisation: the whole lane's
    [report] = done["your_tasks"]
    assert [t["id"] for t in list_tasks(app, made["mission"])] == [report["id"]]


def test_a_director_hands_a_partner_s_task_only_to_a_colleague_of_its_organisation(app):
    made, _, task_of = people(app)
    assert [c["username"] for c in colleagues_for(app, task_of[CCAS], made["directrice"])] == ["ccas", "ccas2"]
    before = journal_and_claims(app)
    with pytest.raises(InvalidData, match=f"Mission locale du Nord est de l’organisation « {MISSION} »") as refused:
        reassign_task(app, task_of[CCAS], "mission", made["directrice"])
    assert refused.value.details == {"user": "autre organisation"}
    assert journal_and_claims(app) == before
    assert reassign_task(app, task_of[CCAS], "ccas2", made["directrice"])["claimed_by"] == "ccas2"


def test_a_partner_s_substitute_is_of_their_organisation(app):
    made, _, _ = people(app)
    with pytest.raises(InvalidData, match="n’est pas de l’organisation « CCAS du Lorrain »"):
        declare_absence(app, "ccas", "mission", "2030-01-02", "2030-01-03", made["ccas"])
    assert declare_absence(app, "ccas", "ccas2", "2030-01-02", "2030-01-03", made["ccas"])["substitute"] == "ccas2"


# Alembic cannot reflect the expression index of 0005 (not the accounts' table): it says so.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_organisation_migration_upgrades_the_previous_version_and_goes_down_again(any_db_settings):
    from sqlalchemy import inspect, text
    from helpers import downgrade
    from workflows.store.db import open_database
    from workflows.store.migrate import current_revision, head_revisions, upgrade
    db = open_database(any_db_settings.database_url)
    try:
        upgrade(db, "0018_sitting_ticks")
        with db.write_engine.begin() as connection:
            connection.execute(text("INSERT INTO user_account (username, display_name, roles, territories, active, "
                                    "source) VALUES ('ccas', 'CCAS du Lorrain', '[\"prescriber\"]', '[\"cap-nord\"]', "
                                    "true, 'local')"))
        upgrade(db)
        assert {current_revision(db)} == set(head_revisions())
        with db.engine.connect() as connection:   # an account of before: its display name stands for it
            assert connection.execute(text("SELECT organisation FROM user_account")).scalars().all() == [None]
        downgrade(db, "0018_sitting_ticks")
        assert "organisation" not in {c["name"] for c in inspect(db.engine).get_columns("user_account")}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT username FROM user_account")).scalars().all() == ["ccas"]
        upgrade(db)
        assert "organisation" in {c["name"] for c in inspect(db.engine).get_columns("user_account")}
    finally:
        db.dispose()
