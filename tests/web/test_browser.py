"""In a real browser (Debian's Chromium, driven by Playwright), against a real server (waitress).

Screenshots go to test-artifacts/ at the top of the repository.
"""
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from web_helpers import web_settings
from start_data import CAP_NORD
from web_helpers import PASSWORD, actor, anct_convention_at_review
from workflows.services.tasks import list_tasks

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="installez playwright (pip install playwright)")
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium absent : installez le paquet Debian chromium (jamais « playwright install »)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def served(conventio):
    """The app on `conventio` served by waitress on a free loopback port, in a thread: its address."""
    import waitress
    from server import create_app
    app = create_app(conventio=conventio, test_config={"WEB_SETTINGS": web_settings()})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(5)


@pytest.fixture
def live_server(conventio):
    with served(conventio) as address:
        yield address


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/inbox")


def test_director_approves_the_anct_convention_from_the_inbox(page, live_server, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "directrice")
    row = page.locator(f'#queue tr[data-task-id="{review_id}"]')
    assert row.locator("a").first.inner_text() == "Examiner le projet de convention"
    page.screenshot(path=str(ARTIFACTS / "inbox-directrice.png"), full_page=True)
    row.locator("a").first.click()
    page.wait_for_url(f"{live_server}/tasks/{review_id}")
    assert page.locator("button.decision").all_inner_texts() == ["Approuver", "Rejeter", "Demander des modifications"]
    page.screenshot(path=str(ARTIFACTS / "approbation-convention-anct.png"), full_page=True)
    page.click("button.decision.approuver")
    page.wait_for_url(f"{live_server}/inbox")
    assert "est terminée" in page.locator(".flash.success").inner_text()
    assert page.locator(f'tr[data-task-id="{review_id}"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "inbox-apres-approbation.png"), full_page=True)
    [next_task] = list_tasks(conventio, actor(conventio, "admin"), instance_id=instance_id)
    assert next_task["bpmn_id"] == "signer_convention_anct"


def test_legal_staff_start_a_procedure_from_its_start_form(page, live_server, conventio):
    from workflows.services.instances import get_instance
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "juriste")
    page.goto(f"{live_server}/instances")
    page.select_option("#process_id", "pass_numerique")
    page.click("section.start button[type=submit]")
    page.wait_for_url(re.compile(r"/instances/new\?process_id=pass_numerique&territory=cap-nord"))
    for name, value in CAP_NORD.items():
        if name in ("type_collectivite", "territoire"):
            page.select_option(f"#f-{name}", value)
        elif name != "president":
            page.fill(f"#f-{name}", value)
    page.click("form.start-form button[type=submit]")
    assert page.locator("#f-president-error").inner_text() == "champ obligatoire"
    assert page.input_value("#f-fait_a") == CAP_NORD["fait_a"], "what was typed comes back"
    page.screenshot(path=str(ARTIFACTS / "demarrage-erreurs.png"), full_page=True)
    page.fill("#f-president", CAP_NORD["president"])
    page.click("form.start-form button[type=submit]")
    page.wait_for_url(re.compile(r"/instances/\d+$"))
    instance_id = int(page.url.rsplit("/", 1)[1])
    data = get_instance(conventio, instance_id, actor(conventio, "admin"))["data"]
    assert {name: data[name] for name in CAP_NORD} == CAP_NORD
    page.screenshot(path=str(ARTIFACTS / "demarrage-instance.png"), full_page=True)


def test_director_must_comment_a_rejection(page, live_server, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    log_in(page, live_server, "directrice")
    page.goto(f"{live_server}/tasks/{review_id}")
    page.click("button.decision.rejeter")
    assert page.locator("#f-commentaire-error").inner_text() == "champ obligatoire"
    page.screenshot(path=str(ARTIFACTS / "rejet-sans-commentaire.png"), full_page=True)


def test_dgs_sees_the_diagram_with_the_active_step_marked(page, live_server, conventio):
    instance_id, _review_id = anct_convention_at_review(conventio)
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "dgs")
    page.goto(f"{live_server}/instances/{instance_id}")
    page.wait_for_selector('#diagrams[data-ready="true"]', timeout=15000)
    active = page.locator('.djs-element[data-element-id="examiner_convention_anct"]')
    assert "marker-active" in active.get_attribute("class")
    done = page.locator('.djs-element[data-element-id="rediger_convention_anct"]')
    assert "marker-done" in done.get_attribute("class")
    waiting = page.locator('.djs-element[data-element-id="signer_convention_anct"]')
    assert "marker" not in waiting.get_attribute("class")
    page.locator("#diagram-section").screenshot(path=str(ARTIFACTS / "diagramme-dgs.png"))
    page.screenshot(path=str(ARTIFACTS / "instance-dgs.png"), full_page=True)


def test_legal_staff_generate_and_download_a_convention(page, live_server, conventio):
    from workflows.documents.examples import EXAMPLES
    from workflows.services.instances import start_instance
    ARTIFACTS.mkdir(exist_ok=True)
    legal = actor(conventio, "juriste")
    instance_id = start_instance(conventio, "convention_anct", {**CAP_NORD, **EXAMPLES["convention_anct"]}, legal,
                                 territory="cap-nord")["id"]
    log_in(page, live_server, "juriste")
    page.goto(f"{live_server}/instances/{instance_id}")
    page.select_option("#template", "convention_anct")
    page.click("#documents button[type=submit]")
    page.wait_for_url(f"{live_server}/instances/{instance_id}#documents")
    assert "généré (version 1)" in page.locator(".flash.success").inner_text()
    page.screenshot(path=str(ARTIFACTS / "convention-generee.png"), full_page=True)
    with page.expect_download() as download_info:
        page.click("#documents a:has-text('.docx')")
    download = download_info.value
    assert download.suggested_filename == "convention_anct-v1.docx"
    saved = ARTIFACTS / download.suggested_filename
    download.save_as(saved)
    import docx
    text = "\n".join(p.text for p in docx.Document(saved).paragraphs)
    assert "Agence nationale de la cohésion des territoires" in text or "ANCT" in text
