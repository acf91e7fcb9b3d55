"""Seed 004, the hub Antilles-Guyane (Guyaclic, BioDésir, ANIS St Martin, Up & Space): the follow-up
of impact across Guadeloupe, Guyane, Martinique and Saint-Martin, read only.

Each territory's own staff work in it (a convention ANCT at its director's review in each of the
four, passes handed out in Saint-Martin, Guadeloupe and CAP Nord); the hub's observer sees the four
territories (and CAP Nord, in Martinique) on the dashboard with their figures side by side and
summed, nothing of La Réunion or the Yvelines, and every action it tries is refused and changes
nothing. The seed gives the hub's territories, not pass counts: the counts are this test's own."""
from datetime import date

import pytest

from deployment_helpers import (
    CAP_NORD, HUB, PASSWORD, anct_convention_at_review, campaign, footprint, install, open_task, serials, start, user,
)
from workflows.errors import ConventioError, Forbidden, NotFound
from workflows.services import ledger
from workflows.services.assignments import claim_task
from workflows.services.dashboard import dashboard
from workflows.services.dashboard_territory import comparison, follow_up, territory_dashboard
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, get_task, list_tasks
from workflows.services.territories import add_territory, list_territories
from workflows.services.users import add_user, authenticate

# the seed's four territories, by their codes in data/territoires.csv
FOUR = {"971": "Guadeloupe", "972": "Collectivité territoriale de Martinique",
        "973": "Collectivité territoriale de Guyane", "978": "Collectivité de Saint-Martin"}
CALENDARS = {"971": "971", "972": "972", "973": "973", "978": "978", CAP_NORD: "972", "974": "974", "78": "FR"}
AUTUMN = date(2027, 10, 4)


@pytest.fixture
def hub(app):
    install(app)
    people = {code: (user(app, f"juriste-{code}", "legal", code), user(app, f"direction-{code}", "director", code),
                     user(app, f"agent-{code}", "prescriber", code)) for code in CALENDARS}
    reviews = {code: anct_convention_at_review(app, legal, code, CALENDARS[code], FOUR.get(code, code),
                                               f"Convention ANCT – {code}")
               for code, (legal, _, _) in people.items()}
    handed = {"978": (12, 3), "971": (8, 0), CAP_NORD: (4, 2), "974": (5, 5)}   # booklets of 10, of 5
    campaigns = {}
    for code, (tens, fives) in handed.items():
        _, director, agent = people[code]
        campaigns[code] = opened = campaign(app, code, director, {"Prescripteur": (agent.username, {10: 20, 5: 20})},
                                            {10: 20, 5: 10}, date(2027, 9, 1), 2027)
        ledger.endow(app, opened, director, prescriber="Prescripteur", on=AUTUMN,
                     serials=serials(code, 10, 1, tens) + serials(code, 5, 1, fives))
        for n in range(1, tens + 1):   # Saint-Martin's public of the PIC: its young school drop-outs
            ledger.hand_out(app, opened, agent, prescriber="Prescripteur", on=AUTUMN, serials=serials(code, 10, n, n),
                            public="jeune_psad" if code == "978" else "pic")
        for n in range(1, fives + 1):
            ledger.hand_out(app, opened, agent, prescriber="Prescripteur", public="senior", on=AUTUMN,
                            serials=serials(code, 5, n, n))
    add_user(app, "hub", ["observer"], [HUB], PASSWORD, "Hub Antilles-Guyane")
    return {"observer": authenticate(app, "hub", PASSWORD), "people": people, "reviews": reviews,
            "campaigns": campaigns}


def test_the_hub_sees_its_four_territories_and_nothing_else(app, hub):
    observer = hub["observer"]
    assert {t["code"] for t in list_territories(app, observer)} == {HUB, CAP_NORD, *FOUR}
    board = dashboard(app, observer)
    names = {line["territory"]: line["name"] for line in board["territories"]}
    assert names == {**FOUR, CAP_NORD: "Communauté d'agglomération du Pays Nord Martinique (CAP Nord)"}
    assert sorted(c["territory"] for c in board["chains"]) == sorted([*FOUR, CAP_NORD])
    assert all(c["phase"] == "convention_anct" for c in board["chains"])
    assert not [t for t in list_tasks(app, observer)]   # its inbox is empty: it acts on nothing
    with pytest.raises(NotFound):
        get_instance(app, hub["reviews"]["974"], observer)
    with pytest.raises(NotFound):
        territory_dashboard(app, observer, "78")


def test_the_hub_follows_the_figures_of_each_territory_and_all_together(app, hub):
    lines = {line["territory"]: line for line in follow_up(app, hub["observer"], HUB)["lines"]}
    assert sorted(lines) == sorted([*FOUR, CAP_NORD])
    handed = {code: (line["received"], line["handed"], line["pic_handed"]) for code, line in lines.items()}
    assert handed == {"971": (250, 80, 80), "972": (0, 0, 0), "973": (0, 0, 0), "978": (250, 135, 120),
                      CAP_NORD: (250, 50, 40)}
    assert sum(line["handed"] for line in lines.values()) == 265
    assert (lines["978"]["pic_pct"], lines[CAP_NORD]["pic_pct"], lines["971"]["pic_pct"]) == (88.9, 80.0, 100.0)
    assert lines["978"]["distribution_pct"] == 54.0
    assert [line["territory"] for line in comparison(app, hub["observer"])] == ["971", "978", CAP_NORD]
    assert territory_dashboard(app, hub["observer"], "978")["by_public"] == [
        {"public": "jeune_psad", "pic": True, "beneficiaries": 12, "passes": 120},
        {"public": "senior", "pic": False, "beneficiaries": 3, "passes": 15}]


def test_every_action_of_the_hub_is_refused_and_changes_nothing(app, hub):
    observer, saint_martin = hub["observer"], hub["campaigns"]["978"]
    review = open_task(app, hub["reviews"]["978"], "examiner_convention_anct")
    before = footprint(app)
    attempts = {
        "démarrer": lambda: start_instance(app, "convention_anct", {}, observer, territory="978"),
        "ouvrir la tâche": lambda: get_task(app, review, observer),
        "prendre la tâche": lambda: claim_task(app, review, observer),
        "décider": lambda: complete_task(app, review, {"decision": "approuver"}, observer),
        "ouvrir une campagne": lambda: ledger.open_campaign(app, "978", observer),
        "doter": lambda: ledger.endow(app, saint_martin, observer, prescriber="Prescripteur", on=AUTUMN,
                                      serials=serials("978", 10, 20, 20)),
        "remettre": lambda: ledger.hand_out(app, saint_martin, observer, prescriber="Prescripteur", public="senior",
                                            on=AUTUMN, serials=serials("978", 10, 13, 13)),
        "déclarer un relevé": lambda: ledger.record_statement(app, saint_martin, observer, place="ANIS St Martin",
                                                              month="2027-10", passes=1),
        "ajouter un territoire": lambda: add_territory(app, observer, code="97150", name="Marigot", kind="commune"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(ConventioError) as refused:
            attempt()
        assert isinstance(refused.value, Forbidden), (what, refused.value)
    assert footprint(app) == before
    # the territory's own director decides, as before the hub looked
    complete_task(app, review, {"decision": "approuver"}, hub["people"]["978"][1])
    assert footprint(app) != before
