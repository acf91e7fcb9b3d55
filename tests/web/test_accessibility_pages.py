"""What the RGAA asks of the pages' HTML, through Flask's test client on a real database: the skip
link and the statement's link on every page, a refused form's summary (each error a link to its
field, focused, the title saying « Erreur : »), hints tied to their fields, the statement itself."""
import html
import re

from server import create_app
from server.views.accessibility import statement_data
from start_data import CAP_NORD
from web_helpers import actor, csrf_token, login, post, web_settings
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks

DELIBERATION = {"numero_deliberation": "CC-09-2026-031", "date_deliberation": "2026-09-24"}


def text(response):
    return response.get_data(as_text=True)


def title(page):
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()


def test_every_page_starts_with_the_skip_link_and_ends_with_the_statement(client):
    for page in (text(client.get("/login")), text(client.get("/pas-une-page"))):
        body = page.split("<body>", 1)[1]
        assert body.lstrip().startswith('<a class="skip-link" href="#contenu">Aller au contenu</a>')
        assert '<main id="contenu" tabindex="-1">' in body
        assert '<a href="/accessibilite">Accessibilité : non conforme</a>' in body
    login(client, "juriste")
    assert '<a href="/accessibilite">' in text(client.get("/inbox"))


def test_the_statement_is_public_with_its_state_checks_and_recourse(client):
    response = client.get("/accessibilite")
    page = html.unescape(text(response))
    assert response.status_code == 200
    assert "Conventio est non conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA 4.1)" in page
    assert "taux de conformité n’est pas mesuré" in page and "axe-core" in page
    recourse = statement_data()["recourse"]
    for value in (recourse["online_form"], recourse["delegates"], recourse["phone"], recourse["mail"]):
        assert value in page
    assert "CONVENTIO_ACCESSIBILITY_CONTACT" in page, "no contact configured: says what to set"


def test_the_statement_gives_the_configured_contact(conventio):
    app = create_app(conventio=conventio, test_config={
        "TESTING": True, "WEB_SETTINGS": web_settings(accessibility_contact="accessibilite@cap-nord.fr")})
    page = text(app.test_client().get("/accessibilite"))
    assert '<a href="mailto:accessibilite@cap-nord.fr">accessibilite@cap-nord.fr</a>' in page


def test_a_refused_task_form_starts_with_a_focused_summary_linking_each_error(client, conventio):
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", {**CAP_NORD, **DELIBERATION}, legal, territory="cap-nord")
    [draft] = list_tasks(conventio, legal, instance_id=instance["id"])
    login(client, "juriste")
    shown = text(client.get(f"/tasks/{draft['id']}"))
    assert title(shown) == "Rédiger la convention ANCT — Conventio"
    hint = re.search(r'<p class="hint" id="(f-montant_achat_prevu_ht-hint)">', shown).group(1)
    rule = "f-montant_achat_prevu_ht-rule f-montant_achat_prevu_ht-live"   # the ANCT's minimum, checked as one types
    assert re.search(rf'id="f-montant_achat_prevu_ht"[^>]*aria-describedby="{hint} {rule}"', shown)

    refused = post(client, f"/tasks/{draft['id']}", {"montant_achat_prevu_ht": "", "nombre_pass_prevus": "deux"})
    page = text(refused)
    assert refused.status_code == 422
    assert title(page) == "Erreur : Rédiger la convention ANCT — Conventio"
    summary = re.search(r'<div class="error-message error-summary" role="alert" id="error-summary" tabindex="-1" '
                        r'autofocus[^>]*>(.*?)</div>', page, re.S).group(1)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert "f-montant_achat_prevu_ht" in targets and "f-nombre_pass_prevus" in targets
    for target in targets:
        assert page.count(f'id="{target}"') == 1, target
    # the hint and the error, both read with the field
    assert re.search(rf'id="f-montant_achat_prevu_ht"[^>]*aria-invalid="true" '
                     rf'aria-describedby="{hint} {rule} f-montant_achat_prevu_ht-error"', page)
    assert len(list_tasks(conventio, legal, instance_id=instance["id"])) == 1, "nothing done"


def test_a_page_that_is_not_refused_says_no_error(client):
    assert title(text(client.get("/login"))) == "Connexion — Conventio"
    refused = client.post("/login", data={"username": "personne", "password": "pas-le-bon",
                                          "csrf_token": csrf_token(client)})
    page = text(refused)
    assert title(page) == "Erreur : Connexion — Conventio"
    assert 'id="error-summary" tabindex="-1" autofocus' in page
    assert 'id="username" name="username" autocomplete="username" value="personne">' in page, \
        "the summary, not the login field, has the focus"
