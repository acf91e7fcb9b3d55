"""The services' typed results (workflows/services/results.py) and the OpenAPI schemas of the
API that returns them describe the same fields, of the same JSON types: a field added to one and
not the other fails here. The services' real results are checked against their types too."""
import dataclasses
import types
import typing
from datetime import date

import pytest

from server.api.openapi import SCHEMAS
from ledger_campaign import booklet, campaign_in_cap_nord
from web_helpers import actor, anct_convention_at_review
from workflows.services import ledger, results
from workflows.services.absences import declare_absence, list_absences
from workflows.services.assignments import colleagues_for, reassign_task
from workflows.services.dashboard import dashboard
from workflows.services.dashboard_analytics import element_times
from workflows.services.dashboard_territory import follow_up, territory_dashboard
from workflows.services.deploy import Deployed, list_definitions
from workflows.services.instances import get_instance, list_instances
from workflows.services.tasks import get_task, list_tasks
from workflows.services.territories import list_territories
from workflows.services.users import list_users
from workflows.states import InstanceStatus

TYPED = {   # OpenAPI schema -> the services' type it describes
    "Definition": results.Definition, "Deployed": Deployed, "StartForm": results.StartForm,
    "Instance": results.InstanceSummary, "InstanceState": results.InstanceState, "Task": results.TaskLine,
    "TaskWithForm": results.TaskWithForm, "Completion": results.Completion, "Document": results.DocumentSummary,
    "GeneratedDocument": results.GeneratedDocumentSummary, "Claim": results.Claim, "Dashboard": results.Dashboard,
    "DashboardChain": results.DashboardChain, "TerritoryDashboard": results.TerritoryDashboard,
    "FollowUp": results.FollowUp, "ElementTimes": results.ElementTimes,
    "Campaign": results.Campaign, "Holdings": results.Holdings, "Move": results.Move,
    "Colleague": results.Colleague, "Absence": results.AbsenceSummary, "TaskDraft": results.TaskDraft,
}
JSON_TYPES = {str: "string", int: "integer", bool: "boolean", float: "number", dict: "object",
              list: "array", tuple: "array", types.NoneType: "null", InstanceStatus: "string"}


def resolved(schema):
    """The schema with its $ref followed and its allOf merged into one object."""
    if "$ref" in schema:
        return resolved(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
    if "allOf" in schema:
        parts = [resolved(part) for part in schema["allOf"]]
        return {"type": "object", "properties": {k: v for p in parts for k, v in p["properties"].items()},
                "required": sorted({k for p in parts for k in p.get("required", ())})}
    return schema


def _is_typed_dict(annotation):
    return typing.is_typeddict(annotation)


def _required(typed):
    """The keys a result always has (every field of a dataclass)."""
    return {f.name for f in dataclasses.fields(typed)} if dataclasses.is_dataclass(typed) else typed.__required_keys__


def _alternatives(annotation):
    return typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)


def type_mismatches(typed, schema, where):
    """Where the TypedDict `typed` and the object schema disagree (fields, requirement, JSON types)."""
    schema = resolved(schema)
    hints, properties = typing.get_type_hints(typed), schema["properties"]
    problems = [f"{where}.{name}: dans le type, pas dans le schéma" for name in sorted(set(hints) - set(properties))]
    problems += [f"{where}.{name}: dans le schéma, pas dans le type" for name in sorted(set(properties) - set(hints))]
    problems += [f"{where}.{name}: requis par le schéma, facultatif dans le type"
                 for name in schema.get("required", ()) if name not in _required(typed)]
    for name in sorted(set(hints) & set(properties)):
        problems += field_mismatches(hints[name], resolved(properties[name]), f"{where}.{name}")
    return problems


def field_mismatches(annotation, schema, where):
    alternatives = _alternatives(annotation)
    if "enum" in schema:
        enum = next(a for a in alternatives if a is not types.NoneType)
        return [] if sorted(schema["enum"]) == sorted(enum) else [f"{where}: valeurs {schema['enum']} ≠ {list(enum)}"]
    expected = {_json_type(a) for a in alternatives}
    stated = schema.get("type")
    if stated is None:
        return []
    if expected != ({stated} if isinstance(stated, str) else set(stated)) and not (
            expected == {"number", "null"} and set(stated) == {"number", "null"}):
        return [f"{where}: type {sorted(expected)} ≠ schéma {stated}"]
    item = next((typing.get_args(a)[0] for a in alternatives if typing.get_origin(a) is list), None)
    if item is not None and _is_typed_dict(item):
        return type_mismatches(item, schema["items"], f"{where}[]")
    if item is not None and "type" in resolved(schema["items"]):
        return field_mismatches(item, resolved(schema["items"]), f"{where}[]")
    return []


