"""One territory (or a grouping's territories) on the dashboard: the pass funnel by prescriber,
public, month and format, the money, and the ANCT commitments.

SQL aggregates on the ledger's indexed columns only; the money and the commitments are the
domain's arithmetic (indicators, funding_terms) applied to those counts, with the ANCT terms in
force on the day the campaign opened (the dated data, never a constant here).
"""
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from ..domain.allocation import is_pic_public
from ..domain.funding_terms import anct_terms
from ..domain.indicators import distribution_rate, rate, state_share_owed, usage_rate
from ..domain.ledger_rules import MoveKind, Place
from ..domain.passes import DEFAULT_FACE_VALUE
from ..domain.procurement import estimate_pass_order
from ..errors import NotFound
from .dashboard import in_scope
from ..store.models import (
    LedgerBeneficiary, LedgerBooklet, LedgerCampaign, LedgerCredit, LedgerMove, LedgerPrescriber, LedgerReception,
    LedgerStatement, Territory, TerritoryLink,
)

HELD = (Place.PRESCRIBER.value, Place.BENEFICIARY.value)


def territory_dashboard(app, actor, territory):
    """Everything the dashboard shows of one territory the actor sees (NotFound otherwise)."""
    if not actor.sees_territory(territory):
        raise NotFound(f"Territoire « {territory} » introuvable.")
    with app.db.sessions() as session:
        ids = session.scalars(select(LedgerCampaign.id).where(LedgerCampaign.territory == territory)).all()
        [line] = _commitments(session, [territory])
        return {**line, "campaigns": len(ids), "by_campaign": _by_campaign(session, ids),
                "by_format": _by_format(session, ids),
                "by_prescriber": _by_prescriber(session, ids), "by_public": _by_public(session, ids),
                "by_month": _by_month(session, ids)}


def grouping_members(app, actor, code):
    """The territories of a grouping the actor sees, or [code] itself when it groups none."""
    with app.db.sessions() as session:
        members = session.scalars(select(TerritoryLink.member_code).where(TerritoryLink.group_code == code)
                                  .order_by(TerritoryLink.member_code)).all()
    visible = [m for m in members if actor.sees_territory(m)]
    if visible:
        return visible
    if members or not actor.sees_territory(code):
        raise NotFound(f"Territoire ou regroupement « {code} » introuvable.")
    return [code]


def follow_up(app, actor, code):
    """The ANCT follow-up table: one line per territory of `code` (a territory or a grouping)."""
    members = grouping_members(app, actor, code)
    with app.db.sessions() as session:
        return {"code": code, "lines": _commitments(session, members)}


def comparison(app, actor):
    """The commitments of every territory with a campaign the actor sees, side by side."""
    visible = actor.visible_territories
    with app.db.sessions() as session:
        codes = session.scalars(select(LedgerCampaign.territory).distinct()
                                .where(in_scope(LedgerCampaign.territory, visible))
                                .order_by(LedgerCampaign.territory)).all()
        return _commitments(session, codes)


def _commitments(session, codes):
    """Per territory (in `codes`' order): passes received, handed and redeemed, the money, and the
    ANCT commitments; a handful of grouped queries whatever the number of territories."""
    within = LedgerCampaign.territory.in_(codes)
    received = {t: (p, f) for t, p, f in session.execute(
        select(LedgerCampaign.territory, func.sum(LedgerBooklet.size),
               func.sum(LedgerBooklet.size * LedgerReception.face_value))
        .join(LedgerCampaign, LedgerCampaign.id == LedgerBooklet.campaign_id)
        .join(LedgerReception, LedgerReception.id == LedgerBooklet.reception_id)
        .where(within).group_by(LedgerCampaign.territory))}
    handed = {}
    for territory, public, passes in session.execute(
            select(LedgerCampaign.territory, LedgerBeneficiary.public, func.sum(LedgerBooklet.size))
            .join(LedgerCampaign, LedgerCampaign.id == LedgerBooklet.campaign_id)
            .join(LedgerBeneficiary, LedgerBeneficiary.id == LedgerBooklet.beneficiary_id)
            .where(within, LedgerBooklet.place == Place.BENEFICIARY.value)
            .group_by(LedgerCampaign.territory, LedgerBeneficiary.public)):
        counts = handed.setdefault(territory, [0, 0])
        counts[0] += passes
        counts[1] += passes if is_pic_public(public) else 0
    campaigns = {t: (r, o) for t, r, o in session.execute(
        select(LedgerCampaign.territory, func.sum(LedgerCampaign.redeemed_passes), func.min(LedgerCampaign.opened_at))
        .where(within).group_by(LedgerCampaign.territory))}
    credited = dict(session.execute(
        select(LedgerCampaign.territory, func.sum(LedgerCredit.unused_passes))
        .join(LedgerCampaign, LedgerCampaign.id == LedgerCredit.campaign_id)
        .where(within).group_by(LedgerCampaign.territory)).all())
    names = dict(session.execute(select(Territory.code, Territory.name).where(Territory.code.in_(codes))).all())
    people = _people(session, within)
    return [{**_line(code, names.get(code, code), *received.get(code, (0, 0)), *handed.get(code, (0, 0)),
                     *campaigns.get(code, (0, None)), credited.get(code) or 0), **people.get(code, _priority(0, 0))}
            for code in codes]


