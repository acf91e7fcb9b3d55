"""A task's draft through the API (checked against the OpenAPI document) and the shell, one policy
(services/drafts.py): saved as typed by who may complete the task, read by who may open it,
refused in French (403, 404, 409, 413, 422) with nothing changed, gone once the task is done."""
import json
import os
import subprocess
import sys
from pathlib import Path

from openapi_check import CheckedClient
from test_attachments_doors import _ready_task
from web_helpers import actor, api_token
from workflows.services.drafts import DRAFT_LIMIT, read_draft
from workflows.services.tasks import complete_task

TYPED = {"montant": "12 000,50 €", "quantite": 2080, "note": "<img src=x onerror=alert(1)>",
         "lignes": [{"libelle": "Pass", "prix": "dix"}]}


def test_the_api_reads_saves_and_discards_a_draft_with_the_rights_of_the_task(conventio, client):
    _instance_id, task_id = _ready_task(conventio)
    api = CheckedClient(client)
    buyer, director, outsider = (api_token(client, u) for u in ("acheteur", "directrice", "juriste78"))
    url = f"/api/v1/tasks/{task_id}/draft"
    missing = api.get(url, headers=buyer)
    assert missing.status_code == 404 and "n’a pas de brouillon" in missing.get_json()["message"]
    saved = api.put(url, headers=buyer, json={"values": TYPED})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["values"] == TYPED and saved.get_json()["saved_by"] == "acheteur"
    assert api.get(url, headers=buyer).get_json() == saved.get_json()
    for headers, body, status in ((director, {"values": {}}, 403), (outsider, {"values": {}}, 404),
                                  (buyer, {"values": ["pas un objet"]}, 422),
                                  (buyer, {"values": {"texte": "x" * DRAFT_LIMIT}}, 413)):
        refused = api.put(url, headers=headers, json=body)
        assert refused.status_code == status and refused.get_json()["message"], refused.get_json()
    assert api.get(url, headers=director).status_code == 403
    assert "256 Ko" in api.put(url, headers=buyer, json={"values": {"t": "x" * DRAFT_LIMIT}}).get_json()["message"]
    assert read_draft(conventio, task_id, actor(conventio, "acheteur"))["values"] == TYPED   # refusals changed nothing
    assert api.delete(url, headers=director).status_code == 403
    assert api.delete(url, headers=buyer).get_json() == {"task_id": task_id, "discarded": True}
    assert api.delete(url, headers=buyer).get_json() == {"task_id": task_id, "discarded": False}
    api.put(url, headers=buyer, json={"values": TYPED})
    complete_task(conventio, task_id, {}, actor(conventio, "acheteur"))
    assert api.get(url, headers=buyer).status_code == 404
    assert api.put(url, headers=buyer, json={"values": TYPED}).status_code == 409
    document = client.get("/api/v1/openapi.json").get_json()
    assert set(document["paths"]["/tasks/{task_id}/draft"]) == {"get", "put", "delete"}


def test_the_shell_shows_saves_and_discards_a_draft_and_refuses_in_one_french_line(conventio, tmp_path):
    _instance_id, task_id = _ready_task(conventio)
    env = dict(os.environ, CONVENTIO_DATABASE_URL=str(conventio.db.url),
               CONVENTIO_DATA_DIR=str(conventio.settings.data_dir))

    def shell(*args, stdin=None):
        return subprocess.run([str(Path(sys.executable).with_name("conventio")), "tasks", "draft", *args],
                              capture_output=True, text=True, env=env, timeout=120, input=stdin)
    (tmp_path / "brouillon.json").write_text(json.dumps(TYPED), encoding="utf-8")
    saved = shell("save", task_id, "--data", f"@{tmp_path / 'brouillon.json'}", "--as", "acheteur")
    assert saved.returncode == 0 and saved.stdout.startswith("Brouillon enregistré par Achille Acheteur le "), saved.stderr
    shown = shell("show", task_id, "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["values"] == TYPED
    for args in (("save", task_id, "--data", "-", "--as", "directrice"),
                 ("save", task_id, "--data", "[1]", "--as", "acheteur"),
                 ("discard", task_id, "--as", "juriste78")):
        refused = shell(*args, stdin='{"montant": 1}')
        assert refused.returncode == 1 and refused.stderr.startswith("Erreur : ") and \
            len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert read_draft(conventio, task_id, actor(conventio, "acheteur"))["values"] == TYPED
    assert shell("save", task_id, "--data", "-", "--as", "acheteur", stdin='{"montant": "3"}').returncode == 0
    assert '"montant": "3"' in shell("show", task_id, "--as", "acheteur").stdout
    discarded = shell("discard", task_id, "--as", "acheteur")
    assert discarded.returncode == 0 and discarded.stdout.strip() == f"Brouillon de la tâche {task_id} effacé."
    assert shell("show", task_id).stdout.strip() == f"La tâche {task_id} n’a pas de brouillon."
