"""A campaign's records in bulk, from a spreadsheet's CSV: the prescribers' handouts and the
issuer's monthly redemption statements.

All or nothing: the file is read (services/csv_files), then every line is checked in order
by the same rules as a record made one at a time (domain/ledger_rules, domain/mediation_payments),
against the facts read once for the whole file and kept up to date line after line (a
booklet handed on line 3 is no longer the prescriber's on line 9). A refusal names each line
and column at fault and writes nothing; otherwise one transaction writes every line with
bulk statements, under the same unique indexes that let one of two concurrent records win.
"""
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy import insert, select, update

from ..domain.errors import DomainError
from ..domain.ledger_rules import BookletFacts, Holding, MoveKind, Place, check_handout, check_redemption
from ..domain.mediation_payments import Month, statement
from ..domain.passes import DEFAULT_FACE_VALUE
from ..errors import InvalidData
from ..store.models import (
    LedgerBeneficiary, LedgerBooklet, LedgerMove, LedgerMoveBooklet, LedgerRedemption, LedgerStatement,
)
from . import ledger_facts as facts
from . import ledger_input
from .csv_files import Layout, read_rows, refusal, where
from .ledger import allocation_rule, clipped, pseudonym
from .ledger_campaigns import HANDED_OUT, STATEMENT_ROLES, add_redeemed, earlier_redemptions, pass_ids_of
from .ledger_counts import Holder, count_moves, count_people
from .ledger_writes import add_received, insert_all, journal, recording

HANDOUT_COLUMNS = ("prescripteur", "identifiant", "public", "tranche_age", "commune", "qpv", "date", "carnets")
HANDOUTS = Layout(
    columns={**{c: c for c in HANDOUT_COLUMNS}, "tranche_d_age": "tranche_age", "quartier_prioritaire": "qpv",
             "date_remise": "date", "date_de_remise": "date", "numeros_carnets": "carnets", "carnet": "carnets"},
    required=("prescripteur", "public", "date", "carnets"), header_of={c: c for c in HANDOUT_COLUMNS},
    what="remises", example_header="prescripteur;identifiant;public;date;carnets")
STATEMENT_COLUMNS = ("lieu", "mois", "passes", "ateliers", "detail")
STATEMENTS = Layout(
    columns={**{c: c for c in STATEMENT_COLUMNS}, "lieu_de_mediation": "lieu", "passes_encaisses": "passes",
             "pass_encaisses": "passes", "pass": "detail", "detail_des_pass": "detail"},
    required=("lieu", "mois", "passes"), header_of={c: c for c in STATEMENT_COLUMNS},
    what="relevés", example_header="lieu;mois;passes;detail")


def _note(problems, number, layout, error):
    """An InvalidData of a line, under its column (the keys of ledger_input are the columns')."""
    columns = [k for k in (error.details or {}) if k in layout.header_of] or [next(iter(layout.header_of))]
    problems[where(number, layout, columns[0])] = error.message


def _refuse(problems):
    if problems:
        raise InvalidData(refusal(problems), problems)


# --- the prescribers' handouts ---------------------------------------------------------------


@dataclass
class _Person:
    public: str
    read: int | None     # booklets received before the file (None: a new person)
    count: int
    id: int | None = None
    values: dict = field(default_factory=dict)
    priority_area: bool = False


def import_handouts(app, campaign_id, actor, content: bytes):
    """{"handouts": n, "booklets": n, "passes": n, "beneficiaries_created": n} once every line is valid."""
    lines = read_rows(content, HANDOUTS)
    problems, wanted = {}, []
    for number, values in lines:
        try:
            args = ledger_input.handout(values)
            args["identifier"] = pseudonym(args["identifier"])
            if not args["public"]:
                raise InvalidData("Indiquez le public de la personne.", {"public": "champ obligatoire"})
            wanted.append((number, args))
        except InvalidData as error:
            _note(problems, number, HANDOUTS, error)
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor)
        prescribers = _prescribers(session, campaign, actor, {args["prescriber"] for _, args in wanted})
        booklets = facts.found_booklets(session, campaign.id, sorted({s for _, a in wanted for s in a["serials"]}))
        stored = facts.beneficiaries(session, campaign.id, [a["identifier"] for _, a in wanted])
    people = {i: _Person(p.public, p.booklets, p.booklets, p.id, priority_area=p.priority_area)
              for i, p in stored.items()}
    moves = [move for number, args in wanted
             if (move := _checked_handout(number, args, campaign, prescribers, booklets, people, problems))]
    _refuse(problems)
    with recording(app) as step:
        created = _write_people(step, campaign, actor, people)
        ids = _write_moves(step, campaign, actor, moves, people)
        journal(step, campaign, actor, f"Import de {len(moves)} remise(s) de carnets",
                {"mouvements": [ids[0], ids[-1]], "lignes": len(moves),
                 "carnets": sum(len(m["rows"]) for m in moves)})
        step.commit()
    return {"handouts": len(moves), "booklets": sum(len(m["rows"]) for m in moves),
            "passes": sum(r.size for m in moves for r in m["rows"]), "beneficiaries_created": created}


