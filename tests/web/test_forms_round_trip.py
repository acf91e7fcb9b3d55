"""Every task form of the library can be filled in through the web pages, not only the API.

For each (form, data) pair of the scenario library (tests/scenarios/*.json: the completed
task steps, and the start steps against forms/demarrage.json), the form is rendered with
build_fields as /tasks/<id> (or /instances/new) renders it, filled with the scenario's
data as a user would type it; what a browser posts for those fields (as
server/templates/_macros.html draws them) is read back by parse_submission, and must give
the scenario's data again, restricted to the form's declared fields, and be valid.

Normalised, because the web cannot carry them: a boolean the data leaves out comes back
False (an unchecked box), an empty optional text or an empty optional list comes back
absent (an empty field, a blank row). An empty *required* list is not normalised: the
user must be able to say "none" through the page as through the API.
"""
import json
import re
from functools import cache

import pytest
from lxml import etree, html
from werkzeug.datastructures import MultiDict

from web_helpers import web_settings
from helpers import ROOT, sqlite_settings
from server import create_app
from server.schema_form import approval_choices, build_fields, ordered_properties, parse_submission
from workflows.engine.forms import validate_form_data
from workflows.services import open_conventio

LIBRARY = ROOT / "bpmn"
SCENARIOS = ROOT / "tests" / "scenarios"
START_FORM = "forms/demarrage.json"
DATE = re.compile(r"\d{4,}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")   # HTML's "valid floating-point number"


@cache
def _task_forms():
    """bpmn id of every user task (and start event) -> its form file, read from the BPMN files."""
    forms = {}
    for path in sorted(LIBRARY.glob("*.bpmn")):
        for prop in etree.parse(str(path)).getroot().iter("{*}property"):
            if prop.get("name") != "formJsonSchemaFilename":
                continue
            node = prop.getparent()
            while node is not None and node.get("id") is None:
                node = node.getparent()
            assert forms.get(node.get("id"), prop.get("value")) == prop.get("value"), node.get("id")
            forms[node.get("id")] = prop.get("value")
    return forms


@cache
def _schema(form):
    return json.loads((LIBRARY / form).read_text(encoding="utf-8"))


def _pairs():
    """pytest.param(form, data, id="<scenario>-<step index>-<bpmn id>") of the completed task
    steps and the start steps (data restricted to the form's declared fields), identical
    (form, data) pairs once."""
    forms = _task_forms()
    seen, pairs = set(), []
    for path in sorted(SCENARIOS.glob("*.json")):
        for index, step in enumerate(json.loads(path.read_text(encoding="utf-8"))["steps"]):
            if "start" in step:
                form, data, name = START_FORM, step["start"], "start"
            elif "task" in step and "refused" not in step:
                form, data, name = forms.get(step["task"]), step["data"], step["task"]
                assert form, f"{path.name} step {index}: task {step['task']} has no form"
            else:
                continue
            declared = _schema(form).get("properties") or {}
            data = {k: v for k, v in data.items() if k in declared}
            key = (form, json.dumps(data, sort_keys=True))
            if key in seen:
                continue
            seen.add(key)
            pairs.append(pytest.param(form, data, id=f"{path.stem}-{index}-{name}"))
    return pairs


# --- what a browser posts for the rendered fields ------------------------------------------
def _post_field(f, posted):
    """The (name, value) pairs a browser submits for one Field, as _macros.html renders it."""
    if f.kind == "table":
        for row in f.rows:
            for cell in row:
                _post_field(cell, posted)
    elif f.kind == "boolean":   # <input type="checkbox">: sent as "on" when checked, absent otherwise
        if f.value:
            posted.append((f.name, "on"))
    elif f.kind == "select":    # the selected <option>, or the empty "— choisir —"
        selected = [value for value, _label in f.options if f.is_selected(value)]
        posted.append((f.name, selected[0] if selected else ""))
    elif f.kind == "multiselect":   # one checkbox per option
        posted.extend((f.name, value) for value, _label in f.options if f.is_selected(value))
    elif f.kind in ("textarea", "json", "lines"):   # <textarea>: the HTML parser drops one leading newline,
        text = f.display_value                # the browser sends its line breaks as CRLF
        text = text[1:] if text.startswith("\n") else text
        posted.append((f.name, re.sub(r"\r\n|\r|\n", "\r\n", text)))
    else:                       # <input>: the displayed value, sanitized as the browser does
        posted.append((f.name, _sanitized(f, f.display_value)))


def _sanitized(f, text):
    """The HTML value sanitization of <input type="date|number|text">: an invalid value is sent empty."""
    kind = "date" if f.kind == "date" else f.attributes.get("type", "text")
    if kind == "date":
        return text if DATE.fullmatch(text) else ""
    if kind == "number":
        return text if NUMBER.fullmatch(text) else ""
    return text.replace("\r", "").replace("\n", "")


def _post_field_pairs(f):
    posted = []
    _post_field(f, posted)
    return posted


def _rendered_fields(schema, data):
    approval = approval_choices(schema)
    # the user set every field to the scenario's value (no default left where the data has none)
    return build_fields(schema, data, use_defaults=False, skip={"decision"} if approval else ())


