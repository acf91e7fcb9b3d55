"""Seed 002 through the pages, in a real browser (Debian's Chromium driven by Playwright) against a
real server (waitress): the syndicat's staff prepare the Yvelines' and the Hauts-de-Seine's
conventions; the syndicat's director is offered neither decision and is refused it by the page;
the Yvelines' DGAS approves its own from its inbox and never sees the Hauts-de-Seine's.
Screenshots in test-artifacts/."""
import shutil
import threading
from pathlib import Path

import pytest

from deployment_helpers import PASSWORD, SYN, anct_convention_at_review, footprint, install, open_task, user
from workflows.services.instances import get_instance

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def served(app):
    """The installation served by waitress on a free loopback port, in a thread."""
    import waitress
    from server import create_app
    from server.config import WebSettings
    web = create_app(conventio=app, test_config={"WEB_SETTINGS": WebSettings(secret_key="deploiements-" + "x" * 32)})
    server = waitress.create_server(web, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(5)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="installez playwright (pip install playwright)")
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium absent : installez le paquet Debian chromium (jamais « playwright install »)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def signed_in(browser, base_url, username):
    page = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/inbox")
    return page


def test_the_yvelines_dgas_decides_in_the_browser_what_the_syndicat_prepared(app, served, browser):
    install(app)
    legal = user(app, "juriste-syn", "legal", SYN)
    user(app, "direction-syn", "director", SYN)
    user(app, "dgas-78", "director", "78")
    yvelines = anct_convention_at_review(app, legal, "78", "FR", "Département des Yvelines", "Convention ANCT – 78")
    hauts_de_seine = anct_convention_at_review(app, legal, "92", "FR", "Département des Hauts-de-Seine",
                                               "Convention ANCT – 92")
    review_78 = open_task(app, yvelines, "examiner_convention_anct")
    review_92 = open_task(app, hauts_de_seine, "examiner_convention_anct")
    ARTIFACTS.mkdir(exist_ok=True)

    syndicat = signed_in(browser, served, "direction-syn")
    assert syndicat.locator(f'#queue tr[data-task-id="{review_78}"], #queue tr[data-task-id="{review_92}"]').count() == 0
    before = footprint(app)
    refused = syndicat.goto(f"{served}/tasks/{review_78}")
    assert refused.status == 403 and "revient au territoire « 78 »" in syndicat.inner_text("body")
    assert footprint(app) == before
    syndicat.screenshot(path=str(ARTIFACTS / "deploiement-002-syndicat-refuse.png"), full_page=True)

    dgas = signed_in(browser, served, "dgas-78")
    assert dgas.locator(f'#queue tr[data-task-id="{review_92}"]').count() == 0
    dgas.locator(f'#queue tr[data-task-id="{review_78}"] a').first.click()
    dgas.wait_for_url(f"{served}/tasks/{review_78}")
    dgas.screenshot(path=str(ARTIFACTS / "deploiement-002-dgas-78-examen.png"), full_page=True)
    dgas.click("button.decision.approuver")
    dgas.wait_for_url(f"{served}/inbox")
    assert "est terminée" in dgas.locator(".flash.success").inner_text()
    assert [t["bpmn_id"] for t in get_instance(app, yvelines, legal)["open_tasks"]] == ["signer_convention_anct"]
    assert [t["bpmn_id"] for t in get_instance(app, hauts_de_seine, legal)["open_tasks"]] == \
        ["examiner_convention_anct"]
