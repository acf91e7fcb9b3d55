"""A campaign's figures: the small summary a process keeps and the dashboard starts from,
computed by SQL aggregates on the indexed columns, whatever the size of the campaign."""
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..domain.ledger_rules import MoveKind, Place
from ..store.models import (
    LedgerBeneficiary, LedgerBooklet, LedgerCampaign, LedgerMove, LedgerPrescriber, LedgerStatement,
)
from . import ledger_facts as facts


def campaign_figures(app, campaign_id, actor):
    """Counts per format, place, prescriber, public and month (JSON-ready, French keys)."""
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, what="consulter")
        return {
            "campagne": campaign.id, "territoire": campaign.territory, "instance": campaign.instance_id,
            "carnets": _booklets_by_place(session, campaign.id),
            "passes_remis": facts.handed_passes(session, campaign.id),
            "passes_encaisses": session.get(LedgerCampaign, campaign.id).redeemed_passes,
            "par_prescripteur": _by_prescriber(session, campaign.id),
            "par_public": _by_public(session, campaign.id),
            "remises_par_mois": _handouts_by_month(session, campaign.id),
            "encaissements_par_mois": dict(session.execute(
                select(LedgerStatement.month, func.sum(LedgerStatement.passes))
                .where(LedgerStatement.campaign_id == campaign.id)
                .group_by(LedgerStatement.month).order_by(LedgerStatement.month)).all()),
        }


def _booklets_by_place(session, campaign_id):
    """{place: {size: booklets}}, and "recus" over every place."""
    counts = {"recus": {}}
    for place, size, n in session.execute(
            select(LedgerBooklet.place, LedgerBooklet.size, func.count())
            .where(LedgerBooklet.campaign_id == campaign_id).group_by(LedgerBooklet.place, LedgerBooklet.size)):
        counts.setdefault(place, {})[str(size)] = n
        counts["recus"][str(size)] = counts["recus"].get(str(size), 0) + n
    return counts


def _by_prescriber(session, campaign_id):
    """{prescriber: {"detenus": booklets held, "remis": booklets handed out}}."""
    figures = {name: {"detenus": 0, "remis": 0} for name in session.execute(
        select(LedgerPrescriber.name).where(LedgerPrescriber.campaign_id == campaign_id)).scalars()}
    key = {Place.PRESCRIBER.value: "detenus", Place.BENEFICIARY.value: "remis"}
    for name, place, n in session.execute(
            select(LedgerPrescriber.name, LedgerBooklet.place, func.count())
            .join(LedgerPrescriber, LedgerPrescriber.id == LedgerBooklet.prescriber_id)
            .where(LedgerBooklet.campaign_id == campaign_id,
                   LedgerBooklet.place.in_([Place.PRESCRIBER.value, Place.BENEFICIARY.value]))
            .group_by(LedgerPrescriber.name, LedgerBooklet.place)):
        figures[name][key[place]] = n
    return figures


def _by_public(session, campaign_id):
    return {public: {"beneficiaires": people, "carnets": booklets} for public, people, booklets in session.execute(
        select(LedgerBeneficiary.public, func.count(), func.sum(LedgerBeneficiary.booklets))
        .where(LedgerBeneficiary.campaign_id == campaign_id, LedgerBeneficiary.booklets > 0)
        .group_by(LedgerBeneficiary.public).order_by(LedgerBeneficiary.public))}


def _handouts_by_month(session, campaign_id):
    """{"2027-03": {"remises", "carnets", "passes"}}: handouts not corrected since, by day then folded
    into months here (the month of a date is written differently by each database)."""
    correction = aliased(LedgerMove)
    months = {}
    for day, handouts, booklets, passes in session.execute(
            select(LedgerMove.happened_on, func.count(), func.sum(LedgerMove.booklets), func.sum(LedgerMove.passes))
            .outerjoin(correction, correction.corrects_move_id == LedgerMove.id)
            .where(LedgerMove.campaign_id == campaign_id, LedgerMove.kind == MoveKind.TO_BENEFICIARY.value,
                   correction.id.is_(None))
            .group_by(LedgerMove.happened_on)):
        month = months.setdefault(f"{day:%Y-%m}", {"remises": 0, "carnets": 0, "passes": 0})
        month["remises"] += handouts
        month["carnets"] += booklets
        month["passes"] += passes
    return dict(sorted(months.items()))
