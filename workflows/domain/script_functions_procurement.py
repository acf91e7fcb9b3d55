"""Procurement rules for BPMN scripts: the notice's media, the essential data, the booklet
formats of the order and the issuer's cycle (proof, delivery, activation), and the checks
of what the buyer records after the choice of the procedure (:mod:`.procurement_checks`:
dates bound to the launch, the standstill and the transmission, criteria weights, the
order against the contract). The contract's transmission deadline is the conventions'
(:mod:`.script_functions_acts`), worded for a contract.

Same contract as :mod:`.script_functions`, which registers these functions in
``SCRIPT_FUNCTIONS``: plain JSON in and out, French verb names, the domain decides
(:mod:`.procurement` and the dated thresholds table); nothing here restates a rule.
This module imports only the domain, never ``script_functions`` (which imports it).
"""
from .acts import transmission_deadline
from .calendar import format_date, territory
from .errors import DomainError
from .formats import parse_formats, total_booklets, total_passes
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
from .procurement_checks import (
    award_notice_before_signature_error,
    before_launch_error,
    criteria_weights_error,
    notification_before_transmission_error,
    order_beyond_contract_error,
    order_value,
    standstill_error,
    transmission_before_signature_error,
)
from .script_functions_acts import calculer_echeance_transmission
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


# --- what the buyer records, checked against the procedure ----------------------------------


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
    launched_on = _day(date_lancement)
    what, remedy = LAUNCH_BOUND_PIECES[piece]
    error = before_launch_error(_day(date_piece), launched_on, what)
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
    return standstill_error(_day(date_signature_marche), _day(date_envoi_lettres_rejet),
                            bool(lettres_rejet_electroniques))


def calculer_echeance_transmission_marche(date_signature_marche: str) -> dict:
    """The deadline to send the signed contract to the préfecture: the conventions' answer
    (the domain's dated delay, its source), worded for a contract the holder awaits."""
    echeance = calculer_echeance_transmission([date_signature_marche])
    signed_on, deadline = format_date(_day(date_signature_marche)), format_date(_day(echeance["date_limite"]))
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
    return transmission_before_signature_error(_day(date_signature_marche), _day(date_transmission_marche))


def calculer_transmission_marche(date_signature_marche: str, date_transmission_marche: str) -> dict:
    """The transmission as recorded: its deadline, whether it was met, the days late."""
    signed_on, sent_on = _day(date_signature_marche), _day(date_transmission_marche)
    deadline = transmission_deadline(signed_on)
    late = max((sent_on - deadline).days, 0)
    when = (f"dans le délai (au plus tard le {format_date(deadline)})" if not late else
            f"avec {late} jour(s) de retard sur la date limite du {format_date(deadline)}")
    return {"date_transmission": _iso(sent_on), "date_limite": _iso(deadline), "dans_les_delais": not late,
            "jours_de_retard": late,
            "message": f"Marché transmis au contrôle de légalité le {format_date(sent_on)}, {when}."}


def verifier_notification_marche(date_transmission_marche: str, date_notification: str) -> str | None:
    """None when a formal procedure's contract is notified after its transmission, else why."""
    return notification_before_transmission_error(_day(date_transmission_marche), _day(date_notification))


def verifier_date_avis_attribution(date_signature_marche: str, date_envoi_avis_attribution: str) -> str | None:
    """None when the award notice follows the signature, else why, in French."""
    return award_notice_before_signature_error(_day(date_signature_marche), _day(date_envoi_avis_attribution))


def verifier_bon_commande(formats: list, formats_commandes: list, valeur_cheque,
                           frais_emetteur_commande_ht=0, montant_marche_ht=None) -> dict:
    """The order's passes and value HT (face value plus the fees billed), and the reason it
    goes beyond the contract (a format above the estimate put in competition, a value above
    the contract's amount when the process holds it), None when it stays within."""
    estimated = parse_formats(formats, "Formats de carnets de l'estimation")
    ordered = booklet_formats(formats_commandes)
    value = order_value(ordered, _decimal(valeur_cheque), _decimal(frais_emetteur_commande_ht or 0))
    amount = None if montant_marche_ht is None else _decimal(montant_marche_ht)
    return {"nombre_pass": total_passes(ordered), "montant_ht": _json_number(value),
            "erreur": order_beyond_contract_error(estimated, ordered, value, amount)}


# Registered in ``SCRIPT_FUNCTIONS`` by :mod:`.script_functions`.
PROCUREMENT_FUNCTIONS = (
    verifier_supports_publicite, determiner_donnees_essentielles,
    compter_formats, verifier_livraison,
    determiner_delais_emetteur, calculer_date_limite_bat, calculer_date_limite_livraison,
    determiner_retard_emetteur, calculer_validite_pass,
    fusionner_erreurs, verifier_date_apres_lancement, verifier_ponderations, verifier_signature_marche,
    calculer_echeance_transmission_marche, verifier_transmission_marche, calculer_transmission_marche,
    verifier_notification_marche, verifier_date_avis_attribution, verifier_bon_commande,
)
