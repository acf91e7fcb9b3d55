"""Who sees what, in a real browser (Debian's Chromium, driven by Playwright): a prescriber (an
outside partner) logs in and reaches neither the ANCT convention nor the deliberation's dossier; a
director hands a legal officer's task to a colleague, who finds it in their inbox; two prescribers of
one territory (the CCAS and the Mission locale) each see only the task made for their organisation.
Screenshots go to test-artifacts/."""
import json
from pathlib import Path

from server.demo_replay import Replay
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (fixtures)
from test_partners import convention_at_countersignature
from web_helpers import PASSWORD, USER_OF_ROLE, actor
from start_data import CAP_NORD
from workflows.services.assignments import claim_task
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.services.users import add_user

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
MEMBER = "Élise Élue"


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_out(page):
    page.click("form[action='/logout'] button")


def deliberation_voted(conventio):
    """The council's deliberation replayed up to its extract: its roster and its votes are recorded."""
    steps = json.loads((SCENARIOS / "deliberation_adoptee_martinique.json").read_text())["steps"]
    people = {role: actor(conventio, username) for role, username in USER_OF_ROLE.items()}
    return Replay(conventio, people, people["legal"], people["admin"]).run(
        "deliberation", steps, "cap-nord", "Délibération du Pass numérique", until="etablir_extrait")


def test_a_prescriber_reaches_neither_the_anct_convention_nor_the_deliberation(page, live_server, conventio):
    _convention, _task, document_id = convention_at_countersignature(conventio)
    deliberation_id = deliberation_voted(conventio)
    log_in(page, live_server, "prescripteur")
    shot(page, "prescripteur-boite")
    page.goto(f"{live_server}/instances")
    assert "Délibération du Pass numérique" not in page.content()
    for path in (f"/instances/{deliberation_id}", f"/documents/{document_id}"):
        response = page.goto(f"{live_server}{path}")
        assert response.status == 404, path
        assert "introuvable" in page.locator("main").inner_text()
    shot(page, "prescripteur-deliberation-introuvable")
    api = page.request.get(f"{live_server}/api/v1/instances/{deliberation_id}")
    assert api.status == 404 and "votes" not in api.text()
    log_out(page)
    # the staff still read the dossier
    log_in(page, live_server, "juriste")
    assert page.goto(f"{live_server}/instances/{deliberation_id}").status == 200