def _people(session, within):
    """{territory: the beneficiaries holding booklets, and those living in a priority neighbourhood
    (quartier prioritaire de la politique de la ville)}: the share is an indicator of the seeds."""
    return {territory: _priority(people or 0, priority or 0) for territory, people, priority in session.execute(
        select(LedgerCampaign.territory, func.count(),
               func.sum(case((LedgerBeneficiary.priority_area.is_(True), 1), else_=0)))
        .join(LedgerCampaign, LedgerCampaign.id == LedgerBeneficiary.campaign_id)
        .where(within, LedgerBeneficiary.booklets > 0).group_by(LedgerCampaign.territory))}


def _priority(people, priority):
    return {"beneficiaries": int(people), "priority_area_beneficiaries": int(priority),
            "priority_area_pct": _pct(rate(int(priority), int(people)))}


def _line(code, name, received, face, handed, pic, redeemed, opened, credited):
    received, redeemed = int(received or 0), int(redeemed or 0)
    terms = anct_terms(opened.date()) if opened else None
    order = estimate_pass_order(Decimal(face or 0))
    paid = Decimal(redeemed) * DEFAULT_FACE_VALUE
    pic_share = _pct(distribution_rate(pic, handed))
    minimum = _pct(terms.pic_min_share) if terms else None
    return {
        "territory": code, "name": name, "received": received, "handed": handed, "pic_handed": pic,
        "redeemed": redeemed, "credited": int(credited),
        "distribution_pct": _pct(distribution_rate(handed, received)), "usage_pct": _pct(usage_rate(redeemed, handed)),
        "pic_pct": pic_share, "pic_min_pct": minimum,
        "pic_alert": pic_share is not None and minimum is not None and pic_share < minimum,
        "money": {"order_face_value": _eur(order.face_value), "issuer_fees": _eur(order.fees),
                  "issuer_fee_pct": _pct(order.fee_rate), "order_total": _eur(order.estimated_value),
                  "paid_to_places": _eur(paid),
                  "state_share_owed": _eur(state_share_owed(paid, terms)) if terms else None,
                  "state_max_pct": _pct(terms.state_max_share) if terms else None,
                  "terms_source": terms.source if terms else None,
                  "terms_from": terms.effective_from.isoformat() if terms else None},
    }


def _by_campaign(session, ids):
    """Per campaign (a campaign a year for a multi-year deployment), in passes: received, handed,
    redeemed."""
    lines = {cid: {"campaign": cid, "title": title, "opened_on": opened.date().isoformat(), "received": 0,
                   "handed": 0, "redeemed": redeemed}
             for cid, title, opened, redeemed in session.execute(
                 select(LedgerCampaign.id, LedgerCampaign.title, LedgerCampaign.opened_at,
                        LedgerCampaign.redeemed_passes).where(LedgerCampaign.id.in_(ids)))}
    for cid, place, passes in session.execute(
            select(LedgerBooklet.campaign_id, LedgerBooklet.place, func.sum(LedgerBooklet.size))
            .where(LedgerBooklet.campaign_id.in_(ids)).group_by(LedgerBooklet.campaign_id, LedgerBooklet.place)):
        lines[cid]["received"] += passes
        lines[cid]["handed"] += passes if place == Place.BENEFICIARY.value else 0
    return sorted(lines.values(), key=lambda line: (line["opened_on"], line["campaign"]))


