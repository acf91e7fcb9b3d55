"""A campaign's setup and its money: opening it, its prescribers and their conventions de
mandat, the ranges of booklets received, the issuer's monthly statements, the credit of
the passes unused at expiry. Same way of recording as the moves (services/ledger.py)."""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, update

from ..domain.booklet_register import SerialRange
from ..domain.errors import DomainError
from ..domain.ledger_rules import Place, check_redemption, require_unrecorded
from ..domain.mediation_payments import Month, statement
from ..domain.passes import BOOKLET_SIZES, DEFAULT_FACE_VALUE, Booklet, PassId
from ..errors import Conflict, InvalidData
from ..store.models import (
    LedgerAgent, LedgerBooklet, LedgerCampaign, LedgerCredit, LedgerMandate, LedgerPrescriber, LedgerReception,
    LedgerRedemption, LedgerStatement,
)
from . import ledger_facts as facts
from .ledger_counts import count_received
from .ledger_writes import journal, recording

MANAGERS = frozenset({"director"})
STATEMENT_ROLES = frozenset({"finance", "mediation"})
HANDED_OUT = "passes remis aux bénéficiaires selon le registre"


def open_campaign(app, territory, actor, *, title=None, instance_id=None):
    territory = (territory or "").strip()
    if not territory:
        raise InvalidData("Territoire non renseigné.", {"territoire": "champ obligatoire"})
    facts.require_role(actor, MANAGERS, territory, "ouvrir")
    title = (title or "").strip() or f"Distribution des Pass numériques – {territory}"
    with recording(app, "Une campagne de distribution est déjà ouverte pour cette instance.") as step:
        row = LedgerCampaign(territory=territory, title=title, instance_id=instance_id, redeemed_passes=0,
                             opened_by=actor.username, opened_at=step.now)
        step.session.add(row)
        step.session.flush()
        journal(step, row, actor, f"Ouverture de la campagne « {title} »", {"territoire": territory})
        step.commit()
    return {"id": row.id, "territory": territory, "title": title, "instance_id": instance_id}


def add_prescriber(app, campaign_id, actor, *, name, formats, executory_on: date | None = None, agents=()):
    """A prescriber and its convention de mandat: `formats` {booklet size: booklets entrusted}."""
    name = (name or "").strip()
    if not name:
        raise InvalidData("Nom du prescripteur non renseigné.", {"prescripteur": "champ obligatoire"})
    entrusted = _entrusted(formats)
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, MANAGERS, "enregistrer un prescripteur dans")
    with recording(app, f"Le prescripteur « {name} » est déjà enregistré dans cette campagne.") as step:
        row = LedgerPrescriber(campaign_id=campaign.id, name=name, executory_on=executory_on,
                               recorded_by=actor.username, recorded_at=step.now)
        step.session.add(row)
        step.session.flush()
        step.session.add_all([LedgerMandate(prescriber_id=row.id, booklet_size=size, booklets=count, endowed=0)
                              for size, count in entrusted.items()])
        step.session.add_all([LedgerAgent(prescriber_id=row.id, username=u) for u in sorted(set(agents))])
        journal(step, campaign, actor, f"Convention de mandat de {name} enregistrée",
                {"prescripteur": name, "formats": {str(k): v for k, v in entrusted.items()},
                 "executoire_le": executory_on and executory_on.isoformat(), "agents": sorted(set(agents))})
        step.commit()
    return {"id": row.id, "name": name, "formats": entrusted}


def _entrusted(formats):
    entrusted = {}
    for size, count in (formats or {}).items():
        if int(size) not in BOOKLET_SIZES or isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidData(f"Convention de mandat : {count!r} carnets de {size} pass ; des carnets de 5 ou 10 pass, "
                              "en nombre entier.", {"formats": "format invalide"})
        entrusted[int(size)] = count
    return entrusted


# --- booklets received ----------------------------------------------------------------------


