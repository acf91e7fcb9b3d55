"""Seed 002, Seine-et-Yvelines Numérique: the syndicat mixte runs the engineering (answering the
call, the conventions with the State, the daily ledger) for the Yvelines (78) and the
Hauts-de-Seine (92), whose own DGAS and assemblies take the decisions; figures per département and
together, a campaign a year.

The seed's one figure, 36,000 people over three years, is not split by département or year: the
counts here are this test's own, small enough to hand out one by one."""
from datetime import date

import pytest

from deployment_helpers import (
    SYN, anct_convention_at_review, campaign, complete, footprint, install, open_task, serials, user,
)
from workflows.errors import Forbidden
from workflows.services import ledger
from workflows.services.dashboard import dashboard
from workflows.services.dashboard_territory import follow_up, territory_dashboard
from workflows.services.instances import get_instance
from workflows.services.tasks import complete_task, list_tasks

DEPARTEMENTS = {"78": "Département des Yvelines", "92": "Département des Hauts-de-Seine"}


@pytest.fixture
def syndicat(app):
    install(app)
    people = {"legal": user(app, "juriste-syn", "legal", SYN), "director": user(app, "direction-syn", "director", SYN),
              "president": user(app, "president-syn", "president", SYN),
              "anct": user(app, "anct-idf", "anct", *DEPARTEMENTS)}
    for code in DEPARTEMENTS:
        people[f"dgas-{code}"] = user(app, f"dgas-{code}", "director", code)
        people[f"president-{code}"] = user(app, f"president-{code}", "president", code)
        people[f"agent-{code}"] = user(app, f"agent-{code}", "prescriber", code)
    return people


def test_the_syndicat_prepares_each_convention_and_each_departement_decides(app, syndicat):
    legal, director, president = syndicat["legal"], syndicat["director"], syndicat["president"]
    instances = {code: anct_convention_at_review(app, legal, code, "FR", name, f"Convention ANCT – {code}")
                 for code, name in DEPARTEMENTS.items()}
    # the syndicat's director sees both reviews but its inbox offers neither: they are the DGAS'
    assert not [t for t in list_tasks(app, director) if t["bpmn_id"] == "examiner_convention_anct"]
    for code, instance in instances.items():
        review = open_task(app, instance, "examiner_convention_anct")
        before = footprint(app)
        with pytest.raises(Forbidden) as refused:
            complete_task(app, review, {"decision": "approuver"}, director)
        assert refused.value.message == (f"Cette décision revient au territoire « {code} » : son propre rôle "
                                         "« Direction » la prend.")
        assert footprint(app) == before
        complete_task(app, review, {"decision": "approuver"}, syndicat[f"dgas-{code}"])
        signature = {"date_signature_convention_anct": "2027-04-10", "signataire_convention_anct": "Le président",
                     "qualite_signataire_convention_anct": "Président du conseil départemental"}
        with pytest.raises(Forbidden):
            complete_task(app, open_task(app, instance, "signer_convention_anct"), signature, president)
        complete(app, instance, "signer_convention_anct", signature, syndicat[f"president-{code}"])
        complete(app, instance, "contresigner_convention_anct",
                 {"date_contresignature_anct": "2027-04-24", "numero_convention_anct": f"ANCT-PN-2027-{code}"},
                 syndicat["anct"])
        # the transmission to the préfecture is the syndicat's daily work again
        complete(app, instance, "transmettre_convention_anct_prefecture",
                 {"date_transmission_convention_anct": "2027-04-27", "numero_acte_convention_anct": f"CONV_{code}_01",
                  "nature_acte_convention_anct": 4, "date_accuse_reception_convention_anct": "2027-04-28"}, legal)
        state = get_instance(app, instance, legal)
        assert state["status"] == "completed" and state["data"]["convention_anct_executoire"] is True
    # and a DGAS decides for its own département only
    with pytest.raises(Forbidden):
        ledger.open_campaign(app, "92", syndicat["dgas-78"])


