"""The dashboard in a real browser (Debian's Chromium through Playwright) on a real server, as the
DGS and as a hub's observer; screenshots in test-artifacts/."""
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401 (fixtures)
from test_dashboard import fixture  # noqa: F401 (the fixture)
from test_observer import groupings


def test_the_dgs_reads_the_dashboard_sorts_it_and_opens_a_territory(page, live_server, fixture):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "dgs")
    page.goto(f"{live_server}/tableau-de-bord")
    assert page.locator(".dashboard-comparison tr[data-territory='cap-nord'] td").all_inner_texts()[:3] == \
        ["250", "15", "4"]
    page.screenshot(path=str(ARTIFACTS / "tableau-de-bord-dgs.png"), full_page=True)
    page.click(".dashboard-chains th a:has-text('Avancement')")
    assert page.locator(".dashboard-chains th[aria-sort]").get_attribute("aria-sort") == "ascending"
    page.select_option("#retard", "bloquee")
    page.click("form.filters button[type=submit]")
    assert page.locator(".dashboard-chains tbody tr").count() == 1
    page.goto(f"{live_server}/tableau-de-bord/territoire/cap-nord")
    assert page.locator(".dashboard-commitments td").all_inner_texts() == \
        ["15", "10", "66,7 %", "50 %", "6 %", "26,7 %"]
    assert page.locator(".month-chart rect.handed").count() == 1
    page.screenshot(path=str(ARTIFACTS / "tableau-de-bord-territoire.png"), full_page=True)
    page.goto(f"{live_server}/tableau-de-bord/analyse?processus=convention_anct")
    page.wait_for_selector("#diagrams[data-ready]")
    assert page.get_attribute("#diagrams", "data-ready") == "true"
    page.screenshot(path=str(ARTIFACTS / "tableau-de-bord-analyse.png"), full_page=True)


def test_a_hub_observer_sees_its_territories_only(page, live_server, conventio, fixture):  # noqa: F811
    groupings(conventio)
    log_in(page, live_server, "hub")
    page.goto(f"{live_server}/tableau-de-bord")
    body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "CAP Nord Martinique" in body and "Dossier des Yvelines" not in body
    page.screenshot(path=str(ARTIFACTS / "tableau-de-bord-observateur-hub.png"), full_page=True)
    response = page.goto(f"{live_server}/tableau-de-bord/territoire/yvelines")
    assert response.status == 404
