"""A campaign's figures: the small summary a process keeps and the dashboard starts from,
computed by SQL aggregates on the indexed columns, whatever the size of the campaign."""
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..domain.ledger_rules import MoveKind, Place
from ..errors import InvalidData, NotFound
from ..store.models import (
    LedgerAgent, LedgerBeneficiary, LedgerBooklet, LedgerCampaign, LedgerMove, LedgerPrescriber, LedgerStatement,
)
from . import ledger_facts as facts
from .results import Campaign, Holdings


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


def campaigns(app, actor) -> list[Campaign]:
    """The campaigns of the territories the actor sees, each with its prescribers and those the
    actor records for (every one for an administrator)."""
    visible = actor.visible_territories
    with app.db.sessions() as session:
        query = select(LedgerCampaign).order_by(LedgerCampaign.territory, LedgerCampaign.id)
        if visible is not None:
            query = query.where(LedgerCampaign.territory.in_(sorted(visible)))
        rows = session.execute(query).scalars().all()
        names = {}
        for campaign_id, name in session.execute(
                select(LedgerPrescriber.campaign_id, LedgerPrescriber.name)
                .where(LedgerPrescriber.campaign_id.in_([r.id for r in rows])).order_by(LedgerPrescriber.name)):
            names.setdefault(campaign_id, []).append(name)
        mine = set(session.execute(select(LedgerPrescriber.campaign_id, LedgerPrescriber.name)
                                   .join(LedgerAgent, LedgerAgent.prescriber_id == LedgerPrescriber.id)
                                   .where(LedgerAgent.username == actor.username)).all())
    return [{"id": r.id, "territory": r.territory, "title": r.title, "instance_id": r.instance_id,
             "prescribers": names.get(r.id, []),
             "mine": [n for n in names.get(r.id, []) if actor.is_admin or (r.id, n) in mine]} for r in rows]


def holdings(app, campaign_id, actor, prescriber, recent=20) -> Holdings:
    """What a prescriber holds now (its booklets per size, their numbers) and its last handouts."""
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, what="consulter")
        try:
            by = facts.prescriber(session, campaign.id, prescriber)
        except InvalidData as unknown:   # what is asked for is not there, rather than a wrong value
            raise NotFound(unknown.message) from None
        held = session.execute(select(LedgerBooklet.serial, LedgerBooklet.size).where(
            LedgerBooklet.prescriber_id == by.id, LedgerBooklet.place == Place.PRESCRIBER.value)
            .order_by(LedgerBooklet.size.desc(), LedgerBooklet.serial)).all()
        correction = aliased(LedgerMove)
        handouts = session.execute(
            select(LedgerMove.id, LedgerMove.happened_on, LedgerMove.booklets, LedgerMove.passes,
                   LedgerBeneficiary.identifier, LedgerBeneficiary.public)
            .join(LedgerBeneficiary, LedgerBeneficiary.id == LedgerMove.beneficiary_id)
            .outerjoin(correction, correction.corrects_move_id == LedgerMove.id)
            .where(LedgerMove.from_prescriber_id == by.id, LedgerMove.kind == MoveKind.TO_BENEFICIARY.value,
                   correction.id.is_(None))
            .order_by(LedgerMove.id.desc()).limit(recent)).all()
    sizes = {}
    for serial, size in held:
        sizes.setdefault(str(size), []).append(serial)
    return {"campagne": campaign.id, "territoire": campaign.territory, "prescripteur": by.name,
            "carnets": {size: len(serials) for size, serials in sizes.items()}, "numeros": sizes,
            "confies": {str(k): v for k, v in sorted(by.mandate.entrusted.items(), reverse=True)},
            "remises": [{"mouvement": m.id, "date": m.happened_on.isoformat(), "beneficiaire": m.identifier,
                         "public": m.public, "carnets": m.booklets, "passes": m.passes} for m in handouts]}
