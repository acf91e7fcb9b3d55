"""Script functions of the booklet register: deliveries, dotations, handouts, returns.

Plain JSON in and out. Each move returns {"registre": the register after it, "erreur":
None} or, when the ledger refuses it, {"registre": the register unchanged, "erreur": why,
in French}: the model loops the step back with the message, nothing is half-recorded.
``par`` is who recorded the step (the task service puts it in ``auteur_etape``), ``le``
the day the move happened.
"""
import copy
from collections import deque

from ..domain.allocation import allocation_error
from ..domain.booklet_register import (
    booklets_by_size,
    empty_register,
    ranges_of,
    record_reception,
    refuse_repeats,
    register_summary,
    replay,
    serials_of,
)
from ..domain.errors import DomainError
from ..domain.ledger import Beneficiary, Place
from .conversions import allocation_rule, day


def _applied(registre, record, conventions=()):
    """Run `record(register copy, its ledger)`; the new register, or the old one and the refusal."""
    before = registre or empty_register()
    after = copy.deepcopy(before)
    try:
        extra = record(after, replay(after, conventions)) or {}
    except (DomainError, KeyError, TypeError, ValueError) as error:
        message = str(error) if isinstance(error, DomainError) else f"donnée manquante ou invalide : {error}"
        return {"registre": before, "erreur": message}
    return {"registre": after, "erreur": None, **extra}


def receptionner_carnets(registre, lots: list, emetteur: str, annee_validite: int, valeur_cheque,
                         commande: str, par: str, le: str) -> dict:
    """Delivered booklets into stock. ``lots``: [{cheques_par_carnet, premier_numero,
    dernier_numero, nombre_carnets (optional, checked)}], a lot counted at zero skipped;
    adds "formats": the stock by booklet size."""
    def record(register, ledger):
        reception = {"carnets": [], "emetteur": emetteur, "annee_validite": int(annee_validite),
                     "valeur_cheque": valeur_cheque, "commande": commande, "par": par, "le": day(le).isoformat()}
        for lot in _delivered(lots):
            batch = dict(reception, cheques_par_carnet=int(lot["cheques_par_carnet"]),
                         carnets=ranges_of(_lot_serials(lot)))
            record_reception(ledger, batch)
            register["receptions"].append(batch)
        return {"formats": booklets_by_size(ledger, Place.STOCK)}
    return _applied(registre, record)


def verifier_numeros_livres(formats_livres: list) -> str | None:
    """None when each delivered format names the serial range of its booklets, as many as
    counted, and no booklet twice; else why, in French."""
    try:
        refuse_repeats([s for lot in _delivered(formats_livres) for s in _lot_serials(lot)])
    except (DomainError, KeyError) as error:
        return str(error) if isinstance(error, DomainError) else f"donnée manquante : {error}"
    return None


def _delivered(formats_livres) -> list:
    return [lot for lot in formats_livres if lot.get("nombre_carnets", 1)]


def _lot_serials(lot) -> tuple[str, ...]:
    first, last = lot.get("premier_numero"), lot.get("dernier_numero")
    if not first or not last:
        raise DomainError(f"Carnets de {lot['cheques_par_carnet']} pass : indiquez le premier et le dernier "
                          "numéro livrés.")
    serials = serials_of([{"premier": first, "dernier": last}])
    if "nombre_carnets" in lot and len(serials) != lot["nombre_carnets"]:
        raise DomainError(f"Carnets de {lot['cheques_par_carnet']} pass : la plage {first} – {last} compte "
                          f"{len(serials)} carnet(s), {lot['nombre_carnets']} comptés à la réception.")
    return serials