def _json_type(annotation):
    if _is_typed_dict(annotation):
        return "object"
    return JSON_TYPES[typing.get_origin(annotation) or annotation]


@pytest.mark.parametrize("name", sorted(TYPED))
def test_each_schema_states_the_fields_and_types_of_its_result(name):
    assert type_mismatches(TYPED[name], SCHEMAS[name], name) == []


def test_a_field_added_to_the_type_only_or_to_the_schema_only_is_seen():
    class Wider(results.DocumentSummary):
        pages: int
    assert type_mismatches(Wider, SCHEMAS["Document"], "Document") == [
        "Document.pages: dans le type, pas dans le schéma"]
    wider = {"allOf": [{"$ref": "#/components/schemas/Document"},
                       {"type": "object", "properties": {"pages": {"type": "integer"}}}]}
    assert type_mismatches(results.DocumentSummary, wider, "Document") == ["Document.pages: dans le schéma, pas dans le type"]
    narrower = {**SCHEMAS["Claim"], "properties": {**SCHEMAS["Claim"]["properties"], "claimed_by": {"type": "string"}}}
    assert type_mismatches(results.Claim, narrower, "Claim") == [
        "Claim.claimed_by: type ['null', 'string'] ≠ schéma string"]


def keys_fit(value, typed):
    """The result has every required key of its type, and no key the type does not name."""
    keys = set(value)
    return typed.__required_keys__ <= keys <= set(typing.get_type_hints(typed))


def test_the_services_results_are_of_their_types(conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    director, admin = actor(conventio, "directrice"), actor(conventio, "admin")
    state = get_instance(conventio, instance_id, director)
    assert keys_fit(state, results.InstanceState)
    assert all(keys_fit(t, results.TaskLine) for t in state["open_tasks"])
    assert all(keys_fit(line, results.JournalLine) for line in state["history"])
    assert all(keys_fit(t, results.CompletedTask) for t in state["completed_tasks"])
    assert all(keys_fit(i, results.InstanceSummary) for i in list_instances(conventio, director))
    assert all(keys_fit(t, results.TaskLine) for t in list_tasks(conventio, director))
    assert keys_fit(get_task(conventio, review_id, director), results.TaskWithForm)
    assert all(keys_fit(d, results.Definition) for d in list_definitions(conventio))
    assert all(keys_fit(u, results.UserSummary) for u in list_users(conventio, admin))
    assert all(keys_fit(t, results.TerritorySummary) for t in list_territories(conventio, admin))
    figures = dashboard(conventio, director)
    assert keys_fit(figures, results.Dashboard) and figures["chains"]
    assert all(keys_fit(c, results.DashboardChain) for c in figures["chains"])
    assert all(keys_fit(t, results.DashboardTerritory) for t in figures["territories"])
    assert keys_fit(territory_dashboard(conventio, director, "cap-nord"), results.TerritoryDashboard)
    follow = follow_up(conventio, director, "cap-nord")
    assert keys_fit(follow, results.FollowUp) and all(keys_fit(line, results.Commitments) for line in follow["lines"])
    times = element_times(conventio, director, "convention_anct")
    assert keys_fit(times, results.ElementTimes) and times["elements"]
    assert all(keys_fit(element, results.ElementTime) for element in times["elements"])


def test_the_ledgers_results_are_of_their_types(conventio):
    campaign = campaign_in_cap_nord(conventio)
    agent, director = actor(conventio, "prescripteur"), actor(conventio, "directrice")
    given = ledger.hand_out(conventio, campaign, agent, prescriber="CCAS", public="plie_demandeur_emploi",
                            on=date(2027, 3, 10), serials=[booklet(10, 1)])
    back = ledger.return_to_stock(conventio, campaign, agent, prescriber="CCAS", on=date(2027, 3, 11),
                                  serials=[booklet(10, 2)])
    assert keys_fit(given, results.Move) and "beneficiary" in given and keys_fit(back, results.Move)
    held = ledger.holdings(conventio, campaign, director, "CCAS")
    assert keys_fit(held, results.Holdings) and held["remises"]
    assert all(keys_fit(line, results.RecentHandout) for line in held["remises"])
    listed = ledger.campaigns(conventio, director)
    assert listed and all(keys_fit(c, results.Campaign) for c in listed)


def test_the_handover_results_are_of_their_types(conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    director = actor(conventio, "directrice")
    colleagues = colleagues_for(conventio, review_id, director)
    assert colleagues and all(keys_fit(c, results.Colleague) for c in colleagues)
    assert keys_fit(reassign_task(conventio, review_id, "directrice", director), results.Claim)
    absence = declare_absence(conventio, "directrice", "admin", "2027-01-04", "2027-01-08", director)
    assert keys_fit(absence, results.AbsenceSummary)
    assert [keys_fit(a, results.AbsenceSummary) for a in list_absences(conventio, director)] == [True]
