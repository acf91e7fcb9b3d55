"""The deliberation's draft names an assembly of the collectivité's kind: its form offers only
those (`x-assembly-of-territory`) and the services refuse another, whatever the door (issue 15)."""
import json

import pytest
from click.testing import CliRunner
from deployments.deployment_helpers import scenario_data, scenario_start
from server.cli import main
from web_helpers import actor, api_token, login
from workflows.errors import InvalidData
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, get_task, list_tasks
from workflows.services.territories import add_territory

SCENARIO = "deliberation_adoptee_martinique"
REFUSAL = ("Un EPCI délibère en conseil communautaire : « Conseil municipal » n’est pas une de ses "
           "assemblées.")


def draft_task(conventio, kind=None):
    if kind:
        add_territory(conventio, actor(conventio, "admin"), code="cap-nord", name="CAP Nord", kind=kind)
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "deliberation", scenario_start(SCENARIO), legal, territory="cap-nord")
    [draft] = list_tasks(conventio, legal, instance_id=instance["id"])
    assert draft["bpmn_id"] == "rediger_projet_deliberation"
    return instance["id"], draft["id"]


def offered(task):
    return [c["const"] for c in task["form"]["properties"]["instance_deliberante"]["oneOf"]]


def draft_data(assembly):
    return dict(scenario_data(SCENARIO, "rediger_projet_deliberation"), instance_deliberante=assembly)


def test_an_epcis_draft_offers_its_assembly_only_and_the_services_refuse_another(conventio):
    instance_id, task_id = draft_task(conventio, "EPCI")
    legal = actor(conventio, "juriste")
    assert offered(get_task(conventio, task_id, legal)) == ["conseil_communautaire"]
    before = get_instance(conventio, instance_id, actor(conventio, "admin"))["history"]
    with pytest.raises(InvalidData) as refused:
        complete_task(conventio, task_id, draft_data("conseil_municipal"), legal)
    assert refused.value.details == {"instance_deliberante": REFUSAL}
    assert get_instance(conventio, instance_id, actor(conventio, "admin"))["history"] == before
    complete_task(conventio, task_id, draft_data("conseil_communautaire"), legal)


def test_the_api_and_the_page_say_so_too(conventio, client):
    _instance_id, task_id = draft_task(conventio, "EPCI")
    headers = api_token(client, "juriste")
    detail = client.get(f"/api/v1/tasks/{task_id}", headers=headers).get_json()
    assert [c["const"] for c in detail["form"]["properties"]["instance_deliberante"]["oneOf"]] == \
        ["conseil_communautaire"]
    response = client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers,
                           json={"data": draft_data("conseil_municipal")})
    assert response.status_code == 422 and response.get_json()["details"] == {"instance_deliberante": REFUSAL}
    login(client, "juriste")
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    select = page.split('name="instance_deliberante"')[1].split("</select>")[0]
    assert 'value="conseil_communautaire"' in select and 'value="conseil_municipal"' not in select


def test_the_command_line_refuses_it_with_the_same_words(conventio):
    _instance_id, task_id = draft_task(conventio, "EPCI")
    refused = CliRunner().invoke(main, ["tasks", "complete", task_id, "--data",
                                        json.dumps(draft_data("conseil_municipal")), "--as", "juriste"], obj=conventio)
    assert refused.exit_code != 0 and REFUSAL in refused.stderr


def test_a_territory_without_a_kind_keeps_every_assembly(conventio):
    instance_id, task_id = draft_task(conventio)
    assert len(offered(get_task(conventio, task_id, actor(conventio, "juriste")))) == 5
    complete_task(conventio, task_id, draft_data("conseil_municipal"), actor(conventio, "juriste"))
