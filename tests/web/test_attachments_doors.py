"""Attachments through the three doors, one policy: the task page's file input, the API
(multipart, checked against the OpenAPI document), `conventio tasks attach`; refusals in French,
nothing stored; the instance page lists them, downloads read them back."""
import io
import os
import subprocess
import sys
from html import unescape
from pathlib import Path

from sqlalchemy import func, select

from helpers import deploy_xml
from openapi_check import CheckedClient
from test_attachments import MODEL, PDF, PNG
from web_helpers import TERRITORY, actor, api_token, login, post
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.store.models import TaskAttachment


def _ready_task(conventio):
    deploy_xml(conventio, {"devis.bpmn": MODEL})
    buyer = actor(conventio, "acheteur")
    instance_id = start_instance(conventio, "devis", {}, actor(conventio, "directrice"), territory=TERRITORY)["id"]
    [task] = list_tasks(conventio, buyer, instance_id=instance_id)
    return instance_id, task["id"]


def _stored(conventio):
    with conventio.db.sessions() as session:
        return session.execute(select(func.count()).select_from(TaskAttachment)).scalar()


def test_the_task_page_attaches_a_file_and_the_instance_page_lists_it(conventio, client, flask_app):
    instance_id, task_id = _ready_task(conventio)
    login(client, "acheteur")
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and "Aucune pièce jointe." in page
    sent = post(client, f"/tasks/{task_id}/attachments", {"file": (io.BytesIO(PDF), "devis signé.pdf")},
                content_type="multipart/form-data")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/tasks/{task_id}#attachments")
    page = unescape(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    assert "Pièce « devis signé.pdf » jointe (50 octets)." in page and ">devis signé.pdf</a>" in page
    refused = post(client, f"/tasks/{task_id}/attachments", {"file": (io.BytesIO(b"MZ\x90 program"), "devis.pdf")},
                   content_type="multipart/form-data")
    assert refused.status_code == 422 and "n’est pas d’un type accepté" in unescape(refused.get_data(as_text=True))
    assert _stored(conventio) == 1
    client = flask_app.test_client()
    login(client, "directrice")   # reads the instance, does not act on the buyer's task
    listing = unescape(client.get(f"/instances/{instance_id}").get_data(as_text=True))
    section = listing.split('<section id="attachments">')[1].split("</section>")[0]
    assert "devis signé.pdf" in section and "Recevoir le devis" in section and "acheteur" in section
    link = section.split('href="')[1].split('"')[0]
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert post(client, f"/tasks/{task_id}/attachments", {"file": (io.BytesIO(PDF), "x.pdf")},
                content_type="multipart/form-data").status_code == 403
    assert _stored(conventio) == 1


def test_the_api_attaches_in_multipart_and_refuses_in_french(conventio, client):
    instance_id, task_id = _ready_task(conventio)
    api = CheckedClient(client)
    buyer, director, outsider = (api_token(client, u) for u in ("acheteur", "directrice", "juriste78"))
    url = f"/api/v1/tasks/{task_id}/attachments"
    created = api.post(url, headers=buyer, data={"file": (io.BytesIO(PNG), "scan.png")},
                       content_type="multipart/form-data")
    assert created.status_code == 201 and created.get_json()["media_type"] == "image/png"
    for headers, data, status in (
            (buyer, {"file": (io.BytesIO(b"#!/bin/sh\n"), "scan.png")}, 422),
            (director, {"file": (io.BytesIO(PDF), "devis.pdf")}, 403),
            (outsider, {"file": (io.BytesIO(PDF), "devis.pdf")}, 404)):
        answer = api.post(url, headers=headers, data=data, content_type="multipart/form-data")
        assert answer.status_code == status, answer.get_json()
        assert answer.get_json()["message"]
    # a multipart body without any part: sent unchecked, openapi-core cannot parse an empty one
    empty = client.post(url, headers=buyer, data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and empty.get_json()["details"] == {"file": "champ obligatoire"}
    assert _stored(conventio) == 1
    listed = api.get(f"/api/v1/instances/{instance_id}/attachments", headers=director).get_json()
    assert [(a["name"], a["size"], a["created_by"]) for a in listed] == [("scan.png", len(PNG), "acheteur")]
    assert api.get(url, headers=director).get_json() == listed
    assert api.get(f"/api/v1/attachments/{listed[0]['id']}", headers=director).data == PNG
    assert api.get(f"/api/v1/attachments/{listed[0]['id']}", headers=outsider).status_code == 404
    assert api.get(f"/api/v1/instances/{instance_id}/attachments", headers=outsider).status_code == 404


def test_the_shell_attaches_a_file_and_refuses_in_one_french_line(conventio, tmp_path):
    _instance_id, task_id = _ready_task(conventio)
    env = dict(os.environ, CONVENTIO_DATABASE_URL=str(conventio.db.url),
               CONVENTIO_DATA_DIR=str(conventio.settings.data_dir))

    def shell(*args):
        return subprocess.run([str(Path(sys.executable).with_name("conventio")), *args], capture_output=True,
                              text=True, env=env, timeout=120)
    (tmp_path / "devis.pdf").write_bytes(PDF)
    (tmp_path / "faux.pdf").write_bytes(b"<html>pas un pdf</html>")
    done = shell("tasks", "attach", task_id, str(tmp_path / "devis.pdf"), "--as", "acheteur")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Pièce jointe n° ") and "devis.pdf (50 octets, application/pdf)" in done.stdout
    for args in ((str(tmp_path / "faux.pdf"), "--as", "acheteur"), (str(tmp_path / "devis.pdf"), "--as", "directrice"),
                 (str(tmp_path / "absent.pdf"), "--as", "acheteur")):
        refused = shell("tasks", "attach", task_id, *args)
        assert refused.returncode != 0 and refused.stderr.startswith("Erreur : ") and \
            len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert _stored(conventio) == 1
    listed = shell("tasks", "attachments", task_id)
    assert listed.returncode == 0 and "devis.pdf" in listed.stdout and "acheteur" in listed.stdout
