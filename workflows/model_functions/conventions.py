"""Script functions of the conventions: the ANCT convention's terms, and partners listed
once (one partner, one convention). Their transmission to the préfecture is in :mod:`.acts`.

Plain JSON in and out, French verb names, the domain decides (:mod:`workflows.domain.indicators`).
"""
from ..domain.indicators import check_minimum_purchase
from ..domain.money import format_percent
from .conversions import amount, anct_terms_on, folded_words, rate


def verifier_convention_anct(montant_achat_prevu_ht, taux_cofinancement_etat_pct,
                             part_minimale_public_pic_pct, date_projet=None) -> str | None:
    """None when the draft respects the ANCT call's terms in force on the draft's date
    (minimum purchase, State share at most, PIC share at least), else every reason."""
    reasons = verifier_termes_convention_anct(montant_achat_prevu_ht, taux_cofinancement_etat_pct,
                                              part_minimale_public_pic_pct, date_projet)
    return " ".join(reasons.values()) or None


def verifier_termes_convention_anct(montant_achat_prevu_ht, taux_cofinancement_etat_pct,
                                    part_minimale_public_pic_pct, date_projet=None) -> dict:
    """The same checks, each reason under the field of the draft it concerns ({} when none):
    the form shows it next to that field (services/form_checks.py)."""
    terms = anct_terms_on(date_projet)
    reasons = {"montant_achat_prevu_ht": check_minimum_purchase(amount(montant_achat_prevu_ht), terms)}
    if rate(taux_cofinancement_etat_pct) > terms.state_max_share:
        reasons["taux_cofinancement_etat_pct"] = (
            f"Cofinancement de l'État de {format_percent(rate(taux_cofinancement_etat_pct))} : "
            f"au plus {format_percent(terms.state_max_share)} des passes utilisés ({terms.source}).")
    if rate(part_minimale_public_pic_pct) < terms.pic_min_share:
        reasons["part_minimale_public_pic_pct"] = (
            f"Part du public PIC de {format_percent(rate(part_minimale_public_pic_pct))} : "
            f"au moins {format_percent(terms.pic_min_share)} des passes ({terms.source}).")
    return {field: reason for field, reason in reasons.items() if reason}


def verifier_partenaires_distincts(partenaires: list) -> str | None:
    """None when each partner is listed once (names compared without case, accents or
    extra spaces), else the names listed twice: one partner, one convention."""
    seen, twice = set(), []
    for partner in partenaires:
        key = folded_words(partner.get("nom", "") if isinstance(partner, dict) else partner)
        if key in seen:
            twice.append(str(partner.get("nom") if isinstance(partner, dict) else partner))
        seen.add(key)
    if not twice:
        return None
    return (f"Partenaire(s) recensé(s) deux fois : {', '.join(twice)}. Un partenaire n'a qu'une "
            "convention : supprimez le doublon.")


VERBS = (
    verifier_convention_anct, verifier_termes_convention_anct, verifier_partenaires_distincts,
)
