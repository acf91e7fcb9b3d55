"""Script functions of the distribution: dotations per booklet format, the prescriber's
handouts to beneficiaries, and the monthly payment of the mediation places.

Same contract as :mod:`.script_functions`: plain JSON values in and out, a French verb
as name, the domain decides (here the booklet ledger, the allocation rules and the
monthly statements); the conversions only happen at the edge.
"""
from datetime import date

from .allocation import allocation_for
from .calendar import format_date
from .errors import DomainError, LedgerError
from .formats import BookletFormat, booklet_count, booklet_size, by_format, parse_formats, remaining
from .json_values import day as _day, decimal as _decimal, iso as _iso, json_number as _json_number
from .ledger import Beneficiary, Ledger
from .mediation_payments import (
    Month,
    Payment,
    PaymentError,
    Statement,
    check_distinct_places,
    pay,
    payment_schedule,
    repeated,
    settle_month,
    statement,
)
from .money import to_money
from .passes import Booklet
from .script_functions_evaluation import is_pic_public

# Who records the control moves in the throw-away ledger.
CONTROL = "contrôle"


# --- dotations ------------------------------------------------------------------------


def _dotation_format(dotation: dict, where: str | None = None) -> BookletFormat:
    where = where or f"Dotation de {dotation.get('prescripteur')}"
    return BookletFormat(booklet_size(dotation.get("cheques_par_carnet"), where),
                         booklet_count(dotation.get("nombre_carnets"), where, minimum=1))


def verifier_dotations(dotations: list, prescripteurs_conventionnes: list, formats_en_stock: list,
                       date_remise: str) -> str | None:
    """None when every prescriber has a convention de mandat and the stock of each format
    covers the dotations of that format, else every refusal of the booklet ledger, in French.

    ``dotations`` are [{prescripteur, nombre_carnets, cheques_par_carnet}];
    ``formats_en_stock`` [{cheques_par_carnet, nombre_carnets}] as the purchase delivered them.
    """
    on = _day(date_remise)
    ledger = Ledger(prescripteurs_conventionnes)
    stand_ins = [Booklet(f"STOCK-{f.size:02d}-{n:06d}", f.size, on.year, "émetteur")
                 for f in parse_formats(formats_en_stock) for n in range(1, f.booklets + 1)]
    if stand_ins:
        ledger.receive(stand_ins, order="stock", by=CONTROL, on=on)
    errors = []
    for dotation in dotations:
        wanted = _dotation_format(dotation)
        try:
            ledger.assign_quantity_to_prescriber(wanted.booklets, dotation["prescripteur"], by=CONTROL,
                                                 on=on, booklet_size=wanted.size)
        except LedgerError as error:
            errors.append(f"{dotation['prescripteur']} : {error}")
    return " ".join(errors) or None


def verifier_dates_executoires(dotations: list, transmissions_conventions: list, date_remise: str) -> str | None:
    """None when every endowed prescriber's convention de mandat was executory on the day
    the booklets are handed to it, else, per prescriber, what is wrong and from when the
    handover may be dated. ``transmissions_conventions`` are the partner conventions
    phase's [{nom, date_executoire, ...}]."""
    on = _day(date_remise)
    executory = {t.get("nom"): t.get("date_executoire") for t in transmissions_conventions or []}
    errors = []
    for prescriber in dict.fromkeys(d["prescripteur"] for d in dotations):
        since = executory.get(prescriber)
        if since is None:
            errors.append(f"{prescriber} : aucune date à laquelle sa convention de mandat est devenue "
                          "exécutoire (transmission au contrôle de légalité) : pas de carnets avant qu'elle "
                          "le soit.")
        elif on < _day(since):
            errors.append(f"{prescriber} : carnets remis le {format_date(on)}, avant que sa convention de "
                          f"mandat soit exécutoire ({format_date(_day(since))}) : datez la remise à partir "
                          f"du {format_date(_day(since))}.")
    return " ".join(errors) or None


def calculer_stock_restant(formats_en_stock: list, dotations: list) -> list:
    """The stock left per format once the dotations went out ([{cheques_par_carnet, nombre_carnets}])."""
    left = remaining(parse_formats(formats_en_stock), [_dotation_format(d) for d in dotations])
    return [{"cheques_par_carnet": f.size, "nombre_carnets": f.booklets} for f in left]


