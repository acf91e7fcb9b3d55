"""Script functions of the public purchase: the estimate and the procedure by the dated
thresholds, the notice's media and time limits, the essential data, and the checks of what
the buyer records after the choice of the procedure (:mod:`workflows.domain.procurement_checks`:
dates bound to the launch, the standstill and the transmission, criteria weights). The
contract's transmission deadline is the conventions' (:mod:`.acts`), worded for a contract.
The order and the issuer's cycle are in :mod:`.order`.

Plain JSON in and out, French verb names, the domain decides (:mod:`workflows.domain.procurement`
and the dated thresholds table); nothing here restates a rule.
"""

from ..domain.acts import transmission_deadline
from ..domain.calendar import format_date
from ..domain.errors import DomainError
from ..domain.procurement import (
    award_notice_deadline,
    check_notice_media,
    choose_procedure,
    earliest_bid_deadline,
    earliest_signature_date,
    estimate_pass_order,
    minimum_bid_days,
    outdated_eu_threshold,
    unconfirmed_warning,
)
from ..domain.procurement_checks import (
    award_notice_before_signature_error,
    before_launch_error,
    criteria_weights_error,
    notification_before_transmission_error,
    standstill_error,
    transmission_before_signature_error,
)
from ..domain.thresholds import BuyerKind, PurchaseKind
from .acts import calculer_echeance_transmission
from .conversions import amount, day, decimal, iso, json_number, rate


TO_QUALIFY = "a_qualifier"
BID_REDUCTIONS = ("aucun", "avis_preinformation", "urgence")
ESSENTIAL_DATA_RULE = "essential_data_from"


# --- the procedure --------------------------------------------------------------------


def estimer_commande(montant_passes, taux_frais_pct) -> dict:
    """Estimated value HT of a pass order: face value plus the issuer's fees, with the
    assumption the buyer confirms."""
    estimate = estimate_pass_order(amount(montant_passes), rate(taux_frais_pct))
    return {"valeur_faciale": json_number(estimate.face_value), "frais": json_number(estimate.fees),
            "valeur_estimee": json_number(estimate.estimated_value), "hypothese": estimate.assumption}


def choisir_procedure(valeur_estimee_ht, date_lancement: str,
                      nature_achat: str = PurchaseKind.SUPPLIES_SERVICES.value,
                      type_acheteur: str = BuyerKind.LOCAL_AUTHORITY.value) -> dict:
    """Procedure and publicity from the dated thresholds table; "a_qualifier" when the
    table does not cover the launch date."""
    launched_on = day(date_lancement)
    try:
        decision = choose_procedure(decimal(valeur_estimee_ht), nature_achat, type_acheteur, launched_on)
    except DomainError as error:
        return _to_qualify(str(error))
    outdated = outdated_eu_threshold(decision)
    if outdated:
        return _to_qualify(outdated)
    return {
        "procedure": decision.procedure.value,
        "publicite": decision.publicity.value,
        "publicite_libelle": decision.publicity.label,
        "seuil_dispense_ht": json_number(_record(decision, "no_competition_below").amount),
        "seuil_europeen_ht": json_number(_record(decision, "formal_procedure_from").amount),
        "standstill_obligatoire": decision.standstill_required,
        "avis_attribution_obligatoire": decision.award_notice_required,
        "donnees_essentielles_obligatoires": decision.essential_data_required,
        "avertissements": list(decision.warnings),
        "explication": decision.explanation,
    }


def _record(decision, rule):
    return next(r for r in decision.records if r.rule == rule)


