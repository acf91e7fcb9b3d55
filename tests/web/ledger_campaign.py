"""A cap-nord campaign for the ledger's doors: the demo prescriber records for the CCAS."""
from datetime import date

from web_helpers import TERRITORY, actor
from workflows.services import ledger

SPRING = date(2027, 3, 1)


def campaign_in_cap_nord(conventio, endowed=8):
    director = actor(conventio, "directrice")
    campaign = ledger.open_campaign(conventio, TERRITORY, director)["id"]
    ledger.add_prescriber(conventio, campaign, director, name="CCAS", formats={10: 20, 5: 10},
                          executory_on=date(2027, 2, 15), agents=["prescripteur"])
    ledger.add_prescriber(conventio, campaign, director, name="Pôle emploi", formats={10: 20}, executory_on=date(2027, 2, 15))
    for size in (10, 5):
        ledger.receive_range(conventio, campaign, director, booklet_size=size, first=f"CAPN{size:02d}-000001",
                             last=f"CAPN{size:02d}-000020", issuer="APTIC", validity_year=2027, order="BC-1",
                             received_on=date(2027, 2, 1))
        ledger.endow(conventio, campaign, director, prescriber="CCAS", on=SPRING, count=endowed, booklet_size=size)
    return campaign


def booklet(size, number):
    return f"CAPN{size:02d}-{number:06d}"
