"""The procedure page shows its data as the task page shows the dossier: under the forms' own
labels, dates and amounts in French, no working variable (issue 15)."""
import re

from web_helpers import anct_convention_at_review, login


def data_section(page):
    return page.split('<section id="data">')[1].split("</section>")[0]


def test_the_procedure_page_shows_its_data_as_a_dossier(conventio, client):
    instance_id, _review = anct_convention_at_review(conventio)
    login(client, "directrice")
    page = client.get(f"/instances/{instance_id}")
    assert page.status_code == 200
    data = data_section(page.get_data(as_text=True))
    assert "<h3>Démarrage : la collectivité</h3>" in data
    assert re.search(r"<dt>Date du projet</dt>\s*<dd>2 mars 2026</dd>", data), data
    assert re.search(r"\(EUR HT\)</dt>\s*<dd>20\s800\s€</dd>", data), data
    assert re.search(r"\(% des passes utilisés\)</dt>\s*<dd>50\s%</dd>", data), data
    for raw in ("2026-03-02", "True", "None", "{", "auteur_etape", "montant_achat_prevu_ht"):
        assert raw not in data, raw
