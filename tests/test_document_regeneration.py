"""A document follows the data it prints: after a step that changes what its template reads,
a new version says after which step and which variables; a step that changes nothing it
prints leaves it alone. The deliberation's extract, signed then published, on SQLite and
PostgreSQL, warm and cold; the .docx of each version opened."""
import pytest

from bpmn_builder import definitions, flow, process, user_task
from deployments.deployment_helpers import (
    CAP_NORD, complete, install, open_task, scenario_data, scenario_start, start, user,
)
from documents.conftest import docx_text
from helpers import ADMIN, deploy_xml, sqlite_settings, with_instances
from workflows.config import Settings
from workflows.documents.examples import EXAMPLES
from workflows.services import open_conventio
from workflows.services.documents import document_file, generate_document, list_documents
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task

SCENARIO = "deliberation_adoptee_martinique"
EXTRACT = "extrait_deliberation"


@pytest.fixture(params=[("sqlite", "warm"), ("sqlite", "cold"),
                        pytest.param(("postgres", "cold"), marks=pytest.mark.postgres)], ids="-".join)
def conventio(request, tmp_path):
    database, mode = request.param
    settings = sqlite_settings(tmp_path) if database == "sqlite" else \
        Settings.from_env(env={}, data_dir=tmp_path, database_url=request.getfixturevalue("postgres_url"))
    app = open_conventio(with_instances(settings, mode))
    yield app
    app.close()


def _versions(app, instance_id, template=EXTRACT):
    return [d for d in list_documents(app, instance_id, ADMIN) if d["template"] == template]


def _text(app, document):
    return docx_text(document_file(app, document["id"], ADMIN)[0])


def _adopted_deliberation(app):
    """CAP Nord's deliberation of 27 April 2023 (seed 003), voted, its extract to establish."""
    people = {role: user(app, f"{role}-capnord", role, CAP_NORD) for role in ("legal", "assembly", "president")}
    instance = start(app, "deliberation", scenario_start(SCENARIO), people["legal"], CAP_NORD, title="Stratégie")
    complete(app, instance, "rediger_projet_deliberation", scenario_data(SCENARIO, "rediger_projet_deliberation"),
             people["legal"])
    complete(app, instance, "convoquer_assemblee", {**scenario_data(SCENARIO, "convoquer_assemblee"),
             "date_envoi_convocation": "2023-04-19", "date_seance": "2023-04-27", "heure_seance": "17:00"},
             people["assembly"])
    complete(app, instance, "tenir_seance", {"membres_en_exercice": 53, "presents": 28, "procurations": 10,
                                             "absents": 15, "president_seance": "Bruno Nestor AZÉROT",
                                             "secretaire_seance": "Patricia PALMONT"}, people["assembly"])
    complete(app, instance, "voter_deliberation", {"mode_scrutin": "public", "pour": 38, "contre": 0,
                                                   "abstentions": 0, "vote_president": "pour"}, people["assembly"])
    return instance, people


