"""The ANCT draft in a real browser (Debian's Chromium, driven by Playwright): the call's minimum shown
by the amount before submitting and checked as one types, and a draft below it sent back with the
reason next to the amount and the error summary, focused, right under the title."""
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (fixtures)
from web_helpers import CONVENTION_DRAFT, actor
from start_data import CAP_NORD
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks

AMOUNT = "#f-montant_achat_prevu_ht"


def test_the_anct_minimum_is_shown_checked_as_one_types_and_its_refusal_placed(page, live_server, conventio):
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", {**CAP_NORD, "date_deliberation": "2026-09-24"}, legal,
                              territory="cap-nord")
    [draft] = list_tasks(conventio, legal, instance_id=instance["id"])
    log_in(page, live_server, "juriste")
    page.goto(f"{live_server}/tasks/{draft['id']}")

    # before submitting: the rule is the amount's hint, read with the field
    rule = page.locator(f"{AMOUNT}-rule")
    assert rule.is_visible()
    assert "Minimum de l’appel à projets : 20\u202f000,00\u00a0€ HT" in rule.inner_text()
    assert f"{AMOUNT[1:]}-rule" in page.get_attribute(AMOUNT, "aria-describedby").split()
    page.fill(AMOUNT, "12 000,50 €")
    assert "en dessous du minimum" in page.locator(f"{AMOUNT}-live").inner_text()
    page.fill(AMOUNT, "20 800")
    assert page.locator(f"{AMOUNT}-live").inner_text() == ""

    # submitted below the minimum: sent back, the reason by the amount, the summary at the top
    for key, value in CONVENTION_DRAFT.items():
        if key != "objet_convention_anct":
            page.fill(f"#f-{key}", str(value))
    page.fill(AMOUNT, "12 000,50 €")
    page.click("button.primary")
    page.wait_for_selector(f"{AMOUNT}-error")
    assert "inférieur au minimum de 20\u202f000,00\u00a0€" in page.locator(f"{AMOUNT}-error").inner_text()
    assert page.get_attribute(AMOUNT, "aria-invalid") == "true"
    assert f"{AMOUNT[1:]}-error" in page.get_attribute(AMOUNT, "aria-describedby").split()
    summary = page.locator("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.evaluate("document.querySelector('h1').nextElementSibling.id") == "error-summary"
    link = summary.locator(f"a[href='{AMOUNT}']")
    assert "Montant d'achat prévu (EUR HT) : Achat de 12\u202f000,50" in link.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "redaction-motif-au-champ.png"), full_page=True)
    link.click()
    assert page.evaluate("document.activeElement.id") == AMOUNT[1:]