def compter_beneficiaires_pic(remises: list) -> int:
    """Distinct beneficiaries of the PIC public (the form's "pic" and the allocation
    rules' publics flagged PIC, such as PLIE job seekers)."""
    return len({r["identifiant_beneficiaire"] for r in remises if is_pic_public(r["public"])})


def compter_par_format(lignes: list) -> list:
    """Booklets and passes per format of dotations or handouts
    ([{cheques_par_carnet, nombre_carnets, nombre_pass}], increasing size)."""
    formats = by_format(_dotation_format(line, _line_name(line)) for line in lignes)
    return [{"cheques_par_carnet": f.size, "nombre_carnets": f.booklets, "nombre_pass": f.passes}
            for f in formats]


def _line_name(line: dict) -> str:
    if "identifiant_beneficiaire" in line:
        return f"Remise à {line['identifiant_beneficiaire']}"
    return f"Dotation de {line.get('prescripteur')}"


# --- handouts -------------------------------------------------------------------------


def _rule(public: str, on: date, territoire: str | None):
    """The allocation rule in force for this public, None when the public has none."""
    try:
        return allocation_for(public, on, territoire)
    except DomainError:
        return None


def _handout_size(remise: dict) -> int:
    return booklet_size(remise.get("cheques_par_carnet"),
                        f"Remise à {remise.get('identifiant_beneficiaire')}")