def _browser_post(schema, data):
    approval = approval_choices(schema)
    posted = [("csrf_token", "token")]
    for f in _rendered_fields(schema, data):
        _post_field(f, posted)
    if approval and "decision" in data:   # the decision is the button clicked
        assert str(data["decision"]) in {str(v) for v, _label in approval}
        posted.append(("decision", str(data["decision"])))
    return MultiDict(posted)


def _web_expected(schema, data):
    """The scenario's data as the web can carry it."""
    expected = dict(data)
    required = set(schema.get("required") or [])
    for key, sub in ordered_properties(schema):
        # an unchecked checkbox is sent as nothing, read as False: the web cannot leave a
        # boolean absent
        if sub.get("type") == "boolean" and key not in expected:
            expected[key] = False
        # an empty optional text is no value on the web (parse_submission leaves it out)
        if expected.get(key) == "":
            del expected[key]
        if sub.get("type") == "array" and key in expected and isinstance(expected[key], list):
            items = sub.get("items") or {}
            # no row / nothing ticked: the web sends nothing, which is the same as [] for an
            # optional list only; a required list must still come back (as [])
            if expected[key] == [] and key not in required:
                del expected[key]
            elif items.get("type") == "object":
                rows = []
                for row in expected[key]:
                    row = {k: v for k, v in row.items() if v != ""}
                    for cell, cell_schema in (items.get("properties") or {}).items():
                        if cell_schema.get("type") == "boolean" and cell not in row:
                            row[cell] = False
                    rows.append(row)
                expected[key] = rows
    return expected


@pytest.mark.parametrize("form, data", _pairs())
def test_the_web_form_gives_back_the_scenario_data(form, data):
    schema = _schema(form)
    submitted = parse_submission(schema, _browser_post(schema, data))
    # compared as JSON text: 1, 1.0 and True are equal in Python, not in the data
    assert _json(submitted) == _json(_web_expected(schema, data))
    assert validate_form_data(schema, data) == {}, "the scenario's data is valid through the API"
    assert validate_form_data(schema, submitted) == {}, "so it must be through the web"


def _json(data):
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)


def test_every_form_of_the_library_is_covered():
    covered = {param.values[0] for param in _pairs()}
    named = set(_task_forms().values())
    assert named - covered == set()


def _with_rows(data, table, count):
    return {**data, table: data[table][:count]} if count else {k: v for k, v in data.items() if k != table}


def _tables(schema, data):
    return [f.name for f in _rendered_fields(schema, data) if f.kind == "table" and len(data.get(f.name) or []) > 1]


@pytest.mark.parametrize("form, data", [p for p in _pairs() if _tables(_schema(p.values[0]), p.values[1])])
def test_rows_are_typed_in_one_ajouter_une_ligne_at_a_time(form, data):
    """The user sees one blank row, types a row, clicks "Ajouter une ligne" (the page comes
    back, one row longer, from what was posted), until every row of the data is typed."""
    schema = _schema(form)
    for table in _tables(schema, data):
        wanted = len(data[table])
        shown = {f.name: len(f.rows) for f in build_fields(schema, _with_rows(data, table, 0))}[table]
        while shown < wanted:
            typed = _with_rows(data, table, shown)
            posted = _browser_post(schema, typed)
            posted.add("_add_row", table)
            parsed = parse_submission(schema, posted)
            # the rows typed so far come back (the rest of the form is the other test's concern)
            assert _json(parsed.get(table)) == _json(_web_expected(schema, typed).get(table))
            again = build_fields(schema, parsed, use_defaults=False, extra_rows={table: 1},
                                 skip={"decision"} if approval_choices(schema) else ())
            grown = {f.name: f for f in again}[table]
            assert len(grown.rows) == shown + 1, "one more row"
            assert all(cell.value is None for cell in grown.rows[-1]), "a blank one"
            reposted = MultiDict()
            for f in again:
                for name, value in _post_field_pairs(f):
                    reposted.add(name, value)
            assert _json(parse_submission(schema, reposted)) == _json(parsed), "nothing typed is lost"
            shown += 1


# --- the simulation above is what the real template makes a browser post ---------------------
@pytest.fixture(scope="module")
def macros(tmp_path_factory):
    """The `field` macro of server/templates/_macros.html, rendered by the web app's Jinja."""
    conventio = open_conventio(sqlite_settings(tmp_path_factory.mktemp("round_trip")))
    app = create_app(conventio=conventio, test_config={"TESTING": True, "WEB_SETTINGS": web_settings()})
    template = app.jinja_env.from_string(
        '{% from "_macros.html" import field %}<form>{% for f in fields %}{{ field(f) }}{% endfor %}</form>')
    with app.test_request_context("/"):
        yield template
    conventio.close()


@pytest.mark.parametrize("form, data", _pairs())
def test_the_simulated_post_is_what_the_rendered_page_posts(macros, form, data):
    schema = _schema(form)
    page = html.fromstring(macros.render(fields=_rendered_fields(schema, data)))
    from_page = page.form_values()   # the successful controls, as a browser submits them (buttons aside)
    simulated = [(k, v) for k, v in _browser_post(schema, data).items(multi=True)
                 if k not in ("csrf_token", "decision")]
    assert from_page == simulated