def _to_qualify(reason: str) -> dict:
    return {"procedure": TO_QUALIFY, "publicite": None, "publicite_libelle": None,
            "seuil_dispense_ht": None, "seuil_europeen_ht": None, "standstill_obligatoire": None,
            "avis_attribution_obligatoire": None, "donnees_essentielles_obligatoires": None,
            "avertissements": [reason], "explication": reason}


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
    value, launched_on = decimal(valeur_estimee_ht), day(date_lancement)
    try:
        decision = choose_procedure(value, nature_achat, type_acheteur, launched_on)
    except DomainError as error:
        return {"obligatoires": None, "seuil_ht": None, "source": None, "confirme": None,
                "avertissement": f"Obligation à vérifier : {error}"}
    record = next(r for r in decision.records if r.rule == ESSENTIAL_DATA_RULE)
    return {"obligatoires": decision.essential_data_required, "seuil_ht": json_number(record.amount),
            "source": record.source, "confirme": record.confirmed,
            "avertissement": unconfirmed_warning(record)}


# --- time limits ----------------------------------------------------------------------


def _bid_options(electronique: bool, motif_reduction: str) -> dict:
    if motif_reduction not in BID_REDUCTIONS:
        raise DomainError(f"Motif de réduction du délai inconnu : {motif_reduction!r}.")
    return {"electronic": bool(electronique),
            "prior_information_notice": motif_reduction == "avis_preinformation",
            "urgency": motif_reduction == "urgence"}


def calculer_date_limite_offres(date_envoi_avis: str, electronique: bool = True,
                                motif_reduction: str = "aucun") -> str:
    """Earliest bid deadline of an open tender for a notice sent on ``date_envoi_avis``."""
    return iso(earliest_bid_deadline(day(date_envoi_avis), **_bid_options(electronique, motif_reduction)))


def verifier_date_limite_offres(date_envoi_avis: str, date_limite_offres: str, electronique: bool = True,
                                motif_reduction: str = "aucun") -> str | None:
    """None when the bid deadline leaves the minimum time of an open tender, else why not."""
    sent_on, deadline = day(date_envoi_avis), day(date_limite_offres)
    options = _bid_options(electronique, motif_reduction)
    earliest = earliest_bid_deadline(sent_on, **options)
    if deadline >= earliest:
        return None
    days = minimum_bid_days(sent_on, **options)
    return (f"Date limite de réception des offres trop proche : au moins {days} jours après "
            f"l'envoi de l'avis du {format_date(sent_on)} (CCP R2161-2 et R2161-3), soit le "
            f"{format_date(earliest)} au plus tôt.")


def calculer_date_signature_possible(date_envoi_lettres: str, electronique: bool = True) -> str:
    """First day the contract may be signed after the rejection letters (standstill)."""
    return iso(earliest_signature_date(day(date_envoi_lettres), electronic=bool(electronique)))


def calculer_date_limite_avis_attribution(date_signature: str) -> str:
    """Last day to send the award notice of a formal procedure."""
    return iso(award_notice_deadline(day(date_signature)))


# --- what the buyer records, checked against the procedure ----------------------------


def fusionner_erreurs(erreurs: list) -> str | None:
    """The reasons of several checks as one French message, None when every check passed."""
    if not isinstance(erreurs, list):
        raise DomainError(f"Liste d'erreurs attendue : {erreurs!r}.")
    return " ".join(e for e in erreurs if e) or None


LAUNCH_BOUND_PIECES = {
    "devis": ("Devis retenu daté du",
              "Si la consultation a commencé plus tôt, corrigez la date de lancement de l'estimation : la "
              "procédure sera déterminée à nouveau ; sinon, saisissez la date réelle du devis, au plus tôt "
              "le {lancement}."),
    "avis": ("Avis de marché envoyé le",
             "L'envoi de l'avis lance la consultation : saisissez sa date réelle d'envoi, au plus tôt le "
             "{lancement}."),
}


def verifier_date_apres_lancement(date_piece: str, date_lancement: str, piece: str) -> str | None:
    """None when the quote or the notice (``piece``: "devis", "avis") does not precede the
    launch of the consultation, the date that chose the thresholds; else why, in French."""
    if piece not in LAUNCH_BOUND_PIECES:
        raise DomainError(f"Pièce inconnue : {piece!r} (valeurs admises : {', '.join(LAUNCH_BOUND_PIECES)}).")
    launched_on = day(date_lancement)
    what, remedy = LAUNCH_BOUND_PIECES[piece]
    error = before_launch_error(day(date_piece), launched_on, what)
    return f"{error} {remedy.format(lancement=format_date(launched_on))}" if error else None


