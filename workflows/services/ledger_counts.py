"""The campaign's counters, kept by the ledger's writes in their own transaction.

A process step reads its campaign's figures (ledger_process) from these few rows instead of
aggregating the booklets handed out: per place, prescriber, public and size, the booklets there
and the people holding them (ledger_tally); per public, the people who received booklets and
those of them in a priority neighbourhood (ledger_public_tally). Each write adds its differences
with one INSERT ... ON CONFLICT DO UPDATE per table, rows in key order: concurrent writers wait
for each other's row, never deadlock, and never lose an addition.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.ledger_rules import Place
from ..store.models import LedgerBooklet, LedgerPublicTally, LedgerTally
from .ledger_facts import CHUNK

NONE = 0   # the prescriber_id of booklets no prescriber holds nor handed out (a key cannot be NULL)


@dataclass(frozen=True)
class Holder:
    """Where a booklet is, as counted: its place, the prescriber holding or having handed it, and
    the person holding it with that person's public."""
    place: Place
    prescriber_id: int | None = None
    beneficiary_id: int | None = None
    public: str = ""

    def key(self, size):
        if self.place is Place.BENEFICIARY:
            return self.place.value, self.prescriber_id, self.public, size
        if self.place is Place.PRESCRIBER:
            return self.place.value, self.prescriber_id, "", size
        return self.place.value, NONE, "", size


def count_received(step, campaign_id, size, booklets):
    """Booklets entering the stock."""
    _add(step, LedgerTally, [dict(_tally_key(campaign_id, Holder(Place.STOCK).key(size)), booklets=booklets,
                                  people=0)])


def count_moves(step, campaign_id, moved, new_people=frozenset()):
    """`moved`: [(size, Holder before, Holder after)], one per booklet, once the booklets are written.
    `new_people`: the people this write created (they held nothing before: no query for them)."""
    booklets, held = Counter(), defaultdict(Counter)
    for size, before, after in moved:
        for holder, sign in ((before, -1), (after, 1)):
            booklets[holder.key(size)] += sign
            if holder.place is Place.BENEFICIARY:
                held[holder.beneficiary_id][holder.key(size)] += sign
    people = Counter()
    now = _held_now(step, [b for b in held if b not in new_people])
    for beneficiary_id, changes in held.items():
        for key, change in changes.items():
            after = change if beneficiary_id in new_people else now.get((beneficiary_id, key[1], key[3]), 0)
            people[key] += (after > 0) - (after - change > 0)
    _add(step, LedgerTally, [dict(_tally_key(campaign_id, key), booklets=booklets[key], people=people[key])
                             for key in sorted(set(booklets) | set(people)) if booklets[key] or people[key]])


def count_people(step, campaign_id, changes):
    """`changes`: [(public, in a priority neighbourhood, booklets received before, after)], one per
    person (before None: a new person)."""
    people, priority = Counter(), Counter()
    for public, in_priority_area, before, after in changes:
        change = (after > 0) - ((before or 0) > 0)
        people[public] += change
        priority[public] += change if in_priority_area else 0
    _add(step, LedgerPublicTally, [{"campaign_id": campaign_id, "public": public, "people": people[public],
                                    "priority_people": priority[public]}
                                   for public in sorted(people) if people[public]])


def _held_now(step, beneficiary_ids):
    """{(beneficiary, prescriber, size): booklets in that person's hands}, as this write leaves them."""
    found = {}
    for start in range(0, len(beneficiary_ids), CHUNK):
        found.update(((b, p, s), n) for b, p, s, n in step.session.execute(
            select(LedgerBooklet.beneficiary_id, LedgerBooklet.prescriber_id, LedgerBooklet.size, func.count())
            .where(LedgerBooklet.beneficiary_id.in_(beneficiary_ids[start:start + CHUNK]),
                   LedgerBooklet.place == Place.BENEFICIARY.value)
            .group_by(LedgerBooklet.beneficiary_id, LedgerBooklet.prescriber_id, LedgerBooklet.size)))
    return found


def _tally_key(campaign_id, key):
    place, prescriber_id, public, size = key
    return {"campaign_id": campaign_id, "place": place, "prescriber_id": prescriber_id, "public": public,
            "size": size}


def _add(step, model, rows):
    """Add each row's counts to the stored ones (the row created at its first count)."""
    if not rows:
        return
    table = model.__table__
    dialect = postgresql if step.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(rows)
    counted = [c for c in ("booklets", "people", "priority_people") if c in table.c]
    step.session.execute(statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={c: table.c[c] + statement.excluded[c] for c in counted}))
