"""The ledger through /api/v1/campaigns: every call checked against the OpenAPI document; 4xx JSON
naming the field; the same rights as the page (the services')."""
import io

import docx
import pytest
from sqlalchemy import func, select

from ledger_campaign import booklet, campaign_in_cap_nord
from openapi_check import CheckedClient
from web_helpers import api_token
from workflows.store.models import LedgerMove, LedgerStatement


@pytest.fixture
def api(client):
    return CheckedClient(client)


def count(conventio, model):
    with conventio.db.sessions() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_records_and_reads_through_the_api(api, client, conventio):
    campaign = campaign_in_cap_nord(conventio)
    agent = api_token(client, "prescripteur")
    [listed] = api.get("/api/v1/campaigns", headers=agent).get_json()
    assert (listed["id"], listed["prescribers"], listed["mine"]) == (campaign, ["CCAS", "Pôle emploi"], ["CCAS"])
    given = api.post(f"/api/v1/campaigns/{campaign}/handouts", headers=agent, json={
        "prescripteur": "CCAS", "public": "senior", "carnets": [booklet(5, 1)], "date": "10/03/2027",
        "tranche_age": "60-74", "commune": "Le Lorrain", "qpv": True})
    assert given.status_code == 201, given.get_json()
    assert given.get_json()["beneficiary"].startswith("B-") and given.get_json()["passes"] == 5
    back = api.post(f"/api/v1/campaigns/{campaign}/returns", headers=agent,
                    json={"prescripteur": "CCAS", "carnets": f"{booklet(5, 2)} {booklet(5, 3)}", "date": "2027-03-11"})
    assert back.status_code == 201 and back.get_json()["booklets"] == [booklet(5, 2), booklet(5, 3)]
    moved = api.post(f"/api/v1/campaigns/{campaign}/transfers", headers=agent,
                     json={"source": "CCAS", "destination": "Pôle emploi", "carnets": [booklet(10, 1)],
                           "date": "2027-03-12"})
    assert moved.status_code == 201
    held = api.get(f"/api/v1/campaigns/{campaign}/holdings?prescripteur=CCAS", headers=agent).get_json()
    assert held["carnets"] == {"10": 7, "5": 5} and held["remises"][0]["mouvement"] == given.get_json()["move"]
    figures = api.get(f"/api/v1/campaigns/{campaign}", headers=agent).get_json()
    assert figures["par_prescripteur"]["Pôle emploi"] == {"detenus": 1, "remis": 0}
    letter = api.get(f"/api/v1/campaigns/{campaign}/handouts/{given.get_json()['move']}/letter", headers=agent)
    assert letter.status_code == 422   # no procedure behind this campaign: no mediation places to list
    assert letter.get_json()["details"] == {"lieux": "aucun lieu de médiation connu"}


def test_refusals_name_the_field_and_change_nothing(api, client, conventio):
    campaign = campaign_in_cap_nord(conventio)
    agent = api_token(client, "prescripteur")
    before = count(conventio, LedgerMove)
    url = f"/api/v1/campaigns/{campaign}/handouts"
    cases = [
        ({"prescripteur": "CCAS", "public": "senior", "carnets": []}, 422, {"carnets": "champ obligatoire"}),
        ({"prescripteur": "CCAS", "public": "senior", "carnets": [booklet(5, 1)], "date": "hier"}, 422,
         {"date": "date invalide"}),
        ({"prescripteur": "CCAS", "public": "senior", "carnets": [booklet(5, 1)], "identifiant": "Jean Dupont"}, 422,
         {"identifiant": "identifiant invalide"}),
        ({"prescripteur": "CCAS", "public": "senior", "carnets": [booklet(5, 1)], "qpv": "peut-être"}, 422,
         {"qpv": "oui ou non"}),
        ({"prescripteur": "Mairie", "public": "senior", "carnets": [booklet(5, 1)]}, 422,
         {"prescripteur": "prescripteur inconnu"}),
        ({"prescripteur": "CCAS", "public": "senior", "carnets": [booklet(5, 19)]}, 422, None),
        ({"prescripteur": "CCAS", "public": "senior", "carnets": 12}, 422, {"carnets": "liste attendue"}),
    ]
    for body, status, details in cases:
        response = api.post(url, headers=agent, json=body)
        assert response.status_code == status, (body, response.get_json())
        assert response.get_json()["error"] == "donnees_invalides"
        if details:
            assert response.get_json()["details"] == details, body
        else:
            assert list(response.get_json()["details"]) == ["carnets"]
    director = api_token(client, "directrice")
    refused = api.post(url, headers=director, json={"prescripteur": "CCAS", "public": "senior",
                                                    "carnets": [booklet(5, 1)]})
    assert refused.status_code == 403 and "agent du prescripteur « CCAS »" in refused.get_json()["message"]
    assert api.get(f"/api/v1/campaigns/{campaign + 1}", headers=agent).status_code == 404
    assert count(conventio, LedgerMove) == before


def test_imports_through_the_api_as_a_file_or_the_body(api, client, conventio):
    campaign = campaign_in_cap_nord(conventio)
    agent, finance = api_token(client, "prescripteur"), api_token(client, "finances")
    sheet = ("prescripteur;identifiant;public;date;carnets\n"
             f"CCAS;S-1;senior;10/03/2027;{booklet(5, 1)}\n"
             f"CCAS;P-1;plie_demandeur_emploi;11/03/2027;{booklet(10, 1)}|{booklet(10, 2)}\n").encode("cp1252")
    done = api.post(f"/api/v1/campaigns/{campaign}/imports/handouts", headers=agent,
                    data={"file": (io.BytesIO(sheet), "remises.csv")}, content_type="multipart/form-data")
    assert done.status_code == 201 and done.get_json() == {"handouts": 2, "booklets": 3, "passes": 25,
                                                           "beneficiaries_created": 2}
    bad = b"lieu,mois,passes\nM\xe9diath\xe8que,2027-03,30\n"
    refused = api.post(f"/api/v1/campaigns/{campaign}/imports/statements", headers=finance, data=bad,
                       content_type="text/csv")
    assert refused.status_code == 422
    assert list(refused.get_json()["details"]) == ["ligne 2, colonne « passes »"]
    assert "au-delà des 25 passes remis" in refused.get_json()["details"]["ligne 2, colonne « passes »"]
    assert count(conventio, LedgerStatement) == 0
    good = api.post(f"/api/v1/campaigns/{campaign}/imports/statements", headers=finance,
                    data="lieu,mois,passes\nMédiathèque,2027-03,12\n".encode(), content_type="text/csv")
    assert good.status_code == 201 and good.get_json() == {"statements": 1, "passes": 12}
    forbidden = api.post(f"/api/v1/campaigns/{campaign}/imports/statements", headers=agent,
                         data=b"lieu,mois,passes\nX,2027-04,1\n", content_type="text/csv")
    assert forbidden.status_code == 403