def verifier_ponderations(criteres: list) -> str | None:
    """None when the award criteria's weights total 100 %, else the total and each weight."""
    return criteria_weights_error(criteres)


def verifier_signature_marche(date_signature_marche: str, date_envoi_lettres_rejet: str | None = None,
                              lettres_rejet_electroniques: bool = True) -> str | None:
    """None when the contract may be signed on that date: after the standstill of a formal
    procedure (None letters date: no standstill applies); else why, in French."""
    if date_envoi_lettres_rejet is None:
        return None
    return standstill_error(day(date_signature_marche), day(date_envoi_lettres_rejet),
                            bool(lettres_rejet_electroniques))


def calculer_echeance_transmission_marche(date_signature_marche: str) -> dict:
    """The deadline to send the signed contract to the préfecture: the conventions' answer
    (the domain's dated delay, its source), worded for a contract the holder awaits."""
    echeance = calculer_echeance_transmission([date_signature_marche])
    signed_on, deadline = format_date(day(date_signature_marche)), format_date(day(echeance["date_limite"]))
    return dict(
        echeance,
        consigne=(f"Marché à transmettre au contrôle de légalité (@ctes, nature 4) au plus tard le {deadline} : "
                  f"{echeance['delai_jours']} jours après sa signature du {signed_on} ({echeance['source']}). "
                  "Il ne peut être notifié au titulaire qu'une fois transmis."),
        alerte_retard=(f"Délai de transmission du marché au contrôle de légalité échu le {deadline} sans "
                       f"transmission enregistrée : le marché signé le {signed_on} n'est pas exécutoire et ne "
                       "peut être notifié tant qu'il n'est pas transmis ; transmettez-le sans attendre."),
    )


def verifier_transmission_marche(date_signature_marche: str, date_transmission_marche: str) -> str | None:
    """None when the transmission follows the signature; a late one is recorded, not refused."""
    return transmission_before_signature_error(day(date_signature_marche), day(date_transmission_marche))


def calculer_transmission_marche(date_signature_marche: str, date_transmission_marche: str) -> dict:
    """The transmission as recorded: its deadline, whether it was met, the days late."""
    signed_on, sent_on = day(date_signature_marche), day(date_transmission_marche)
    deadline = transmission_deadline(signed_on)
    late = max((sent_on - deadline).days, 0)
    when = (f"dans le délai (au plus tard le {format_date(deadline)})" if not late else
            f"avec {late} jour(s) de retard sur la date limite du {format_date(deadline)}")
    return {"date_transmission": iso(sent_on), "date_limite": iso(deadline), "dans_les_delais": not late,
            "jours_de_retard": late,
            "message": f"Marché transmis au contrôle de légalité le {format_date(sent_on)}, {when}."}


def verifier_notification_marche(date_transmission_marche: str, date_notification: str) -> str | None:
    """None when a formal procedure's contract is notified after its transmission, else why."""
    return notification_before_transmission_error(day(date_transmission_marche), day(date_notification))


def verifier_date_avis_attribution(date_signature_marche: str, date_envoi_avis_attribution: str) -> str | None:
    """None when the award notice follows the signature, else why, in French."""
    return award_notice_before_signature_error(day(date_signature_marche), day(date_envoi_avis_attribution))


VERBS = (
    estimer_commande, choisir_procedure, verifier_supports_publicite, determiner_donnees_essentielles,
    calculer_date_limite_offres, verifier_date_limite_offres, calculer_date_signature_possible,
    calculer_date_limite_avis_attribution,
    fusionner_erreurs, verifier_date_apres_lancement, verifier_ponderations, verifier_signature_marche,
    calculer_echeance_transmission_marche, verifier_transmission_marche, calculer_transmission_marche,
    verifier_notification_marche, verifier_date_avis_attribution,
)
