"""Along the chain, every step that names documents produces them from what the instance
holds: scenarios of tests/scenarios run through the services (forms validated, timers
fired), then the generated .docx are opened and read.
"""
import json
from collections import Counter

import pytest
from lxml import etree
from sqlalchemy import select

from documents.conftest import docx_text, table_rows
from helpers import ADMIN, WARM_AND_COLD, sqlite_settings, with_instances
from test_library import LIBRARY, NS, SCENARIOS, run_scenario
from workflows.documents import render_document
from workflows.services import ledger, open_conventio
from workflows.services.deploy import deploy_paths
from workflows.services.documents import document_file, list_documents
from workflows.services.instances import get_instance
from workflows.store.models import GeneratedDocument, LedgerCampaign, TaskRecord

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
HAPPY, OPEN_TENDER = "pass_numerique_happy", "achat_public_appel_offres"
CARAIBES = "Chèques & Services Caraïbes SARL"
PER_RECIPIENT = {"lettre_rejet"}   # made one per evicted candidate
# Steps beside a parallel branch: their documents must be made from the step's own data,
# not from whatever task of the instance moved last. (The beneficiary's letter goes with
# each handout recorded in the ledger, no longer with the prescriber's closing step.)
BRANCH_STEPS = {"notifier_marche_ao"}


def _documents_named_by_step():
    named = {}
    for path in LIBRARY.glob("*.bpmn"):
        for task in etree.parse(str(path)).getroot().iter(f"{{{NS['bpmn']}}}userTask"):
            for prop in task.iter(f"{{{SPIFF}}}property"):
                if prop.get("name") == "documents":
                    named[task.get("id")] = [d.strip() for d in prop.get("value").split(",") if d.strip()]
    return named


NAMED = _documents_named_by_step()


class Runs(dict):
    """Scenario name -> instance id, each scenario run once when first asked for: a scenario
    that cannot run fails its own tests, not the other's."""

    def __init__(self, app):
        super().__init__()
        self.app, self.failed = app, {}

    def __missing__(self, name):
        if name in self.failed:
            pytest.fail(f"le scénario {name} n'a pas pu être déroulé : {self.failed[name]}")
        try:
            self[name] = run_scenario(self.app, json.loads((SCENARIOS / f"{name}.json").read_text()))["id"]
        except Exception as exc:
            self.failed[name] = exc
            raise
        return self[name]

    def values(self):
        return [self[name] for name in (HAPPY, OPEN_TENDER)]


@pytest.fixture(scope="module", params=WARM_AND_COLD)
def chain(request, tmp_path_factory):
    """The happy chain and the open tender, each run once on their own Conventio, warm then cold."""
    app = open_conventio(with_instances(sqlite_settings(tmp_path_factory.mktemp("chain_documents")),
                                        request.param))
    deploy_paths(app, [LIBRARY], ADMIN)
    yield app, Runs(app)
    app.close()


def _completed_steps(app, instance_id):
    """[(task id, bpmn id, data)] of the completed steps that name documents."""
    with app.db.sessions() as session:
        rows = session.execute(select(TaskRecord).where(
            TaskRecord.instance_id == instance_id, TaskRecord.state == "completed",
            TaskRecord.manual.is_(True), TaskRecord.bpmn_id.in_(NAMED))
            .order_by(TaskRecord.seq)).scalars().all()
    return [(row.id, row.bpmn_id, json.loads(row.body).get("data", {})) for row in rows]


def _evicted(data):
    """The candidates a rejection letter goes to, read from the step's data: every offer but the holder's."""
    return [offer["candidat"] for offer in data.get("offres", []) if offer["candidat"] != data.get("titulaire")]


def _recipients(template, data):
    return _evicted(data) if template in PER_RECIPIENT else [None]


def _sent_back(app, instance_id):
    """The steps the model's own checks sent back for correction: they make no document."""
    history = get_instance(app, instance_id, ADMIN)["history"]
    return {entry["task_id"] for entry in history if entry["action"] == "document_differe"}