def _by_format(session, ids):
    """Per booklet size, in booklets and passes: received, with the prescribers (or beyond), handed."""
    formats = {}
    for size, place, booklets in session.execute(
            select(LedgerBooklet.size, LedgerBooklet.place, func.count())
            .where(LedgerBooklet.campaign_id.in_(ids)).group_by(LedgerBooklet.size, LedgerBooklet.place)):
        line = formats.setdefault(size, {"size": size, "received": 0, "with_prescribers": 0, "handed": 0})
        line["received"] += booklets
        line["with_prescribers"] += booklets if place in HELD else 0
        line["handed"] += booklets if place == Place.BENEFICIARY.value else 0
    for line in formats.values():
        line["passes_received"] = line["received"] * line["size"]
        line["passes_handed"] = line["handed"] * line["size"]
    return [formats[s] for s in sorted(formats)]


def _by_prescriber(session, ids):
    """Per prescriber, in passes: entrusted to it (still held or handed on), handed to beneficiaries."""
    lines = {name: {"prescriber": name, "with_prescriber": 0, "handed": 0} for name in session.scalars(
        select(LedgerPrescriber.name).where(LedgerPrescriber.campaign_id.in_(ids)))}
    for name, place, passes in session.execute(
            select(LedgerPrescriber.name, LedgerBooklet.place, func.sum(LedgerBooklet.size))
            .join(LedgerPrescriber, LedgerPrescriber.id == LedgerBooklet.prescriber_id)
            .where(LedgerBooklet.campaign_id.in_(ids), LedgerBooklet.place.in_(HELD))
            .group_by(LedgerPrescriber.name, LedgerBooklet.place)):
        line = lines.setdefault(name, {"prescriber": name, "with_prescriber": 0, "handed": 0})
        line["with_prescriber"] += passes
        line["handed"] += passes if place == Place.BENEFICIARY.value else 0
    return [lines[n] for n in sorted(lines)]


def _by_public(session, ids):
    """Per public: the beneficiaries holding booklets, and their passes; whether it counts as PIC."""
    return [{"public": public, "pic": is_pic_public(public), "beneficiaries": people, "passes": passes}
            for public, people, passes in session.execute(
                select(LedgerBeneficiary.public, func.count(func.distinct(LedgerBeneficiary.id)),
                       func.sum(LedgerBooklet.size))
                .join(LedgerBeneficiary, LedgerBeneficiary.id == LedgerBooklet.beneficiary_id)
                .where(LedgerBooklet.campaign_id.in_(ids), LedgerBooklet.place == Place.BENEFICIARY.value)
                .group_by(LedgerBeneficiary.public).order_by(LedgerBeneficiary.public))]


def _by_month(session, ids):
    """Per month: passes handed out (handouts net of their corrections) and passes redeemed."""
    months = {}
    correction = aliased(LedgerMove)
    for day, passes in session.execute(
            select(LedgerMove.happened_on, func.sum(LedgerMove.passes))
            .outerjoin(correction, correction.corrects_move_id == LedgerMove.id)
            .where(LedgerMove.campaign_id.in_(ids), LedgerMove.kind == MoveKind.TO_BENEFICIARY.value,
                   correction.id.is_(None))
            .group_by(LedgerMove.happened_on)):
        # by day, folded into months here: each database writes the month of a date its own way
        months.setdefault(f"{day:%Y-%m}", {"month": f"{day:%Y-%m}", "handed": 0, "redeemed": 0})["handed"] += passes
    for month, passes in session.execute(
            select(LedgerStatement.month, func.sum(LedgerStatement.passes))
            .where(LedgerStatement.campaign_id.in_(ids)).group_by(LedgerStatement.month)):
        months.setdefault(month, {"month": month, "handed": 0, "redeemed": 0})["redeemed"] += passes
    return [months[m] for m in sorted(months)]


def _pct(rate):
    return None if rate is None else float(round(Decimal(rate) * 100, 1))


def _eur(amount):
    return f"{Decimal(amount):.2f}"
