"""Procurement rules for BPMN scripts: the notice's media and the essential data.

Same contract as :mod:`.script_functions`, which registers these functions in
``SCRIPT_FUNCTIONS``: plain JSON in and out, French verb names, the domain decides
(:mod:`.procurement` and the dated thresholds table); nothing here restates a rule.
This module imports only the domain, never ``script_functions`` (which imports it).
"""
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import DomainError
from .procurement import check_notice_media, choose_procedure, unconfirmed_warning
from .thresholds import BuyerKind, PurchaseKind

ESSENTIAL_DATA_RULE = "essential_data_from"


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DomainError(f"Date invalide : {value!r} (format AAAA-MM-JJ attendu).") from None


def _decimal(value) -> Decimal:
    """A JSON number as a Decimal; a float goes through its shortest text (10.4 -> "10.4")."""
    if isinstance(value, bool) or value is None:
        raise DomainError(f"Nombre invalide : {value!r}.")
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"Nombre invalide : {value!r}.") from None


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


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