def _prescribers(session, campaign, actor, names):
    """{name: PrescriberRow, or the InvalidData of a name the campaign does not know}; the actor
    records for each (its agent, or an administrator): otherwise the whole file is Forbidden."""
    found = {}
    for name in sorted(names):
        try:
            found[name] = facts.prescriber(session, campaign.id, name, agent=actor.username)
        except InvalidData as error:
            found[name] = error
            continue
        facts.require_agent(session, actor, found[name])
    return found


def _checked_handout(number, args, campaign, prescribers, booklets, people, problems):
    """The line's move once checked against the facts as the lines before left them; those facts
    updated. None (and the problem noted) when the line is refused."""
    by, identifier, on = prescribers[args["prescriber"]], args["identifier"], args["on"]
    try:
        if isinstance(by, InvalidData):
            raise by
        unknown = [s for s in args["serials"] if s not in booklets]
        if unknown:
            raise InvalidData(f"Le carnet {unknown[0]} est inconnu du registre.", {"carnets": unknown[0]})
        person = people.get(identifier)
        if person is not None and person.public != args["public"]:
            raise InvalidData(f"La personne {identifier} est enregistrée au public « {person.public} », non "
                              f"« {args['public']} ».", {"public": "public différent de celui déjà enregistré"})
        rows = [booklets[s] for s in args["serials"]]
        check_handout([r.facts for r in rows], by.name, on, allocation_rule(args["public"], on, campaign.territory),
                      person.count if person else 0)
    except DomainError as error:
        problems[where(number, HANDOUTS, "carnets")] = str(error)
        return None
    except InvalidData as error:
        _note(problems, number, HANDOUTS, error)
        return None
    if person is None:
        person = people[identifier] = _Person(args["public"], None, 0, values=args,
                                              priority_area=bool(args["priority_area"]))
    person.count += len(rows)
    for r in rows:
        booklets[r.serial] = replace(r, seq=r.seq + 1, facts=BookletFacts(r.facts.booklet,
                                                                          Holding(Place.BENEFICIARY, identifier, on)))
    return {"by": by, "identifier": identifier, "on": on, "rows": rows}


def _write_people(step, campaign, actor, people):
    """The new beneficiaries inserted with their final count, the others' counts moved from the one
    read (a concurrent handout to one of them makes the import lose)."""
    new = [(i, p) for i, p in people.items() if p.read is None]
    if new:
        inserted = insert_all(step, LedgerBeneficiary, [{"campaign_id": campaign.id, "identifier": i, "public": p.public,
              "age_band": clipped(p.values["age_band"], 20), "commune": clipped(p.values["commune"], 200),
              "priority_area": p.values["priority_area"], "booklets": p.count, "created_by": actor.username,
              "created_at": step.now} for i, p in new])
        for (_, person), new_id in zip(new, inserted):
            person.id = new_id
        count_people(step, campaign.id, [(p.public, p.priority_area, None, p.count) for _, p in new])
    add_received(step, campaign.id, [(p.id, p.public, p.priority_area, p.read, p.count - p.read)
                                     for p in people.values() if p.read is not None and p.count != p.read])
    return len(new)


def _write_moves(step, campaign, actor, moves, people):
    ids = insert_all(step, LedgerMove, [
        {"campaign_id": campaign.id, "kind": MoveKind.TO_BENEFICIARY.value, "happened_on": m["on"],
         "from_prescriber_id": m["by"].id, "beneficiary_id": people[m["identifier"]].id,
         "booklets": len(m["rows"]), "passes": sum(r.size for r in m["rows"]), "recorded_by": actor.username,
         "recorded_at": step.now} for m in moves])
    step.session.execute(insert(LedgerMoveBooklet), [
        {"move_id": move_id, "booklet_id": r.id, "seq": r.seq + 1} for move_id, m in zip(ids, moves) for r in m["rows"]])
    final = {r.id: (r, m) for m in moves for r in m["rows"]}
    step.session.execute(update(LedgerBooklet), [
        {"id": r.id, "seq": r.seq + 1, "place": Place.BENEFICIARY.value, "since": m["on"], "prescriber_id": m["by"].id,
         "beneficiary_id": people[m["identifier"]].id} for r, m in final.values()])
    count_moves(step, campaign.id, [
        (r.size, Holder(r.facts.holding.place, r.prescriber_id, r.beneficiary_id),
         Holder(Place.BENEFICIARY, m["by"].id, people[m["identifier"]].id, people[m["identifier"]].public))
        for m in moves for r in m["rows"]], {p.id for p in people.values() if p.read is None})
    return ids


# --- the issuer's monthly statements ---------------------------------------------------------


