"""The instance's diagram in Chromium (issue 15): shown around the active step at a readable
scale, with a keyboard-usable button between the whole diagram and the step in progress."""
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (fixtures)
from web_helpers import anct_convention_at_review

ACTIVE = '.djs-element[data-element-id="examiner_convention_anct"]'
FIGURE = 'figure.diagram[data-process-id="convention_anct"]'


def zoom(page):
    """The canvas's scale, read from the drawn SVG's transform (not from our script's state)."""
    return round(page.evaluate(f"""() => document.querySelector('{FIGURE} svg .viewport')
                                   .transform.baseVal.consolidate().matrix.a"""), 3)


def inside(page, selector):
    shape = page.locator(selector).bounding_box()
    frame = page.locator(f"{FIGURE} .canvas").bounding_box()
    return (frame["x"] <= shape["x"] and shape["x"] + shape["width"] <= frame["x"] + frame["width"]
            and frame["y"] <= shape["y"] and shape["y"] + shape["height"] <= frame["y"] + frame["height"])


def every_shape_inside(page):
    ids = page.evaluate(f"""() => [...document.querySelectorAll('{FIGURE} .djs-shape[data-element-id]')]
                               .map(e => e.getAttribute('data-element-id'))""")
    return all(inside(page, f'{FIGURE} .djs-shape[data-element-id="{i}"]') for i in ids if "_label" not in i)


def test_the_diagram_opens_on_the_active_step_readable_and_toggles_to_the_whole(page, live_server, conventio):
    instance_id, _review_id = anct_convention_at_review(conventio)
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "dgs")
    for width, height, name in ((1400, 1000, "diagramme-etape-en-cours"), (390, 844, "diagramme-etape-en-cours-390")):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server}/instances/{instance_id}")
        page.wait_for_selector('#diagrams[data-ready="true"]', timeout=15000)
        assert 0.8 <= zoom(page) <= 1.2
        assert inside(page, ACTIVE), "the active step is in the frame"
        assert page.locator(f"{FIGURE} .canvas").bounding_box()["height"] >= 320
        page.locator("#diagram-section").screenshot(path=str(ARTIFACTS / f"{name}.png"))

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server}/instances/{instance_id}")
    page.wait_for_selector('#diagrams[data-ready="true"]', timeout=15000)
    assert not every_shape_inside(page), "a long chain does not fit at a readable scale"
    button = page.get_by_role("button", name="Voir tout le diagramme")
    button.focus()
    page.keyboard.press("Enter")
    assert every_shape_inside(page), "the whole diagram, on request"
    back = page.get_by_role("button", name="Revenir à l’étape en cours")
    assert back.evaluate("b => b === document.activeElement"), "the focus stays on the button"
    page.locator("#diagram-section").screenshot(path=str(ARTIFACTS / "diagramme-en-entier.png"))
    page.keyboard.press("Space")
    assert 0.8 <= zoom(page) <= 1.2 and inside(page, ACTIVE)
    assert page.get_by_role("button", name="Voir tout le diagramme").count() == 1
