"""The ledger's figures a step reads carry the campaign's territory and how many of its beneficiaries
live in a priority neighbourhood (QPV), on SQLite and PostgreSQL."""
from datetime import date

from ledger_helpers import AGENT, DIRECTOR, serials, small_campaign
from workflows.services import ledger
from workflows.services.ledger_process import step_figures

SPRING = date(2027, 3, 1)


def test_the_figures_count_the_beneficiaries_in_priority_neighbourhoods(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 4))
    for n, in_qpv in enumerate((True, False, True)):
        ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="autre", on=date(2027, 3, 10),
                        serials=serials("CAPN10", n + 1, n + 1), identifier=f"QPV-{n}", priority_area=in_qpv)
    with any_app.db.sessions() as session:
        figures = step_figures(session, campaign, 0, "CAPN")
    assert (figures["territoire"], figures["beneficiaires_qpv"]) == ("CAPN", 2)
    assert figures["beneficiaires_par_public"] == {"autre": 3}
