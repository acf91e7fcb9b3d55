"""Procurement rules for BPMN scripts: the notice's media, the essential data, the booklet
formats of the order and the issuer's cycle (proof, delivery, activation).

Same contract as :mod:`.script_functions`, which registers these functions in
``SCRIPT_FUNCTIONS``: plain JSON in and out, French verb names, the domain decides
(:mod:`.procurement` and the dated thresholds table); nothing here restates a rule.
This module imports only the domain, never ``script_functions`` (which imports it).
"""
from .calendar import format_date, territory
from .errors import DomainError
from .formats import total_booklets, total_passes
from .json_values import day as _day, decimal as _decimal, iso as _iso, json_number as _json_number
from .procurement import (
    booklet_formats,
    check_notice_media,
    choose_procedure,
    delivery_deadline,
    delivery_gaps,
    is_overseas,
    issuer_cycle,
    pass_validity,
    proof_deadline,
    unconfirmed_warning,
)
from .thresholds import BuyerKind, PurchaseKind

ESSENTIAL_DATA_RULE = "essential_data_from"


def verifier_supports_publicite(publicite: str | None, supports_publicite: list) -> str | None:
    """None when the notice went to the media the required publicity calls for, else the
    French reason. ``publicite`` is ``choix_procedure["publicite"]``; None (a procedure the
    buyer qualified outside the table) leaves nothing for the domain to check."""
    if publicite is None:
        return None
    if not isinstance(supports_publicite, list):
        raise DomainError(f"Supports de publicité invalides : {supports_publicite!r} (liste attendue).")
    return check_notice_media(publicite, supports_publicite)


def determiner_donnees_essentielles(valeur_estimee_ht, date_lancement: str,
                                    nature_achat: str = PurchaseKind.SUPPLIES_SERVICES.value,
                                    type_acheteur: str = BuyerKind.LOCAL_AUTHORITY.value) -> dict:
    """Whether the contract's essential data must be published, with the threshold, its
    source and the caveat when the data marks that value as unconfirmed.

    ``obligatoires`` is None when the thresholds table does not cover the launch date:
    the domain cannot say, and ``avertissement`` gives the reason.
    """
    value, launched_on = _decimal(valeur_estimee_ht), _day(date_lancement)
    try:
        decision = choose_procedure(value, nature_achat, type_acheteur, launched_on)
    except DomainError as error:
        return {"obligatoires": None, "seuil_ht": None, "source": None, "confirme": None,
                "avertissement": f"Obligation à vérifier : {error}"}
    record = next(r for r in decision.records if r.rule == ESSENTIAL_DATA_RULE)
    return {"obligatoires": decision.essential_data_required, "seuil_ht": _json_number(record.amount),
            "source": record.source, "confirme": record.confirmed,
            "avertissement": unconfirmed_warning(record)}


# --- booklet formats -----------------------------------------------------------------------


def _formats_json(formats) -> list:
    return [{"cheques_par_carnet": f.size, "nombre_carnets": f.booklets} for f in formats]


def compter_formats(formats: list) -> dict:
    """The order's formats, one per size, with the total booklets and passes."""
    checked = booklet_formats(formats)
    return {"formats": _formats_json(checked), "nombre_carnets": total_booklets(checked),
            "nombre_pass": total_passes(checked)}


def verifier_livraison(formats_commandes: list, formats_livres: list) -> str | None:
    """None when every format was delivered in the quantity ordered, else the gaps in French."""
    gaps = delivery_gaps(booklet_formats(formats_commandes),
                         booklet_formats(formats_livres, minimum=0, what="livraison"))
    if not gaps:
        return None
    return f"Livraison différente de la commande : {' ; '.join(gaps)}."


# --- the issuer's cycle --------------------------------------------------------------------