def doter_prescripteurs(registre, dotations: list, prescripteurs_conventionnes: list, par: str, le: str) -> dict:
    """Stock -> prescribers. A dotation names its booklets (``carnets``: ranges) or a
    quantity of a size (``nombre_carnets``, ``cheques_par_carnet``: those expiring first).
    Adds "dotations": each with the ranges it received (``carnets``), so that the handouts
    of one dotation draw on its own booklets only."""
    def record(register, ledger):
        on, endowed = day(le), []
        for dotation in dotations:
            prescriber = dotation["prescripteur"]
            if dotation.get("carnets"):
                move = ledger.assign_to_prescriber(serials_of(dotation["carnets"]), prescriber, by=par, on=on)
            else:
                move = ledger.assign_quantity_to_prescriber(
                    int(dotation["nombre_carnets"]), prescriber, by=par, on=on,
                    booklet_size=dotation.get("cheques_par_carnet"))
            register["mouvements"].append(_move_json(move, vers=prescriber))
            endowed.append(dict(dotation, carnets=ranges_of(move.serials)))
        return {"dotations": endowed}
    return _applied(registre, record, prescripteurs_conventionnes)


def remettre_aux_beneficiaires(registre, prescripteur: str, remises: list, par: str,
                               territoire: str | None = None, carnets_dotation: list | None = None) -> dict:
    """Prescriber -> beneficiaries, each handout checked against its public's allocation
    rule in force on its date. A handout names its booklets (``carnets``: ranges, or
    ``premier_numero`` / ``dernier_numero``) or a quantity of a size (those held expiring
    first). Adds "mouvements": the moves recorded here (a multi-instance branch hands them
    to :func:`fusionner_mouvements`). With ``carnets_dotation`` (the ranges of one dotation)
    the handouts draw on those booklets only: two dotations of one prescriber never hand the
    same booklet."""
    allowed = set(serials_of(carnets_dotation)) if carnets_dotation else None

    def record(register, ledger):
        recorded, held = [], _HeldBooklets(ledger, prescripteur, allowed)
        for remise in sorted(remises, key=lambda r: day(r["date_remise"])):
            on = day(remise["date_remise"])
            person = Beneficiary(remise["identifiant_beneficiaire"], remise["public"], territoire)
            try:
                serials = _handed_serials(held, remise)
                _require_size(ledger, serials, remise.get("cheques_par_carnet"))
                move = ledger.hand_to_beneficiary(serials, prescripteur, person, by=par, on=on,
                                                  allocation=allocation_rule(person.public, on, territoire))
            except DomainError as error:
                raise DomainError(f"{person.id} : {error}") from None
            recorded.append(_move_json(move, de=prescripteur, beneficiaire={
                "identifiant": person.id, "public": person.public, "territoire": territoire}))
        register["mouvements"].extend(recorded)
        return {"mouvements": recorded}
    return _applied(registre, record)


def restituer_carnets(registre, prescripteur: str, carnets, par: str, le: str,
                      cheques_par_carnet: int | None = None, carnets_dotation: list | None = None) -> dict:
    """Prescriber -> stock: the booklets it did not hand out, named (``carnets``: ranges)
    or counted (an integer: those of the size given it holds, by serial, within the
    dotation's booklets when ``carnets_dotation`` is given). Adds "mouvements" as the
    handouts do."""
    def record(register, ledger):
        if isinstance(carnets, int):
            if carnets == 0:
                return {"mouvements": []}
            allowed = set(serials_of(carnets_dotation)) if carnets_dotation else None
            held = sorted(s for s in ledger.held_by(prescripteur)
                          if cheques_par_carnet in (None, ledger.booklet(s).size) and (allowed is None or s in allowed))
            if carnets > len(held):
                raise DomainError(f"{carnets} carnet(s) restitué(s), {len(held)} détenu(s) par {prescripteur}.")
            serials = tuple(held[:carnets])
        else:
            serials = serials_of(carnets)
        move = _move_json(ledger.return_to_stock(serials, prescripteur, by=par, on=day(le)), de=prescripteur)
        register["mouvements"].append(move)
        return {"mouvements": [move]}
    return _applied(registre, record)


def fusionner_mouvements(registre, listes_de_mouvements: list) -> dict:
    """The moves recorded in separate branches (one per prescriber), added and replayed
    together: a booklet two branches moved is refused. Adds "alertes_attribution": the
    beneficiaries whose handouts by several prescribers together break their public's rule
    (each branch could only check its own)."""
    def record(register, _ledger):
        for moves in listes_de_mouvements:
            register["mouvements"].extend(moves or [])
        ledger = replay(register)
        return {"alertes_attribution": _allocation_alerts(register["mouvements"], ledger)}
    return _applied(registre, record)