def _expected(app, instance_id, steps):
    """(task, template, recipient): once each; a rejection letter per evicted candidate."""
    sent_back = _sent_back(app, instance_id)
    return Counter((task_id, template, recipient) for task_id, bpmn_id, data in _completed_steps(app, instance_id)
                   if bpmn_id in steps and task_id not in sent_back
                   for template in NAMED[bpmn_id] for recipient in _recipients(template, data))


def _generated(app, instance_id):
    return Counter((d["task_id"], d["template"], d["recipient"]) for d in list_documents(app, instance_id, ADMIN))


def _content(app, instance_id, template, recipient=None):
    """The .docx of the current version of `template` (for `recipient`) on the instance: later
    steps make new versions of a document whose printed data they change (signature, publication)."""
    *_earlier, document_id = [d["id"] for d in list_documents(app, instance_id, ADMIN)
                              if d["template"] == template and (recipient is None or d["recipient"] == recipient)]
    return document_file(app, document_id, ADMIN)[0]


def _text(app, instance_id, template, recipient=None):
    return docx_text(_content(app, instance_id, template, recipient))


@pytest.mark.parametrize("scenario", [HAPPY, OPEN_TENDER])
def test_every_step_produces_once_each_document_it_names(chain, scenario):
    app, runs = chain
    instance_id = runs[scenario]
    expected = _expected(app, instance_id, set(NAMED))
    generated = _generated(app, instance_id)
    assert expected and {key: generated[key] for key in expected} == expected
    history = get_instance(app, instance_id, ADMIN)["history"]
    failed_steps = {bpmn_id for task_id, bpmn_id, _ in _completed_steps(app, instance_id)
                    if any(e["task_id"] == task_id for e in history if e["action"] == "document_echec")}
    assert failed_steps == set()


def test_the_happy_chain_produces_every_template_of_the_library(chain):
    app, runs = chain
    produced = {template for _task_id, template, _recipient in _generated(app, runs[HAPPY])}
    assert produced >= {template for templates in NAMED.values() for template in templates}


def test_the_extract_shows_the_counts_and_the_names_of_the_sitting(chain):
    app, runs = chain
    text = _text(app, runs[HAPPY], "extrait_deliberation")
    for fragment in ("DU CONSEIL COMMUNAUTAIRE", "Séance du jeudi 25 mars 2027 à 17 h 00",
                     "Délibération n° CC-03-2027-027", "Membres en exercice 53", "Membres présents 28",
                     "Membres représentés 10", "Votants 38", "Quorum 27 – atteint",
                     "Présidence Bruno Nestor AZÉROT", "Secrétaire de séance Patricia PALMONT",
                     "Patricia Athanase PALMONT", "Annick CHARLEC", "Lucien SAINT-JEAN-THÉRÈSE",
                     "Maurice BONTÉ", "Jean-Michel Ulrich COTRÉBIL", "À l'unanimité",
                     "Vu la délibération du Conseil communautaire n° CC-07-2019-098",
                     "Article 4 – D'autoriser le Président à lancer la procédure d'achat public"):
        assert fragment in text, fragment
    assert ["38", "38", "0", "0", "0", "38"] in table_rows(_content(app, runs[HAPPY], "extrait_deliberation"))


def test_the_anct_convention_states_its_amounts_in_letters(chain):
    app, runs = chain
    text = _text(app, runs[HAPPY], "convention_anct")
    assert "20 000 Pass numériques d'une valeur faciale unitaire de 10,00 €, soit 200 000,00 € " \
           "(deux cent mille euros)" in text
    assert "Elle ne peut excéder 100 000,00 € (cent mille euros)" in text
    assert "représentée par Claire DUMONT, Directrice générale déléguée de l'ANCT" in text
    assert "délibération n° CC-03-2027-027 du 25 mars 2027" in text


def test_the_rejection_letter_states_the_standstill_on_the_open_tender_path_only(chain):
    app, runs = chain
    tender = _text(app, runs[OPEN_TENDER], "lettre_rejet", CARAIBES)
    assert "Lettre recommandée avec avis de réception" in tender
    assert "délai de 16 jours à compter de l'envoi de la présente lettre, soit pas avant le " \
           "1er juillet 2027" in tender
    assert CARAIBES in tender and "appel d'offres ouvert" in tender
    adapted = _text(app, runs[HAPPY], "lettre_rejet")
    assert "Délai de suspension" not in adapted and "procédure adaptée (MAPA)" in adapted


