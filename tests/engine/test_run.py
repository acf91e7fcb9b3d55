"""Running instances: what the chain needs, driven through the services on a real database."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bpmn_builder import catch_message, definitions, flow, process, script_task, sequence, throw_message, user_task
from helpers import ADMIN, actor, deploy_xml, sqlite_settings, with_instances
from workflows.services import open_conventio
from workflows.errors import Conflict, Forbidden, InvalidData, NotFound
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, get_task, list_tasks
from workflows.services.timers import run_due_timers
from workflows.store.models import AuditEntry, ProcessInstance

NOW = datetime.now(timezone.utc)


def names(app, instance_id):
    return sorted(t["name"] for t in list_tasks(app, ADMIN, instance_id=instance_id))


def complete_named(app, instance_id, name, data=None, by=ADMIN):
    task = next(t for t in list_tasks(app, ADMIN, instance_id=instance_id) if t["name"] == name)
    return complete_task(app, task["id"], data or {}, by)


def state(app, instance_id):
    return get_instance(app, instance_id, ADMIN)


# --- gateways ---------------------------------------------------------------------------
GATEWAYS = definitions(process("gateways", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("draft", "Rédiger"),
    '<bpmn:exclusiveGateway id="decide" default="f_other"/>',
    '<bpmn:parallelGateway id="split"/>', '<bpmn:parallelGateway id="join"/>',
    user_task("legal_review", "Avis juridique"), user_task("finance_review", "Avis financier"),
    '<bpmn:inclusiveGateway id="opt" default="f_none"/>', '<bpmn:inclusiveGateway id="opt_join"/>',
    user_task("notify_communes", "Informer les communes"), user_task("notify_caf", "Informer la CAF"),
    '<bpmn:task id="none" name="Rien à informer"/>',
    '<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="rejected"/>',
    flow("f1", "start", "draft"), flow("f2", "draft", "decide"),
    flow("f_approve", "decide", "split", 'decision == "approuver"'),
    flow("f_other", "decide", "rejected"),
    flow("f3", "split", "legal_review"), flow("f4", "split", "finance_review"),
    flow("f5", "legal_review", "join"), flow("f6", "finance_review", "join"),
    flow("f7", "join", "opt"),
    flow("f_communes", "opt", "notify_communes", "communes"), flow("f_caf", "opt", "notify_caf", "caf"),
    flow("f_none", "opt", "none"),
    flow("f8", "notify_communes", "opt_join"), flow("f9", "notify_caf", "opt_join"), flow("f10", "none", "opt_join"),
    flow("f11", "opt_join", "end"),
]), lanes={"Service juridique": ["draft", "legal_review"], "Finances": ["finance_review"]}))


def test_exclusive_parallel_and_inclusive_gateways(any_app):
    deploy_xml(any_app, {"gateways.bpmn": GATEWAYS})
    rejected = start_instance(any_app, "gateways", {}, ADMIN)["id"]
    complete_named(any_app, rejected, "Rédiger", {"decision": "rejeter"})
    assert state(any_app, rejected)["status"] == "completed"

    approved = start_instance(any_app, "gateways", {}, ADMIN)["id"]
    complete_named(any_app, approved, "Rédiger", {"decision": "approuver"})
    assert names(any_app, approved) == ["Avis financier", "Avis juridique"]
    complete_named(any_app, approved, "Avis juridique")
    assert names(any_app, approved) == ["Avis financier"], "the join must wait for both branches"
    complete_named(any_app, approved, "Avis financier", {"communes": True, "caf": True})
    assert names(any_app, approved) == ["Informer la CAF", "Informer les communes"]
    complete_named(any_app, approved, "Informer la CAF")
    assert names(any_app, approved) == ["Informer les communes"]
    complete_named(any_app, approved, "Informer les communes")
    assert state(any_app, approved)["status"] == "completed"


def test_tasks_carry_their_lane_as_role_and_rights_follow_it(app):
    deploy_xml(app, {"gateways.bpmn": GATEWAYS})
    instance_id = start_instance(app, "gateways", {}, ADMIN, territory="cap-nord")["id"]
    jurist = actor("juriste", "legal", territories=["cap-nord"])
    buyer = actor("acheteur", "buyer", territories=["cap-nord"])
    outsider = actor("juriste78", "legal", territories=["yvelines"])
    [task] = list_tasks(app, jurist)
    assert (task["role"], task["role_label"]) == ("legal", "Service juridique")
    assert list_tasks(app, buyer) == [] and list_tasks(app, outsider) == []
    with pytest.raises(Forbidden):
        complete_task(app, task["id"], {"decision": "approuver"}, buyer)
    with pytest.raises(NotFound):
        complete_task(app, task["id"], {"decision": "approuver"}, outsider)
    with pytest.raises(NotFound):
        get_instance(app, instance_id, outsider)
    complete_task(app, task["id"], {"decision": "approuver"}, jurist)


# --- forms, conflicts ---------------------------------------------------------------------
FORM = {"type": "object", "required": ["montant", "date_signature"],
        "properties": {"montant": {"type": "number", "minimum": 20000, "title": "Montant"},
                       "date_signature": {"type": "string", "format": "date", "title": "Date"}}}


def test_invalid_data_names_the_fields_and_changes_nothing(any_app):
    model = sequence("form", ("ask", user_task("ask", "Saisir", {"formJsonSchema": json.dumps(FORM)})))
    deploy_xml(any_app, {"form.bpmn": model})
    instance_id = start_instance(any_app, "form", {}, ADMIN)["id"]
    task_id = list_tasks(any_app, ADMIN, instance_id=instance_id)[0]["id"]
    with any_app.db.sessions() as session:
        version = session.get(ProcessInstance, instance_id).version
        journal = session.execute(select(func.count()).select_from(AuditEntry)).scalar()
    with pytest.raises(InvalidData) as invalid:
        complete_task(any_app, task_id, {"montant": 1000, "date_signature": "27/04/2023"}, ADMIN)
    assert set(invalid.value.details) == {"montant", "date_signature"}
    assert "20000" in invalid.value.details["montant"]
    with pytest.raises(InvalidData) as missing:
        complete_task(any_app, task_id, {}, ADMIN)
    assert missing.value.details == {"montant": "champ obligatoire", "date_signature": "champ obligatoire"}
    with any_app.db.sessions() as session:
        assert session.get(ProcessInstance, instance_id).version == version
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar() == journal
    assert get_task(any_app, task_id, ADMIN)["state"] == "ready"
    complete_task(any_app, task_id, {"montant": 20800, "date_signature": "2023-04-27"}, ADMIN)
    with pytest.raises(Conflict):
        complete_task(any_app, task_id, {"montant": 20800, "date_signature": "2023-04-27"}, ADMIN)


def test_a_submission_cannot_write_process_data_its_form_does_not_ask_for(app):
    form = dict(FORM, allOf=[{"if": {"required": ["montant"]}, "then": {"properties": {"motif": {"type": "string"}}}}])
    model = sequence("form", ("ask", user_task("ask", "Saisir", {"formJsonSchema": json.dumps(form)})),
                     ("next", user_task("next", "Suite")))
    deploy_xml(app, {"form.bpmn": model})
    instance_id = start_instance(app, "form", {"prescripteurs_conventionnes": ["CCAS"]}, ADMIN)["id"]
    task_id = list_tasks(app, ADMIN, instance_id=instance_id)[0]["id"]
    forged = {"montant": 20800, "date_signature": "2023-04-27", "prescripteurs_conventionnes": ["Association"]}
    with pytest.raises(InvalidData) as refused:
        complete_task(app, task_id, forged, ADMIN)
    assert refused.value.details == {"prescripteurs_conventionnes": "champ inconnu du formulaire : il ne peut pas "
                                                                    "être saisi à cette étape"}
    complete_task(app, task_id, {"montant": 20800, "date_signature": "2023-04-27", "motif": "déclaré"}, ADMIN)
    assert get_instance(app, instance_id, ADMIN)["data"]["prescripteurs_conventionnes"] == ["CCAS"]


def test_unknown_task_is_not_found(app):
    with pytest.raises(NotFound):
        complete_task(app, "00000000-0000-0000-0000-000000000000", {}, ADMIN)


# --- call activities, DMN -------------------------------------------------------------------
def call(call_id, called):
    return f'<bpmn:callActivity id="{call_id}" name="Appel {called}" calledElement="{called}"/>'


NESTED = {
    "top.bpmn": sequence("top", ("c1", call("c1", "phase"))),
    "phase.bpmn": sequence("phase", ("c2", call("c2", "step"))),
    "step.bpmn": sequence("step", ("sign", user_task("sign", "Signer"))),
}


def test_nested_call_activities_run_and_hand_data_back(any_app):
    deploy_xml(any_app, NESTED)
    instance_id = start_instance(any_app, "top", {"collectivite": "CAP Nord"}, ADMIN)["id"]
    [task] = list_tasks(any_app, ADMIN, instance_id=instance_id)
    assert task["process_id"] == "step"
    assert get_task(any_app, task["id"], ADMIN)["data"]["collectivite"] == "CAP Nord"
    any_app.cache.clear()
    complete_task(any_app, task["id"], {"signataire": "Le président"}, ADMIN)
    final = state(any_app, instance_id)
    assert final["status"] == "completed" and final["data"]["signataire"] == "Le président"


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="DRD" namespace="x">
  <decision id="procedure" name="Procédure">
    <decisionTable id="table" hitPolicy="FIRST">
      <input id="i1" label="Valeur"><inputExpression id="e1" typeRef="number"><text>valeur</text></inputExpression></input>
      <output id="o1" label="Procédure" name="procedure" typeRef="string"/>
      <rule id="r1"><inputEntry id="u1"><text>&lt; 60000</text></inputEntry><outputEntry id="l1"><text>"sans_publicite"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="u2"><text>&lt; 216000</text></inputEntry><outputEntry id="l2"><text>"mapa"</text></outputEntry></rule>
      <rule id="r3"><inputEntry id="u3"><text></text></inputEntry><outputEntry id="l3"><text>"appel_offres"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


def test_business_rule_task_uses_the_dmn_table(app):
    rule = ('<bpmn:businessRuleTask id="choose" name="Choisir la procédure"><bpmn:extensionElements>'
            '<spiffworkflow:calledDecisionId>procedure</spiffworkflow:calledDecisionId>'
            '</bpmn:extensionElements></bpmn:businessRuleTask>')
    deploy_xml(app, {"rule.bpmn": sequence("rule", ("choose", rule), ("see", user_task("see", "Voir"))),
                     "procedure.dmn": DMN})
    for value, expected in ((20800, "sans_publicite"), (90000, "mapa"), (300000, "appel_offres")):
        instance_id = start_instance(app, "rule", {"valeur": value}, ADMIN)["id"]
        assert state(app, instance_id)["data"]["procedure"] == expected


# --- timers ----------------------------------------------------------------------------------
def timer_event(event_id, kind, expression, name="Délai"):
    return (f'<bpmn:intermediateCatchEvent id="{event_id}" name="{name}"><bpmn:timerEventDefinition>'
            f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">{expression}</bpmn:{kind}>'
            f'</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')


def test_a_timer_not_yet_reached_is_not_evaluated_by_a_step_from_a_reloaded_instance(tmp_path):
    """Its expression reads data that an earlier step has not written yet: a warm instance
    never evaluates it, so a reloaded one (CLI, restart, worker) must not either."""
    app = open_conventio(with_instances(sqlite_settings(tmp_path), "cold"))
    try:
        deploy_xml(app, {"later.bpmn": sequence(
            "later", ("first", user_task("first", "Première")), ("second", user_task("second", "Seconde")),
            ("set", script_task("set", 'delai = "P2D"')),
            ("delay", timer_event("delay", "timeDuration", "delai")), ("after", user_task("after", "Après")))})
        instance_id = start_instance(app, "later", {}, ADMIN)["id"]
        complete_named(app, instance_id, "Première")
        assert run_due_timers(app, now=NOW + timedelta(days=1))["fired"] == 0
        complete_named(app, instance_id, "Seconde")
        assert run_due_timers(app, now=NOW + timedelta(days=3))["fired"] == 1
        assert names(app, instance_id) == ["Après"]
    finally:
        app.close()


def test_duration_timer_stores_its_due_time_and_fires_once(any_app):
    deploy_xml(any_app, {"wait.bpmn": sequence("wait", ("delay", timer_event("delay", "timeDuration", '"P3D"')),
                                               ("after", user_task("after", "Après le délai")))})
    instance_id = start_instance(any_app, "wait", {}, ADMIN)["id"]
    waiting = state(any_app, instance_id)
    due = datetime.fromisoformat(waiting["waiting"][0]["due_at"])
    assert abs(due - (NOW + timedelta(days=3))) < timedelta(minutes=5)
    assert datetime.fromisoformat(waiting["next_timer_at"]) == due
    assert run_due_timers(any_app, now=NOW + timedelta(days=2))["fired"] == 0
    assert names(any_app, instance_id) == []
    assert run_due_timers(any_app, now=NOW + timedelta(days=4))["fired"] == 1
    assert run_due_timers(any_app, now=NOW + timedelta(days=4))["fired"] == 0
    assert names(any_app, instance_id) == ["Après le délai"]
    assert state(any_app, instance_id)["next_timer_at"] is None
    journal = [e["summary"] for e in state(any_app, instance_id)["history"] if e["action"] == "minuteur"]
    assert journal == ["Minuteur(s) échu(s) : « Délai »"]


def test_date_timer_reads_its_date_from_the_data(app):
    deploy_xml(app, {"date.bpmn": sequence("date", ("until", timer_event("until", "timeDate", "fin_delai_recours")),
                                           ("after", user_task("after", "Délibération définitive")))})
    instance_id = start_instance(app, "date", {"fin_delai_recours": "2027-01-04T00:00:00+00:00"}, ADMIN)["id"]
    assert state(app, instance_id)["waiting"][0]["due_at"] == "2027-01-04T00:00:00+00:00"
    assert run_due_timers(app, now=datetime(2027, 1, 3, 23, 59, tzinfo=timezone.utc))["fired"] == 0
    assert run_due_timers(app, now=datetime(2027, 1, 4, 0, 1, tzinfo=timezone.utc))["fired"] == 1
    assert names(app, instance_id) == ["Délibération définitive"]


def test_boundary_timer_interrupts_an_overdue_task(app):
    body = "\n".join([
        '<bpmn:startEvent id="start"/>', user_task("sign", "Signer la convention"),
        '<bpmn:boundaryEvent id="late" name="Relance" attachedToRef="sign"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P15D"</bpmn:timeDuration>'
        '</bpmn:timerEventDefinition></bpmn:boundaryEvent>',
        user_task("escalate", "Relancer le signataire"),
        '<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end_late"/>',
        flow("f1", "start", "sign"), flow("f2", "sign", "end"), flow("f3", "late", "escalate"),
        flow("f4", "escalate", "end_late")])
    deploy_xml(app, {"boundary.bpmn": definitions(process("boundary", body))})
    instance_id = start_instance(app, "boundary", {}, ADMIN)["id"]
    assert names(app, instance_id) == ["Signer la convention"]
    assert run_due_timers(app, now=NOW + timedelta(days=16))["fired"] == 1
    assert names(app, instance_id) == ["Relancer le signataire"]


# --- multi-instance ----------------------------------------------------------------------------
def test_one_user_task_per_partner(any_app):
    task = ('<bpmn:userTask id="sign_partner" name="Signer la convention partenaire">'
            '<bpmn:multiInstanceLoopCharacteristics>'
            '<bpmn:loopDataInputRef>partenaires</bpmn:loopDataInputRef>'
            '<bpmn:loopDataOutputRef>signatures</bpmn:loopDataOutputRef>'
            '<bpmn:inputDataItem id="partenaire" name="partenaire"/>'
            '<bpmn:outputDataItem id="signature" name="signature"/>'
            '</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>')
    deploy_xml(any_app, {"mi.bpmn": sequence("mi", ("sign_partner", task))})
    partners = [{"nom": "CCAS de Fort-de-France"}, {"nom": "France Travail"}, {"nom": "Commune du Lorrain"}]
    instance_id = start_instance(any_app, "mi", {"partenaires": partners}, ADMIN)["id"]
    tasks = list_tasks(any_app, ADMIN, instance_id=instance_id)
    assert len(tasks) == 3
    seen = sorted(get_task(any_app, t["id"], ADMIN)["data"]["partenaire"]["nom"] for t in tasks)
    assert seen == sorted(p["nom"] for p in partners)
    for t in tasks:
        nom = get_task(any_app, t["id"], ADMIN)["data"]["partenaire"]["nom"]
        complete_task(any_app, t["id"], {"signature": f"signée par {nom}"}, ADMIN)
    final = state(any_app, instance_id)
    assert final["status"] == "completed"
    assert sorted(final["data"]["signatures"]) == sorted(f"signée par {p['nom']}" for p in partners)


# --- messages between instances -------------------------------------------------------------------
MESSAGES = definitions(
    '<bpmn:message id="msg_signed" name="convention_signee"/>',
    process("waiter", "\n".join([
        '<bpmn:startEvent id="start"/>',
        catch_message("wait_signature", "Attendre la signature", "msg_signed", "signature"),
        user_task("distribute", "Distribuer les carnets"), '<bpmn:endEvent id="end"/>',
        flow("f1", "start", "wait_signature"), flow("f2", "wait_signature", "distribute"),
        flow("f3", "distribute", "end")])),
    process("signer", "\n".join([
        '<bpmn:startEvent id="start_s"/>', user_task("sign", "Signer"),
        throw_message("notify", "Notifier la signature", "msg_signed", '{"par": signataire}'),
        '<bpmn:endEvent id="end_s"/>',
        flow("g1", "start_s", "sign"), flow("g2", "sign", "notify"), flow("g3", "notify", "end_s")])),
)


def test_a_message_thrown_by_one_instance_moves_the_waiting_one(any_app):
    deploy_xml(any_app, {"messages.bpmn": MESSAGES})
    waiter = start_instance(any_app, "waiter", {}, ADMIN)["id"]
    signer = start_instance(any_app, "signer", {}, ADMIN)["id"]
    assert names(any_app, waiter) == []
    complete_named(any_app, signer, "Signer", {"signataire": "ANCT"})
    assert names(any_app, waiter) == ["Distribuer les carnets"]
    assert state(any_app, waiter)["data"]["signature"] == {"par": "ANCT"}


def test_a_message_sent_before_anyone_waits_is_kept_then_delivered(app):
    deploy_xml(app, {"messages.bpmn": MESSAGES})
    signer = start_instance(app, "signer", {}, ADMIN)["id"]
    complete_named(app, signer, "Signer", {"signataire": "ANCT"})
    waiter = start_instance(app, "waiter", {}, ADMIN)["id"]
    assert names(app, waiter) == ["Distribuer les carnets"]
