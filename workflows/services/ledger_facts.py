"""What the ledger service reads before a record: the campaign and the caller's rights on
it, and the few facts a rule needs (where the named booklets are, a prescriber's convention
de mandat, what a beneficiary already received). Never the whole campaign."""
from dataclasses import dataclass

from sqlalchemy import func, literal, select

from ..domain.errors import DomainError
from ..domain.ledger_rules import STOCK, BookletFacts, Holding, Mandate, Place
from ..domain.passes import Booklet
from ..errors import Forbidden, InvalidData, NotFound
from ..roles import role_label
from ..store.models import (
    LedgerAgent, LedgerBeneficiary, LedgerBooklet, LedgerCampaign, LedgerMandate, LedgerPrescriber, LedgerReception,
)

CHUNK = 500   # serials per IN (...) list: far below SQLite's limit of bound parameters


@dataclass(frozen=True)
class Campaign:
    id: int
    territory: str
    title: str
    instance_id: int | None
    redeemed_passes: int


@dataclass(frozen=True)
class BookletRow:
    """A booklet as read: its facts for the rules, and what the write needs (id, seq)."""
    id: int
    seq: int
    prescriber_id: int | None
    beneficiary_id: int | None
    facts: BookletFacts

    @property
    def serial(self):
        return self.facts.booklet.serial

    @property
    def size(self):
        return self.facts.booklet.size


@dataclass(frozen=True)
class PrescriberRow:
    id: int
    name: str
    mandate: Mandate
    agents: frozenset | None = None   # those of the agents asked for who record for it (None: not read)


def campaign_for(session, campaign_id, actor, roles=None, what="agir sur"):
    """The campaign, if the actor sees its territory and (when `roles` is given) has one of them."""
    row = session.get(LedgerCampaign, campaign_id)
    if row is None:
        raise NotFound(f"Campagne de distribution n° {campaign_id} introuvable.")
    require_role(actor, roles, row.territory, what)
    return Campaign(row.id, row.territory, row.title, row.instance_id, row.redeemed_passes)


def require_role(actor, roles, territory, what="agir sur"):
    if not actor.sees_territory(territory):
        raise Forbidden(f"Vous n’agissez pas pour le territoire « {territory} ».")
    if roles is not None and not actor.acts_in_territory(territory):
        raise Forbidden(f"Vous suivez le territoire « {territory} » sans y agir.")
    if roles is not None and not actor.is_admin and not roles & actor.roles:
        labels = " ou ".join(f"« {role_label(r)} »" for r in sorted(roles))
        raise Forbidden(f"Seul le rôle {labels} peut {what} le registre des carnets.")


def require_agent(session, actor, prescriber):
    """A prescriber's agent records for it (an administrator for any)."""
    if actor.is_admin:
        return
    agents = getattr(prescriber, "agents", None)   # read with the prescriber (PrescriberRow), or not
    if agents is not None:
        registered = actor.username in agents
    else:
        registered = session.get(LedgerAgent, (prescriber.id, actor.username)) is not None
    if not registered or "prescriber" not in actor.roles:
        raise Forbidden(f"Vous n’êtes pas enregistré(e) comme agent du prescripteur « {prescriber.name} ».")


def booklets(session, campaign_id, serials):
    """The named booklets, in the order named; InvalidData naming the first unknown one."""
    found = found_booklets(session, campaign_id, serials)
    unknown = [s for s in serials if s not in found]
    if unknown:
        raise InvalidData(f"Le carnet {unknown[0]} est inconnu du registre.", {"carnets": unknown[0]})
    return [found[s] for s in serials]


def found_booklets(session, campaign_id, serials):
    """{serial: BookletRow} of those of `serials` the campaign knows."""
    found = {}
    for start in range(0, len(serials), CHUNK):
        chunk = serials[start:start + CHUNK]
        for row in session.execute(_booklet_query(campaign_id).where(LedgerBooklet.serial.in_(chunk))):
            found[row.serial] = _booklet_row(row)
    return found


def booklets_by_id(session, campaign_id, ids):
    rows = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows += [_booklet_row(row) for row in session.execute(
            _booklet_query(campaign_id).where(LedgerBooklet.id.in_(chunk)).order_by(LedgerBooklet.serial))]
    return rows


def stock_booklets(session, campaign_id, count, booklet_size=None):
    """`count` booklets of the stock (of a size), those expiring first, then by serial."""
    query = _booklet_query(campaign_id).where(LedgerBooklet.place == Place.STOCK.value)
    if booklet_size is not None:
        query = query.where(LedgerBooklet.size == booklet_size)
    rows = session.execute(query.order_by(LedgerBooklet.validity_year, LedgerBooklet.serial).limit(count))
    return [_booklet_row(row) for row in rows]


