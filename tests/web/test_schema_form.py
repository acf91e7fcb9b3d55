"""Forms from JSON schemas and typed data back, without a browser."""
import json

from werkzeug.datastructures import MultiDict

from helpers import ROOT
from server.schema_form import approval_choices, build_fields, parse_submission, unplaced_errors

FORMS = ROOT / "bpmn" / "forms"


def form(name):
    return json.loads((FORMS / f"{name}.json").read_text())


def test_kinds_of_fields():
    schema = {"type": "object", "required": ["a"], "properties": {
        "a": {"type": "string", "title": "Texte", "maxLength": 200},
        "b": {"type": "string", "maxLength": 5000},
        "c": {"type": "number"}, "d": {"type": "integer", "minimum": 1},
        "e": {"type": "boolean"}, "f": {"type": "string", "format": "date"},
        "g": {"type": "string", "oneOf": [{"const": "x", "title": "Ex"}, {"const": "y", "title": "Why"}]},
        "h": {"type": "integer", "enum": [1, 2]},
        "i": {"type": "array", "items": {"type": "string", "enum": ["p", "q"]}},
        "j": {"type": "object", "properties": {}}}}
    fields = {f.name: f for f in build_fields(schema, {})}
    assert {n: f.kind for n, f in fields.items()} == {
        "a": "text", "b": "textarea", "c": "number", "d": "integer", "e": "boolean", "f": "date",
        "g": "select", "h": "select", "i": "multiselect", "j": "json"}
    assert fields["a"].required and fields["a"].title == "Texte"
    assert fields["g"].options == [("x", "Ex"), ("y", "Why")]
    # a text field with a numeric keyboard: « 2 080 » is typed as written (type=number refuses it)
    assert fields["d"].attributes == {"inputmode": "numeric"}


def test_submitted_values_are_typed_as_the_schema_says():
    schema = {"type": "object", "properties": {
        "montant": {"type": "number"}, "nombre": {"type": "integer"}, "ok": {"type": "boolean"},
        "non": {"type": "boolean"}, "choix": {"type": "integer", "oneOf": [{"const": 1}, {"const": 2}]},
        "vide": {"type": "string"}, "supports": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        "texte": {"type": "string"}}}
    data = parse_submission(schema, MultiDict([
        ("montant", "20 800,50"), ("nombre", "12"), ("ok", "on"), ("choix", "2"), ("vide", "  "),
        ("supports", "a"), ("supports", "b"), ("texte", " bonjour ")]))
    assert data == {"montant": 20800.5, "nombre": 12, "ok": True, "non": False, "choix": 2,
                    "supports": ["a", "b"], "texte": "bonjour"}
    kept = parse_submission(schema, MultiDict({"montant": "vingt", "nombre": "1,5"}))
    assert kept["montant"] == "vingt" and kept["nombre"] == "1,5", "left for the schema to refuse"
    assert parse_submission(schema, MultiDict({"montant": "20000"}))["montant"] == 20000


def test_french_numbers_and_amounts_are_taken_as_typed():
    schema = {"type": "object", "properties": {"montant": {"type": "number"}, "nombre": {"type": "integer"}}}
    for typed, amount in (("12 000,50 €", 12000.5), ("12\u202f000,50\u00a0€", 12000.5), ("12\u00a0000", 12000),
                          ("20 800 EUR", 20800), ("1 500,5", 1500.5), ("50 %", 50)):
        assert parse_submission(schema, MultiDict({"montant": typed}))["montant"] == amount, typed
    assert parse_submission(schema, MultiDict({"nombre": "2\u202f080"}))["nombre"] == 2080
    for refused in ("€", "douze €", "12 000,50 $"):
        assert parse_submission(schema, MultiDict({"montant": refused}))["montant"] == refused, "for the schema to refuse"


def test_arrays_of_objects_are_rows_and_blank_rows_are_dropped():
    schema = form("bon_commande")
    data = parse_submission(schema, MultiDict({
        "formats_commandes-0-cheques_par_carnet": "10", "formats_commandes-0-nombre_carnets": "10",
        "formats_commandes-1-cheques_par_carnet": "", "formats_commandes-1-nombre_carnets": "",
        "formats_commandes-2-cheques_par_carnet": "5", "formats_commandes-2-nombre_carnets": "5",
        "numero_bon_commande": "BC-1"}))
    assert data["formats_commandes"] == [{"cheques_par_carnet": 10, "nombre_carnets": 10},
                                         {"cheques_par_carnet": 5, "nombre_carnets": 5}]
    errors = {"formats_commandes.1.nombre_carnets": "doit être supérieur ou égal à 1", "": "formulaire incomplet"}
    [table] = [f for f in build_fields(schema, data, errors, extra_rows={"formats_commandes": 1})
               if f.name == "formats_commandes"]
    assert len(table.rows) == 3, "two rows and the one added"
    assert table.rows[1][1].name == "formats_commandes-1-nombre_carnets" and table.rows[1][1].error.startswith("doit")
    assert unplaced_errors(build_fields(schema, data, errors), errors) == {"": "formulaire incomplet"}


def test_an_approval_is_recognised_by_its_decisions():
    assert approval_choices(form("approbation")) == [
        ("approuver", "Approuver"), ("rejeter", "Rejeter"), ("modifier", "Demander des modifications")]
    assert approval_choices(form("qualification_procedure")) is None
    assert approval_choices(None) is None


def test_every_form_of_the_library_renders_and_parses_back_its_defaults():
    for path in sorted(FORMS.glob("*.json")):
        schema = json.loads(path.read_text())
        fields = build_fields(schema, {})
        assert fields, path.name
        assert not [f for f in fields if f.kind == "json"], f"{path.name}: a field without a widget"
        parse_submission(schema, MultiDict({f.name: f.display_value for f in fields if f.kind != "table"}))


def test_a_list_of_names_is_one_per_line_of_a_text_box():
    schema = {"type": "object", "properties": {"lieux": {"type": "array", "items": {"type": "string"}}}}
    [lieux] = build_fields(schema, {"lieux": ["Solidarnum – Saint-Denis", "Cyberbase du Port"]})
    assert (lieux.kind, lieux.display_value) == ("lines", "Solidarnum – Saint-Denis\nCyberbase du Port")
    typed = MultiDict({"lieux": "  Solidarnum – Saint-Denis \r\n\r\nCyberbase du Port\r\n"})
    assert parse_submission(schema, typed) == {"lieux": ["Solidarnum – Saint-Denis", "Cyberbase du Port"]}
    assert parse_submission(schema, MultiDict({"lieux": " \r\n "})) == {}


def test_field_order_follows_x_order():
    schema = {"type": "object", "x-order": ["z", "a"], "properties": {"a": {"type": "string"}, "m": {"type": "string"},
                                                                       "z": {"type": "string"}}}
    assert [f.name for f in build_fields(schema, {})] == ["z", "a", "m"]


def test_a_required_list_that_may_be_empty_is_sent_empty_when_no_row_is_filled():
    row = {"type": "object", "properties": {"nom": {"type": "string"}}}
    schema = {"type": "object", "required": ["absents", "presents"],
              "properties": {"absents": {"type": "array", "items": row},
                             "presents": {"type": "array", "items": row, "minItems": 1},
                             "notes": {"type": "array", "items": row}}}
    blank = MultiDict({"absents-0-nom": "", "presents-0-nom": "", "notes-0-nom": ""})
    assert parse_submission(schema, blank) == {"absents": []}   # presents stays "champ obligatoire"
