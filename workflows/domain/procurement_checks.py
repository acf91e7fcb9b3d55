"""What the buyer records after the choice of the procedure, checked against what the
procedure allows: dates that cannot precede the consultation, the signature or the
transmission, the criteria weights, and the order against the contract.

Each check returns None when the record stands, else the French reason with what to
correct; the model loops back to the step and nothing is recorded past it.
"""
from datetime import date
from decimal import Decimal

from .errors import DomainError
from .formats import BookletFormat
from .french_dates import format_date
from .money import NO_BREAK_SPACE, format_eur, format_percentage, group_thousands, to_money
from .procurement import earliest_signature_date

CRITERIA_TOTAL = Decimal(100)


# --- the consultation's launch -----------------------------------------------------------


def before_launch_error(day: date, launched_on: date, what: str) -> str | None:
    """``what`` ("Devis retenu daté du", "Avis de marché envoyé le") may not precede the launch of the
    consultation: the launch date chose the thresholds, hence the procedure. The diagnosis
    only: what to correct depends on the step."""
    if day >= launched_on:
        return None
    return (f"{what} {format_date(day)}, antérieur au lancement de la consultation du "
            f"{format_date(launched_on)} : cette date fixe les seuils et donc la procédure.")


# --- the notice's criteria ---------------------------------------------------------------


def criteria_weights_error(criteria) -> str | None:
    """The award criteria's weights, in %, must total 100: the rules of the consultation and
    the analysis of the bids read them as shares of the mark."""
    if not isinstance(criteria, (list, tuple)) or not criteria:
        return "Critères d'attribution absents : indiquez au moins un critère et sa pondération."
    weights = [(_text(c.get("critere")), _weight(c.get("ponderation"))) for c in map(_criterion, criteria)]
    total = sum((weight for _, weight in weights), Decimal(0))
    if total == CRITERIA_TOTAL:
        return None
    detail = ", ".join(f"{name} {format_percentage(weight)}" for name, weight in weights)
    return (f"Pondérations des critères d'attribution totalisant {format_percentage(total)} au lieu de "
            f"100{NO_BREAK_SPACE}% ({detail}) : corrigez-les pour qu'elles totalisent 100{NO_BREAK_SPACE}%.")


def _criterion(raw) -> dict:
    if not isinstance(raw, dict):
        raise DomainError(f"Critère d'attribution invalide : {raw!r} (critère et pondération attendus).")
    return raw


def _text(value) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else "critère sans nom"


def _weight(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise DomainError(f"Pondération invalide : {value!r} (pourcentage attendu).")
    return Decimal(str(value))


# --- signature, transmission, notification, award notice ------------------------------------


def standstill_error(signed_on: date, letters_sent_on: date, electronic: bool) -> str | None:
    """A formal procedure's contract may not be signed within the standstill (CCP R2182-1)."""
    earliest = earliest_signature_date(letters_sent_on, electronic=electronic)
    if signed_on >= earliest:
        return None
    how = "par voie électronique" if electronic else "sans recours à la voie électronique"
    return (f"Signature du {format_date(signed_on)} pendant le délai de suspension : les lettres de "
            f"rejet ayant été envoyées {how} le {format_date(letters_sent_on)}, le marché ne peut être signé "
            f"qu'à partir du {format_date(earliest)} (CCP R2182-1). Signez à cette date au plus tôt "
            "et saisissez la date réelle de signature.")


def transmission_before_signature_error(signed_on: date, transmitted_on: date) -> str | None:
    """A contract goes to the préfecture once signed."""
    if transmitted_on >= signed_on:
        return None
    return (f"Transmission du {format_date(transmitted_on)} antérieure à la signature du marché du "
            f"{format_date(signed_on)} : le marché se transmet au contrôle de légalité une fois "
            "signé. Corrigez la date de transmission.")


def notification_before_transmission_error(transmitted_on: date, notified_on: date) -> str | None:
    """Above the EU thresholds a contract is executory only once transmitted to the préfecture
    (CGCT L2131-1, L2131-2 4°, D2131-5-1): it is notified to the holder after that."""
    if notified_on >= transmitted_on:
        return None
    return (f"Notification du {format_date(notified_on)} antérieure à la transmission du marché au "
            f"contrôle de légalité du {format_date(transmitted_on)} : un marché passé en procédure "
            "formalisée n'est exécutoire qu'une fois transmis (CGCT L2131-1 et L2131-2) ; "
            f"notifiez-le au titulaire à partir du {format_date(transmitted_on)}.")


def award_notice_before_signature_error(signed_on: date, sent_on: date) -> str | None:
    """The award notice announces a signed contract (CCP R2183-1)."""
    if sent_on >= signed_on:
        return None
    return (f"Avis d'attribution envoyé le {format_date(sent_on)}, avant la signature du marché du "
            f"{format_date(signed_on)} : l'avis d'attribution porte sur le marché signé "
            "(CCP R2183-1). Corrigez la date d'envoi de l'avis.")


# --- the order against the contract ------------------------------------------------------------


def order_value(ordered: tuple[BookletFormat, ...], cheque_value, fees) -> Decimal:
    """Value HT of an order: face value of the passes ordered plus the issuer's fees billed."""
    passes = sum(f.passes for f in ordered)
    return to_money(to_money(cheque_value) * passes + to_money(fees))


def order_beyond_contract_error(estimated: tuple[BookletFormat, ...], ordered: tuple[BookletFormat, ...],
                                value: Decimal, contract_amount=None) -> str | None:
    """An order may not exceed, format by format, the booklets estimated and put in competition,
    nor the contract's amount when known: beyond them is a new purchase, not this contract."""
    allowed = {f.size: f.booklets for f in estimated}
    excess = [f"carnets de {f.size} chèques : {group_thousands(str(f.booklets))} commandé(s) pour "
              f"{group_thousands(str(allowed.get(f.size, 0)))} estimé(s) et attribué(s)"
              for f in ordered if f.booklets > allowed.get(f.size, 0)]
    if contract_amount is not None and value > to_money(contract_amount):
        excess.append(f"montant de la commande {format_eur(value)} HT supérieur au montant du marché "
                      f"de {format_eur(contract_amount)} HT")
    if not excess:
        return None
    return (f"Bon de commande au-delà du marché : {' ; '.join(excess)}. Ramenez la commande dans les "
            "limites du marché ; un besoin supplémentaire demande un avenant (CCP R2194-1 et suivants) "
            "ou une nouvelle consultation.")
