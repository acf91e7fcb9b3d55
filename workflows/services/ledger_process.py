"""What a process step knows of its campaign: the ledger's figures, as a small summary.

The distribution and evaluation models refer to the ledger campaign tied to their instance;
their gates (dotations within the conventions de mandat, every booklet handed or returned,
redemptions bounded by handouts, the evaluation's indicators) read these figures through
the model functions. The summary grows with the prescribers, publics and formats of the
territory, never with its booklets, handouts or beneficiaries: SQL aggregates only.
"""
from sqlalchemy import distinct, func, select

from ..domain.allocation import is_pic_public
from ..domain.ledger_rules import Place
from ..errors import InvalidData
from ..store.models import LedgerBeneficiary, LedgerBooklet, LedgerCampaign, LedgerMandate, LedgerPrescriber

# The name under which the scripts of a step find the figures of their instance's campaign.
LEDGER_FIGURES = "registre"
# The data name of a campaign's identifier in a process's data.
CAMPAIGN = "campagne_registre"


def step_facts(session, instance_id):
    """{"registre": the figures of the campaign tied to the instance, None without one}:
    offered to the step's scripts, never stored in the instance's data."""
    campaign = session.execute(select(LedgerCampaign.id, LedgerCampaign.redeemed_passes, LedgerCampaign.territory)
                               .where(LedgerCampaign.instance_id == instance_id)
                               .order_by(LedgerCampaign.id.desc()).limit(1)).first()
    if campaign is None:
        return {LEDGER_FIGURES: None}
    return {LEDGER_FIGURES: step_figures(session, campaign.id, campaign.redeemed_passes, campaign.territory)}


def start_facts(session, data, territory, actor):
    """The facts of a start: the figures of the campaign its data names (`campagne_registre`,
    a process started apart from the chain, such as an evaluation), one the starter sees, of
    the instance's territory when it has one."""
    campaign_id = data.get(CAMPAIGN)
    if campaign_id is None:
        return {LEDGER_FIGURES: None}
    campaign = session.get(LedgerCampaign, campaign_id) if isinstance(campaign_id, int) else None
    if campaign is None or not actor.sees_territory(campaign.territory) \
            or territory not in (None, campaign.territory):
        raise InvalidData(f"Campagne du registre n° {campaign_id} introuvable sur ce territoire.",
                          {CAMPAIGN: "campagne inconnue sur ce territoire"})
    return {LEDGER_FIGURES: step_figures(session, campaign.id, campaign.redeemed_passes, campaign.territory)}


def step_figures(session, campaign_id, redeemed_passes, territory=None):
    handed = _handed(session, campaign_id)
    return {
        "campagne": campaign_id,
        "territoire": territory,
        "recus": _sizes(session, campaign_id),
        "stock": _sizes(session, campaign_id, Place.STOCK),
        "prescripteurs": _prescribers(session, campaign_id, handed),
        "passes_remis": sum(line["passes"] for line in handed),
        "passes_remis_pic": sum(line["passes"] for line in handed if is_pic_public(line["public"])),
        "passes_remis_par_format": _fold(handed, "taille", "passes"),
        "passes_remis_par_public": _fold(handed, "public", "passes"),
        "beneficiaires_par_public": _people_by_public(session, campaign_id),
        "beneficiaires_qpv": _people_in_priority_areas(session, campaign_id),
        "passes_encaisses": redeemed_passes,
    }


def _sizes(session, campaign_id, place=None):
    """[{cheques_par_carnet, nombre_carnets}] in increasing size, as the forms write formats."""
    query = (select(LedgerBooklet.size, func.count()).where(LedgerBooklet.campaign_id == campaign_id)
             .group_by(LedgerBooklet.size).order_by(LedgerBooklet.size))
    if place is not None:
        query = query.where(LedgerBooklet.place == place.value)
    return [{"cheques_par_carnet": size, "nombre_carnets": n} for size, n in session.execute(query)]


