"""Seed 000, the Collectivité de Saint-Martin (January 2021): seven target publics, the AIO service
and Pôle emploi as prescribers, priority to the Contrat de ville's priority neighbourhoods, and the
share of beneficiaries living in one as an indicator.

The publics are dated data for territory 978 (domain/data/publics.json); the seed gives no number
of booklets per public, so none has a rule of its own, and in 2021 no general rule was in force
either (the seniors' dates from 2023): a handout is bounded by its prescriber's dotation only. The counts of people
below are this test's own."""
from datetime import date

import pytest

from deployment_helpers import HUB, campaign, footprint, install, serials, user
from workflows.errors import InvalidData
from workflows.services import ledger
from workflows.domain.allocation import allocation_for
from workflows.domain.errors import DomainError
from workflows.domain.publics import territory_publics
from workflows.services.dashboard_territory import follow_up, territory_dashboard

SEVEN = ["femme_16_25", "beneficiaire_rsa", "demandeur_emploi", "jeune_quartier_excentre", "personne_handicap",
         "jeune_psad", "senior"]
SPRING = date(2021, 5, 3)


def test_the_seven_publics_are_saint_martins_dated_data():
    assert [p.public for p in territory_publics("978", SPRING)] == SEVEN
    assert all("Saint-Martin" in p.source for p in territory_publics("978", SPRING))
    assert [p.public for p in territory_publics("978", SPRING) if p.pic] == ["jeune_psad"]
    assert territory_publics("978", date(2020, 12, 31)) == ()   # before the collectivité retained them
    assert territory_publics("cap-nord", SPRING) == ()          # other territories take any public


@pytest.fixture
def saint_martin(app):
    install(app)
    people = {"director": user(app, "direction-saint-martin", "director", "978"),
              "aio": user(app, "agent-aio", "prescriber", "978"), "pe": user(app, "agent-pe", "prescriber", "978"),
              "hub": user(app, "hub-observateur", "observer", HUB)}
    prescribers = {"Service AIO de la Collectivité": ("agent-aio", {5: 20}),
                   "Pôle emploi Saint-Martin": ("agent-pe", {5: 20})}
    people["campaign"] = campaign(app, "978", people["director"], prescribers, {5: 40}, date(2021, 3, 1), 2021)
    ledger.endow(app, people["campaign"], people["director"], prescriber="Service AIO de la Collectivité",
                 on=date(2021, 4, 1), serials=serials("978", 5, 1, 20))
    ledger.endow(app, people["campaign"], people["director"], prescriber="Pôle emploi Saint-Martin",
                 on=date(2021, 4, 1), serials=serials("978", 5, 21, 40))
    return people


def test_each_public_handed_out_and_the_priority_neighbourhood_share(app, saint_martin):
    opened, booklet = saint_martin["campaign"], iter(range(1, 41))
    for n, public in enumerate(SEVEN):   # two people per public; the first four publics' first one in a QPV
        by, prescriber = (saint_martin["pe"], "Pôle emploi Saint-Martin") \
            if public in ("beneficiaire_rsa", "demandeur_emploi") else (saint_martin["aio"], "Service AIO de la Collectivité")
        for person in range(2):
            number = next(booklet) + (20 if prescriber.startswith("Pôle") else 0)
            ledger.hand_out(app, opened, by, prescriber=prescriber, public=public, on=SPRING,
                            serials=serials("978", 5, number, number), identifier=f"SXM-{n}-{person}",
                            priority_area=person == 0 and n < 4)
    figures = territory_dashboard(app, saint_martin["hub"], "978")
    assert [(p["public"], p["beneficiaries"], p["passes"], p["pic"]) for p in figures["by_public"]] == sorted(
        (public, 2, 10, public == "jeune_psad") for public in SEVEN)
    assert (figures["beneficiaries"], figures["priority_area_beneficiaries"], figures["priority_area_pct"]) == \
        (14, 4, 28.6)
    assert (figures["handed"], figures["pic_handed"], figures["pic_pct"]) == (70, 10, 14.3)
    [line] = [line for line in follow_up(app, saint_martin["hub"], HUB)["lines"] if line["territory"] == "978"]
    assert line["priority_area_pct"] == 28.6


def test_a_public_saint_martin_did_not_retain_is_refused_and_changes_nothing(app, saint_martin):
    before = footprint(app)
    with pytest.raises(InvalidData) as refused:
        ledger.hand_out(app, saint_martin["campaign"], saint_martin["aio"], prescriber="Service AIO de la Collectivité",
                        public="plie_demandeur_emploi", on=SPRING, serials=serials("978", 5, 1, 1))
    assert refused.value.details == {"public": refused.value.message}
    assert refused.value.message.startswith("Le public « plie_demandeur_emploi » n'est pas un des publics retenus "
                                            "par le territoire 978 au 3 mai 2021 : femme_16_25 (Femme de 16 à 25 ans)")
    assert footprint(app) == before


def test_no_rule_was_in_force_in_2021_so_the_dotation_alone_bounds_a_handout(app, saint_martin):
    # the general senior rule (one booklet of 5) dates from CAP Nord's deliberation of 27 April 2023
    with pytest.raises(DomainError):
        allocation_for("senior", SPRING, "978")
    assert allocation_for("senior", date(2023, 5, 2), "978").passes == 5
    handed = ledger.hand_out(app, saint_martin["campaign"], saint_martin["aio"],
                             prescriber="Service AIO de la Collectivité", public="senior", on=SPRING,
                             serials=serials("978", 5, 1, 2), identifier="SXM-S")
    assert handed["passes"] == 10
    with pytest.raises(InvalidData):   # beyond what the AIO service holds
        ledger.hand_out(app, saint_martin["campaign"], saint_martin["aio"],
                        prescriber="Service AIO de la Collectivité", public="femme_16_25", on=SPRING,
                        serials=serials("978", 5, 20, 21), identifier="SXM-F")