def receive_range(app, campaign_id, actor, *, booklet_size, first, last, issuer, validity_year, order,
                  received_on: date, face_value=Decimal("10.00")):
    """A range of booklets of one format delivered on an issuer's order enters the stock."""
    try:
        serials = SerialRange(first.strip(), (last or first).strip()).serials()
        booklet = Booklet(serials[0], int(booklet_size), int(validity_year), (issuer or "").strip(), face_value)
    except DomainError as error:
        raise facts.invalid(error, "carnets") from None
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, MANAGERS, "réceptionner des carnets dans")
        known = _recorded(session, campaign.id, serials)
    try:
        require_unrecorded(known[0] if known else "", bool(known))
    except DomainError as error:
        raise facts.invalid(error, "carnets") from None
    with recording(app, "Ces carnets viennent d’être réceptionnés par quelqu’un d’autre.") as step:
        reception = LedgerReception(
            campaign_id=campaign.id, booklet_size=booklet.size, first_serial=serials[0], last_serial=serials[-1],
            booklets=len(serials), issuer=booklet.issuer, validity_year=booklet.year, order_reference=order or "",
            face_value=booklet.face_value, received_on=received_on, recorded_by=actor.username, recorded_at=step.now)
        step.session.add(reception)
        step.session.flush()
        step.session.execute(insert(LedgerBooklet), [
            {"campaign_id": campaign.id, "reception_id": reception.id, "serial": s, "size": booklet.size,
             "validity_year": booklet.year, "place": Place.STOCK.value, "since": received_on, "seq": 0}
            for s in serials])
        count_received(step, campaign.id, booklet.size, len(serials))
        journal(step, campaign, actor, f"Réception de {len(serials)} carnet(s) de {booklet.size} pass "
                f"({serials[0]} – {serials[-1]})", {"reception": reception.id, "commande": order or ""})
        step.commit()
    return {"reception": reception.id, "booklets": len(serials), "first": serials[0], "last": serials[-1]}


def _recorded(session, campaign_id, serials):
    known = []
    for start in range(0, len(serials), facts.CHUNK):
        known += session.execute(select(LedgerBooklet.serial).where(
            LedgerBooklet.campaign_id == campaign_id,
            LedgerBooklet.serial.in_(serials[start:start + facts.CHUNK]))).scalars().all()
    return sorted(known)


# --- the issuer's monthly statements ----------------------------------------------------------


def record_statement(app, campaign_id, actor, *, place, month, passes, workshops=None, pass_ids=()):
    """Passes redeemed at a mediation place in a month; by pass ("CAPN10-000001-03") where the
    statement gives them. The campaign's statements never exceed the passes handed out."""
    try:
        month = Month.parse(month)
    except DomainError as error:
        raise facts.invalid(error, "mois") from None
    redeemed = pass_ids_of(pass_ids, passes)
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, STATEMENT_ROLES, "déclarer des passes encaissés dans")
        handed = facts.handed_passes(session, campaign.id)
        rows = {r.serial: r for r in facts.booklets(session, campaign.id, sorted({p.booklet_serial for p in redeemed}))}
        earlier = earlier_redemptions(session, [rows[p.booklet_serial].id for p in redeemed])
    last_day = month.next().first_day - timedelta(days=1)
    try:
        line = statement(place, month, passes, DEFAULT_FACE_VALUE, declared=campaign.redeemed_passes,
                         ceiling=handed, bound=HANDED_OUT)
        for pass_id in redeemed:
            row = rows[pass_id.booklet_serial]
            handed_on = row.facts.holding.since if row.facts.holding.place is Place.BENEFICIARY else None
            check_redemption(pass_id, row.facts.booklet, handed_on, earlier.get((row.id, pass_id.number)),
                             line.place, last_day)
    except DomainError as error:
        raise facts.invalid(error, "passes") from None
    with recording(app, f"Le relevé de {line.place} pour {month.label} vient d’être enregistré, ou ses passes "
                        "l’ont été par un autre relevé : rechargez.") as step:
        row = LedgerStatement(campaign_id=campaign.id, place=line.place, month=str(month), passes=passes,
                              workshops=workshops, recorded_by=actor.username, recorded_at=step.now)
        step.session.add(row)
        step.session.flush()
        if redeemed:
            step.session.execute(insert(LedgerRedemption), [
                {"statement_id": row.id, "booklet_id": rows[p.booklet_serial].id, "pass_number": p.number}
                for p in redeemed])
        add_redeemed(step, campaign, passes)
        journal(step, campaign, actor, f"Relevé de {line.place} pour {month.label} : {passes} pass encaissé(s)",
                {"releve": row.id, "lieu": line.place, "mois": str(month), "passes": passes})
        step.commit()
    return {"statement": row.id, "place": line.place, "month": str(month), "passes": passes}