def test_a_director_hands_a_task_to_a_colleague_who_finds_it_in_their_inbox(page, live_server, conventio):
    add_user(conventio, "juriste2", ["legal"], ["cap-nord"], PASSWORD, "Julie Seconde")
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", dict(CAP_NORD), legal, territory="cap-nord")
    [draft] = list_tasks(conventio, legal, instance_id=instance["id"])
    claim_task(conventio, draft["id"], legal)

    log_in(page, live_server, "directrice")
    page.goto(f"{live_server}/instances/{instance['id']}")
    page.click(f"a[href='/tasks/{draft['id']}/confier']")
    page.select_option("#reassign-user", "juriste2")
    shot(page, "direction-confie-la-redaction")
    page.click("#reassign button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert "juriste2" in page.locator(".flash.success").inner_text()
    assert page.url.endswith(f"/tasks/{draft['id']}/confier") and "juriste2" in page.locator("dl.facts").inner_text()
    log_out(page)

    log_in(page, live_server, "juriste2")
    row = page.locator(f'#mine tr[data-task-id="{draft["id"]}"]')
    assert row.locator("a").first.inner_text() == "Rédiger la convention ANCT"
    shot(page, "collegue-trouve-la-tache-confiee")
    log_out(page)
    log_in(page, live_server, "juriste")
    assert page.locator(f'#mine tr[data-task-id="{draft["id"]}"]').count() == 0
    assert page.locator(f'#others tr[data-task-id="{draft["id"]}"]').count() == 1


def test_an_absence_declared_on_the_account_page_lets_the_substitute_take_the_task(page, live_server, conventio):
    from datetime import date, timedelta
    add_user(conventio, "juriste2", ["legal"], ["cap-nord"], PASSWORD, "Julie Seconde")
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", dict(CAP_NORD), legal, territory="cap-nord")
    [draft] = list_tasks(conventio, legal, instance_id=instance["id"])
    claim_task(conventio, draft["id"], legal)

    log_in(page, live_server, "juriste")
    page.click("header a.user")
    page.fill("#absence-substitute", "finances")   # not a legal officer: refused by the field, values kept
    page.fill("#absence-first_day", (date.today() - timedelta(days=1)).isoformat())
    page.fill("#absence-last_day", (date.today() + timedelta(days=3)).isoformat())
    page.click("#declare-absence button[type=submit]")
    page.wait_for_selector("#absence-substitute-error")
    assert page.locator("#absence-substitute").get_attribute("aria-invalid") == "true"
    assert "n’a pas le rôle « Service juridique »" in page.locator("#absence-error").inner_text()
    shot(page, "compte-absence-refusee")
    page.fill("#absence-substitute", "juriste2")
    page.click("#declare-absence button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert page.locator("#absences tr[data-absence-id]").count() == 1
    log_out(page)

    log_in(page, live_server, "juriste2")
    row = page.locator(f'#replacing tr[data-task-id="{draft["id"]}"]')
    shot(page, "remplacante-boite")
    row.locator("button").click()
    page.wait_for_selector(f'#mine tr[data-task-id="{draft["id"]}"]')
    assert page.locator(f'#replacing tr[data-task-id="{draft["id"]}"]').count() == 0


def test_two_prescribers_of_one_territory_each_see_only_their_own_task(page, live_server, conventio):
    from test_partners import two_prescribers
    task_of = two_prescribers(conventio)
    for username, own, other in (("mission", "Mission locale du Nord", "CCAS du Lorrain"),
                                 ("ccas", "CCAS du Lorrain", "Mission locale du Nord")):
        log_in(page, live_server, username)
        assert page.locator(f'tr[data-task-id="{task_of[own]}"]').count() == 1
        assert page.locator(f'tr[data-task-id="{task_of[other]}"]').count() == 0
        shot(page, f"prescripteur-{username}-sa-seule-tache")
        page.click(f'tr[data-task-id="{task_of[own]}"] a')
        assert own in page.locator("main").inner_text() and other not in page.locator("main").inner_text()
        response = page.goto(f"{live_server}/tasks/{task_of[other]}")
        assert response.status == 404 and "introuvable" in page.locator("main").inner_text()
        api = page.request.get(f"{live_server}/api/v1/tasks/{task_of[other]}")
        assert api.status == 404 and other not in api.text()
        page.goto(f"{live_server}/inbox")
        log_out(page)


def test_an_absence_is_shortened_then_cancelled_on_the_account_page(browser, live_server, conventio):  # noqa: F811
    from datetime import date, timedelta
    from test_accessibility_browser import WIDE, problems_of, structure_of
    from workflows.services.absences import declare_absence
    add_user(conventio, "juriste2", ["legal"], ["cap-nord"], PASSWORD, "Julie Seconde")
    today = date.today()
    absence = declare_absence(conventio, "juriste", "juriste2", (today - timedelta(days=1)).isoformat(),
                              (today + timedelta(days=6)).isoformat(), actor(conventio, "juriste"))
    # axe-core is injected as a script tag, which the pages' CSP (rightly) forbids
    context = browser.new_context(locale="fr-FR", viewport=WIDE, bypass_csp=True)
    page = context.new_page()   # noqa: F811
    try:
        log_in(page, live_server, "juriste")
        page.goto(f"{live_server}/compte")
        row = f'#absences tr[data-absence-id="{absence["id"]}"]'
        page.fill(f"{row} input[type=date]", (today - timedelta(days=3)).isoformat())   # before its first day
        page.click(f"{row} form.shorten-absence button")
        page.wait_for_selector("#absence-change-error")
        assert "précède le premier" in page.locator("#absence-change-error").inner_text()
        # the refusal takes the focus (autofocus applies at the next rendering, not at the load)
        page.wait_for_function("document.activeElement && document.activeElement.id === 'absence-change-error'",
                               timeout=5000)
        assert page.locator(f"{row} input[type=date]").get_attribute("aria-invalid") == "true"
        assert problems_of(page) == [] and structure_of(page) == []
        shot(page, "compte-absence-ecourtee-refusee")
        page.fill(f"{row} input[type=date]", (today + timedelta(days=2)).isoformat())
        page.click(f"{row} form.shorten-absence button")
        page.wait_for_selector(".flash.success")
        assert "écourtée" in page.locator(".flash.success").inner_text()
        page.click(f"{row} form.cancel-absence button")
        page.wait_for_selector(".flash.success")
        assert "ne la remplace plus" in page.locator(".flash.success").inner_text()
        assert page.locator("#absences tr[data-absence-id]").count() == 0   # under way: it ended now
        shot(page, "compte-absence-annulee")
    finally:
        context.close()
