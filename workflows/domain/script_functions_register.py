"""Script functions of the booklet register: deliveries, dotations, handouts, returns.

Same contract as :mod:`.script_functions`: plain JSON in and out. Each move returns
{"registre": the register after it, "erreur": None} or, when the ledger refuses it,
{"registre": the register unchanged, "erreur": why, in French}: the model loops the step
back with the message, nothing is half-recorded. ``par`` is who recorded the step (the
task service puts it in ``auteur_etape``), ``le`` the day the move happened.
"""
import copy

from .allocation import allocation_for
from .booklet_register import booklets_by_size, empty_register, ranges_of, replay, serials_of
from .errors import DomainError
from .json_values import day
from .ledger import Beneficiary, Place


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
    """Delivered booklets into stock. ``lots``: [{premier_numero, dernier_numero,
    cheques_par_carnet}]; adds "formats": the stock by booklet size."""
    def record(register, ledger):
        reception = {"carnets": [], "emetteur": emetteur, "annee_validite": int(annee_validite),
                     "valeur_cheque": valeur_cheque, "commande": commande, "par": par, "le": day(le).isoformat()}
        for lot in lots:
            batch = dict(reception, cheques_par_carnet=int(lot["cheques_par_carnet"]),
                         carnets=[{"premier": lot["premier_numero"], "dernier": lot["dernier_numero"]}])
            register["receptions"].append(batch)
        ledger = replay(register)
        return {"formats": booklets_by_size(ledger, Place.STOCK)}
    return _applied(registre, record)


def doter_prescripteurs(registre, dotations: list, prescripteurs_conventionnes: list, par: str, le: str) -> dict:
    """Stock -> prescribers. A dotation names its booklets (``carnets``: ranges) or a
    quantity of a size (``nombre_carnets``, ``cheques_par_carnet``: those expiring first)."""
    def record(register, ledger):
        on = day(le)
        for dotation in dotations:
            prescriber = dotation["prescripteur"]
            if dotation.get("carnets"):
                move = ledger.assign_to_prescriber(serials_of(dotation["carnets"]), prescriber, by=par, on=on)
            else:
                move = ledger.assign_quantity_to_prescriber(
                    int(dotation["nombre_carnets"]), prescriber, by=par, on=on,
                    booklet_size=dotation.get("cheques_par_carnet"))
            register["mouvements"].append(_move_json(move, vers=prescriber))
    return _applied(registre, record, prescripteurs_conventionnes)


def remettre_aux_beneficiaires(registre, prescripteur: str, remises: list, par: str,
                               territoire: str | None = None) -> dict:
    """Prescriber -> beneficiaries, each handout checked against its public's allocation
    rule in force on its date. A handout names its booklets (``carnets``) or a quantity of
    a size. Adds "mouvements": the moves recorded here (a multi-instance branch hands them
    to :func:`fusionner_mouvements`)."""
    def record(register, ledger):
        recorded = []
        for remise in sorted(remises, key=lambda r: day(r["date_remise"])):
            on = day(remise["date_remise"])
            person = Beneficiary(remise["identifiant_beneficiaire"], remise["public"], territoire)
            serials = _handed_serials(ledger, prescripteur, remise)
            try:
                move = ledger.hand_to_beneficiary(serials, prescripteur, person, by=par, on=on,
                                                  allocation=_rule(person.public, on, territoire))
            except DomainError as error:
                raise DomainError(f"{person.id} : {error}") from None
            recorded.append(_move_json(move, de=prescripteur, beneficiaire={
                "identifiant": person.id, "public": person.public, "territoire": territoire}))
        register["mouvements"].extend(recorded)
        return {"mouvements": recorded}
    return _applied(registre, record)


def restituer_carnets(registre, prescripteur: str, carnets: list, par: str, le: str) -> dict:
    """Prescriber -> stock: the booklets it did not hand out."""
    def record(register, ledger):
        move = ledger.return_to_stock(serials_of(carnets), prescripteur, by=par, on=day(le))
        register["mouvements"].append(_move_json(move, de=prescripteur))
    return _applied(registre, record)


def fusionner_mouvements(registre, listes_de_mouvements: list) -> dict:
    """The moves recorded in separate branches (one per prescriber), added and replayed
    together: a booklet two branches moved is refused."""
    def record(register, _ledger):
        for moves in listes_de_mouvements:
            register["mouvements"].extend(moves or [])
        replay(register)
    return _applied(registre, record)


def etat_registre(registre) -> dict:
    """Where the booklets are, by size: in stock, per prescriber, handed out."""
    ledger = replay(registre)
    prescribers = sorted({ledger.holding(b.serial).party for b in ledger.booklets()
                          if ledger.holding(b.serial).place is Place.PRESCRIBER})
    return {
        "recus": booklets_by_size(ledger),
        "en_stock": booklets_by_size(ledger, Place.STOCK),
        "chez_prescripteurs": {p: booklets_by_size(ledger, Place.PRESCRIBER, p) for p in prescribers},
        "remis": booklets_by_size(ledger, Place.BENEFICIARY),
        "mouvements": len(ledger.moves),
    }


def _handed_serials(ledger, prescriber, remise) -> tuple[str, ...]:
    if remise.get("carnets"):
        return serials_of(remise["carnets"])
    size, count = remise.get("cheques_par_carnet"), int(remise["nombre_carnets"])
    held = sorted((s for s in ledger.held_by(prescriber) if size in (None, ledger.booklet(s).size)),
                  key=lambda s: (ledger.booklet(s).year, s))
    if count > len(held):
        of_size = f" de {size} pass" if size else ""
        raise DomainError(f"{remise['identifiant_beneficiaire']} : {count} carnet(s){of_size} à remettre, "
                          f"{len(held)} détenu(s) par {prescriber}.")
    return tuple(held[:count])


def _rule(public, on, territoire):
    try:
        return allocation_for(public, on, territoire)
    except DomainError:
        return None   # a public without a rule in force is bounded by the dotation only


def _move_json(move, **parties) -> dict:
    return {"type": move.kind.value, "carnets": ranges_of(move.serials), "par": move.by,
            "le": move.on.isoformat(), **parties}


REGISTER_FUNCTIONS = (receptionner_carnets, doter_prescripteurs, remettre_aux_beneficiaires,
                      restituer_carnets, fusionner_mouvements, etat_registre)