def verifier_remises(remises: list, dotation: dict, territoire: str | None = None) -> str | None:
    """None when a prescriber's handouts respect its dotation and, per beneficiary, the
    allocation rule of its public (in force on the handout's date, the territory's own
    rule first), else every refusal in French.

    ``dotation`` is {prescripteur, nombre_carnets, cheques_par_carnet}; ``remises`` the
    handouts recorded ({identifiant_beneficiaire, public, date_remise, nombre_carnets,
    cheques_par_carnet}): a handout gives booklets of the dotation's format, and the
    public's rule is checked with the format the handout names. A public without a rule
    in force is bounded by the dotation only.
    """
    held = _dotation_format(dotation)
    prescriber = dotation["prescripteur"]
    if not remises:
        return None
    handouts = sorted(remises, key=lambda r: _day(r["date_remise"]))
    first, last = _day(handouts[0]["date_remise"]), _day(handouts[-1]["date_remise"])
    handed = sum(r["nombre_carnets"] for r in remises)
    if handed > held.booklets:
        return (f"{prescriber} : {handed} carnet(s) remis, {held.booklets} détenu(s) : un prescripteur "
                "ne remet que les carnets qu'il détient.")
    # The ledger counts booklets: numbered stand-ins for the dotation, of the size each
    # handout names, valid the year of the last handout so that only the rules below refuse.
    sizes = [_handout_size(r) for r in handouts for _ in range(r["nombre_carnets"])]
    sizes += [held.size] * (held.booklets - handed)
    serials = [f"DOTATION-{n:06d}" for n in range(1, held.booklets + 1)]
    ledger = Ledger([prescriber])
    ledger.receive((Booklet(serial, size, last.year, "émetteur") for serial, size in zip(serials, sizes)),
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
        if _handout_size(remise) != held.size:
            errors.append(f"{beneficiary.id} : carnets de {_handout_size(remise)} pass remis ; "
                          f"{prescriber} détient des carnets de {held.size} pass (sa dotation).")
    return " ".join(errors) or None


def verifier_carnets_rendus(dotation: dict, remises: list, carnets_restitues) -> str | None:
    """None when every booklet of the dotation is either handed out or returned, else how
    many are neither (a prescriber keeps no public money once its report is in)."""
    held = _dotation_format(dotation)
    handed = sum(booklet_count(r.get("nombre_carnets"), f"Remise à {r.get('identifiant_beneficiaire')}")
                 for r in remises or [])
    returned = booklet_count(carnets_restitues, f"Carnets restitués par {dotation['prescripteur']}")
    missing = held.booklets - handed - returned
    if missing > 0:
        return (f"{dotation['prescripteur']} : {missing} carnets ni remis ni restitués : restituez-les ou "
                f"déclarez-les (dotation de {held.booklets} carnets, {handed} remis, {returned} restitués).")
    if missing < 0:
        return (f"{dotation['prescripteur']} : {handed} carnets remis et {returned} restitués, "
                f"{-missing} de plus que les {held.booklets} de la dotation : corrigez les remises ou "
                "les carnets restitués.")
    return None


# --- monthly payment of the mediation places ------------------------------------------


def _month_entry(month: Month) -> dict:
    return {"mois": str(month), "libelle": month.label, "date_paiement": _iso(month.payable_from)}


def calculer_calendrier_paiements(date_ouverture: str, date_limite_acceptation: str) -> list:
    """The months to pay the mediation places, from the campaign's opening to the last
    month the passes are accepted: [{mois "AAAA-MM", libelle, date_paiement}]."""
    return [_month_entry(m) for m in payment_schedule(_day(date_ouverture), _day(date_limite_acceptation))]


def determiner_mois_suivant(calendrier_paiements: list, mois_paiement: dict) -> dict | None:
    """The month after ``mois_paiement`` in the schedule, None after the last one."""
    months = [entry["mois"] for entry in calendrier_paiements]
    position = months.index(mois_paiement["mois"]) + 1
    return calendrier_paiements[position] if position < len(months) else None


def _payments(paiements_lieux: list) -> list[Payment]:
    return [Payment(p["lieu"], Month.parse(p["mois"]), p["passes"], _amount(p["montant"]),
                    p["numero_mandat_lieu"], _day(p["date_mandatement_lieu"])) for p in paiements_lieux or []]


def verifier_lieux_mediation(lieux_mediation: list) -> int:
    """The number of mediation places, each listed once; a place listed twice is refused
    with its name (it would be stated and paid twice for the same month)."""
    check_distinct_places(lieux_mediation or [])
    return len(lieux_mediation or [])


def compter_passes_remis(bilans_prescripteurs: list) -> int:
    """The passes handed out to beneficiaries according to the prescribers' reports: each
    handout's booklets times the format it names."""
    return sum(booklet_count(r.get("nombre_carnets"), _line_name(r)) * _handout_size(r)
               for bilan in bilans_prescripteurs or [] for r in bilan.get("remises") or [])


# The ceiling of the redemptions, as the refusals name it.
HANDED_OUT = "passes remis aux bénéficiaires selon les bilans des prescripteurs"


def calculer_releve_mensuel(lieu: str, mois: str, passes_encaisses: int, ateliers: int, valeur_cheque,
                           releves_mensuels: list, paiements_lieux: list, passes_remis: int) -> dict:
    """The statement of a place for a month: passes redeemed x face value. Refuses a month
    already paid, or passes declared (all places and months) beyond the passes handed out
    to beneficiaries (``passes_remis``, from the prescribers' reports)."""
    declared = sum(r["passes"] for r in releves_mensuels or [])
    line = statement(lieu, Month.parse(mois), passes_encaisses, valeur_cheque, _payments(paiements_lieux),
                     declared=declared, ceiling=passes_remis, bound=HANDED_OUT)
    return {"lieu": line.place, "mois": str(line.month), "libelle": line.month.label,
            "passes": line.passes, "ateliers": ateliers, "montant": _json_number(line.amount),
            "numero_mandat_lieu": None, "date_mandatement_lieu": None}


def calculer_releves_a_payer(releves_du_mois: list, releves_mensuels: list, passes_remis: int) -> list:
    """The month's statements with passes to pay. The places declare side by side: their
    month together may not carry the passes redeemed beyond those handed out either, and
    a place states a month once."""
    twice = repeated(r["lieu"] for r in releves_du_mois)
    if twice:
        raise PaymentError(f"Relevés de {releves_du_mois[0]['libelle']} : {', '.join(twice)} déclaré(s) "
                           "plusieurs fois ; un lieu n'a qu'un relevé par mois.")
    declared = sum(r["passes"] for r in releves_mensuels or [])
    month = sum(r["passes"] for r in releves_du_mois)
    if declared + month > passes_remis:
        places = ", ".join(f"{r['lieu']} {r['passes']}" for r in releves_du_mois if r["passes"])
        raise PaymentError(f"Passes déclarés pour {releves_du_mois[0]['libelle']} ({places}) : le total des passes "
                           f"encaissés atteindrait {declared + month}, au-delà des {passes_remis} {HANDED_OUT}. "
                           "Corrigez la déclaration du lieu.")
    return [r for r in releves_du_mois if r["passes"] > 0]


def calculer_paiement_lieu(releve: dict, numero_mandat_lieu: str, date_mandatement_lieu: str,
                              paiements_lieux: list) -> dict:
    """The statement paid: once per place and month, after the month is over."""
    line = Statement(releve["lieu"], Month.parse(releve["mois"]), releve["passes"], _amount(releve["montant"]))
    paid = pay(line, numero_mandat_lieu, _day(date_mandatement_lieu), _payments(paiements_lieux))
    return {**releve, "numero_mandat_lieu": paid.mandate, "date_mandatement_lieu": _iso(paid.paid_on)}


def calculer_paiements_cumules(paiements_lieux: list, paiements_du_mois: list) -> list:
    """The campaign's payments with the month's: refused when a place would be paid twice
    for one month or a mandate number used twice, within the month as across months."""
    settle_month(_payments(paiements_lieux), _payments(paiements_du_mois))
    return list(paiements_lieux or []) + list(paiements_du_mois or [])


def calculer_encaissements_par_lieu(lieux_mediation: list, releves_mensuels: list, paiements_lieux: list) -> list:
    """Per place over the campaign: passes redeemed and workshops (monthly statements),
    passes and amount paid (payments)."""
    totals = []
    for place in lieux_mediation or []:
        lines = [r for r in releves_mensuels or [] if r["lieu"] == place]
        paid = [p for p in paiements_lieux or [] if p["lieu"] == place]
        totals.append({"lieu": place, "passes_encaisses": sum(r["passes"] for r in lines),
                       "ateliers": sum(r.get("ateliers") or 0 for r in lines),
                       "passes_payes": sum(p["passes"] for p in paid),
                       "montant_paye": _json_number(sum((_amount(p["montant"]) for p in paid), to_money(0)))})
    return totals


def _amount(value):
    return to_money(_decimal(value))


def verifier_dotations_mandats(dotations: list, mandats: list) -> str | None:
    """None when every prescriber's dotations stay within its convention de mandat: the
    formats it entrusts and, per format, the number of booklets; else why, in French.
    ``mandats`` are [{nom, formats: [{cheques_par_carnet, nombre_carnets}]}] from the
    partner conventions."""
    entrusted = {(m["nom"], f["cheques_par_carnet"]): f["nombre_carnets"] for m in mandats for f in m["formats"] or []}
    known = {m["nom"] for m in mandats}
    totals = {}
    for dotation in dotations:
        if dotation["prescripteur"] in known:   # one without convention is refused by verifier_dotations
            key = (dotation["prescripteur"], dotation.get("cheques_par_carnet"))
            totals[key] = totals.get(key, 0) + dotation["nombre_carnets"]
    errors = []
    for (prescriber, size), total in totals.items():
        allowed = entrusted.get((prescriber, size))
        if allowed is None:
            errors.append(f"{prescriber} : carnets de {size} pass, que sa convention de mandat ne lui confie pas ; "
                          "un avenant est nécessaire.")
        elif total > allowed:
            errors.append(f"{prescriber} : dotation de {total} carnets de {size} pass, sa convention de mandat en "
                          f"confie {allowed} ; au-delà, un avenant est nécessaire.")
    return " ".join(errors) or None


DISTRIBUTION_FUNCTIONS = (
    verifier_dotations, verifier_dotations_mandats, verifier_dates_executoires, calculer_stock_restant, compter_par_format,
    compter_beneficiaires_pic, verifier_remises, verifier_carnets_rendus, verifier_lieux_mediation,
    compter_passes_remis, calculer_calendrier_paiements, determiner_mois_suivant, calculer_releve_mensuel,
    calculer_releves_a_payer, calculer_paiement_lieu, calculer_paiements_cumules,
    calculer_encaissements_par_lieu,
)