def test_the_open_tender_sends_each_evicted_candidate_its_own_letter_once(chain):
    app, runs = chain
    instance_id = runs[OPEN_TENDER]
    [(task_id, _bpmn_id, data)] = [step for step in _completed_steps(app, instance_id)
                                   if step[1] == "informer_candidats_evinces"]
    evicted = _evicted(data)
    assert len(evicted) >= 2, "le scénario doit évincer plusieurs candidats"
    letters = [d for d in list_documents(app, instance_id, ADMIN) if d["template"] == "lettre_rejet"]
    assert sorted((d["recipient"], d["task_id"], d["revision"]) for d in letters) == sorted(
        (name, task_id, 1) for name in evicted)
    addresses = {offer["candidat"]: offer["adresse"] for offer in data["offres"]}
    for name in evicted:
        text = _text(app, instance_id, "lettre_rejet", name)
        rows = table_rows(_content(app, instance_id, "lettre_rejet", name))
        assert name in text and addresses[name] in text and data["titulaire"] in text
        assert "délai de 16 jours" in text
        assert not [other for other in evicted if other != name and other in text]
        for note in data["notes_offres"]:
            row = [note["critere"], note["note_candidat"], note["note_attributaire"]]
            assert (row in rows) == (note["candidat"] == name), (name, row)


def test_branch_steps_documents_show_their_own_step_data(chain):
    app, runs = chain
    built = {}
    for instance_id in runs.values():
        for _task_id, bpmn_id, data in _completed_steps(app, instance_id):
            if bpmn_id in BRANCH_STEPS:
                for template in NAMED[bpmn_id]:
                    built.setdefault(template, []).append(docx_text(render_document(template, data).content))
    [notification] = built["notification_attribution"]
    assert "258 750,00 € HT (deux cent cinquante-huit mille sept cent cinquante euros)" in notification


def test_branch_steps_produce_their_documents_along_the_chain(chain):
    app, runs = chain
    for instance_id in runs.values():
        expected = _expected(app, instance_id, BRANCH_STEPS)
        assert {key: _generated(app, instance_id)[key] for key in expected} == expected


def test_the_evaluation_report_shows_the_ledger_s_figures(chain):
    app, runs = chain
    with app.db.sessions() as session:
        campaign = session.execute(select(LedgerCampaign.id).where(
            LedgerCampaign.instance_id == runs[HAPPY])).scalar_one()
    handed = ledger.campaign_figures(app, campaign, ADMIN)["passes_remis"]
    rows = table_rows(_content(app, runs[HAPPY], "rapport_evaluation"))
    assert handed == 105 and ["Pass distribués", "105"] in rows
    assert ["CCAS du Lorrain", "3", "15", "15", "100 %"] in rows
    assert ["France Travail Martinique Nord", "3", "90", "45", "50 %"] in rows
    assert ["Seniors (60 ans et plus)", "non", "3", "15", "15", "100 %"] in rows


def _partner(app, document_id):
    with app.db.sessions() as session:
        return json.loads(session.get(GeneratedDocument, document_id).data_json)["partenaire"]["nom"]


@pytest.mark.parametrize("template", ["convention_mandat", "convention_lieu_mediation"])
def test_each_partner_s_convention_is_made_again_after_its_own_signature(chain, template):
    """The partners are conventioned in a loop: each iteration's signature remakes that
    iteration's convention, from that partner's data, never another's."""
    app, runs = chain
    versions = [d for d in list_documents(app, runs[HAPPY], ADMIN) if d["template"] == template]
    made = [d for d in versions if d["reason"].startswith("Généré à l’étape")]
    remade = [d for d in versions if d["reason"] == "Régénéré après « Signer la convention » : date_signature modifié"]
    assert len(made) >= 2 and len(remade) == len(made) and len(versions) == 2 * len(made)
    assert sorted(_partner(app, d["id"]) for d in remade) == sorted(_partner(app, d["id"]) for d in made)
    for document in remade:
        assert _partner(app, document["id"]) in docx_text(document_file(app, document["id"], ADMIN)[0])
