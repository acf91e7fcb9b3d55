"""Task drafts from the task page, on seed 003's sitting (CAP Nord's 53-member roster): without
JavaScript, « Enregistrer le brouillon » posts the form to the draft's route and the page comes
back filled from the draft, in its HTML (the values as typed, the roster's ticks); a colleague
taking over finds them; a director of another role is refused; « Effacer le brouillon » removes it;
completing the sitting takes the draft away. In Chromium, ticks saved as one ticks are found in a
new browser (no localStorage)."""
import re

import pytest

from deployment_helpers import CAP_NORD, open_task, user
from roster_helpers import attendance
from test_seed_002_in_the_browser import ARTIFACTS, browser, served, signed_in as browser_signed_in  # noqa: F401
from test_seed_003_roster_pages import convened, people, post, signed_in, ticks, web  # noqa: F401  (fixtures)
from workflows.services.drafts import read_draft
from workflows.services.assignments import claim_task

@pytest.fixture
def team(app, people):
    return dict(people, assembly2=user(app, "assemblees2-capnord", "assembly", CAP_NORD))


OFFICERS = {"president_seance": "Bruno Nestor AZÉROT", "secretaire_seance": "Patricia PALMONT"}


def test_a_sitting_s_draft_saved_without_javascript_comes_back_in_the_html(app, web, team):
    instance = convened(app, team)
    sitting = open_task(app, instance, "tenir_seance")
    secretariat = signed_in(web, "assemblees-capnord")
    page = secretariat.get(f"/tasks/{sitting}").get_data(as_text=True)
    assert "Enregistrer le brouillon" in page and 'id="draft-status" role="status"></p>' in page
    assert "localStorage" not in web.test_client().get("/static/task_form.js").get_data(as_text=True)

    saved = post(secretariat, f"/tasks/{sitting}/draft",
                 {**OFFICERS, **ticks(app), "presents": "vingt-huit", "secretaire_seance": "<b>Patricia</b>"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/tasks/{sitting}#task-form")
    page = secretariat.get(f"/tasks/{sitting}").get_data(as_text=True)
    assert "Brouillon enregistré à " in page   # the flash
    assert re.search(r"Brouillon enregistré par assemblees-capnord le \d", page)
    assert page.count('value="present" checked') == 28 and page.count('value="represented" checked') == 10
    assert page.count('value="absent" checked') == 15 and page.count(" selected>") >= 10
    assert 'value="vingt-huit"' in page   # as typed: a draft need not validate
    assert "&lt;b&gt;Patricia&lt;/b&gt;" in page and "<b>Patricia</b>" not in page   # never rendered as HTML
    assert "Effacer le brouillon" in page and 'id="draft-discard" formaction' in page

    colleague = signed_in(web, "assemblees2-capnord")   # another computer, another person: the same draft
    assert colleague.get(f"/tasks/{sitting}").get_data(as_text=True).count('value="present" checked') == 28
    assert post(signed_in(web, "juriste-capnord"), f"/tasks/{sitting}/draft", OFFICERS).status_code == 403

    assert post(secretariat, f"/tasks/{sitting}/draft/discard", {}).status_code == 302
    page = secretariat.get(f"/tasks/{sitting}").get_data(as_text=True)
    assert "Brouillon effacé" in page and "value=\"present\" checked" not in page
    assert read_draft(app, sitting, team["assembly"]) is None

    post(secretariat, f"/tasks/{sitting}/draft", {**OFFICERS, **ticks(app)})
    assert post(secretariat, f"/tasks/{sitting}", {**OFFICERS, **ticks(app)}).status_code == 302
    assert read_draft(app, sitting, team["assembly"]) is None   # gone with the completion


def test_a_draft_held_by_a_colleague_is_refused_with_its_reason(app, web, team):
    instance = convened(app, team)
    sitting = open_task(app, instance, "tenir_seance")
    claim_task(app, sitting, team["assembly2"])
    secretariat = signed_in(web, "assemblees-capnord")
    page = secretariat.get(f"/tasks/{sitting}").get_data(as_text=True)
    assert "Enregistrer le brouillon" not in page   # read only, as the form
    refused = post(secretariat, f"/tasks/{sitting}/draft", OFFICERS, headers={"Accept": "application/json"})
    assert refused.status_code == 409 and "assemblees2-capnord" in refused.get_json()["message"]
    shown = secretariat.get(f"/tasks/{sitting}").get_data(as_text=True)
    assert read_draft(app, sitting, team["assembly"]) is None and "flash error" not in shown   # JSON asked: no flash left
    saved = post(signed_in(web, "assemblees2-capnord"), f"/tasks/{sitting}/draft", OFFICERS,
                 headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.get_json()["message"].startswith("Brouillon enregistré à ")
    assert saved.get_json()["values"] == OFFICERS


def test_ticks_saved_as_one_ticks_are_found_in_a_new_browser(app, team, served, browser):
    instance = convened(app, team)
    sitting = open_task(app, instance, "tenir_seance")
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_signed_in(browser, served, "assemblees-capnord")
    page.goto(f"{served}/tasks/{sitting}")
    present, proxies, absent = attendance()
    for name in present[:5]:
        page.locator(f'tr[data-name="{name}"] input[value="present"]').check()
    page.locator(f'tr[data-name="{absent[0]}"] input[value="absent"]').check()
    giver, holder = next(iter(proxies.items()))
    if holder not in present[:5]:
        page.locator(f'tr[data-name="{holder}"] input[value="present"]').check()
    row = page.locator(f'tr[data-name="{giver}"]')
    row.locator('input[value="represented"]').check()
    row.locator("select").select_option(label=holder)
    page.locator("#draft-status", has_text="Brouillon enregistré à").wait_for()   # saved as one ticks
    assert page.is_visible("#draft-discard")
    page.screenshot(path=str(ARTIFACTS / "brouillon-registre-seance-enregistre.png"), full_page=True)
    page.context.close()

    again = browser_signed_in(browser, served, "assemblees-capnord")   # a new context: no localStorage
    again.goto(f"{served}/tasks/{sitting}")
    for name in present[:5]:
        assert again.locator(f'tr[data-name="{name}"] input[value="present"]').is_checked()
    assert again.locator(f'tr[data-name="{absent[0]}"] input[value="absent"]').is_checked()
    assert again.locator(f'tr[data-name="{giver}"] input[value="represented"]').is_checked()
    assert again.locator(f'tr[data-name="{giver}"] select option:checked').inner_text() == holder
    assert again.inner_text("#draft-status").startswith("Brouillon enregistré par assemblees-capnord le ")
    assert again.evaluate("window.localStorage.length") == 0
    again.evaluate("window.scrollTo(0, 0)")
    again.screenshot(path=str(ARTIFACTS / "brouillon-registre-seance-repris.png"), full_page=True)
    again.context.close()
