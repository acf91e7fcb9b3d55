"""A step done again is a new occurrence: a reviewer's second review is not « à reprendre »
because of her own first decision, and her decision and comment start empty (issue 15)."""
from web_helpers import CONVENTION_DRAFT, actor, anct_convention_at_review, api_token, login
from workflows.services.instances import get_instance
from workflows.services.tasks import complete_task, get_task, list_tasks, step_history

OLD_COMMENT = "Le taux doit être de 40 %."


def second_review(conventio):
    """The ANCT convention sent back by the director, redone by legal staff: her review again."""
    instance_id, review_id = anct_convention_at_review(conventio)
    complete_task(conventio, review_id, {"decision": "modifier", "commentaire": OLD_COMMENT},
                  actor(conventio, "directrice"))
    [draft] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    complete_task(conventio, draft["id"], dict(CONVENTION_DRAFT, taux_cofinancement_etat_pct=40),
                  actor(conventio, "juriste"))
    [review] = list_tasks(conventio, actor(conventio, "directrice"), instance_id=instance_id)
    assert review["bpmn_id"] == "examiner_convention_anct" and review["id"] != review_id
    return instance_id, review["id"]


def test_the_reviewers_own_earlier_decision_does_not_send_her_step_back(conventio, client):
    instance_id, review_id = second_review(conventio)
    history = step_history(conventio, review_id, actor(conventio, "directrice"))
    assert [h["actor"] for h in history] == ["Claire Directrice"]
    assert not history[0]["sent_back"] and history[0]["comment"] is None
    assert OLD_COMMENT in history[0]["summary"]   # her past round stays in the step's history
    login(client, "directrice")
    page = client.get(f"/tasks/{review_id}").get_data(as_text=True)
    assert "À reprendre" not in page and "renvoyée par" not in page


def test_a_new_review_starts_with_no_decision_and_no_comment(conventio, client):
    instance_id, review_id = second_review(conventio)
    task = get_task(conventio, review_id, actor(conventio, "directrice"))
    assert "commentaire" not in task["data"] and "decision" not in task["data"]
    assert task["data"]["taux_cofinancement_etat_pct"] == 40   # the dossier is carried over
    detail = client.get(f"/api/v1/tasks/{review_id}", headers=api_token(client, "directrice")).get_json()
    assert "commentaire" not in detail["data"] and "decision" not in detail["data"]
    login(client, "directrice")
    page = client.get(f"/tasks/{review_id}").get_data(as_text=True)
    assert OLD_COMMENT not in page.split('name="commentaire"')[1].split("</textarea>")[0]


def test_approving_without_a_comment_records_no_comment(conventio, client):
    instance_id, review_id = second_review(conventio)
    complete_task(conventio, review_id, {"decision": "approuver"}, actor(conventio, "directrice"))
    state = get_instance(conventio, instance_id, actor(conventio, "admin"))
    [decided] = [e for e in state["history"] if e["task_id"] == review_id]
    assert decided["summary"].endswith(" : approuvé") and OLD_COMMENT not in decided["summary"]
    assert state["data"].get("commentaire") is None and state["data"]["decision"] == "approuver"
    [signature] = list_tasks(conventio, actor(conventio, "president"), instance_id=instance_id)
    login(client, "president")
    assert OLD_COMMENT not in client.get(f"/tasks/{signature['id']}").get_data(as_text=True)
