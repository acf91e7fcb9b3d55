"""Every page of the demo, in a real browser (Debian's Chromium, driven by Playwright), checked by
axe-core (from node_modules) as the demo's people see them: legal staff, directors, the DGS, the
hub's observer, an administrator and a prescriber. No violation of impact « serious » or
« critical » is allowed (each one is printed), and no page scrolls sideways on a 390 px wide screen.

The pages are found by following the links each person is shown (one page of each kind, three task
pages), plus those no link leads to: a task form, a start form and the page forms (login, handout,
territory, user) sent back with errors, a 404 and the accessibility statement."""
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import sqlite_settings
from test_browser import ARTIFACTS, browser, log_in, served  # noqa: F401  (browser: a fixture)
from web_helpers import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# legal staff and directors of the demo and of two deployments (with their tasks), DGS, hub observer, admin, prescriber
PEOPLE = ["juriste", "juriste-syn", "directrice", "dgas78", "dgas92", "dgs", "hub", "admin", "prescripteur"]
BLOCKING = {"serious", "critical"}
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
NOT_PAGES = re.compile(r"^/$|^/(documents/\d+/(download|pdf)|vendor/|tableau-de-bord/export/|registre/\d+/remises/\d+/lettre)|\.json$")
TASK_PAGES = 3   # task pages of different names


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The whole demo (`conventio demo`: its users, the library, the seeds' deployments), served."""
    from server.demo import load_demo
    from workflows.services import open_conventio
    if not AXE.exists():
        pytest.skip("axe-core absent : lancez « npm ci » (scripts/setup le fait)")
    conventio = open_conventio(sqlite_settings(tmp_path_factory.mktemp("demo")))
    load_demo(conventio, password=PASSWORD)
    with served(conventio) as address:
        yield address
    conventio.close()


@pytest.fixture
def page(browser):  # noqa: F811
    # axe-core is injected as a script tag, which the pages' CSP (rightly) forbids
    context = browser.new_context(locale="fr-FR", viewport=WIDE, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def problems_of(page):
    """axe-core's serious and critical violations of the page loaded, then its sideways scroll at
    390 px: a list of lines saying what and where."""
    found = []
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        if page.evaluate("typeof axe") == "undefined":
            page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                   nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}))""")
        for v in violations:
            if v["impact"] in BLOCKING:
                nodes = "\n      ".join(v["nodes"][:5])
                found.append(f"[{v['impact']}] {v['id']} ({v['help']}) at {viewport['width']} px:\n      {nodes}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.closest('.table-scroll, .document-text, .canvas'))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className)""")
        found.append(f"scrolls sideways by {overflow} px at 390 px: {wide}")
    page.set_viewport_size(WIDE)
    return found


def structure_of(page):
    """What axe-core does not check: the skip link first, to the main content; each hint of a field
    tied to it; each aria-describedby pointing at something."""
    return page.evaluate("""() => {
        const problems = [];
        const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea');
        if (!first || first.className !== 'skip-link' || first.getAttribute('href') !== '#contenu'
            || !document.querySelector('main#contenu')) problems.push('the skip link is not first, to main#contenu');
        const described = new Set([...document.querySelectorAll('[aria-describedby]')]
            .flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/)));
        for (const hint of document.querySelectorAll('.field .hint, .field .field-error'))
            if (!hint.id || !described.has(hint.id)) problems.push('not tied to its field: ' + hint.outerHTML.slice(0, 120));
        for (const id of described)
            if (!document.getElementById(id)) problems.push('aria-describedby to nothing: ' + id);
        return problems;
    }""")


def check(page, url, report, status=None):
    response = page.goto(url)
    if status is not None:
        assert response.status == status, url
    assert page.locator("html").get_attribute("lang") == "fr", url
    report.extend(f"{urlsplit(url).path}: {line}" for line in structure_of(page))
    for line in problems_of(page):
        report.append(f"{urlsplit(url).path}: {line}")


def kind_of(path):
    return re.sub(r"/\d+", "/{id}", re.sub(r"/tasks/[^/]+", "/tasks/{id}", path))


def links(page, base):
    found = []
    for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
        parts = urlsplit(href)
        if href.startswith(base) and not NOT_PAGES.search(parts.path):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(page, base, report):
    """Visit each kind of page the person is led to (three tasks of different names), from the inbox."""
    seen_kinds, tasks, queue, visited = {}, set(), ["/inbox"], []
    while queue:
        path = queue.pop(0)
        kind = kind_of(path.split("?")[0])
        if kind == "/tasks/{id}":
            if len(tasks) >= TASK_PAGES:
                continue
        elif kind in seen_kinds:
            continue
        check(page, base + path, report)
        if kind == "/tasks/{id}":
            name = page.locator("h1").inner_text()
            if name in tasks:
                continue
            tasks.add(name)
        seen_kinds[kind] = path
        visited.append(path)
        queue.extend(p for p in links(page, base) if p not in visited and p not in queue)
    return visited


