"""Scripts after a human step know who recorded it (the booklet register's moves say
who made them): the task service gives it, a form cannot forge it."""
from bpmn_builder import script_task, sequence, user_task
from helpers import ADMIN, actor, deploy_xml
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks

AGENT = actor("agent.ccas", "prescriber", territories=["cap-nord"])


def test_the_script_after_a_step_reads_who_completed_it_and_a_form_cannot_forge_it(app):
    deploy_xml(app, {"auteur.bpmn": sequence(
        "auteur", ("remettre", user_task("remettre", "Remettre")),
        ("noter", script_task("noter", "remis_par = auteur_etape")), ("suite", user_task("suite", "Suite")))})
    started = start_instance(app, "auteur", {}, ADMIN, territory="cap-nord")
    [task] = list_tasks(app, ADMIN, instance_id=started["id"])
    complete_task(app, task["id"], {"auteur_etape": "quelqu'un d'autre"}, AGENT)   # a task outside lanes
    assert get_instance(app, started["id"], ADMIN)["data"]["remis_par"] == "agent.ccas"
