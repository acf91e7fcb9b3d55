"""The SQL statements of the API's hottest requests, counted (not timed): a task list and a
completion must not go back to the round trips they were cut from (bench/api_profile.py shows
where each one goes)."""
import pytest
from sqlalchemy import event

from bpmn_builder import sequence, user_task
from helpers import deploy_xml
from web_helpers import api_token

THREE = sequence("trois", *((f"t{i}", user_task(f"t{i}", f"Étape {i}")) for i in range(3)))
# token check 3 (BEGIN, the account, its territories' groupings) + the tasks and their claims in
# one query 2
LIST_STATEMENTS = 5
# token 3 + the task's facts (with its territory's time zone), its instance and its ledger
# campaign's figures (none here), one read transaction 4 + the write: BEGIN, the instance locked,
# checked and written in one UPDATE, the facts read again, the header, the tasks, the journal head,
# its entry, the head again 8 (the journal's three are the journal's own) + after the commit, the
# instance's current documents, to remake those whose printed data the step changed (BEGIN, one
# SELECT) 2 (services/regeneration.py)
COMPLETE_STATEMENTS = 17


@pytest.fixture
def statements(conventio):
    seen = []

    def note(_connection, _cursor, statement, *_args):
        seen.append(statement)

    for engine in {conventio.db.engine, conventio.db.write_engine}:
        event.listen(engine, "before_cursor_execute", note)
    yield seen
    for engine in {conventio.db.engine, conventio.db.write_engine}:
        event.remove(engine, "before_cursor_execute", note)


def test_a_task_list_and_a_completion_cost_no_more_statements_than_counted(client, conventio, statements):
    deploy_xml(conventio, {"trois.bpmn": THREE})
    admin = api_token(client, "admin")
    instance = client.post("/api/v1/processes/trois/instances", json={"data": {}}, headers=admin).get_json()
    for _step in range(2):
        statements.clear()
        [task] = client.get(f"/api/v1/tasks?instance_id={instance['id']}", headers=admin).get_json()
        assert len(statements) <= LIST_STATEMENTS, statements
        statements.clear()
        done = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {}}, headers=admin)
        assert done.status_code == 200 and len(statements) <= COMPLETE_STATEMENTS, "\n".join(s[:150].replace("\n", " ") for s in statements)
