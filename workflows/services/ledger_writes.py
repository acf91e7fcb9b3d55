"""How the ledger service writes a record: one short write transaction, journaled.

A move inserts one ledger_move_booklet row per booklet, numbered the booklet's move count
read before plus one, under the unique index (booklet_id, seq): two records made on the
same facts claim the same number, and the database lets exactly one through. The loser's
IntegrityError becomes a Conflict; nothing of it is written.
"""
from collections import Counter
from contextlib import contextmanager

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..domain.ledger_rules import Place
from ..errors import Conflict
from ..states import JournalAction
from ..store.models import LedgerBeneficiary, LedgerBooklet, LedgerMandate, LedgerMove, LedgerMoveBooklet
from .ledger_counts import Holder, count_moves, count_people
from .steps import Step

ACTION = JournalAction.BOOKLET_LEDGER
LOST_RACE = ("Ces carnets viennent d’être enregistrés par quelqu’un d’autre : rechargez le registre "
             "et recommencez.")


@contextmanager
def recording(app, conflict=LOST_RACE):
    """A Step whose lost race (a unique index or check refused the write) is a French Conflict."""
    try:
        with Step(app) as step:
            yield step
    except IntegrityError:
        raise Conflict(conflict) from None


def write_move(step, campaign, actor, kind, rows, on, *, place, prescriber_id=None, beneficiary_id=None,
               public="", new_person=False, from_prescriber_id=None, to_prescriber_id=None, reason=None,
               corrects=None):
    """The move, its booklets each claiming its next number, where they are now, and the campaign's
    counters. `beneficiary_id` is the person (of `public`) the booklets go to or come back from,
    `new_person` whether this write created that person."""
    move = LedgerMove(campaign_id=campaign.id, kind=kind.value, happened_on=on, from_prescriber_id=from_prescriber_id,
                      to_prescriber_id=to_prescriber_id, beneficiary_id=beneficiary_id, booklets=len(rows),
                      passes=sum(r.size for r in rows), reason=reason, corrects_move_id=corrects,
                      recorded_by=actor.username, recorded_at=step.now)
    step.session.add(move)
    step.session.flush()
    step.session.execute(insert(LedgerMoveBooklet), [
        {"move_id": move.id, "booklet_id": r.id, "seq": r.seq + 1} for r in rows])
    step.session.execute(update(LedgerBooklet), [
        {"id": r.id, "seq": r.seq + 1, "place": place.value, "since": on, "prescriber_id": prescriber_id,
         "beneficiary_id": beneficiary_id if place is Place.BENEFICIARY else None} for r in rows])
    held = place in (Place.PRESCRIBER, Place.BENEFICIARY)
    after = Holder(place, prescriber_id if held else None, beneficiary_id if place is Place.BENEFICIARY else None,
                   public)
    count_moves(step, campaign.id, [(r.size, Holder(r.facts.holding.place, r.prescriber_id, r.beneficiary_id, public),
                                     after) for r in rows], {beneficiary_id} if new_person else frozenset())
    return move


def insert_all(step, model, rows):
    """Insert `rows` of `model` at once; their new ids, in order. On PostgreSQL the ids are drawn from
    the table's sequence in one query and the rows go in without RETURNING: an insert that must
    give its ids back in order costs three times as much there (an import of thousands of lines).
    Elsewhere (SQLite) the insert returns them."""
    if not rows:
        return []
    if step.session.get_bind().dialect.name != "postgresql":
        return step.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows).scalars().all()
    sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
    ids = step.session.execute(select(func.nextval(sequence)).select_from(
        func.generate_series(1, len(rows)))).scalars().all()
    step.session.execute(insert(model), [dict(row, id=new_id) for row, new_id in zip(rows, ids)])
    return ids


def add_endowed(step, prescriber_id, rows, sign=1):
    """The booklets a prescriber was endowed with, per size; the check constraint keeps them within
    its convention de mandat whatever was read before."""
    for size, count in Counter(r.size for r in rows).items():
        step.session.execute(update(LedgerMandate).where(
            LedgerMandate.prescriber_id == prescriber_id, LedgerMandate.booklet_size == size,
        ).values(endowed=LedgerMandate.endowed + sign * count))


def add_received(step, campaign_id, people):
    """The booklets people received: `people` [(beneficiary id, public, in a priority neighbourhood,
    count read, added)], each only from the count the allocation rule was checked on; and the people
    counted per public."""
    for beneficiary_id, _public, _priority, read_count, count in people:
        changed = step.session.execute(update(LedgerBeneficiary).where(
            LedgerBeneficiary.id == beneficiary_id, LedgerBeneficiary.booklets == read_count,
        ).values(booklets=read_count + count)).rowcount
        if changed != 1:
            raise Conflict("Cette personne vient de recevoir d’autres carnets : rechargez et recommencez.")
    count_people(step, campaign_id, [(public, priority, read, read + count)
                                     for _id, public, priority, read, count in people])


def journal(step, campaign, actor, summary, payload, role=None):
    step.record(ACTION, summary, actor, role=role, payload={"campagne": campaign.id, **payload},
                instance_id=campaign.instance_id)
