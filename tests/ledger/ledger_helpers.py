"""A small campaign for the ledger's tests: one territory, two prescribers, 20 booklets of 10
and 10 of 5 in stock."""
from datetime import date

from helpers import actor
from workflows.services import ledger

DIRECTOR = actor("directrice", "director", territories=["CAPN"])
AGENT = actor("agent-ccas", "prescriber", territories=["CAPN"])
OTHER_AGENT = actor("agent-pe", "prescriber", territories=["CAPN"])
FINANCE = actor("finances", "finance", territories=["CAPN"])
OUTSIDER = actor("voisin", "director", territories=["ailleurs"])
RECEIVED = date(2027, 2, 1)
EXECUTORY = date(2027, 2, 15)


def small_campaign(app, instance_id=None):
    campaign = ledger.open_campaign(app, "CAPN", DIRECTOR, instance_id=instance_id)["id"]
    ledger.add_prescriber(app, campaign, DIRECTOR, name="CCAS", formats={10: 12, 5: 4}, executory_on=EXECUTORY,
                          agents=[AGENT.username])
    ledger.add_prescriber(app, campaign, DIRECTOR, name="Pôle emploi", formats={10: 12}, executory_on=EXECUTORY,
                          agents=[OTHER_AGENT.username])
    ledger.receive_range(app, campaign, DIRECTOR, booklet_size=10, first="CAPN10-000001", last="CAPN10-000020",
                         issuer="APTIC", validity_year=2027, order="BC-1", received_on=RECEIVED)
    ledger.receive_range(app, campaign, DIRECTOR, booklet_size=5, first="CAPN05-000001", last="CAPN05-000010",
                         issuer="APTIC", validity_year=2027, order="BC-1", received_on=RECEIVED)
    return campaign


def serials(prefix, first, last):
    return [f"{prefix}-{n:06d}" for n in range(first, last + 1)]