def _year(app, syndicat, code, year, tens, handed_pic, handed_senior):
    """One year's campaign of a département, run day to day by the syndicat's director; the
    département's own prescriber hands the booklets out."""
    director, agent = syndicat["director"], syndicat[f"agent-{code}"]
    prefix = f"{code}-{year}"
    opened = campaign(app, code, director, {"Travailleurs sociaux": (agent.username, {10: tens, 5: 10})},
                      {10: tens, 5: 10}, date(year, 3, 1), year)
    ledger.endow(app, opened, director, prescriber="Travailleurs sociaux", on=date(year, 4, 1), count=handed_pic,
                 booklet_size=10)
    ledger.endow(app, opened, director, prescriber="Travailleurs sociaux", on=date(year, 4, 1), count=handed_senior,
                 booklet_size=5)
    held = serials(code, 10, 1, handed_pic) + serials(code, 5, 1, handed_senior)
    for n, serial in enumerate(held):
        ledger.hand_out(app, opened, agent, prescriber="Travailleurs sociaux", on=date(year, 5, 2),
                        public="pic" if serial in held[:handed_pic] else "senior", identifier=f"{prefix}-{n}",
                        serials=[serial])
    return opened


def test_each_departement_has_its_figures_and_the_syndicat_their_sum_year_by_year(app, syndicat):
    years = {("78", 2027): _year(app, syndicat, "78", 2027, 20, 6, 2),
             ("92", 2027): _year(app, syndicat, "92", 2027, 20, 3, 4)}
    # the next year's campaign of the Yvelines (new booklets, new serials: the validity year in them)
    director = syndicat["director"]
    second = ledger.open_campaign(app, "78", director, title="Pass numérique – Yvelines – 2028")["id"]
    ledger.add_prescriber(app, second, director, name="Travailleurs sociaux", formats={10: 10},
                          executory_on=date(2028, 3, 1), agents=["agent-78"])
    ledger.receive_range(app, second, director, booklet_size=10, first="78-2028-000001", last="78-2028-000010",
                         issuer="APTIC", validity_year=2028, order="BC-78-2028", received_on=date(2028, 3, 1))
    ledger.endow(app, second, director, prescriber="Travailleurs sociaux", on=date(2028, 4, 1), count=5,
                 booklet_size=10)
    for n in range(1, 6):
        ledger.hand_out(app, second, syndicat["agent-78"], prescriber="Travailleurs sociaux", public="pic",
                        on=date(2028, 5, 2), serials=[f"78-2028-{n:06d}"])
    first_year = ledger.campaign_figures(app, years[("78", 2027)], director)
    next_year = ledger.campaign_figures(app, second, director)
    assert (first_year["passes_remis"], next_year["passes_remis"]) == (70, 50)
    lines = {line["territory"]: line for line in follow_up(app, director, SYN)["lines"]}
    assert {code: (line["received"], line["handed"], line["pic_handed"]) for code, line in lines.items()} == \
        {"78": (250 + 100, 120, 110), "92": (250, 50, 30)}
    assert sum(line["handed"] for line in lines.values()) == 170
    yvelines = territory_dashboard(app, director, "78")
    assert yvelines["campaigns"] == 2
    assert [(c["title"], c["received"], c["handed"]) for c in yvelines["by_campaign"]] == [
        ("Distribution des Pass numériques – 78", 250, 70), ("Pass numérique – Yvelines – 2028", 100, 50)]
    assert {f["territory"]: f["handed"] for f in dashboard(app, director)["funnel"]} == {"78": 120, "92": 50}
    # each DGAS sees its own département, not the other's
    own = {line["territory"] for line in follow_up(app, syndicat["dgas-92"], SYN)["lines"]}
    assert own == {"92"}
    assert {f["territory"] for f in dashboard(app, syndicat["dgas-78"])["funnel"]} == {"78"}
