"""Script functions of the monthly payment of the mediation places: the schedule of the
months, each place's statement of the passes it redeemed, the payment of a statement.

Plain JSON values in and out, the domain decides (:mod:`workflows.domain.mediation_payments`:
a month paid once, after it is over, never beyond the passes handed out).
"""
from ..domain.mediation_payments import (
    Month,
    PaymentError,
    Statement,
    check_distinct_places,
    pay,
    payment_schedule,
    repeated,
    settle_month,
    statement,
)
from ..domain.money import to_money
from .conversions import amount, day, iso, json_number, payments


def _month_entry(month: Month) -> dict:
    return {"mois": str(month), "libelle": month.label, "date_paiement": iso(month.payable_from)}


def calculer_calendrier_paiements(date_ouverture: str, date_limite_acceptation: str) -> list:
    """The months to pay the mediation places, from the campaign's opening to the last
    month the passes are accepted: [{mois "AAAA-MM", libelle, date_paiement}]."""
    return [_month_entry(m) for m in payment_schedule(day(date_ouverture), day(date_limite_acceptation))]


def determiner_mois_suivant(calendrier_paiements: list, mois_paiement: dict) -> dict | None:
    """The month after ``mois_paiement`` in the schedule, None after the last one."""
    months = [entry["mois"] for entry in calendrier_paiements]
    position = months.index(mois_paiement["mois"]) + 1
    return calendrier_paiements[position] if position < len(months) else None


def verifier_lieux_mediation(lieux_mediation: list) -> int:
    """The number of mediation places, each listed once; a place listed twice is refused
    with its name (it would be stated and paid twice for the same month)."""
    check_distinct_places(lieux_mediation or [])
    return len(lieux_mediation or [])


# The ceiling of the redemptions, as the refusals name it.
HANDED_OUT = "passes remis aux bénéficiaires selon le registre des carnets"


def calculer_releve_mensuel(lieu: str, mois: str, passes_encaisses: int, ateliers: int, valeur_cheque,
                           releves_mensuels: list, paiements_lieux: list, passes_remis: int) -> dict:
    """The statement of a place for a month: passes redeemed x face value. Refuses a month
    already paid, or passes declared (all places and months) beyond the passes handed out
    to beneficiaries (``passes_remis``, from the ledger's figures)."""
    declared = sum(r["passes"] for r in releves_mensuels or [])
    line = statement(lieu, Month.parse(mois), passes_encaisses, valeur_cheque, payments(paiements_lieux),
                     declared=declared, ceiling=passes_remis, bound=HANDED_OUT)
    return {"lieu": line.place, "mois": str(line.month), "libelle": line.month.label,
            "passes": line.passes, "ateliers": ateliers, "montant": json_number(line.amount),
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
    line = Statement(releve["lieu"], Month.parse(releve["mois"]), releve["passes"], amount(releve["montant"]))
    paid = pay(line, numero_mandat_lieu, day(date_mandatement_lieu), payments(paiements_lieux))
    return {**releve, "numero_mandat_lieu": paid.mandate, "date_mandatement_lieu": iso(paid.paid_on)}


def calculer_paiements_cumules(paiements_lieux: list, paiements_du_mois: list) -> list:
    """The campaign's payments with the month's: refused when a place would be paid twice
    for one month or a mandate number used twice, within the month as across months."""
    settle_month(payments(paiements_lieux), payments(paiements_du_mois))
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
                       "montant_paye": json_number(sum((amount(p["montant"]) for p in paid), to_money(0)))})
    return totals


VERBS = (
    calculer_calendrier_paiements, determiner_mois_suivant, verifier_lieux_mediation, calculer_releve_mensuel,
    calculer_releves_a_payer, calculer_paiement_lieu, calculer_paiements_cumules, calculer_encaissements_par_lieu,
)
