"""Seed 000, the Collectivité de Saint-Martin, end to end: the conseil territorial's deliberation,
the convention ANCT, the purchase, the partners' conventions, the distribution by its seven publics
through the AIO service and Pôle emploi, the places' redemptions, the evaluation report.

The steps are the library's whole-chain scenario (tests/scenarios/pass_numerique_happy.json, replayed
as `conventio demo` replays it) with Saint-Martin's identity, council, prescribers and publics; its
dates (the 2027 programme), quantities, places and redemptions are the scenario's, and the handouts
per public below are this test's own (the seed gives no count). The seven publics, the two
prescribers and the PSAD's young people as PIC public are the seed's. Run warm and cold: each step
then loads the instance afresh from the database."""
import json

import pytest
from sqlalchemy import select

from deployment_helpers import SCENARIOS, install, user
from documents.conftest import docx_text, table_rows
from helpers import WARM_AND_COLD, sqlite_settings, with_instances
from server.demo_deployments import IDENTITIES, territory_steps
from server.demo_replay import Replay
from test_seed_000_saint_martin import LABELS, SEVEN
from workflows.services.dashboard_territory import territory_dashboard
from workflows.services.documents import document_file, list_documents
from workflows.services.instances import get_instance
from workflows.store.models import AuditEntry, TaskRecord

pytestmark = pytest.mark.slow
AIO, PE = "Service AIO de la Collectivité", "Pôle emploi Saint-Martin"
RENAMED = {"CCAS du Lorrain": AIO, "France Travail Martinique Nord": PE}
ROLES = ("legal", "assembly", "president", "elected", "director", "buyer", "finance", "dgs", "anct", "mediation")
# this test's own: {public: (prescriber, booklets per person, people, of whom in a priority
# neighbourhood, passes used)}; the AIO service hands booklets of 5, Pôle emploi booklets of 10
HANDED = {"femme_16_25": (AIO, 1, 2, 1, 5), "beneficiaire_rsa": (PE, 2, 1, 0, 15),
          "demandeur_emploi": (PE, 2, 2, 1, 30), "jeune_quartier_excentre": (AIO, 1, 1, 1, 0),
          "personne_handicap": (AIO, 1, 1, 0, 0), "jeune_psad": (AIO, 1, 2, 0, 5), "senior": (AIO, 1, 1, 0, 5)}
# the convention's form offers the library's four categories only, not the territory's publics
# (bpmn/convention_partenaire's publics_vises): the seven mapped onto them, this test's own reading
PUBLICS_OF = {AIO: ["pic", "senior", "jeune", "autre"], PE: ["autre"]}


@pytest.fixture(params=WARM_AND_COLD)
def settings(request, tmp_path):
    return with_instances(sqlite_settings(tmp_path), request.param)


def _handouts():
    """The ledger's handouts by public, in the scenario's format, and each prescriber's booklets used."""
    steps, numbers = [], {AIO: iter(range(1, 601)), PE: iter(range(1, 1001))}
    for public, (prescriber, booklets, people, in_priority_area, _) in HANDED.items():
        prefix = "PN05" if prescriber == AIO else "PN10"
        for person in range(people):
            steps.append({"ledger": "hand_out", "with": {
                "prescriber": prescriber, "public": public, "identifier": f"SXM-{public}-{person}",
                "on": "2027-09-02", "priority_area": person < in_priority_area,
                "serials": [f"{prefix}-{next(numbers[prescriber]):06d}" for _ in range(booklets)]}})
    return steps, {name: next(numbers[name]) for name in numbers}


def _saint_martin_steps():
    steps = json.loads(_renamed((SCENARIOS / "pass_numerique_happy.json").read_text()))["steps"]
    handouts, next_free = _handouts()
    replaced = []
    for step in territory_steps(steps, "978"):
        if step.get("ledger") == "hand_out":
            replaced, handouts = replaced + handouts, []   # the scenario's six, Saint-Martin's publics instead
            continue
        if step.get("ledger") == "return_to_stock":
            prefix, name = ("PN05", AIO) if step["with"]["prescriber"] == AIO else ("PN10", PE)
            step = {**step, "with": {**step["with"], "ranges": [{**step["with"]["ranges"][0],
                                                                  "premier": f"{prefix}-{next_free[name]:06d}"}]}}
        if step.get("task") == "rediger_convention_mandat":
            step = {**step, "data": {**step["data"], "publics_vises": PUBLICS_OF[step["where"]["partenaire.nom"]]}}
        if step.get("task") == "rediger_rapport_evaluation":
            step = {**step, "data": {**step["data"], **_report_figures()}}
        replaced.append(step)
    return replaced


