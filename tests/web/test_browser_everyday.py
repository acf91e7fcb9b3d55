"""The ANCT convention's review in a real browser (Debian's Chromium, driven by Playwright),
as legal staff and a director: a draft the model's checks send back, the dossier and the
document read in the page, a refusal that keeps what was typed, a step sent back with its
comment, a colleague's task read-only. Screenshots go to test-artifacts/."""
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (fixtures)
from web_helpers import CONVENTION_DRAFT, PASSWORD, actor
from start_data import CAP_NORD
from workflows.services.assignments import claim_task
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.services.users import add_user

DELIBERATION = {"numero_deliberation": "CC-09-2026-031", "date_deliberation": "2026-09-24"}


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_out(page):
    page.click("form[action='/logout'] button")


def fill_draft(page, amount):
    for key, value in CONVENTION_DRAFT.items():
        if key != "objet_convention_anct":
            page.fill(f"#f-{key}", str(value))
    page.fill("#f-montant_achat_prevu_ht", amount)
    page.click("button.primary")


def test_the_anct_convention_reviewed_as_legal_staff_and_director(page, live_server, conventio):
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", {**CAP_NORD, **DELIBERATION}, legal, territory="cap-nord")
    [draft] = list_tasks(conventio, legal, instance_id=instance["id"])

    # legal staff: an amount below the ANCT minimum, typed the French way, is sent back, not « terminée »
    log_in(page, live_server, "juriste")
    page.goto(f"{live_server}/tasks/{draft['id']}")
    fill_draft(page, "12 000,50 €")
    page.wait_for_selector(".flash.error")
    assert "est à reprendre" in page.locator(".flash.error").inner_text()
    assert page.locator(".flash.success").count() == 0
    assert page.locator("h1 .badge.to-redo").inner_text() == "À reprendre"
    instructions = page.locator(".instructions.error-message")
    assert instructions.locator("strong").first.inner_text() == "Projet à reprendre"
    assert "**" not in page.content()
    assert page.input_value("#f-montant_achat_prevu_ht") == "12000.5", "what was typed is kept, as a number"
    shot(page, "redaction-renvoyee-par-les-controles")
    fill_draft(page, "20 800")
    page.wait_for_selector(".flash.success")
    log_out(page)

    # the director: the dossier in words and the convention to read, before deciding
    [review] = list_tasks(conventio, actor(conventio, "directrice"), instance_id=instance["id"])
    log_in(page, live_server, "directrice")
    page.goto(f"{live_server}/tasks/{review['id']}")
    summary = page.locator("#dossier dl.summary").last
    amount = summary.locator("dt", has_text="Montant d'achat prévu (EUR HT)").locator("xpath=following-sibling::dd[1]")
    assert amount.inner_text() == "20\u202f800\u00a0€"
    assert page.locator("#dossier").inner_text().count("2 mars 2026") == 1
    assert "vingt mille huit cents euros" in page.locator("#documents .document-text").first.inner_text()
    assert page.locator("#documents details.preview").first.get_attribute("open") is not None
    shot(page, "examen-convention-dossier-et-document")
    # a refusal keeps the page, with the message by its field
    page.click("button.decision.modifier")
    page.wait_for_selector("#f-commentaire-error")
    assert page.locator("#f-commentaire").get_attribute("aria-invalid") == "true"
    shot(page, "examen-commentaire-manquant")
    page.fill("#f-commentaire", "Le taux de cofinancement est à confirmer avec l'ANCT.")
    page.click("button.decision.modifier")
    page.wait_for_selector(".flash.success")
    log_out(page)

    # legal staff again: « À reprendre », by whom and why, first
    [again] = list_tasks(conventio, legal, instance_id=instance["id"])
    log_in(page, live_server, "juriste")
    page.goto(f"{live_server}/tasks/{again['id']}")
    note = page.locator("#sent-back").inner_text()
    assert "renvoyée par Claire Directrice" in note and "taux de cofinancement est à confirmer" in note
    assert page.locator("#step-history li").first.inner_text().endswith(
        "« Examiner le projet de convention » : modifications demandées — « Le taux de cofinancement est à "
        "confirmer avec l'ANCT. »")
    assert page.input_value("#f-montant_achat_prevu_ht") == "20800"
    shot(page, "redaction-a-reprendre-commentaire-directrice")
    fill_draft(page, "20 800")
    page.wait_for_selector(".flash.success")
    log_out(page)

    # a colleague's task is read-only, with who holds it
    [review] = list_tasks(conventio, actor(conventio, "directrice"), instance_id=instance["id"])
    claim_task(conventio, review["id"], actor(conventio, "directrice"))
    add_user(conventio, "directeur2", ["director"], ["cap-nord"], PASSWORD, "Denis Directeur")
    log_in(page, live_server, "directeur2")
    page.goto(f"{live_server}/tasks/{review['id']}")
    assert "prise par Claire Directrice" in page.locator("#held").inner_text()
    assert page.locator("#task-form fieldset.plain[disabled]").count() == 1 and page.locator("#f-commentaire").is_disabled()
    assert page.locator("button.decision").count() == 0
    shot(page, "examen-pris-par-une-collegue")
