"""Procurement rules for BPMN scripts: the notice's media and the essential data.

Same contract as :mod:`.script_functions`, which registers these functions in
``SCRIPT_FUNCTIONS``: plain JSON in and out, French verb names, the domain decides
(:mod:`.procurement` and the dated thresholds table); nothing here restates a rule.
This module imports only the domain, never ``script_functions`` (which imports it).
"""
from .errors import DomainError
from .json_values import day as _day, decimal as _decimal, json_number as _json_number
from .procurement import check_notice_media, choose_procedure, unconfirmed_warning
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
