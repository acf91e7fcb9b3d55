"""Seed 003 in a real browser (Debian's Chromium driven by Playwright, the server under waitress):
CAP Nord's assembly secretariat ticks the 27 April 2023 sitting on its 53-member roster in one page
load (28 present, 10 proxies, 15 absent), sees the counts and the quorum as it ticks, is told at once
when a member would hold two proxies, submits; then finds the extract ticked as the sitting was (the ticks went on with the sitting's
data, on the server), adds
and removes a row without reloading, and the extract's document lists every name. Screenshots in test-artifacts/."""
from deployment_helpers import CAP_NORD, complete, install, open_task, scenario_data, user
from documents.conftest import docx_text
from helpers import ADMIN
from roster_helpers import ROSTER, attendance
from test_seed_002_in_the_browser import ARTIFACTS, browser, served, signed_in  # noqa: F401  (fixtures)
from test_seed_003_roster_pages import SCENARIO, convened
from workflows.services.documents import document_file, list_documents
from workflows.services.instances import get_instance
from workflows.services.roster import import_members


def tick_the_register(page):
    present, proxies, absent = attendance()
    for name in present:
        page.locator(f'tr[data-name="{name}"] input[value="present"]').check()
    for name in absent:
        page.locator(f'tr[data-name="{name}"] input[value="absent"]').check()
    for giver, holder in proxies.items():
        row = page.locator(f'tr[data-name="{giver}"]')
        row.locator('input[value="represented"]').check()
        row.locator("select").select_option(label=holder)


def counted(page):
    return {name: page.inner_text(f'#roster [data-count="{name}"]') for name in ("present", "represented", "absent",
                                                                                    "unticked")}


def test_the_sitting_and_its_extract_ticked_on_the_roster_in_chromium(app, served, browser):
    install(app)
    import_members(app, ADMIN, CAP_NORD, ROSTER.read_bytes())
    people = {"legal": user(app, "juriste-capnord", "legal", CAP_NORD),
              "assembly": user(app, "assemblees-capnord", "assembly", CAP_NORD)}
    instance = convened(app, people)
    sitting = open_task(app, instance, "tenir_seance")
    ARTIFACTS.mkdir(exist_ok=True)

    page = signed_in(browser, served, "assemblees-capnord")
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    page.goto(f"{served}/tasks/{sitting}")
    assert page.locator("#roster tr[data-member]").count() == 53
    assert counted(page) == {"present": "0", "represented": "0", "absent": "0", "unticked": "53"}
    tick_the_register(page)
    assert counted(page) == {"present": "28", "represented": "10", "absent": "15", "unticked": "0"}
    assert page.inner_text("#roster [data-quorum-state]") == "quorum atteint"
    assert [page.input_value(f"#f-{n}") for n in ("membres_en_exercice", "presents", "procurations", "absents")] == \
        ["53", "28", "10", "15"]
    # a proxy is held by a member present: the absent are not offered, and two proxies to one member are flagged
    palcy = page.locator('tr[data-name="Sylvie PALCY"] select')
    assert palcy.locator('option[value]:not([hidden])').count() == 1 + 28 - 0
    palcy.select_option(label="Kristelle RISAL")
    assert "Kristelle RISAL détient 2 pouvoirs" in page.inner_text("#roster-problems")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "deploiement-003-registre-seance-deux-pouvoirs.png"), full_page=True)
    palcy.select_option(label="Jonathan TABAR")
    assert page.inner_text("#roster-problems") == ""
    page.fill("#f-president_seance", "Bruno Nestor AZÉROT")
    page.fill("#f-secretaire_seance", "Patricia PALMONT")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "deploiement-003-registre-seance.png"), full_page=True)
    assert len(loads) == 1   # 53 members ticked in the page it was loaded in
    page.click("button.primary")
    page.wait_for_load_state()
    data = get_instance(app, instance, people["assembly"])["data"]
    assert (data["membres_en_exercice"], data["presents"], data["procurations"], data["absents"]) == (53, 28, 10, 15)
    assert data["quorum_atteint"] is True

    complete(app, instance, "voter_deliberation", scenario_data(SCENARIO, "voter_deliberation"), people["assembly"])
    extract = open_task(app, instance, "etablir_extrait")
    loads.clear()
    page.goto(f"{served}/tasks/{extract}")
    # the sitting's ticks went on with its data: nothing to tick again, on any computer
    assert counted(page) == {"present": "28", "represented": "10", "absent": "15", "unticked": "0"}
    assert page.locator('tr[data-name="Sylvie PALCY"] select').input_value() == \
        page.locator('tr[data-name="Jonathan TABAR"]').get_attribute("data-member")
    assert page.inner_text("#roster-problems") == ""   # as many as the sitting counted
    page.locator('tr[data-name="Maurice BONTÉ"] input[value="present"]').check()
    assert "29 présent(s) cochés, 28 constatés à l’ouverture de la séance." in page.inner_text("#roster-problems")
    page.locator('tr[data-name="Maurice BONTÉ"] input[value="absent"]').check()
    rows_before = page.locator("input[name^='liste_absents-']").count()
    page.locator("button[name='_add_row'][value='liste_absents']").click()
    assert page.locator("input[name^='liste_absents-']").count() == rows_before + 1
    page.locator("input[name^='liste_absents-']").last.fill("Ligne ajoutée puis retirée")
    page.locator("fieldset:has(input[name^='liste_absents-']) button.remove-row").last.click()
    assert page.locator("input[name^='liste_absents-']").count() == rows_before
    page.fill("#f-numero_deliberation", "CC-04-2023-095")
    page.fill("#f-fait_a", "Marigot")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "deploiement-003-registre-extrait.png"), full_page=True)
    assert len(loads) == 1
    page.click("button.primary")
    page.wait_for_load_state()
    data = get_instance(app, instance, people["assembly"])["data"]
    assert data["erreur_procurations"] is None and data.get("erreur_presences") is None
    assert len(data["liste_presents"]) == 28 and len(data["liste_absents"]) == 15
    present, proxies, absent = attendance()
    [document] = [d for d in list_documents(app, instance, people["assembly"])
                  if d["template"] == "extrait_deliberation"]
    text = docx_text(document_file(app, document["id"], people["assembly"])[0])
    assert all(name in text for name in present + absent + list(proxies))
