"""Instructions for the end user in Markdown: a subset rendered through a sanitizer, never raw HTML.

Checked on the function, on the HTML the real app serves, and in a real browser.
"""
import re
from xml.sax.saxutils import escape as xml_escape

import pytest

from bpmn_builder import definitions, flow, process
from helpers import deploy_xml
from server.instructions import render_instructions
from test_browser import browser, live_server, log_in, page  # noqa: F401  (the browser fixtures)
from web_helpers import actor, login
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks

HOSTILE = "\n".join([
    '<meta http-equiv="refresh" content="0;url=https://pieges.example/">',
    "<script>document.title = 'piégé'</script>",
    '<img src="x" onerror="document.title = \'piégé\'">',
    "[Ouvrir](javascript:alert(1)) [Voir](data:text/html,piege) [Écrire](vbscript:msgbox)",
    "",
])
MARKDOWN = "\n".join([
    "## Avant de signer",
    "",
    "**Important** : relisez la *délibération* du {{ date_seance }}.",
    "",
    "- vérifier le montant : {{ montant }} €",
    "- vérifier le signataire",
    "",
    "[Le guide](https://www.example.fr/guide) et [la procédure](/instances)",
])
INSTRUCTIONS_DIV = re.compile(r'<div class="instructions" role="note">(.*?)</div>', re.S)


def test_raw_html_is_shown_as_text_never_as_markup():
    for text in ('<meta http-equiv="refresh" content="0;url=https://pieges.example/">',
                 "<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
                 "<a href='javascript:alert(1)'>lien</a>", "<!-- commentaire --><iframe src=/></iframe>"):
        html = str(render_instructions(text, {}))
        assert "<" not in html.replace("<br>", ""), html
        assert html.startswith("&lt;")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                  "vbscript:msgbox", "file:///etc/passwd", "mailto:a@example.fr"])
def test_links_go_to_http_or_relative_addresses_only(link):
    html = str(render_instructions(f"[cliquer]({link}) <{link}>", {}))
    assert "href" not in html, html


def test_links_open_without_giving_the_page_to_their_target():
    html = str(render_instructions("[guide](https://www.example.fr/guide) [suivi](/instances?x=1)", {}))
    assert html == ('<a href="https://www.example.fr/guide" rel="noopener noreferrer">guide</a> '
                    '<a href="/instances?x=1" rel="noopener noreferrer">suivi</a>')


def test_the_markdown_subset_renders():
    html = str(render_instructions(MARKDOWN, {"date_seance": "2027-01-04", "montant": 20800}))
    assert "<h4>Avant de signer</h4>" in html   # under the page's h1 and its sections
    assert "<p><strong>Important</strong> : relisez la <em>délibération</em> du 2027-01-04.</p>" in html
    assert "<ul>\n<li>vérifier le montant : 20800 €</li>\n<li>vérifier le signataire</li>\n</ul>" in html
    assert '<a href="/instances" rel="noopener noreferrer">la procédure</a>' in html


def test_a_single_line_stays_inline_and_line_breaks_stay():
    assert str(render_instructions("**Projet à reprendre** : date", {})) == "<strong>Projet à reprendre</strong> : date"
    assert str(render_instructions("ligne 1\nligne 2", {})) == "ligne 1<br>\nligne 2"


def test_the_data_is_shown_as_written_not_as_markdown_nor_markup():
    data = {"nom": "[gagné](https://pieges.example) **gras** <b>x</b>\n# titre\n- point"}
    html = str(render_instructions("Partenaire : {{ nom }}", data))
    assert "<a" not in html and "<strong>" not in html and "<b>" not in html and "<h" not in html
    assert "[gagné](https://pieges.example) **gras** &lt;b&gt;x&lt;/b&gt;" in html


def test_images_are_not_loaded():
    html = str(render_instructions("![suivi](https://pieges.example/pixel.png)", {}))
    assert "<img" not in html


# --- the page the app serves ---------------------------------------------------------------------
def instructions_model():
    text = xml_escape(HOSTILE + MARKDOWN)
    body = "\n".join([
        '<bpmn:startEvent id="start"/>',
        '<bpmn:userTask id="lire" name="Lire les consignes"><bpmn:extensionElements>'
        f"<spiffworkflow:instructionsForEndUser>{text}</spiffworkflow:instructionsForEndUser>"
        "</bpmn:extensionElements></bpmn:userTask>",
        '<bpmn:endEvent id="end"/>', flow("f1", "start", "lire"), flow("f2", "lire", "end")])
    return definitions(process("consignes", body))


def task_with_instructions(conventio):
    deploy_xml(conventio, {"consignes.bpmn": instructions_model()})
    admin = actor(conventio, "admin")
    instance = start_instance(conventio, "consignes", {"date_seance": "2027-01-04", "montant": 20800,
                                                       "nom": "<script>document.title = 'piégé'</script>"}, admin)
    [task] = list_tasks(conventio, admin, instance_id=instance["id"])
    return task["id"]


def test_the_task_page_serves_the_instructions_sanitized(client, conventio):
    task_id = task_with_instructions(conventio)
    login(client, "admin")
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    page_html = response.get_data(as_text=True)
    [instructions] = INSTRUCTIONS_DIV.findall(page_html)
    for markup in ("<meta", "<script", "<img", "<iframe", 'href="javascript', 'href="data', 'href="vbscript'):
        assert markup not in instructions.lower()
    assert 'http-equiv="refresh"' not in page_html.replace("&lt;meta http-equiv", "")
    assert "&lt;meta http-equiv" in instructions   # shown as text
    assert "<strong>Important</strong>" in instructions
    assert "<li>vérifier le montant : 20800 €</li>" in instructions
    assert '<a href="https://www.example.fr/guide" rel="noopener noreferrer">Le guide</a>' in instructions


def test_in_a_browser_the_instructions_neither_run_nor_redirect(page, live_server, conventio):  # noqa: F811
    task_id = task_with_instructions(conventio)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/tasks/{task_id}")
    page.wait_for_timeout(1500)   # a meta refresh of 0 s would have left by now
    assert page.url == f"{live_server}/tasks/{task_id}"
    assert page.title().startswith("Lire les consignes")
    assert dialogs == []
    note = page.locator(".instructions")
    assert note.locator("meta, script, img, iframe").count() == 0
    assert note.locator("strong").first.inner_text() == "Important"
    assert note.locator("li").all_inner_texts() == ["vérifier le montant : 20800 €", "vérifier le signataire"]
    links = note.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == ["https://www.example.fr/guide", "/instances"]
    assert {links.nth(i).get_attribute("rel") for i in range(links.count())} == {"noopener noreferrer"}
    assert "<meta http-equiv" in note.inner_text()   # the hostile text is shown, as text


def test_the_cli_shows_the_instructions_rendered_as_text(conventio):
    import json
    from click.testing import CliRunner
    from server.cli import tasks_show
    shown = CliRunner().invoke(tasks_show, [task_with_instructions(conventio)], obj=conventio)
    assert shown.exit_code == 0, shown.output
    text = json.loads(shown.output)["instructions"]
    assert "{{" not in text and "**" not in text
    assert "Important : relisez la délibération du 2027-01-04." in text
    assert "- vérifier le montant : 20800 €" in text
    assert "Le guide (https://www.example.fr/guide) et la procédure (/instances)" in text
    assert '<meta http-equiv="refresh"' in text   # the hostile HTML, as the page shows it: text