def import_statements(app, campaign_id, actor, content: bytes):
    """{"statements": n, "passes": n} once every line is valid (its place and month not stated
    before, the campaign's total within the passes handed out, each detailed pass redeemable)."""
    lines = read_rows(content, STATEMENTS)
    problems, wanted = {}, []
    for number, values in lines:
        try:
            wanted.append((number, _statement_line(values)))
        except InvalidData as error:
            _note(problems, number, STATEMENTS, error)
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor, STATEMENT_ROLES,
                                      "déclarer des passes encaissés dans")
        handed = facts.handed_passes(session, campaign.id)
        stated = set(session.execute(select(LedgerStatement.place, LedgerStatement.month).where(
            LedgerStatement.campaign_id == campaign.id)).all())
        booklets = facts.found_booklets(session, campaign.id,
                                        sorted({p.booklet_serial for _, line in wanted for p in line["ids"]}))
        earlier = earlier_redemptions(session, [r.id for r in booklets.values()])
    declared, checked = campaign.redeemed_passes, []
    for number, line in wanted:
        try:
            done = statement(line["place"], line["month"], line["passes"], DEFAULT_FACE_VALUE, declared=declared,
                             ceiling=handed, bound=HANDED_OUT)
        except DomainError as error:
            problems[where(number, STATEMENTS, "passes")] = str(error)
            continue
        key = (done.place, str(line["month"]))
        if key in stated:
            problems[where(number, STATEMENTS, "mois")] = f"relevé de {done.place} pour {line['month'].label} déjà enregistré"
            continue
        if _redeemable(number, line, done.place, booklets, earlier, problems):
            stated.add(key)
            declared += line["passes"]
            checked.append(dict(line, place=done.place))
    _refuse(problems)
    with recording(app, "Un autre relevé vient d’être enregistré dans cette campagne : rechargez et recommencez.") as step:
        ids = insert_all(step, LedgerStatement, [
            {"campaign_id": campaign.id, "place": line["place"], "month": str(line["month"]), "passes": line["passes"],
             "workshops": line["workshops"], "recorded_by": actor.username, "recorded_at": step.now}
            for line in checked])
        redeemed = [{"statement_id": i, "booklet_id": booklets[p.booklet_serial].id, "pass_number": p.number}
                    for i, line in zip(ids, checked) for p in line["ids"]]
        if redeemed:
            step.session.execute(insert(LedgerRedemption), redeemed)
        total = sum(line["passes"] for line in checked)
        add_redeemed(step, campaign, total)
        journal(step, campaign, actor, f"Import de {len(checked)} relevé(s) : {total} pass encaissé(s)",
                {"releves": ids, "passes": total})
        step.commit()
    return {"statements": len(checked), "passes": total}


def _statement_line(values):
    month_text = ledger_input.text(values, "mois", required=True)
    if "/" in month_text:   # a spreadsheet's 03/2027
        number, _, year = month_text.partition("/")
        month_text = f"{year.strip()}-{number.strip()}"
    try:
        month = Month.parse(month_text)
    except DomainError as error:
        raise InvalidData(str(error), {"mois": str(error)}) from None
    passes, workshops = _count(values, "passes"), _count(values, "ateliers", optional=True)
    detail = ledger_input.text(values, "detail")
    try:
        ids = pass_ids_of(ledger_input.SERIAL_SEPARATORS.split(detail) if detail else (), passes)
    except InvalidData as error:
        raise InvalidData(error.message, {"detail": error.message}) from None
    return {"place": ledger_input.text(values, "lieu", required=True), "month": month, "passes": passes,
            "workshops": workshops, "ids": ids}


def _count(values, key, optional=False):
    text = ledger_input.text(values, key).replace("\u202f", "").replace(" ", "")
    if optional and not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise InvalidData(f"« {key} » : un nombre entier positif est attendu, non « {text} ».", {key: "nombre attendu"})
    return int(text)


def _redeemable(number, line, place, booklets, earlier, problems):
    """Every detailed pass of the line exists, was handed out and is redeemed once (in the
    ledger or in the file); the passes kept as redeemed for the next lines."""
    last_day = line["month"].next().first_day - timedelta(days=1)
    for pass_id in line["ids"]:
        row = booklets.get(pass_id.booklet_serial)
        try:
            if row is None:
                raise DomainError(f"Le carnet {pass_id.booklet_serial} est inconnu du registre.")
            handed_on = row.facts.holding.since if row.facts.holding.place is Place.BENEFICIARY else None
            check_redemption(pass_id, row.facts.booklet, handed_on, earlier.get((row.id, pass_id.number)), place,
                             last_day)
        except DomainError as error:
            problems[where(number, STATEMENTS, "detail")] = str(error)
            return False
    for pass_id in line["ids"]:
        earlier[(booklets[pass_id.booklet_serial].id, pass_id.number)] = (line["month"].first_day, place)
    return True
