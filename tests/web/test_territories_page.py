"""The administrators' page of the territories: the list, adding one, importing a CSV file."""
from io import BytesIO

from helpers import ROOT
from web_helpers import login, post

SEEDS = ROOT / "data" / "territoires.csv"


def test_the_administrators_page_adds_and_imports(flask_app):
    director = flask_app.test_client()
    login(director, "directrice")
    assert director.get("/admin/territories").status_code == 403
    assert post(director, "/admin/territories", {"code": "x", "name": "X", "kind": "commune"}).status_code == 403
    admin = flask_app.test_client()
    login(admin, "admin")
    assert "Aucun territoire enregistré" in admin.get("/admin/territories").get_data(as_text=True)
    refused = post(admin, "/admin/territories", {"code": "x", "name": "", "kind": "commune"})
    assert refused.status_code == 422 and 'id="t-name-error"' in refused.get_data(as_text=True)
    assert post(admin, "/admin/territories", {"code": "97209", "name": "Le Marigot", "kind": "commune",
                                              "population": "3 412", "population_year": "2021"}).status_code == 302
    bad = post(admin, "/admin/territories/import", {"file": (BytesIO(b"code;nom;type\na;A;canton\n"), "t.csv")},
               content_type="multipart/form-data")
    assert bad.status_code == 422 and "ligne 2, colonne « type »" in bad.get_data(as_text=True)
    good = post(admin, "/admin/territories/import", {"file": (BytesIO(SEEDS.read_bytes()), "t.csv")},
                content_type="multipart/form-data")
    assert good.status_code == 302
    shown = admin.get("/admin/territories").get_data(as_text=True)
    assert 'data-code="978"' in shown and "3 412 (2021)" in shown and "Collectivité d’outre-mer" in shown