def _booklet_query(campaign_id):
    return (select(LedgerBooklet.id, LedgerBooklet.serial, LedgerBooklet.size, LedgerBooklet.validity_year,
                   LedgerBooklet.place, LedgerBooklet.since, LedgerBooklet.seq, LedgerBooklet.prescriber_id,
                   LedgerBooklet.beneficiary_id, LedgerReception.issuer, LedgerReception.face_value,
                   LedgerPrescriber.name.label("prescriber"), LedgerBeneficiary.identifier.label("beneficiary"))
            .join(LedgerReception, LedgerReception.id == LedgerBooklet.reception_id)
            .outerjoin(LedgerPrescriber, LedgerPrescriber.id == LedgerBooklet.prescriber_id)
            .outerjoin(LedgerBeneficiary, LedgerBeneficiary.id == LedgerBooklet.beneficiary_id)
            .where(LedgerBooklet.campaign_id == campaign_id))


def _booklet_row(row):
    place = Place(row.place)
    party = {Place.STOCK: STOCK, Place.PRESCRIBER: row.prescriber,
             Place.BENEFICIARY: row.beneficiary}.get(place) or ""
    booklet = Booklet(row.serial, row.size, row.validity_year, row.issuer, row.face_value)
    return BookletRow(row.id, row.seq, row.prescriber_id, row.beneficiary_id,
                      BookletFacts(booklet, Holding(place, party, row.since)))


def prescriber(session, campaign_id, name, field="prescripteur", agent=None):
    """The prescriber and its convention de mandat; InvalidData when the campaign does not know it.
    With `agent` (a user name), whether that user records for it too (`agents`), in the same query."""
    registered = (LedgerAgent.username if agent is not None else literal(None)).label("agent")
    query = (select(LedgerPrescriber.id, LedgerPrescriber.name, LedgerPrescriber.executory_on,
                    LedgerMandate.booklet_size, LedgerMandate.booklets, LedgerMandate.endowed, registered)
             .outerjoin(LedgerMandate, LedgerMandate.prescriber_id == LedgerPrescriber.id)
             .where(LedgerPrescriber.campaign_id == campaign_id, LedgerPrescriber.name == name))
    if agent is not None:
        query = query.outerjoin(LedgerAgent, (LedgerAgent.prescriber_id == LedgerPrescriber.id)
                                & (LedgerAgent.username == agent))
    rows = session.execute(query).all()
    if not rows:
        raise InvalidData(f"Le prescripteur « {name} » n’est pas enregistré dans cette campagne : aucune "
                          "convention de mandat connue.", {field: "prescripteur inconnu"})
    formats = [r for r in rows if r.booklet_size is not None]
    row = rows[0]
    mandate = Mandate(row.name, row.executory_on, {m.booklet_size: m.booklets for m in formats},
                      {m.booklet_size: m.endowed for m in formats})
    agents = None if agent is None else frozenset(r.agent for r in rows if r.agent is not None)
    return PrescriberRow(row.id, row.name, mandate, agents)


def beneficiary(session, campaign_id, identifier):
    return session.execute(select(LedgerBeneficiary).where(LedgerBeneficiary.campaign_id == campaign_id,
                                                           LedgerBeneficiary.identifier == identifier)
                           ).scalar_one_or_none()


def beneficiaries(session, campaign_id, identifiers):
    """{identifier: LedgerBeneficiary} of those of `identifiers` the campaign knows."""
    identifiers = sorted(set(identifiers))
    found = {}
    for start in range(0, len(identifiers), CHUNK):
        found.update((row.identifier, row) for row in session.execute(select(LedgerBeneficiary).where(
            LedgerBeneficiary.campaign_id == campaign_id,
            LedgerBeneficiary.identifier.in_(identifiers[start:start + CHUNK]))).scalars())
    return found


def handed_passes(session, campaign_id):
    """The passes of the booklets in beneficiaries' hands: what statements may not exceed."""
    return session.execute(select(func.coalesce(func.sum(LedgerBooklet.size), 0)).where(
        LedgerBooklet.campaign_id == campaign_id, LedgerBooklet.place == Place.BENEFICIARY.value)).scalar()


def invalid(error: DomainError, field):
    """A refusal of the domain as the services give it: its French sentence, on its field."""
    return InvalidData(str(error), {field: str(error)})