def _renamed(text):
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    return text


def _report_figures():
    used = {name: sum(h[4] for h in HANDED.values() if h[0] == name) for name in (AIO, PE)}
    return {"synthese": "Dix personnes des sept publics retenus ont reçu leurs carnets du service AIO ou de "
                        "Pôle emploi.",
            "pass_utilises_par_prescripteur": [{"prescripteur": n, "pass_utilises": u} for n, u in used.items()],
            "pass_utilises_par_public": [{"public": p, "pass_utilises": h[4]} for p, h in HANDED.items()]}


@pytest.fixture
def saint_martin(app):
    install(app)
    people = {role: user(app, f"{role}-978", role, "978") for role in ROLES}
    agents = {AIO: user(app, "agent-aio", "prescriber", "978"), PE: user(app, "agent-pe", "prescriber", "978")}
    return {**people, "prescriber": agents[AIO]}, agents


def test_saint_martins_chain_from_its_deliberation_to_its_evaluation_by_its_seven_publics(app, saint_martin):
    people, agents = saint_martin
    replay = Replay(app, people, people["legal"], people["director"], agents=agents)
    instance = replay.run("pass_numerique", _saint_martin_steps(), "978", "Pass numérique 2027 – Saint-Martin",
                          IDENTITIES["978"])
    state = get_instance(app, instance, people["director"])
    assert state["status"] == "completed"
    data = state["data"]
    assert (data["deliberation_executoire"], data["convention_anct_executoire"], data["achat_realise"]) == \
        (True, True, True)
    indicators = data["indicateurs"]
    passes = {p: h[1] * h[2] * (5 if h[0] == AIO else 10) for p, h in HANDED.items()}
    assert indicators["passes_remis_par_public"] == passes
    assert indicators["beneficiaires_par_public"] == {p: h[2] for p, h in HANDED.items()}
    assert (indicators["passes_achetes"], indicators["passes_remis"], indicators["passes_encaisses"]) == \
        (20000, 95, 60)
    assert (indicators["passes_remis_pic"], indicators["beneficiaires_qpv"]) == (10, 3)
    assert _closed_by(app, "remettre_carnets_beneficiaires") == ["agent-aio", "agent-pe"]   # each its own
    figures = territory_dashboard(app, people["director"], "978")
    assert (figures["handed"], figures["beneficiaries"], figures["priority_area_pct"]) == (95, 10, 30.0)
    _check_the_report(app, people, instance, passes)


def _closed_by(app, bpmn_id):
    """Who completed the tasks `bpmn_id`, as the journal has it."""
    with app.db.sessions() as session:
        return sorted(session.scalars(select(AuditEntry.actor).join(TaskRecord, TaskRecord.id == AuditEntry.task_id)
                                      .where(TaskRecord.bpmn_id == bpmn_id, AuditEntry.role == "prescriber")).all())


def _check_the_report(app, people, instance, passes):
    [document] = [d for d in list_documents(app, instance, people["director"]) if d["template"] == "rapport_evaluation"]
    content, _, _ = document_file(app, document["id"], people["director"])
    rows, text = table_rows(content), docx_text(content)
    assert "Collectivité de Saint-Martin" in text
    by_public = [row for row in rows if row[0] in LABELS.values()]
    assert [row[:5] for row in by_public] == [
        [LABELS[p], "oui" if p == "jeune_psad" else "non", str(HANDED[p][2]), str(passes[p]), str(HANDED[p][4])]
        for p in SEVEN]
    assert [AIO, "7", "35", "15", "42,9 %"] in rows and [PE, "3", "60", "45", "75 %"] in rows
    assert ["Total", "", "10", "95", "60", "63,2 %"] in rows
    assert ["Part des pass remis au public PIC", "10,5 % (objectif : au moins 50 %, non atteint)"] in rows
    assert ["Pass distribués", "95"] in rows and ["Bénéficiaires", "10"] in rows and ["Pass utilisés", "60"] in rows
    assert "Part des bénéficiaires habitant un quartier prioritaire de la politique de la ville : 30 % " \
           "(3 sur 10)." in text
