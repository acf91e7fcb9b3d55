"""Who sees what and handing work over, as services, on SQLite and PostgreSQL alike: an outside
partner's view of an instance, a director's reassignment, an absence and its substitute; and the
migration that brings the absences' table to a database of the previous version and back."""
from datetime import date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from helpers import ADMIN, ROOT, downgrade
from workflows.errors import Conflict, Forbidden, InvalidData, NotFound
from workflows.services.absences import cancel_absence, declare_absence, list_absences, shorten_absence
from workflows.services.assignments import claim_task, claims_for, reassign_task
from workflows.services.deploy import deploy_paths
from workflows.services.documents import list_documents
from workflows.services.instances import get_instance, list_instances, start_instance
from workflows.services.tasks import list_tasks
from workflows.services.users import add_user
from workflows.store.db import open_database
from workflows.store.migrate import current_revision, head_revisions, upgrade
from workflows.store.models import Absence, AuditEntry, Base

T = "cap-nord"
START = {"collectivite": "CAP Nord", "type_collectivite": "epci", "collectivite_adresse": "Le Marigot",
         "president": "Bruno Nestor AZÉROT", "territoire": "972", "tribunal_administratif": "le TA de la Martinique",
         "fait_a": "Le Marigot"}


@pytest.fixture
def people(any_app):
    deploy_paths(any_app, [str(ROOT / "bpmn" / "convention_anct.bpmn")], ADMIN)
    made = {name: add_user(any_app, name, [role], [T], "mot-de-passe-de-test", label)
            for name, role, label in (("directrice", "director", "Claire Directrice"),
                                      ("juriste", "legal", "Julien Juriste"), ("juriste2", "legal", "Julie Seconde"),
                                      ("finances", "finance", "Fanny Finances"), ("anct", "anct", "Antoine ANCT"))}
    instance = start_instance(any_app, "convention_anct", dict(START), made["juriste"], territory=T)
    [draft] = list_tasks(any_app, made["juriste"], instance_id=instance["id"])
    claim_task(any_app, draft["id"], made["juriste"])
    return made, instance["id"], draft["id"]


def journal(app):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(AuditEntry)).scalar()


def test_an_outside_partner_reaches_neither_the_instance_nor_its_list(any_app, people):
    made, instance_id, _ = people
    assert list_instances(any_app, made["anct"]) == []
    with pytest.raises(NotFound):
        get_instance(any_app, instance_id, made["anct"])
    with pytest.raises(NotFound):   # no task of theirs there, no document addressed to them
        list_documents(any_app, instance_id, made["anct"])
    assert get_instance(any_app, instance_id, made["finances"])["id"] == instance_id   # the staff do


def test_a_director_reassigns_and_a_refusal_changes_nothing(any_app, people):
    made, _, draft = people
    before = journal(any_app)
    with pytest.raises(InvalidData, match="Fanny Finances n’a pas le rôle « Service juridique »"):
        reassign_task(any_app, draft, "finances", made["directrice"])
    with pytest.raises(Forbidden):
        reassign_task(any_app, draft, "juriste2", made["juriste"])
    assert journal(any_app) == before and claims_for(any_app, [draft])[draft]["claimed_by"] == "juriste"
    assert reassign_task(any_app, draft, "juriste2", made["directrice"])["claimed_by"] == "juriste2"
    assert claims_for(any_app, [draft])[draft]["claimed_by"] == "juriste2" and journal(any_app) == before + 1


def test_the_substitute_takes_the_absent_s_claim(any_app, people):
    made, _, draft = people
    with pytest.raises(Conflict):
        claim_task(any_app, draft, made["juriste2"])
    today = date.today()
    declare_absence(any_app, "juriste", "juriste2", (today - timedelta(days=1)).isoformat(),
                    (today + timedelta(days=1)).isoformat(), made["juriste"])
    assert [a["substitute"] for a in list_absences(any_app, made["juriste2"])] == ["juriste2"]
    assert claim_task(any_app, draft, made["juriste2"])["claimed_by"] == "juriste2"


def test_an_absence_is_cancelled_or_shortened_by_who_may_and_an_absence_over_does_not_change(any_app, people):
    made, _, draft = people
    today = date.today()
    under_way = declare_absence(any_app, "juriste", "juriste2", (today - timedelta(days=1)).isoformat(),
                                (today + timedelta(days=3)).isoformat(), made["juriste"])
    to_come = declare_absence(any_app, "juriste", "juriste2", "2030-01-02", "2030-01-09", made["directrice"])
    before = journal(any_app)
    with pytest.raises(Forbidden):
        cancel_absence(any_app, under_way["id"], made["juriste2"])   # the substitute is neither of them
    with pytest.raises(InvalidData, match="ne peut qu’être avancé"):
        shorten_absence(any_app, to_come["id"], "2030-01-10", made["juriste"])
    assert journal(any_app) == before
    assert shorten_absence(any_app, to_come["id"], "2030-01-03", made["directrice"])["ends_at"] < to_come["ends_at"]
    cancel_absence(any_app, under_way["id"], made["juriste"])
    with pytest.raises(Conflict):   # the substitute no longer takes the absent's task
        claim_task(any_app, draft, made["juriste2"])
    with pytest.raises(Conflict, match="Cette absence est terminée"):
        cancel_absence(any_app, under_way["id"], made["directrice"])
    cancel_absence(any_app, to_come["id"], made["juriste"])
    assert list_absences(any_app, made["juriste"]) == [] and journal(any_app) == before + 3


def absence_differences(db):
    def only_absence(obj, name, type_, _reflected, _compare_to):
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == "absence"
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={"include_object": only_absence}),
                                Base.metadata)


# Alembic cannot reflect the expression index of 0005 (not the absences' table): it says so.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_absences_migration_upgrades_the_previous_version_and_goes_down_again(any_db_settings):
    db = open_database(any_db_settings.database_url)
    try:
        upgrade(db, "0012_roster")
        with db.write_engine.begin() as connection:
            connection.execute(text("INSERT INTO user_account (username, display_name, roles, territories, active, "
                                    "source) VALUES ('ancien', 'Ancien', '[\"legal\"]', '[\"cap-nord\"]', true, "
                                    "'local')"))
        upgrade(db)
        assert {current_revision(db)} == set(head_revisions())
        assert absence_differences(db) == []
        with db.write_engine.begin() as connection:
            connection.execute(text("INSERT INTO absence (username, substitute, starts_at, ends_at, declared_by, "
                                    "declared_at) VALUES ('ancien', 'autre', '2027-01-04 04:00', "
                                    "'2027-01-09 04:00', 'ancien', '2026-12-06 01:00')"))
        downgrade(db, "0012_roster")
        assert "absence" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT username FROM user_account")).scalars().all() == ["ancien"]
        upgrade(db)
        with db.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(Absence)).scalar() == 0
    finally:
        db.dispose()
