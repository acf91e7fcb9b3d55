"""Documents on the instance page and in the API: list, generate (legal staff), download."""
import io

import docx
import pytest

from openapi_check import CheckedClient
from web_helpers import actor, api_token, login, post
from workflows.documents.examples import EXAMPLES
from workflows.services.instances import start_instance

REJECTION = EXAMPLES["lettre_rejet"]


@pytest.fixture
def instance_id(conventio):
    legal = actor(conventio, "juriste")
    return start_instance(conventio, "convention_anct", dict(REJECTION), legal, territory="cap-nord")["id"]


def test_legal_staff_generate_from_the_instance_page_and_download(client, instance_id):
    login(client, "juriste")
    page = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert "Aucun document généré." in page and 'name="template"' in page
    response = post(client, f"/instances/{instance_id}/documents", {"template": "lettre_rejet"})
    assert response.status_code == 302
    page = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert "généré (version 1)" in page
    link = page.split('href="/documents/')[1].split('"')[0]
    download = client.get(f"/documents/{link}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith("lettre_rejet-v1.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs)
    assert REJECTION["attributaire"] in text


def test_the_generation_form_is_for_legal_staff_only(client, instance_id):
    login(client, "directrice")
    page = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert 'name="template"' not in page
    assert post(client, f"/instances/{instance_id}/documents", {"template": "lettre_rejet"}).status_code == 403


def test_the_api_lists_generates_and_serves_documents(client, instance_id):
    api = CheckedClient(client)
    legal, director, outsider = (api_token(client, u) for u in ("juriste", "directrice", "juriste78"))
    assert api.get(f"/api/v1/instances/{instance_id}/documents", headers=legal).get_json() == []
    created = api.post(f"/api/v1/instances/{instance_id}/documents", headers=legal, json={"template": "lettre_rejet"})
    assert created.status_code == 201 and created.get_json()["revision"] == 1
    again = api.post(f"/api/v1/instances/{instance_id}/documents", headers=legal, json={"template": "lettre_rejet"})
    assert again.get_json()["revision"] == 2
    refused = api.post(f"/api/v1/instances/{instance_id}/documents", headers=director,
                       json={"template": "lettre_rejet"})
    assert refused.status_code == 403
    unknown = api.post(f"/api/v1/instances/{instance_id}/documents", headers=legal, json={"template": "nope"})
    assert unknown.status_code == 404
    listed = api.get(f"/api/v1/instances/{instance_id}/documents", headers=director).get_json()
    assert [d["revision"] for d in listed] == [1, 2]
    document_id = listed[0]["id"]
    file = api.get(f"/api/v1/documents/{document_id}", headers=director)
    assert file.status_code == 200 and file.data.startswith(b"PK")
    assert api.get(f"/api/v1/documents/{document_id}", headers=outsider).status_code == 404
    assert api.get(f"/api/v1/instances/{instance_id}/documents", headers=outsider).status_code == 404
