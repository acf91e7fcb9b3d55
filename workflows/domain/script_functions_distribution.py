"""Script functions of the distribution: the prescriber's handouts to beneficiaries.

Same contract as :mod:`.script_functions`: plain JSON values in and out, a French verb
as name, the domain decides (here the booklet ledger and the allocation rules); the
conversions only happen at the edge.
"""
from datetime import date

from .allocation import allocation_for
from .errors import DomainError, LedgerError
from .json_values import day as _day
from .ledger import Beneficiary, Ledger
from .passes import Booklet

# Who records the control moves in the throw-away ledger.
CONTROL = "contrôle"


def _rule(public: str, on: date, territoire: str | None):
    """The allocation rule in force for this public, None when the public has none."""
    try:
        return allocation_for(public, on, territoire)
    except DomainError:
        return None


def verifier_remises(remises: list, dotation: dict, cheques_par_carnet: int,
                     territoire: str | None = None) -> str | None:
    """None when a prescriber's handouts respect its dotation and, per beneficiary, the
    allocation rule of its public (in force on the handout's date, the territory's own
    rule first), else every refusal in French.

    ``dotation`` is {prescripteur, nombre_carnets}; ``remises`` the handouts recorded
    ({identifiant_beneficiaire, public, date_remise, nombre_carnets, and the size of the
    booklets handed, cheques_par_carnet, when it differs from the deployment's
    ``cheques_par_carnet``). A public without a rule in force is bounded by the
    dotation only.
    """
    prescriber = dotation["prescripteur"]
    held = dotation["nombre_carnets"]
    if not remises:
        return None
    handouts = sorted(remises, key=lambda r: _day(r["date_remise"]))
    first, last = _day(handouts[0]["date_remise"]), _day(handouts[-1]["date_remise"])
    handed = sum(r["nombre_carnets"] for r in remises)
    if handed > held:
        return (f"{prescriber} : {handed} carnet(s) remis, {held} détenu(s) : un prescripteur "
                "ne remet que les carnets qu'il détient.")
    # The ledger counts booklets: numbered stand-ins for the dotation, of the size each
    # handout records (else the deployment's), valid the year of the last handout so
    # that only the rules below can refuse.
    sizes = [r.get("cheques_par_carnet", cheques_par_carnet)
             for r in handouts for _ in range(r["nombre_carnets"])]
    sizes += [cheques_par_carnet] * (held - handed)
    serials = [f"DOTATION-{n:06d}" for n in range(1, held + 1)]
    ledger = Ledger([prescriber])
    ledger.receive((Booklet(serial, size, last.year, "émetteur")
                    for serial, size in zip(serials, sizes)),
                   order="dotation", by=CONTROL, on=first)
    ledger.assign_to_prescriber(serials, prescriber, by=CONTROL, on=first)
    errors = []
    for remise in handouts:
        on = _day(remise["date_remise"])
        beneficiary = Beneficiary(remise["identifiant_beneficiaire"], remise["public"], territoire)
        given, serials = serials[:remise["nombre_carnets"]], serials[remise["nombre_carnets"]:]
        try:
            ledger.hand_to_beneficiary(given, prescriber, beneficiary, by=CONTROL, on=on,
                                       allocation=_rule(remise["public"], on, territoire))
        except LedgerError as error:
            errors.append(f"{beneficiary.id} : {error}")
    return " ".join(errors) or None
