"""`conventio demo` on a fresh SQLite: the five deployments at their stages, as a newcomer logging
in as CAP Nord's DGS or legal staff, the hub's observer or a DGAS of the syndicat's départements
finds them; run again, it changes nothing."""
import pytest
from click.testing import CliRunner

from deployment_helpers import footprint
from documents.conftest import table_rows
from helpers import sqlite_settings
from server.commands import demo
from workflows.services import open_conventio
from workflows.services.dashboard import dashboard
from workflows.services.dashboard_territory import territory_dashboard
from workflows.services.documents import document_file, list_documents
from workflows.services.ledger_figures import campaigns, holdings
from workflows.services.ledger_letter import handout_letter
from workflows.services.instances import get_instance
from workflows.services.roster import sitting_roster
from workflows.services.tasks import list_tasks
from workflows.services.users import authenticate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    conventio = open_conventio(sqlite_settings(tmp_path_factory.mktemp("demo")))
    first = CliRunner().invoke(demo, ["--password", "demo"], obj=conventio)
    assert first.exit_code == 0, first.output
    yield conventio, first.output
    conventio.close()


def login(conventio, username):
    actor = authenticate(conventio, username, "demo")
    assert actor is not None, username
    return actor


def chains(conventio, actor):
    return {c["title"]: c for c in dashboard(conventio, actor)["chains"]}


def open_steps(conventio, chain, actor):
    return sorted(t["bpmn_id"] for t in get_instance(conventio, chain["instance_id"], actor)["open_tasks"])


def test_the_dgs_of_cap_nord_finds_a_finished_programme_and_the_next_one_under_way(loaded):
    conventio, output = loaded
    assert "Saint-Martin, La Réunion, Seine-et-Yvelines, hub Antilles-Guyane) : chargés." in output and "hub " in output and "dgas78 " in output
    dgs = login(conventio, "dgs")
    seen = chains(conventio, dgs)
    assert set(seen) == {"Pass numérique 2027 – CAP Nord Martinique", "Pass numérique – CAP Nord Martinique"}
    finished = seen["Pass numérique 2027 – CAP Nord Martinique"]
    assert finished["status"] == "completed"
    documents = {d["template"]: d for d in list_documents(conventio, finished["instance_id"], dgs)}
    assert "extrait_deliberation" in documents
    report, _, _ = document_file(conventio, documents["rapport_evaluation"]["id"], dgs)
    assert ["Pass distribués", "105"] in table_rows(report)   # the whole-chain scenario's handouts
    figures = territory_dashboard(conventio, dgs, "cap-nord")
    assert figures["handed"] > 0 and figures["redeemed"] > 0
    assert {"plie_demandeur_emploi", "senior"} <= {p["public"] for p in figures["by_public"]}
    # the legal staff's inbox: the next convention ANCT to draft
    assert [t["bpmn_id"] for t in list_tasks(conventio, login(conventio, "juriste"))] == ["rediger_convention_anct"]
    # CAP Nord's council has its roster: the next sitting is ticked member by member
    roster = sitting_roster(conventio, login(conventio, "assemblees"), "cap-nord", "conseil_communautaire", None)
    assert (len(roster["members"]), roster["quorum"]) == (53, 27)


def test_the_syndicat_prepared_and_each_dgas_has_its_decision_waiting(loaded):
    conventio, _ = loaded
    syndicat = chains(conventio, login(conventio, "juriste-syn"))
    assert {c["territory"] for c in syndicat.values()} == {"78", "92"}
    dgas78 = login(conventio, "dgas78")
    assert [t["bpmn_id"] for t in list_tasks(conventio, dgas78)] == ["examiner_convention_anct"]
    assert open_steps(conventio, syndicat["Pass numérique – Hauts-de-Seine"], login(conventio, "dgas92")) == \
        ["tenir_seance"]
    assert {f["territory"] for f in dashboard(conventio, dgas78)["funnel"]} == {"78"}


def test_saint_martin_is_late_on_the_issuers_proof_and_the_hub_follows_it(loaded):
    conventio, _ = loaded
    hub = login(conventio, "hub")
    seen = chains(conventio, hub)
    assert {c["territory"] for c in seen.values()} == {"978", "cap-nord"}
    assert open_steps(conventio, seen["Pass numérique – Saint-Martin"], hub) == \
        ["relancer_emetteur_bat", "valider_bon_a_tirer"]
    assert list_tasks(conventio, hub) == []
    # the step is late at load: the issuer's proof was due a fortnight ago
    [late] = dashboard(conventio, hub)["late_tasks"]
    assert (late["territory"], late["name"], late["overdue"]) == ("978", "Valider le bon à tirer de l'émetteur", True)
    publics = territory_dashboard(conventio, hub, "978")["by_public"]
    assert len(publics) == 7 and sum(p["beneficiaries"] for p in publics) == 31


def test_la_reunion_distributes_the_states_thousand_booklets_of_five_through_its_relays(loaded):
    conventio, _ = loaded
    prefecture = login(conventio, "prefecture974")
    [chain] = chains(conventio, prefecture).values()
    assert (chain["process_id"], chain["phase"]) == ("pass_numerique_etat", "distribution")
    assert open_steps(conventio, chain, prefecture).count("remettre_carnets_beneficiaires") == 4
    figures = territory_dashboard(conventio, prefecture, "974")
    assert figures["by_format"][0]["size"] == 5 and figures["by_format"][0]["received"] == 1000
    assert figures["received"] == 5000 and figures["handed"] == 30 * 5
    assert figures["priority_area_pct"] == 100.0
    assert chains(conventio, login(conventio, "solidarnum")).keys() == {chain["title"]}
    # a handout's letter of rights, from the ledger: the places Solidarnum referenced
    [campaign] = [c["id"] for c in campaigns(conventio, prefecture) if c["instance_id"] == chain["instance_id"]]
    handout = holdings(conventio, campaign, prefecture, "Relais CAF")["remises"][0]
    letter, _ = handout_letter(conventio, campaign, handout["mouvement"], prefecture)
    assert ["Cyberbase du Port", "Rue Évariste de Parny", "Le Port", "", ""] in table_rows(letter)


def test_handouts_are_recorded_in_every_deployments_ledger(loaded):
    conventio, _ = loaded
    admin = login(conventio, "admin")
    handed = {code: territory_dashboard(conventio, admin, code)["handed"]
              for code in ("cap-nord", "978", "78", "92", "974")}
    assert all(handed.values()), handed


def test_run_again_it_changes_nothing(loaded):
    conventio, _ = loaded
    before = footprint(conventio)
    again = CliRunner().invoke(demo, ["--password", "demo"], obj=conventio)
    assert again.exit_code == 0, again.output
    assert "hub Antilles-Guyane) : déjà chargés, rien n’a changé." in again.output
    assert footprint(conventio) == before