def _handed(session, campaign_id):
    """The booklets in beneficiaries' hands, per prescriber who handed them, public and size."""
    rows = session.execute(
        select(LedgerPrescriber.name, LedgerBeneficiary.public, LedgerBooklet.size, func.count(),
               func.count(distinct(LedgerBooklet.beneficiary_id)))
        .join(LedgerPrescriber, LedgerPrescriber.id == LedgerBooklet.prescriber_id)
        .join(LedgerBeneficiary, LedgerBeneficiary.id == LedgerBooklet.beneficiary_id)
        .where(LedgerBooklet.campaign_id == campaign_id, LedgerBooklet.place == Place.BENEFICIARY.value)
        .group_by(LedgerPrescriber.name, LedgerBeneficiary.public, LedgerBooklet.size))
    return [{"prescripteur": name, "public": public, "taille": str(size), "carnets": n, "passes": n * size,
             "beneficiaires": people} for name, public, size, n, people in rows]


def _prescribers(session, campaign_id, handed):
    """{name: {"executoire_le", "formats": {size: {"confies", "dotes", "detenus", "remis"}},
    "beneficiaires", "beneficiaires_pic", "passes_remis"}}."""
    figures = {}
    for name, executory, size, entrusted, endowed in session.execute(
            select(LedgerPrescriber.name, LedgerPrescriber.executory_on, LedgerMandate.booklet_size,
                   LedgerMandate.booklets, LedgerMandate.endowed)
            .outerjoin(LedgerMandate, LedgerMandate.prescriber_id == LedgerPrescriber.id)
            .where(LedgerPrescriber.campaign_id == campaign_id).order_by(LedgerPrescriber.name)):
        one = figures.setdefault(name, {"executoire_le": executory and executory.isoformat(), "formats": {},
                                        "beneficiaires": 0, "beneficiaires_pic": 0, "passes_remis": 0})
        if size is not None:
            one["formats"][str(size)] = {"confies": entrusted, "dotes": endowed, "detenus": 0, "remis": 0}
    for name, size, n in session.execute(
            select(LedgerPrescriber.name, LedgerBooklet.size, func.count())
            .join(LedgerPrescriber, LedgerPrescriber.id == LedgerBooklet.prescriber_id)
            .where(LedgerBooklet.campaign_id == campaign_id, LedgerBooklet.place == Place.PRESCRIBER.value)
            .group_by(LedgerPrescriber.name, LedgerBooklet.size)):
        _format(figures[name], size)["detenus"] = n
    for line in handed:   # a beneficiary has one public: summing over publics counts each once
        one = figures[line["prescripteur"]]
        _format(one, line["taille"])["remis"] += line["carnets"]
        one["passes_remis"] += line["passes"]
        one["beneficiaires"] += line["beneficiaires"]
        one["beneficiaires_pic"] += line["beneficiaires"] if is_pic_public(line["public"]) else 0
    return figures


def _format(prescriber, size):
    return prescriber["formats"].setdefault(str(size), {"confies": 0, "dotes": 0, "detenus": 0, "remis": 0})


def _fold(lines, key, value):
    folded = {}
    for line in lines:
        folded[line[key]] = folded.get(line[key], 0) + line[value]
    return dict(sorted(folded.items()))


def _people_by_public(session, campaign_id):
    """From each beneficiary's count of booklets received, which the ledger keeps up to date."""
    return dict(session.execute(
        select(LedgerBeneficiary.public, func.count())
        .where(LedgerBeneficiary.campaign_id == campaign_id, LedgerBeneficiary.booklets > 0)
        .group_by(LedgerBeneficiary.public).order_by(LedgerBeneficiary.public)).all())


def _people_in_priority_areas(session, campaign_id):
    """The beneficiaries holding booklets who live in a priority neighbourhood (QPV)."""
    return session.execute(
        select(func.count()).where(LedgerBeneficiary.campaign_id == campaign_id, LedgerBeneficiary.booklets > 0,
                                   LedgerBeneficiary.priority_area.is_(True))).scalar()
