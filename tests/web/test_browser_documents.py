"""The convention read as a sheet in a real browser (Debian's Chromium, driven by Playwright):
from the instance page's « Lire » link to the document's page, on a desk screen and at 390 px.
Screenshots go to test-artifacts/."""
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (fixtures)
from web_helpers import anct_convention_at_review

DELIBERATION = {"numero_deliberation": "CC-09-2026-031", "date_deliberation": "2026-09-24"}


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_legal_staff_read_the_convention_as_its_sheet_on_a_desk_and_a_phone(page, live_server, conventio):
    instance_id, review_id = anct_convention_at_review(conventio, start=DELIBERATION)
    log_in(page, live_server, "juriste")
    page.goto(f"{live_server}/instances/{instance_id}")
    page.locator("#documents a", has_text="Lire").first.click()
    page.wait_for_selector(".sheet")
    sheet = page.locator(".sheet")
    heading = sheet.locator("h2").first
    assert heading.is_visible() and heading.inner_text() == "Article 1 – Objet"
    assert sheet.locator("p.al-center strong").first.inner_text() == "CONVENTION DE COFINANCEMENT"
    assert sheet.locator("ul li").count() == 4 and sheet.locator("table.doc-table").first.is_visible()
    # the sheet: white on the desk, in a serif, taller than wide (A4)
    box = sheet.bounding_box()
    assert box["height"] > box["width"]
    assert "serif" in sheet.evaluate("e => getComputedStyle(e).fontFamily").lower()
    assert sheet.evaluate("e => getComputedStyle(e.querySelector('.al-center')).textAlign") == "center"
    shot(page, "document-convention-feuille")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"
    assert sheet.bounding_box()["width"] <= 390 and heading.is_visible()
    shot(page, "document-convention-feuille-390px")

    # the director's task page: the same sheet, its region reached by the keyboard
    page.click("form[action='/logout'] button")
    log_in(page, live_server, "directrice")
    page.goto(f"{live_server}/tasks/{review_id}")
    region = page.locator("#documents .sheet-frame").first
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('sheet-frame')")
    assert region.locator(".sheet h4").first.inner_text() == "Article 1 – Objet"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "tache-examen-feuille-390px")