def pass_ids_of(texts, passes):
    ids = []
    for text in texts or ():
        serial, _, number = str(text).strip().rpartition("-")
        if not serial or not number.isdigit():
            raise InvalidData(f"Pass « {text} » : numéro du carnet, un tiret, puis le numéro du pass "
                              "(par exemple CAPN10-000001-03).", {"passes": str(text)})
        ids.append(PassId(serial, int(number)))
    if ids and len(ids) != passes:
        raise InvalidData(f"Le relevé compte {passes} pass encaissé(s) mais en détaille {len(ids)}.",
                          {"passes": "nombre différent du détail"})
    if len(set(ids)) != len(ids):
        raise InvalidData("Un même pass figure deux fois dans le relevé.", {"passes": "pass en double"})
    return ids


def earlier_redemptions(session, booklet_ids):
    found = {}
    for start in range(0, len(booklet_ids), facts.CHUNK):
        for booklet_id, number, month, place in session.execute(
                select(LedgerRedemption.booklet_id, LedgerRedemption.pass_number, LedgerStatement.month,
                       LedgerStatement.place).join(LedgerStatement)
                .where(LedgerRedemption.booklet_id.in_(booklet_ids[start:start + facts.CHUNK]))):
            found[(booklet_id, number)] = (Month.parse(month).first_day, place)
    return found


def add_redeemed(step, campaign, passes):
    """From the total the ceiling was checked on: two places' statements never pass it together."""
    changed = step.session.execute(update(LedgerCampaign).where(
        LedgerCampaign.id == campaign.id, LedgerCampaign.redeemed_passes == campaign.redeemed_passes,
    ).values(redeemed_passes=campaign.redeemed_passes + passes)).rowcount
    if changed != 1:
        raise Conflict("Un autre relevé vient d’être enregistré dans cette campagne : rechargez et recommencez.")


# --- expiry: the credit note for the passes never redeemed --------------------------------


def record_credit(app, campaign_id, actor, *, validity_year, as_of: date):
    """The passes of a validity year's booklets no redemption names, at face value, once
    they are no longer accepted (statements without pass numbers are not deducted)."""
    accepted_until = Booklet("X", 5, int(validity_year), "émetteur").accepted_until
    if as_of <= accepted_until:
        raise InvalidData(f"Les pass de {validity_year} sont acceptés jusqu’au {accepted_until:%d/%m/%Y} : "
                          "l’avoir se calcule après.", {"date": "avant la fin d’acceptation"})
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, MANAGERS | STATEMENT_ROLES, "arrêter l’avoir de")
        passes, amount, redeemed = _unused(session, campaign.id, int(validity_year))
    unused = passes - redeemed[0]
    value = Decimal(amount or 0) - Decimal(redeemed[1] or 0)
    with recording(app, f"L’avoir des pass de {validity_year} est déjà arrêté.") as step:
        step.session.add(LedgerCredit(campaign_id=campaign.id, validity_year=int(validity_year), as_of=as_of,
                                      unused_passes=unused, amount=value, recorded_by=actor.username,
                                      recorded_at=step.now))
        journal(step, campaign, actor, f"Avoir des pass {validity_year} non utilisés : {unused} pass",
                {"annee": int(validity_year), "passes": unused, "montant": str(value)})
        step.commit()
    return {"validity_year": int(validity_year), "unused_passes": unused, "amount": str(value)}


def _unused(session, campaign_id, year):
    of_year = (LedgerBooklet.campaign_id == campaign_id, LedgerBooklet.validity_year == year)
    passes, amount = session.execute(
        select(func.coalesce(func.sum(LedgerBooklet.size), 0),
               func.sum(LedgerBooklet.size * LedgerReception.face_value))
        .join(LedgerReception, LedgerReception.id == LedgerBooklet.reception_id).where(*of_year)).one()
    redeemed = session.execute(
        select(func.count(), func.sum(LedgerReception.face_value))
        .select_from(LedgerRedemption).join(LedgerBooklet, LedgerBooklet.id == LedgerRedemption.booklet_id)
        .join(LedgerReception, LedgerReception.id == LedgerBooklet.reception_id).where(*of_year)).one()
    return passes, amount, redeemed