def forms_with_errors(page, base, visited, report):
    """A task form and a start form sent back with errors, as they are shown; a task is sent only
    when it cannot go through empty (a decision to refuse needs a comment, a required field)."""
    checked = []
    for task in (p for p in visited if p.startswith("/tasks/")):
        page.goto(base + task)
        form = page.locator("#task-form form")
        refuse = form.locator("button.decision.rejeter")
        required = form.locator("label:has(abbr) + input, label:has(abbr) + textarea")
        if not form.count() or not (refuse.count() or required.count()):
            continue
        for field in form.locator("input:not([type=hidden]):not([type=checkbox]):not([type=date]), textarea").all():
            if field.is_editable():
                field.fill("")
        (refuse if refuse.count() else form.locator("button.primary")).click()
        page.wait_for_load_state()
        sent_back_with_errors(page)
        shot(page, f"rgaa-tache-en-erreur-{task.rsplit('/', 1)[-1][:8]}-390px")
        checked.append(task)
        for line in problems_of(page):
            report.append(f"{task} (envoyée avec des erreurs): {line}")
        break
    if page.goto(f"{base}/instances").ok and page.locator("form[action='/instances/new']").count():
        page.click("form[action='/instances/new'] button")   # the first process offered, in the first territory
        start = urlsplit(page.url).path
        check(page, page.url, report)
        for field in page.locator("form.start-form input:not([type=hidden]):not([type=checkbox])").all():
            field.fill("")
        page.click("form.start-form button.primary")
        page.wait_for_load_state()
        sent_back_with_errors(page)
        checked.append(start)
        for line in problems_of(page):
            report.append(f"{start} (envoyé avec des erreurs): {line}")
    return checked


def page_forms_with_errors(page, base, visited, report):
    """The other forms refused as a whole: a handout with no booklet, a territory and a user with
    nothing typed; the page starts with the refusal, focused."""
    forms = [("/registre/", "form[action$='/remise']", lambda form: form.locator("#remise-carnets").fill("")),
             ("/admin/territories", "form[action$='/admin/territories']", None),
             ("/admin/users", "form[action$='/admin/users']", None)]
    checked = []
    for prefix, selector, prepare in forms:
        path = next((p for p in visited if p.startswith(prefix)), None)
        if path is None or not page.goto(base + path).ok or not page.locator(selector).count():
            continue
        form = page.locator(selector)
        if prepare:
            prepare(form)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        sent_back_with_errors(page, links=False)
        checked.append(path)
        for line in problems_of(page):
            report.append(f"{path} (refusé): {line}")
    return checked


def shot(page, name):
    """A screenshot at 390 px, kept in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(NARROW)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def sent_back_with_errors(page, links=True):
    """The page says « Erreur : » first, its summary has the focus, each error links to its field."""
    assert page.title().startswith("Erreur : "), page.title()
    assert not structure_of(page), structure_of(page)
    # autofocus applies at the next rendering of the page, not at its load
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'", timeout=5000)
    targets = page.eval_on_selector_all("#error-summary a", "as => as.map(a => a.getAttribute('href'))")
    assert targets or not links, "each error is a link to its field"
    for target in targets:
        assert page.locator(target).count() == 1, target


@pytest.mark.parametrize("username", PEOPLE)
def test_every_page_passes_axe_and_fits_390_px(page, demo_server, username):
    report = []
    check(page, f"{demo_server}/login", report, status=200)
    page.fill("#username", "personne")
    page.fill("#password", "pas-le-bon")
    page.click("button[type=submit]")
    sent_back_with_errors(page, links=False)
    for line in problems_of(page):
        report.append(f"/login (refusé): {line}")
    check(page, f"{demo_server}/accessibilite", report, status=200)
    log_in(page, demo_server, username)
    visited = crawl(page, demo_server, report)
    sent_back = forms_with_errors(page, demo_server, visited, report)
    sent_back += page_forms_with_errors(page, demo_server, visited, report)
    print(username, visited, sent_back)
    check(page, f"{demo_server}/pas-une-page", report, status=404)
    check(page, f"{demo_server}/accessibilite", report, status=200)
    if username == "admin":
        shot(page, "rgaa-declaration-accessibilite-390px")
        page.goto(f"{demo_server}/tableau-de-bord")
        shot(page, "rgaa-tableau-de-bord-390px")
    assert len(visited) >= 5, visited
    assert not report, f"{username} — {len(report)} problem(s) on {len(visited)} pages:\n" + "\n".join(report)
