"""The pass ledger service: booklets move one record at a time, as they do in life.

Each record reads the few facts it touches (ledger_facts), checks them with the domain's
rules (domain/ledger_rules: the same checks and French messages as the register a process
replays), then writes in one short journaled transaction (ledger_writes) where a database
constraint, not this module, decides which of two records made on the same facts wins.

The campaign's setup (campaign, prescribers, receptions, statements, credit) is in
ledger_campaigns and its figures in ledger_figures; this module gives them too, so that
callers have one entry point.
"""
import secrets
import string
from datetime import date

from sqlalchemy import select

from ..domain.allocation import allocation_for, default_allocation_rules
from ..domain.booklet_register import serials_of
from ..domain.errors import DomainError
from ..domain.ledger_rules import (
    MoveKind, Place, check_dotation, check_handout, check_held, check_loss, check_transfer, require_holding,
    require_stock,
)
from ..domain.publics import require_territory_public
from ..errors import Conflict, InvalidData, NotFound
from ..store.models import LedgerBeneficiary, LedgerMove, LedgerMoveBooklet
from . import ledger_facts as facts
from .ledger_campaigns import (  # noqa: F401 (one entry point)
    add_prescriber, open_campaign, receive_range, record_credit, record_statement,
)
from .ledger_figures import campaign_figures, campaigns, holdings  # noqa: F401
from .ledger_counts import count_people
from .ledger_writes import add_endowed, add_received, journal, recording, write_move
from .results import Move

MANAGERS = frozenset({"director"})
PRESCRIBERS = frozenset({"prescriber"})
IDENTIFIER_CHARS = frozenset(string.ascii_letters + string.digits + "-_.")


def named_serials(serials=None, ranges=None):
    """Serials typed or scanned one by one (blanks ignored) and/or ranges {premier, dernier}."""
    try:
        named = [s.strip() for s in serials or () if s and s.strip()]
        return tuple(named) + serials_of(ranges or ())
    except DomainError as error:
        raise facts.invalid(error, "carnets") from None


def _checked(check, *args, field="carnets"):
    try:
        check(*args)
    except DomainError as error:
        raise facts.invalid(error, field) from None


# --- stock -> prescriber ----------------------------------------------------------------


def endow(app, campaign_id, actor, *, prescriber, on: date, serials=None, ranges=None, count=None,
          booklet_size=None):
    """A dotation: named booklets, or `count` of the stock (of a size), those expiring first."""
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, MANAGERS, "doter les prescripteurs dans")
        to = facts.prescriber(session, campaign.id, prescriber)
        if count is None:
            rows = facts.booklets(session, campaign.id, named_serials(serials, ranges))
        else:
            rows = facts.stock_booklets(session, campaign.id, count, booklet_size)
            _checked(require_stock, count, len(rows), booklet_size)
    _checked(check_dotation, [r.facts for r in rows], to.name, to.mandate, on)
    with recording(app) as step:
        move = write_move(step, campaign, actor, MoveKind.TO_PRESCRIBER, rows, on, place=Place.PRESCRIBER,
                          prescriber_id=to.id, to_prescriber_id=to.id)
        add_endowed(step, to.id, rows)
        journal(step, campaign, actor, f"Dotation de {len(rows)} carnet(s) à {to.name}",
                {"mouvement": move.id, "prescripteur": to.name, "carnets": [r.serial for r in rows]})
        step.commit()
    return _move_result(move, rows)


# --- prescriber -> beneficiary ----------------------------------------------------------


def hand_out(app, campaign_id, actor, *, prescriber, public, on: date, serials=None, ranges=None,
             identifier=None, age_band=None, commune=None, priority_area=False) -> Move:
    """Booklets handed to one person, pseudonymous: `identifier` typed, or generated when None."""
    public = (public or "").strip()
    if not public:
        raise InvalidData("Indiquez le public de la personne.", {"public": "champ obligatoire"})
    identifier = pseudonym(identifier)
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor)
        by = facts.prescriber(session, campaign.id, prescriber, agent=actor.username)
        facts.require_agent(session, actor, by)
        rows = facts.booklets(session, campaign.id, named_serials(serials, ranges))
        person = facts.beneficiary(session, campaign.id, identifier)
    if person is not None and person.public != public:
        raise InvalidData(f"La personne {identifier} est enregistrée au public « {person.public} », "
                          f"non « {public} ».", {"public": "public différent de celui déjà enregistré"})
    previous = person.booklets if person is not None else 0
    _checked(require_territory_public, public, campaign.territory, on, field="public")
    _checked(check_handout, [r.facts for r in rows], by.name, on, allocation_rule(public, on, campaign.territory),
             previous)
    with recording(app) as step:
        new = person is None
        if new:   # a new person: created with the booklets of this handout
            person = LedgerBeneficiary(campaign_id=campaign.id, identifier=identifier, public=public,
                                       age_band=clipped(age_band, 20), commune=clipped(commune, 200),
                                       priority_area=bool(priority_area), booklets=len(rows),
                                       created_by=actor.username, created_at=step.now)
            step.session.add(person)
            step.session.flush()
            count_people(step, campaign.id, [(public, person.priority_area, None, len(rows))])
        else:
            add_received(step, campaign.id, [(person.id, public, person.priority_area, previous, len(rows))])
        move = write_move(step, campaign, actor, MoveKind.TO_BENEFICIARY, rows, on, place=Place.BENEFICIARY,
                          prescriber_id=by.id, beneficiary_id=person.id, public=public, new_person=new,
                          from_prescriber_id=by.id)
        journal(step, campaign, actor, f"Remise de {len(rows)} carnet(s) par {by.name} à {identifier}",
                {"mouvement": move.id, "prescripteur": by.name, "beneficiaire": identifier, "public": public,
                 "carnets": [r.serial for r in rows]})
        step.commit()
    return {**_move_result(move, rows), "beneficiary": identifier, "public": public}


