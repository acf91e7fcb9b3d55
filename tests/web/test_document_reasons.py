"""Why each version of a document was made, through the three doors: the instance page and the
task page, the API (checked against its OpenAPI document), `conventio documents list`."""
import os
import subprocess
import sys
from html import unescape
from pathlib import Path

from bpmn_builder import definitions, flow, process, user_task
from helpers import deploy_xml
from openapi_check import CheckedClient
from web_helpers import TERRITORY, actor, api_token, login
from workflows.documents.examples import EXAMPLES
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks

EXTRACT = {key: value for key, value in EXAMPLES["extrait_deliberation"].items() if key != "date_extrait"}
MODEL = definitions(process("extrait_signe", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("etablir", "Établir l'extrait", {"documents": "extrait_deliberation"}),
    user_task("signer", "Signer l'extrait"),
    user_task("classer", "Classer le dossier"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "etablir"), flow("f2", "etablir", "signer"), flow("f3", "signer", "classer"),
    flow("f4", "classer", "end"),
])))
MADE = "Généré à l’étape « Établir l'extrait »"
REMADE = "Régénéré après « Signer l'extrait » : date_extrait modifié"


def _step(conventio, instance_id, bpmn_id, data, by):
    [task] = [t for t in list_tasks(conventio, by, instance_id=instance_id) if t["bpmn_id"] == bpmn_id]
    complete_task(conventio, task["id"], data, by)


def test_each_version_says_why_on_the_pages_in_the_api_and_the_shell(conventio, client):
    legal = actor(conventio, "juriste")
    deploy_xml(conventio, {"extrait_signe.bpmn": MODEL})
    instance_id = start_instance(conventio, "extrait_signe", EXTRACT, legal, territory=TERRITORY)["id"]
    _step(conventio, instance_id, "etablir", {}, legal)
    _step(conventio, instance_id, "signer", {"date_extrait": "2023-05-30"}, legal)

    login(client, "juriste")
    page = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    rows = unescape(page.split('<section id="documents">')[1].split("</table>")[0])
    assert '<th scope="col">Motif</th>' in rows
    assert f'<td class="reason">{MADE}</td>' in rows and f'<td class="reason">{REMADE}</td>' in rows
    [task] = [t for t in list_tasks(conventio, legal, instance_id=instance_id) if t["bpmn_id"] == "classer"]
    task_page = unescape(client.get(f"/tasks/{task['id']}").get_data(as_text=True))
    assert f'<p class="reason">{REMADE}</p>' in task_page   # the current version only
    assert MADE not in task_page

    api = CheckedClient(client)
    listed = api.get(f"/api/v1/instances/{instance_id}/documents", headers=api_token(client, "directrice"))
    assert [(d["revision"], d["reason"]) for d in listed.get_json()] == [(1, MADE), (2, REMADE)]

    env = dict(os.environ, CONVENTIO_DATABASE_URL=str(conventio.db.url), CONVENTIO_DATA_DIR=str(conventio.settings.data_dir))
    shell = subprocess.run([str(Path(sys.executable).with_name("conventio")), "documents", "list", str(instance_id)],
                           capture_output=True, text=True, env=env, timeout=120)
    assert shell.returncode == 0, shell.stderr
    header, *lines = shell.stdout.splitlines()
    assert "MOTIF" in header and [MADE in lines[0], REMADE in lines[1]] == [True, True]
