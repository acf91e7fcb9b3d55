"""The handout page in a real browser: booklets scanned with a barcode reader (a number, then
Enter), Enter on the empty line records; a refusal comes back with its values and its message."""
from ledger_campaign import booklet, campaign_in_cap_nord
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (the fixtures)
from workflows.services import ledger
from web_helpers import actor


def scan(page, *serials):
    for serial in serials:   # what a reader sends: the characters, then Enter
        page.keyboard.type(serial)
        page.keyboard.press("Enter")


def test_a_prescriber_scans_two_booklets_and_records_the_handout(page, live_server, conventio):
    campaign = campaign_in_cap_nord(conventio)
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "prescripteur")
    page.goto(f"{live_server}/registre/{campaign}")
    page.select_option("#remise-public", "plie_demandeur_emploi")
    page.fill("#remise-identifiant", "PLIE-0100")
    page.fill("#remise-commune", "Trinité")
    page.fill("#remise-date", "2027-03-10")
    page.focus("#remise-carnets")
    scan(page, booklet(10, 1), booklet(10, 2))
    assert page.input_value("#remise-carnets") == f"{booklet(10, 1)}\n{booklet(10, 2)}\n"   # scanned, not sent
    page.screenshot(path=str(ARTIFACTS / "registre-remise-scannee.png"), full_page=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")   # Enter on the empty line records
    assert page.locator(".flash.success").inner_text() == "Remise enregistrée : 2 carnet(s), 20 pass, à PLIE-0100."
    assert page.locator('tr[data-size="10"] td').all_inner_texts() == ["10 pass", "6", "20"]
    held = ledger.holdings(conventio, campaign, actor(conventio, "prescripteur"), "CCAS")
    assert held["remises"][0]["beneficiaire"] == "PLIE-0100" and held["remises"][0]["carnets"] == 2

    page.select_option("#remise-public", "plie_demandeur_emploi")   # the form starts afresh after a success
    page.fill("#remise-identifiant", "PLIE-0101")
    page.fill("#remise-date", "2027-03-11")
    page.focus("#remise-carnets")
    scan(page, booklet(10, 1))   # already handed out
    page.keyboard.press("Enter")
    page.wait_for_selector("#remise-carnets-error")
    assert "il a été remis au bénéficiaire PLIE-0100 le 10 mars 2027" in page.inner_text("#remise-carnets-error")
    assert page.get_attribute("#remise-carnets", "aria-invalid") == "true"
    assert page.input_value("#remise-carnets") == booklet(10, 1) + "\n"   # kept, ready for the next scan
    assert page.input_value("#remise-identifiant") == "PLIE-0101"
    assert page.input_value("#remise-public") == "plie_demandeur_emploi"
    page.screenshot(path=str(ARTIFACTS / "registre-remise-refusee.png"), full_page=True)