def _allocation_alerts(moves, ledger) -> list[str]:
    handouts = {}
    for move in moves:
        if move["type"] == "remise_beneficiaire":
            handouts.setdefault(move["beneficiaire"]["identifiant"], []).append(move)
    alerts = []
    for person, given in sorted(handouts.items()):
        if len({move["de"] for move in given}) < 2:
            continue
        previous = 0
        for move in sorted(given, key=lambda m: m["le"]):
            public, on = move["beneficiaire"]["public"], day(move["le"])
            rule = allocation_rule(public, on, move["beneficiaire"].get("territoire"))
            sizes = [ledger.booklet(serial).size for serial in serials_of(move["carnets"])]
            error = rule and allocation_error(rule, sizes, previous)
            previous += len(sizes)
            if error:
                prescribers = ", ".join(sorted({m["de"] for m in given}))
                alerts.append(f"{person} (remises de {prescribers}) : {error}")
                break
    return alerts


def decrire_registre(registre) -> dict:
    """Where the booklets are, by size: in stock, per prescriber, handed out."""
    return register_summary(registre)


def _handed_serials(held, remise) -> tuple[str, ...]:
    named = _named_serials(remise)
    if named is not None:
        outside = [s for s in named if not held.includes(s)]
        if outside:
            raise DomainError(f"le carnet {outside[0]} ne fait pas partie des carnets de cette dotation.")
        return named
    return held.take(remise.get("cheques_par_carnet"), int(remise["nombre_carnets"]))


class _HeldBooklets:
    """The booklets a prescriber holds (within one dotation when given), by size, those
    expiring first: handouts by quantity take from here without rescanning the ledger for
    each beneficiary (a report of thousands of handouts stays linear)."""

    def __init__(self, ledger, prescriber, allowed):
        self._ledger, self._prescriber, self._allowed = ledger, prescriber, allowed
        self._by_size = {}
        for serial in sorted(ledger.held_by(prescriber), key=lambda s: (ledger.booklet(s).year, s)):
            if allowed is None or serial in allowed:
                self._by_size.setdefault(ledger.booklet(serial).size, deque()).append(serial)

    def includes(self, serial) -> bool:
        return self._allowed is None or serial in self._allowed

    def take(self, size, count) -> tuple[str, ...]:
        chosen = []
        for each in [size] if size is not None else sorted(self._by_size):
            queue = self._by_size.get(each, deque())
            while queue and len(chosen) < count:
                serial = queue.popleft()
                holding = self._ledger.holding(serial)   # a booklet handed by number since is skipped
                if holding.place is Place.PRESCRIBER and holding.party == self._prescriber:
                    chosen.append(serial)
        if len(chosen) < count:
            of_size = f" de {size} pass" if size else ""
            raise DomainError(f"{count} carnet(s){of_size} à remettre, {len(chosen)} détenu(s) par "
                              f"{self._prescriber}.")
        return tuple(chosen)


def _named_serials(remise) -> tuple[str, ...] | None:
    if remise.get("carnets"):
        return serials_of(remise["carnets"])
    if remise.get("premier_numero"):
        return _lot_serials(dict(remise, dernier_numero=remise.get("dernier_numero") or remise["premier_numero"]))
    return None


def _require_size(ledger, serials, size) -> None:
    for serial in serials:
        if size is not None and ledger.booklet(serial).size != size:
            raise DomainError(f"le carnet {serial} compte {ledger.booklet(serial).size} pass, "
                              f"non {size} comme indiqué.")


def _move_json(move, **parties) -> dict:
    return {"type": move.kind.value, "carnets": ranges_of(move.serials), "par": move.by,
            "le": move.on.isoformat(), **parties}


VERBS = (verifier_numeros_livres, receptionner_carnets, doter_prescripteurs, remettre_aux_beneficiaires,
         restituer_carnets, fusionner_mouvements, decrire_registre)
