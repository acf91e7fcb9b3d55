"""Documents on the instance page and in the API: list, generate (legal staff), download."""
import io
import re
from html import escape

import docx
import pytest

from documents.conftest import docx_text
from openapi_check import CheckedClient
from web_helpers import actor, api_token, login, post
from workflows.documents.examples import EXAMPLES
from workflows.services.instances import start_instance

REJECTION = EXAMPLES["lettre_rejet"]
# what the start form of the library's processes asks of the collectivité
START = {"president": "Bruno Nestor AZÉROT", "territoire": "972"}


@pytest.fixture
def instance_id(conventio):
    legal = actor(conventio, "juriste")
    return start_instance(conventio, "convention_anct", dict(REJECTION, **START), legal, territory="cap-nord")["id"]


def test_legal_staff_generate_from_the_instance_page_and_download(client, instance_id):
    login(client, "juriste")
    page = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert "Aucun document généré." in page and 'name="template"' in page
    response = post(client, f"/instances/{instance_id}/documents", {"template": "lettre_rejet"})
    assert response.status_code == 302
    page = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert "généré (version 1)" in page
    link = re.search(r'href="(/documents/\d+/download)"', page).group(1)
    download = client.get(link)
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


HOLDER, CARAIBES, ANTILLES = ("Solidarité Numérique Émission SAS", "Chèques & Services Caraïbes SARL",
                              "Inclusion Numérique Antilles SAS")
TENDER = dict(REJECTION, **START, procedure="appel_offres", titulaire=HOLDER, offres=[
    {"candidat": name, "adresse": address, "montant_ht": 259000} for name, address in (
        (HOLDER, "14 quai de Bacalan, 33300 Bordeaux"), (CARAIBES, "12 rue Victor Hugo, 97200 Fort-de-France"),
        (ANTILLES, "5 boulevard du Général de Gaulle, 97110 Pointe-à-Pitre"))])


@pytest.fixture
def tender_id(conventio):
    legal = actor(conventio, "juriste")
    return start_instance(conventio, "convention_anct", dict(TENDER), legal, territory="cap-nord")["id"]


def test_the_api_makes_one_letter_per_evicted_candidate_or_the_one_named(client, tender_id):
    api = CheckedClient(client)
    legal = api_token(client, "juriste")
    url = f"/api/v1/instances/{tender_id}/documents"
    every = api.post(url, headers=legal, json={"template": "lettre_rejet"})
    assert every.status_code == 201
    assert [(d["recipient"], d["revision"]) for d in every.get_json()["generated"]] == [(CARAIBES, 1), (ANTILLES, 1)]
    one = api.post(url, headers=legal, json={"template": "lettre_rejet", "recipient": ANTILLES})
    assert one.status_code == 201 and (one.get_json()["recipient"], one.get_json()["revision"]) == (ANTILLES, 2)
    assert len(one.get_json()["generated"]) == 1
    unknown = api.post(url, headers=legal, json={"template": "lettre_rejet", "recipient": "Société X"})
    assert unknown.status_code == 422 and CARAIBES in unknown.get_json()["message"]
    assert ANTILLES in unknown.get_json()["message"] and "« Société X »" in unknown.get_json()["message"]
    not_text = api.post(url, headers=legal, json={"template": "lettre_rejet", "recipient": 3})
    assert not_text.status_code == 422
    listed = api.get(url, headers=legal).get_json()
    assert [(d["recipient"], d["revision"]) for d in listed] == [(CARAIBES, 1), (ANTILLES, 1), (ANTILLES, 2)]
    file = api.get(f"/api/v1/documents/{listed[1]['id']}", headers=legal)
    assert file.headers["Content-Disposition"].endswith("lettre_rejet-inclusion-numerique-antilles-sas-v1.docx")
    text = docx_text(file.data)
    assert ANTILLES in text and "Pointe-à-Pitre" in text and CARAIBES not in text


def test_the_instance_page_generates_for_one_recipient_and_lists_the_recipients(client, tender_id):
    login(client, "juriste")
    assert 'name="recipient"' in client.get(f"/instances/{tender_id}").get_data(as_text=True)
    refused = post(client, f"/instances/{tender_id}/documents", {"template": "lettre_rejet", "recipient": "X"})
    assert refused.status_code == 422 and escape(CARAIBES) in refused.get_data(as_text=True)
    assert "Aucun document généré." in client.get(f"/instances/{tender_id}").get_data(as_text=True)
    response = post(client, f"/instances/{tender_id}/documents", {"template": "lettre_rejet", "recipient": CARAIBES})
    assert response.status_code == 302
    page = client.get(f"/instances/{tender_id}").get_data(as_text=True)
    assert "<th scope=\"col\">Destinataire</th>" in page
    rows = page.split('<section id="documents">')[1].split("</table>")[0].split("<tr>")[2:]
    assert len(rows) == 1 and "Chèques &amp; Services Caraïbes SARL</td><td>1</td>" in rows[0]
    post(client, f"/instances/{tender_id}/documents", {"template": "lettre_rejet", "recipient": ""})
    page = client.get(f"/instances/{tender_id}").get_data(as_text=True)
    assert page.count("Inclusion Numérique Antilles SAS</td><td>1</td>") == 1
    assert "Chèques &amp; Services Caraïbes SARL</td><td>2</td>" in page