def pseudonym(typed):
    if typed is None or not str(typed).strip():
        return "B-" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(10))
    typed = str(typed).strip()
    if len(typed) > 40 or not set(typed) <= IDENTIFIER_CHARS:
        raise InvalidData("Identifiant de la personne : 40 caractères au plus, lettres, chiffres, « - », « _ » "
                          "ou « . », sans espace (un pseudonyme, jamais un nom).",
                          {"identifiant": "identifiant invalide"})
    return typed


def publics():
    """[(public, its French label)] of the allocation rules, for a form's choices."""
    return sorted({(r.public, r.label) for r in default_allocation_rules()}, key=lambda p: p[1])


def clipped(text, length):
    text = (text or "").strip()
    return text[:length] or None


def allocation_rule(public, on, territory):
    try:
        return allocation_for(public, on, territory)
    except DomainError:
        return None   # a public without a rule in force is bounded by the dotation only


# --- prescriber -> stock, prescriber -> prescriber, out of the ledger ----------------------


def return_to_stock(app, campaign_id, actor, *, prescriber, on: date, serials=None, ranges=None) -> Move:
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor)
        source = facts.prescriber(session, campaign.id, prescriber, agent=actor.username)
        _require_agent_or_manager(session, actor, source)
        rows = facts.booklets(session, campaign.id, named_serials(serials, ranges))
    _checked(check_held, [r.facts for r in rows], source.name, on)
    with recording(app) as step:
        move = write_move(step, campaign, actor, MoveKind.RETURNED, rows, on, place=Place.STOCK,
                          from_prescriber_id=source.id)
        journal(step, campaign, actor, f"Retour au stock de {len(rows)} carnet(s) de {source.name}",
                {"mouvement": move.id, "prescripteur": source.name, "carnets": [r.serial for r in rows]})
        step.commit()
    return _move_result(move, rows)


def transfer(app, campaign_id, actor, *, source, destination, on: date, serials=None, ranges=None) -> Move:
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor)
        giver = facts.prescriber(session, campaign.id, source, "source", agent=actor.username)
        _require_agent_or_manager(session, actor, giver)
        taker = facts.prescriber(session, campaign.id, destination, "destination")
        rows = facts.booklets(session, campaign.id, named_serials(serials, ranges))
    _checked(check_transfer, [r.facts for r in rows], giver.name, taker.name, taker.mandate, on)
    with recording(app) as step:
        move = write_move(step, campaign, actor, MoveKind.TRANSFERRED, rows, on, place=Place.PRESCRIBER,
                          prescriber_id=taker.id, from_prescriber_id=giver.id, to_prescriber_id=taker.id)
        add_endowed(step, taker.id, rows)
        journal(step, campaign, actor, f"Transfert de {len(rows)} carnet(s) de {giver.name} à {taker.name}",
                {"mouvement": move.id, "source": giver.name, "destination": taker.name,
                 "carnets": [r.serial for r in rows]})
        step.commit()
    return _move_result(move, rows)


