"""Seed 002, Seine-et-Yvelines Numérique, end to end: for the 2027 campaign the syndicat's staff
prepare every step of the Pass numérique chain (deliberation, convention ANCT, procurement, partners'
conventions, ledger, evaluation) for the Yvelines (78) and the Hauts-de-Seine (92), and each
département's own roles (its DGAS, its président, its élus) take the decisions; the syndicat's
director, président and élus are refused each of them, nothing changed.

The steps are the library's whole-chain scenario (tests/scenarios/pass_numerique_happy.json, replayed
as `conventio demo` replays it), with each département's identity and council: its counts of
booklets, handouts and redemptions are the scenario's, not the seed's (the seed's one figure, 36,000
people over three years, is split neither by département nor by year). Run warm and cold: each step
then loads the instance afresh from the database."""
import json

import pytest

from deployment_helpers import SCENARIOS, SYN, footprint, install, user
from documents.conftest import docx_text, table_rows
from helpers import WARM_AND_COLD, sqlite_settings, with_instances
from server.demo_deployments import IDENTITIES, territory_steps
from server.demo_replay import Replay
from workflows.errors import Forbidden
from workflows.roles import DECIDING_ROLES
from workflows.services.dashboard import dashboard
from workflows.services.dashboard_territory import follow_up, territory_dashboard
from workflows.services.documents import document_file, list_documents
from workflows.services.instances import get_instance
from workflows.services.tasks import complete_task

pytestmark = pytest.mark.slow
DEPARTEMENTS = {"78": "Département des Yvelines", "92": "Département des Hauts-de-Seine"}
STEPS = json.loads((SCENARIOS / "pass_numerique_happy.json").read_text())["steps"]
# the syndicat prepares: the daily work of every lane that does not decide
SYNDICAT_ROLES = ("legal", "buyer", "finance", "assembly", "dgs")


@pytest.fixture(params=WARM_AND_COLD)
def settings(request, tmp_path):
    return with_instances(sqlite_settings(tmp_path), request.param)


@pytest.fixture
def syndicat(app):
    install(app)
    people = {role: user(app, f"{role}-syn", role, SYN) for role in SYNDICAT_ROLES + tuple(DECIDING_ROLES)}
    people["anct"] = user(app, "anct-idf", "anct", *DEPARTEMENTS)
    return people


def _departement(app, code):
    """The département's own deciding roles and its partners' accounts."""
    return {**{role: user(app, f"{role}-{code}", role, code) for role in DECIDING_ROLES},
            "prescriber": user(app, f"prescripteur-{code}", "prescriber", code),
            "mediation": user(app, f"lieu-{code}", "mediation", code)}


def _refused_to_the_syndicat(app, syndicat, decisions):
    """Before each decision, the syndicat's account of the same role tries it: refused, nothing changed."""
    def attempt(instance_id, task, data):
        if task["role"] not in DECIDING_ROLES:
            return
        before = footprint(app)
        with pytest.raises(Forbidden) as refused:
            complete_task(app, task["id"], data, syndicat[task["role"]])
        assert refused.value.message.startswith("Cette décision revient au territoire ")
        assert footprint(app) == before
        decisions.append(task["bpmn_id"])
    return attempt


def _chain(app, syndicat, code):
    people = {**{role: syndicat[role] for role in SYNDICAT_ROLES + ("anct",)}, **_departement(app, code)}
    decisions = []
    replay = Replay(app, people, syndicat["legal"], syndicat["director"],
                    before_task=_refused_to_the_syndicat(app, syndicat, decisions))
    instance = replay.run("pass_numerique", territory_steps(STEPS, code), code, f"Pass numérique 2027 – {code}",
                          IDENTITIES[code])
    return instance, replay.campaign, decisions


def _report(app, syndicat, instance, code):
    [document] = [d for d in list_documents(app, instance, syndicat["legal"]) if d["template"] == "rapport_evaluation"]
    content, _, _ = document_file(app, document["id"], syndicat["legal"])
    assert DEPARTEMENTS[code] in docx_text(content)
    return table_rows(content)


def test_the_syndicat_prepares_the_whole_chain_of_each_departement_and_each_decides(app, syndicat):
    chains = {code: _chain(app, syndicat, code) for code in DEPARTEMENTS}
    for code, (instance, campaign, decisions) in chains.items():
        # the extract of the deliberation, the convention's review and signature, the market's,
        # the partners' conventions, the report's approval: each the département's
        assert {"signer_extrait", "examiner_convention_anct", "signer_convention_anct", "signer_marche",
                "approuver_rapport_evaluation"} <= set(decisions), decisions
        state = get_instance(app, instance, syndicat["legal"])
        assert state["status"] == "completed"
        data = state["data"]
        assert (data["deliberation_executoire"], data["convention_anct_executoire"], data["achat_realise"]) == \
            (True, True, True)
        indicators = data["indicateurs"]
        assert (indicators["passes_achetes"], indicators["passes_remis"], indicators["passes_encaisses"]) == \
            (20000, 105, 60)
        assert indicators["beneficiaires_par_public"] == {"pic": 1, "plie_demandeur_emploi": 2, "senior": 3}
        rows = _report(app, syndicat, instance, code)
        assert ["Pass commandés", "20 000"] in rows and ["Pass distribués", "105"] in rows
        assert ["Bénéficiaires", "6"] in rows and ["Pass utilisés", "60"] in rows
    # the joint figures of the syndicat's grouping: the sum of the départements'
    own = {code: territory_dashboard(app, syndicat["director"], code) for code in DEPARTEMENTS}
    assert {code: (f["received"], f["handed"], f["beneficiaries"]) for code, f in own.items()} == \
        {code: (20000, 105, 6) for code in DEPARTEMENTS}
    lines = {line["territory"]: line for line in follow_up(app, syndicat["director"], SYN)["lines"]}
    assert set(lines) == set(DEPARTEMENTS)
    for key in ("received", "handed", "pic_handed"):
        assert {code: lines[code][key] for code in DEPARTEMENTS} == {code: own[code][key] for code in DEPARTEMENTS}
    # together (the follow-up has no total line: the syndicat's figures are its lines' sum)
    assert [sum(line[key] for line in lines.values()) for key in ("received", "handed", "pic_handed")] == \
        [sum(f[key] for f in own.values()) for key in ("received", "handed", "pic_handed")] == [40000, 210, 180]
    assert {f["territory"]: f["handed"] for f in dashboard(app, syndicat["director"])["funnel"]} == \
        {"78": 105, "92": 105}
