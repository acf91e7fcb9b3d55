"""Start forms: a process's start event names the form its start data must satisfy."""
import json

import pytest
from sqlalchemy import func, select

from bpmn_builder import sequence, user_task
from helpers import ADMIN, ROOT, actor, deploy_xml
from workflows.domain.calendar import TERRITORIES
from workflows.errors import InvalidData
from workflows.services.deploy import deploy_paths, deploy_sources
from workflows.services.instances import get_instance, latest_start_data, start_form, start_instance
from workflows.services.tasks import list_tasks
from workflows.store.models import AuditEntry, ProcessInstance

IDENTITY = {"type": "object", "required": ["collectivite", "territoire"], "properties": {
    "collectivite": {"type": "string", "title": "Collectivité", "minLength": 1},
    "territoire": {"type": "string", "oneOf": [{"const": "972"}, {"const": "FR"}]}}}
PLAIN_START = '<bpmn:startEvent id="start"/>'


def with_start_form(xml, filename="forms/demarrage.json"):
    return xml.replace(PLAIN_START, (
        '<bpmn:startEvent id="start"><bpmn:extensionElements><spiffworkflow:properties>'
        f'<spiffworkflow:property name="formJsonSchemaFilename" value="{filename}"/>'
        '</spiffworkflow:properties></bpmn:extensionElements></bpmn:startEvent>'))


def deploy(app, files, form=IDENTITY):
    sources = {name: text.encode() for name, text in files.items()}
    sources["forms/demarrage.json"] = json.dumps(form).encode()
    return deploy_sources(app, sources, ADMIN)


PHASE = with_start_form(sequence("phase", ("rediger", user_task("rediger", "Rédiger le projet"))))
CALL = '<bpmn:callActivity id="appel" name="Appel de la phase" calledElement="phase"/>'


def count(app, model, *where):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_the_start_form_is_deployed_with_the_definition_and_exposed(app):
    [deployed] = deploy(app, {"phase.bpmn": PHASE})
    assert not deployed.warnings
    described = start_form(app, "phase")
    assert described == {"process_id": "phase", "name": "phase", "version": 1, "form": IDENTITY}
    deploy_xml(app, {"libre.bpmn": sequence("libre", ("t", user_task("t", "Tâche")))})
    assert start_form(app, "libre")["form"] is None


def test_a_missing_start_form_file_is_a_warning_as_for_a_task(app):
    [deployed] = deploy_xml(app, {"phase.bpmn": with_start_form(
        sequence("phase", ("t", user_task("t", "Tâche"))), "forms/absent.json")})
    assert deployed.warnings == ("phase.bpmn, élément « start » : formulaire « forms/absent.json » "
                                 "introuvable : le démarrage acceptera des données sans contrôle",)
    assert start_form(app, "phase")["form"] is None


def test_valid_start_data_starts_the_instance(app):
    deploy(app, {"phase.bpmn": PHASE})
    started = start_instance(app, "phase", {"collectivite": "CAP Nord", "territoire": "972"}, ADMIN)
    state = get_instance(app, started["id"], ADMIN)
    assert state["data"]["collectivite"] == "CAP Nord"
    assert [t["bpmn_id"] for t in state["open_tasks"]] == ["rediger"]


def test_invalid_start_data_is_refused_field_by_field_and_nothing_is_created(app):
    deploy(app, {"phase.bpmn": PHASE})
    with pytest.raises(InvalidData) as refused:
        start_instance(app, "phase", {"collectivite": "", "territoire": "Martinique"}, ADMIN)
    assert refused.value.details == {
        "collectivite": "ne doit pas être vide",
        "territoire": "valeur non autorisée (choix possibles : 972, FR)"}
    assert refused.value.message.startswith("Données de départ invalides : collectivite (ne doit pas être vide)")
    with pytest.raises(InvalidData) as missing:
        start_instance(app, "phase", {}, ADMIN)
    assert missing.value.details == {"collectivite": "champ obligatoire", "territoire": "champ obligatoire"}
    assert count(app, ProcessInstance) == 0
    assert count(app, AuditEntry, AuditEntry.action == "demarrage") == 0


def test_a_called_process_does_not_enforce_its_start_form(app):
    """The caller passes its own data to the call: the called process's start form is not asked."""
    deploy(app, {"phase.bpmn": PHASE, "chaine.bpmn": sequence("chaine", ("appel", CALL))})
    assert start_form(app, "chaine")["form"] is None, "the called phase's start form is not the chain's"
    started = start_instance(app, "chaine", {}, ADMIN)
    [task] = list_tasks(app, ADMIN, instance_id=started["id"])
    assert (task["process_id"], task["bpmn_id"]) == ("phase", "rediger")


def test_a_chain_with_its_own_start_form_enforces_it_and_calls_its_phase(app):
    deploy(app, {"phase.bpmn": PHASE, "chaine.bpmn": with_start_form(sequence("chaine", ("appel", CALL)))})
    with pytest.raises(InvalidData):
        start_instance(app, "chaine", {"collectivite": "CAP Nord"}, ADMIN)
    started = start_instance(app, "chaine", {"collectivite": "CAP Nord", "territoire": "FR"}, ADMIN)
    [task] = list_tasks(app, ADMIN, instance_id=started["id"])
    assert task["bpmn_id"] == "rediger"


def test_the_latest_start_data_of_a_territory_is_offered_again(app):
    deploy(app, {"phase.bpmn": PHASE})
    first = {"collectivite": "CAP Nord (ancien nom)", "territoire": "972"}
    latest = {"collectivite": "CAP Nord", "territoire": "972"}
    elsewhere = {"collectivite": "Seine-et-Yvelines Numérique", "territoire": "FR"}
    deploy_xml(app, {"libre.bpmn": sequence("libre", ("t", user_task("t", "Tâche")))})
    start_instance(app, "phase", first, ADMIN, territory="cap-nord")
    start_instance(app, "phase", dict(latest, stock_carnets=100), ADMIN, territory="cap-nord")
    start_instance(app, "libre", {}, ADMIN, territory="cap-nord")
    start_instance(app, "phase", elsewhere, ADMIN, territory="yvelines")
    agent = actor("agent", "legal", territories=["cap-nord"])
    fields = IDENTITY["properties"]
    assert latest_start_data(app, agent, "cap-nord", fields) == latest, "a start that gave none is skipped"
    assert latest_start_data(app, ADMIN, "yvelines", fields) == elsewhere
    assert latest_start_data(app, agent, "yvelines", fields) == {}, "another territory's data stays hidden"
    assert latest_start_data(app, ADMIN, "nouveau", fields) == {}


# --- the library --------------------------------------------------------------------------------
LIBRARY_STARTS = ["pass_numerique", "deliberation", "convention_anct", "achat_public", "conventions_partenaires",
                  "distribution", "evaluation"]


def test_every_phase_of_the_library_asks_for_the_collectivite_at_start(app):
    deploy_paths(app, [ROOT / "bpmn"], ADMIN)
    form = json.loads((ROOT / "bpmn" / "forms" / "demarrage.json").read_text())
    for process_id in LIBRARY_STARTS:
        assert start_form(app, process_id)["form"] == form, process_id
    assert {"collectivite", "collectivite_adresse", "president", "tribunal_administratif", "fait_a",
            "territoire"} <= set(form["required"])


def test_the_start_form_offers_the_territories_the_legal_calendar_knows():
    form = json.loads((ROOT / "bpmn" / "forms" / "demarrage.json").read_text())
    assert [choice["const"] for choice in form["properties"]["territoire"]["oneOf"]] == list(TERRITORIES)