def declare_loss(app, campaign_id, actor, *, on: date, reason, destroyed=False, serials=None, ranges=None):
    """Booklets lost or destroyed, from the stock (managers) or a prescriber (its agents too)."""
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor)
        rows = facts.booklets(session, campaign.id, named_serials(serials, ranges))
        holders = {r.prescriber_id for r in rows if r.facts.holding.place is Place.PRESCRIBER}
        if len(holders) == 1 and len(rows) == sum(r.prescriber_id in holders for r in rows):
            holder = facts.prescriber(session, campaign.id, rows[0].facts.holding.party)
            _require_agent_or_manager(session, actor, holder)
        else:
            facts.require_role(actor, MANAGERS, campaign.territory, "déclarer une perte dans")
    _checked(check_loss, [r.facts for r in rows], on, reason, field="motif")
    kind, place = (MoveKind.DESTROYED, Place.DESTROYED) if destroyed else (MoveKind.LOST, Place.LOST)
    with recording(app) as step:
        move = write_move(step, campaign, actor, kind, rows, on, place=place, reason=reason.strip(),
                          from_prescriber_id=holders.pop() if len(holders) == 1 else None)
        journal(step, campaign, actor, f"{'Destruction' if destroyed else 'Perte'} de {len(rows)} carnet(s) : "
                f"{reason.strip()}", {"mouvement": move.id, "carnets": [r.serial for r in rows]})
        step.commit()
    return _move_result(move, rows)


def _require_agent_or_manager(session, actor, prescriber):
    if not MANAGERS & actor.roles:
        facts.require_agent(session, actor, prescriber)


def _move_result(move, rows) -> Move:
    return {"move": move.id, "kind": move.kind, "on": move.happened_on.isoformat(),
            "booklets": [r.serial for r in rows], "passes": move.passes}


# --- corrections: a new move that undoes one, never an edit --------------------------------


def correct(app, campaign_id, move_id, actor, *, reason, on: date):
    """Put the booklets of a move back where they were before it, if nothing moved them since."""
    if not (reason or "").strip():
        raise InvalidData("Indiquez le motif de la correction.", {"motif": "champ obligatoire"})
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, MANAGERS, "corriger")
        move = session.get(LedgerMove, move_id)
        if move is None or move.campaign_id != campaign.id:
            raise NotFound(f"Mouvement n° {move_id} introuvable dans cette campagne.")
        if move.kind == MoveKind.CORRECTION.value:
            raise InvalidData("Une correction ne se corrige pas : enregistrez le bon mouvement.", {"mouvement": "correction"})
        fixed = session.execute(select(LedgerMove).where(LedgerMove.corrects_move_id == move.id)).scalar_one_or_none()
        if fixed is not None:
            raise InvalidData(f"Le mouvement n° {move.id} a déjà été corrigé (mouvement n° {fixed.id}, par "
                              f"{fixed.recorded_by}).", {"mouvement": "déjà corrigé"})
        taken = dict(session.execute(select(LedgerMoveBooklet.booklet_id, LedgerMoveBooklet.seq).where(
            LedgerMoveBooklet.move_id == move.id)).all())
        rows = facts.booklets_by_id(session, campaign.id, sorted(taken))
    moved = [r.serial for r in rows if r.seq != taken[r.id]]
    if moved:
        raise InvalidData(f"Le carnet {moved[0]} a changé de main depuis ce mouvement : corrigez d’abord le "
                          "mouvement le plus récent.", {"carnets": moved[0]})
    for r in rows:
        _checked(require_holding, r.serial, r.facts.holding, r.facts.holding.place, r.facts.holding.party, on)
    kind = MoveKind(move.kind)
    before = _place_before(kind, move)
    with recording(app, f"Le mouvement n° {move.id} vient d’être corrigé ou suivi d’un autre : rechargez.") as step:
        if move.to_prescriber_id is not None:
            add_endowed(step, move.to_prescriber_id, rows, sign=-1)
        public = ""
        if kind is MoveKind.TO_BENEFICIARY:   # the person before the counters, as a handout does
            person = step.session.get(LedgerBeneficiary, move.beneficiary_id)
            public = person.public
            add_received(step, campaign.id, [(person.id, public, person.priority_area, person.booklets, -len(rows))])
        fix = write_move(step, campaign, actor, MoveKind.CORRECTION, rows, on, place=before,
                         prescriber_id=move.from_prescriber_id if before is Place.PRESCRIBER else None,
                         from_prescriber_id=move.to_prescriber_id, to_prescriber_id=move.from_prescriber_id,
                         beneficiary_id=move.beneficiary_id, public=public, reason=reason.strip(), corrects=move.id)
        journal(step, campaign, actor, f"Correction du mouvement n° {move.id} : {reason.strip()}",
                {"mouvement": fix.id, "corrige": move.id, "carnets": [r.serial for r in rows]})
        step.commit()
    return _move_result(fix, rows)


def _place_before(kind, move):
    if kind is MoveKind.TO_PRESCRIBER:
        return Place.STOCK
    if kind in (MoveKind.LOST, MoveKind.DESTROYED):
        return Place.STOCK if move.from_prescriber_id is None else Place.PRESCRIBER
    if kind in (MoveKind.TO_BENEFICIARY, MoveKind.RETURNED, MoveKind.TRANSFERRED):
        return Place.PRESCRIBER
    raise Conflict(f"Un mouvement « {kind.value} » ne se corrige pas ainsi.")