def test_the_extract_is_made_again_after_its_signature_and_its_publication(conventio):
    app = conventio
    install(app)
    instance, people = _adopted_deliberation(app)
    made = complete(app, instance, "etablir_extrait", {**scenario_data(SCENARIO, "etablir_extrait"),
                                                        "numero_deliberation": "CC-04-2023-095"}, people["assembly"])
    [first] = _versions(app, instance)
    assert [d["id"] for d in made["documents"]] == [first["id"]]
    assert first["reason"] == "Généré à l’étape « Établir l'extrait du registre »"
    assert "Fait à Marigot, le ……………………." in _text(app, first)

    # signed before the sitting: the model sends the step back, the extract stays as it was
    refused = complete(app, instance, "signer_extrait", {"date_signature_extrait": "2023-04-20",
                       "signataire_extrait": "Le président", "certifie_exact": True}, people["president"])
    assert refused["sent_back"] and refused["documents"] == []
    assert [d["revision"] for d in _versions(app, instance)] == [1]

    signed = complete(app, instance, "signer_extrait", {"date_signature_extrait": "2023-05-30",
                      "signataire_extrait": "Le président", "certifie_exact": True}, people["president"])
    first_again, second = _versions(app, instance)
    assert first_again == first and second["revision"] == 2
    assert [d["id"] for d in signed["documents"]] == [second["id"]]
    assert second["reason"] == "Régénéré après « Signer l'extrait du registre » : date_extrait modifié"
    assert second["created_by"] == "president-capnord"
    assert "Fait à Marigot, le 30 mai 2023." in _text(app, second)

    complete(app, instance, "publier_transmettre", {
        "numero_acte": "CC042023_095", "nature_acte": 1, "date_publication": "2023-06-02",
        "date_transmission": "2023-06-02", "date_accuse_reception": "2023-06-02",
        "identifiant_accuse_reception": "972-200041788-20230602-CC042023_095-DE"}, people["assembly"])
    *_, third = _versions(app, instance)
    assert third["revision"] == 3
    assert third["reason"] == ("Régénéré après « Publier l'acte et le transmettre à la préfecture » : date_publication, "
                               "date_reception_prefecture, numero_accuse_reception modifiés")
    text = _text(app, third)
    assert "le 30 mai 2023" in text and "2 juin 2023" in text
    assert "972-200041788-20230602-CC042023_095-DE" in text
    journal = [e["summary"] for e in get_instance(app, instance, ADMIN)["history"] if e["action"] == "document"]
    assert journal == [f"Document « Extrait du registre des délibérations » généré (version {d['revision']}) : "
                       f"{d['reason']}" for d in (first, second, third)]


LETTER = definitions(process("extrait_seul", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("etablir", "Établir l'extrait", {"documents": EXTRACT}),
    user_task("annoter", "Annoter le dossier"),
    user_task("signer", "Signer l'extrait"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "etablir"), flow("f2", "etablir", "annoter"), flow("f3", "annoter", "signer"),
    flow("f4", "signer", "end"),
])))


def test_a_step_that_changes_nothing_printed_makes_no_version_and_on_demand_names_who(conventio):
    app = conventio
    deploy_xml(app, {"extrait_seul.bpmn": LETTER})
    data = {key: value for key, value in EXAMPLES[EXTRACT].items() if key != "date_extrait"}
    instance = start_instance(app, "extrait_seul", data, ADMIN, territory=CAP_NORD)["id"]
    complete_task(app, open_task(app, instance, "etablir"), {}, ADMIN)
    noted = complete_task(app, open_task(app, instance, "annoter"), {"note_interne": "vu"}, ADMIN)
    assert noted["documents"] == [] and [d["revision"] for d in _versions(app, instance)] == [1]
    complete_task(app, open_task(app, instance, "signer"), {"date_extrait": "2023-05-30"}, ADMIN)
    assert [d["reason"] for d in _versions(app, instance)] == [
        "Généré à l’étape « Établir l'extrait »",
        "Régénéré après « Signer l'extrait » : date_extrait modifié"]
    again = generate_document(app, instance, EXTRACT, ADMIN)
    assert again["reason"] == "Généré à la demande de Administrateur"
    assert _versions(app, instance)[-1]["reason"] == again["reason"]


def test_migration_0014_regen_upgrades_a_database_with_documents_and_goes_down(any_app):
    from sqlalchemy import inspect

    from helpers import downgrade
    from workflows.store.migrate import upgrade

    def columns():
        return {column["name"] for column in inspect(any_app.db.engine).get_columns("generated_document")}

    deploy_xml(any_app, {"extrait_seul.bpmn": LETTER})
    instance = start_instance(any_app, "extrait_seul", EXAMPLES[EXTRACT], ADMIN, territory=CAP_NORD)["id"]
    made = generate_document(any_app, instance, EXTRACT, ADMIN)
    downgrade(any_app.db, "0013_partners")
    assert "reason" not in columns()
    upgrade(any_app.db)   # the previous version's database, its document kept, without a reason
    assert "reason" in columns()
    [before] = list_documents(any_app, instance, ADMIN)
    assert (before["id"], before["checksum"], before["reason"]) == (made["id"], made["checksum"], None)
    assert document_file(any_app, before["id"], ADMIN)[0]
    after = generate_document(any_app, instance, EXTRACT, ADMIN)
    assert (after["revision"], after["reason"]) == (2, "Généré à la demande de Administrateur")
