"""The prescriber's page of the ledger (/registre): a handout as it happens, a return, a transfer,
what the prescriber holds; a refusal keeps the values and puts the message next to its field."""
from sqlalchemy import func, select

from ledger_campaign import booklet, campaign_in_cap_nord
from web_helpers import login, post
from workflows.store.models import LedgerBeneficiary, LedgerMove


def moves(conventio):
    with conventio.db.sessions() as session:
        return session.execute(select(func.count()).select_from(LedgerMove)).scalar()


def test_a_handout_from_the_page_then_what_the_prescriber_holds(client, conventio):
    campaign = campaign_in_cap_nord(conventio)
    login(client, "prescripteur")
    page = client.get("/registre").get_data(as_text=True)
    assert "CCAS</a> (vous enregistrez pour lui)" in page
    page = client.get(f"/registre/{campaign}").get_data(as_text=True)
    assert "Carnets détenus par CCAS" in page and '<tr data-size="10"><td>10 pass</td><td>8</td><td>20</td></tr>' in page
    response = post(client, f"/registre/{campaign}/remise", {
        "prescripteur": "CCAS", "carnets": f"{booklet(10, 1)}\r\n{booklet(10, 2)}\r\n", "public": "plie_demandeur_emploi",
        "identifiant": "PLIE-0042", "tranche_age": "26-44", "commune": "Trinité", "qpv": "oui", "date": "2027-03-10"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Remise enregistrée : 2 carnet(s), 20 pass, à PLIE-0042." in page
    assert '<tr data-size="10"><td>10 pass</td><td>6</td><td>20</td></tr>' in page
    assert "Lettre au bénéficiaire (.docx)" in page
    with conventio.db.sessions() as session:
        person = session.execute(select(LedgerBeneficiary)).scalar_one()
    assert (person.identifier, person.age_band, person.commune, person.priority_area) == ("PLIE-0042", "26-44",
                                                                                           "Trinité", True)
    response = post(client, f"/registre/{campaign}/retour", {"prescripteur": "CCAS", "carnets": booklet(5, 1),
                                                             "date": "2027-03-11"})
    assert response.status_code == 302
    response = post(client, f"/registre/{campaign}/transfert", {"source": "CCAS", "destination": "Pôle emploi",
                                                                "carnets": booklet(10, 3), "date": "2027-03-12"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 carnet(s) transféré(s) à Pôle emploi." in page
    assert '<tr data-size="10"><td>10 pass</td><td>5</td><td>20</td></tr>' in page
    assert '<tr data-size="5"><td>5 pass</td><td>7</td><td>10</td></tr>' in page


def test_a_refused_handout_keeps_the_values_and_names_the_field(client, conventio):
    campaign = campaign_in_cap_nord(conventio)
    login(client, "prescripteur")
    before = moves(conventio)
    response = post(client, f"/registre/{campaign}/remise", {
        "prescripteur": "CCAS", "carnets": f"{booklet(10, 1)} {booklet(10, 19)}", "public": "plie_demandeur_emploi",
        "identifiant": "PLIE-7", "commune": "Le Robert", "date": "2027-03-10"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ('aria-invalid="true" aria-describedby="remise-carnets-error">CAPN10-000001\nCAPN10-000019\n</textarea>'
            in page)
    assert '<p class="field-error" id="remise-carnets-error">Le carnet CAPN10-000019 n&#39;est pas chez CCAS : il est en stock' in page
    assert 'value="PLIE-7"' in page and 'value="Le Robert"' in page
    assert '<option value="plie_demandeur_emploi" selected>' in page
    response = post(client, f"/registre/{campaign}/remise", {"prescripteur": "CCAS", "carnets": booklet(10, 1),
                                                             "public": "", "date": "10/03/2027"})
    assert response.status_code == 422
    assert '<p class="field-error" id="remise-public-error">champ obligatoire</p>' in response.get_data(as_text=True)
    response = post(client, f"/registre/{campaign}/remise", {"prescripteur": "CCAS", "carnets": booklet(10, 1),
                                                             "public": "senior", "date": "31/02/2027"})
    assert '<p class="field-error" id="remise-date-error">date invalide</p>' in response.get_data(as_text=True)
    assert moves(conventio) == before


def test_only_the_prescriber_s_agents_record_for_it(flask_app, conventio):
    campaign = campaign_in_cap_nord(conventio)
    before = moves(conventio)
    for username in ("directrice", "observateur", "finances"):
        client = flask_app.test_client()
        login(client, username)
        response = post(client, f"/registre/{campaign}/remise", {"prescripteur": "CCAS", "carnets": booklet(10, 1),
                                                                 "public": "senior", "date": "2027-03-10"})
        assert response.status_code == 403, username
        assert "n’êtes pas enregistré(e) comme agent du prescripteur « CCAS »" in response.get_data(as_text=True)
    client = flask_app.test_client()
    login(client, "directeur78")
    assert client.get(f"/registre/{campaign}").status_code == 404
    assert moves(conventio) == before