def determiner_delais_emetteur(territoire: str, date_reference: str, emetteur: str | None = None) -> dict:
    """The delays to propose to the buyer: the issuer's known cycle in force on the date (the
    reference cycle when the issuer has none), the overseas delivery delay for an overseas
    territory, with the source and the caveat that the contract's delays prevail."""
    if not isinstance(territoire, str):
        raise DomainError("Territoire non renseigné : le délai de livraison dépend du territoire "
                          "(métropole ou outre-mer).")
    cycle = issuer_cycle(emetteur, _day(date_reference))
    overseas = is_overseas(territoire)
    days = cycle.delivery_days_for(overseas)
    where = f"en outre-mer ({territory(territoire).label})" if overseas else "en métropole"
    own = cycle.issuer.casefold() in (emetteur or "").casefold()
    whose = "cycle connu de l'émetteur" if own else "cycle de référence, celui de l'émetteur"
    return {
        "emetteur_reference": cycle.issuer, "outre_mer": overseas,
        "delai_bat_jours": cycle.proof_approval_days, "delai_livraison_jours": days,
        "source": cycle.source, "avertissement": cycle.caveat or None,
        "explication": (f"Délais proposés ({whose} {cycle.issuer}) : bon à tirer à valider sous "
                        f"{cycle.proof_approval_days} jours après le bon de commande, livraison sous "
                        f"{days} jours après sa validation, {where}. Les délais du contrat prévalent : "
                        "confirmez-les ou corrigez-les au bon de commande."),
    }


def calculer_date_limite_bat(date_bon_commande: str, delai_bat_jours: int) -> str:
    """Last day to approve the proof (bon à tirer) of an order."""
    return _iso(proof_deadline(_day(date_bon_commande), delai_bat_jours))


def calculer_date_limite_livraison(date_bon_commande: str, date_validation_bat: str,
                                   delai_livraison_jours: int) -> str:
    """Last day of delivery, counted from the proof's approval (not before the order)."""
    return _iso(delivery_deadline(_day(date_bon_commande), _day(date_validation_bat), delai_livraison_jours))


ISSUER_STEPS = {
    "bat": "Bon à tirer non validé",
    "livraison": "Carnets non livrés",
}


def determiner_retard_emetteur(etape: str, date_limite: str, emetteur: str | None = None) -> str:
    """The late signal of an issuer's step whose delay has run out, in French."""
    if etape not in ISSUER_STEPS:
        raise DomainError(f"Étape du cycle de l'émetteur inconnue : {etape!r} "
                          f"(valeurs admises : {', '.join(ISSUER_STEPS)}).")
    by = f" par {emetteur}" if emetteur else ""
    return (f"{ISSUER_STEPS[etape]}{by} à l'issue du délai du contrat, échu le "
            f"{format_date(_day(date_limite))} : relancez l'émetteur et consignez le retard "
            "(pénalités prévues au contrat).")


def calculer_validite_pass(date_activation_pass: str, date_mandatement: str,
                           emetteur: str | None = None) -> dict:
    """Validity of passes activated on payment: end of validity and of acceptance for the
    year of activation, under the issuer's cycle (the reference one when unknown)."""
    activated_on = _day(date_activation_pass)
    cycle = issuer_cycle(emetteur, activated_on)
    valid_until, accepted_until = pass_validity(activated_on, _day(date_mandatement), cycle)
    return {"date_activation": _iso(activated_on), "annee_validite": activated_on.year,
            "date_fin_validite": _iso(valid_until), "date_limite_acceptation": _iso(accepted_until),
            "jours_alerte_expiration": list(cycle.expiry_alert_days), "source": cycle.source}


# Registered in ``SCRIPT_FUNCTIONS`` by :mod:`.script_functions`.
PROCUREMENT_FUNCTIONS = (
    verifier_supports_publicite, determiner_donnees_essentielles,
    compter_formats, verifier_livraison,
    determiner_delais_emetteur, calculer_date_limite_bat, calculer_date_limite_livraison,
    determiner_retard_emetteur, calculer_validite_pass,
)
