"""Script functions of the order and the issuer's cycle: the booklet formats ordered and
delivered, the order against the contract, the issuer's delays (proof, delivery) and the
passes' validity and expiry alerts.

Plain JSON in and out, French verb names, the domain decides (:mod:`workflows.domain.procurement`:
the issuers' dated cycles; :mod:`workflows.domain.formats`, :mod:`workflows.domain.passes`).
"""
from ..domain.booklet_register import serials_of
from ..domain.calendar import format_date, territory
from ..domain.errors import DomainError
from ..domain.formats import parse_formats, total_booklets, total_passes
from ..domain.passes import expiry_alert_dates
from ..domain.procurement import (
    booklet_formats,
    delivery_deadline,
    delivery_gaps,
    is_overseas,
    issuer_cycle,
    pass_validity,
    proof_deadline,
)
from ..domain.ledger_rules import refuse_repeats
from ..domain.procurement_checks import order_beyond_contract_error, order_value
from .conversions import day, decimal, iso, json_number


# --- booklet formats ------------------------------------------------------------------


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


def verifier_numeros_livres(formats_livres: list) -> str | None:
    """None when each delivered format names the serial range of its booklets, as many as
    counted, and no booklet twice; else why, in French. The ranges are received into the
    campaign's ledger as they are: the process keeps the counts per format."""
    try:
        refuse_repeats([s for lot in _delivered(formats_livres) for s in _lot_serials(lot)])
    except (DomainError, KeyError) as error:
        return str(error) if isinstance(error, DomainError) else f"donnée manquante : {error}"
    return None


def compter_carnets_livres(formats_livres: list) -> list:
    """The stock per format the delivery brings ([{cheques_par_carnet, nombre_carnets}]),
    a format delivered at zero left out."""
    delivered = booklet_formats(formats_livres, minimum=0, what="livraison")
    return _formats_json(f for f in delivered if f.booklets)


def _delivered(formats_livres) -> list:
    return [lot for lot in formats_livres if lot.get("nombre_carnets", 1)]


def _lot_serials(lot) -> tuple[str, ...]:
    first, last = lot.get("premier_numero"), lot.get("dernier_numero")
    if not first or not last:
        raise DomainError(f"Carnets de {lot['cheques_par_carnet']} pass : indiquez le premier et le dernier "
                          "numéro livrés.")
    serials = serials_of([{"premier": first, "dernier": last}])
    if "nombre_carnets" in lot and len(serials) != lot["nombre_carnets"]:
        raise DomainError(f"Carnets de {lot['cheques_par_carnet']} pass : la plage {first} – {last} compte "
                          f"{len(serials)} carnet(s), {lot['nombre_carnets']} comptés à la réception.")
    return serials


def verifier_bon_commande(formats: list, formats_commandes: list, valeur_cheque,
                           frais_emetteur_commande_ht=0, montant_marche_ht=None) -> dict:
    """The order's passes and value HT (face value plus the fees billed), and the reason it
    goes beyond the contract (a format above the estimate put in competition, a value above
    the contract's amount when the process holds it), None when it stays within."""
    estimated = parse_formats(formats, "Formats de carnets de l'estimation")
    ordered = booklet_formats(formats_commandes)
    value = order_value(ordered, decimal(valeur_cheque), decimal(frais_emetteur_commande_ht or 0))
    amount = None if montant_marche_ht is None else decimal(montant_marche_ht)
    return {"nombre_pass": total_passes(ordered), "montant_ht": json_number(value),
            "erreur": order_beyond_contract_error(estimated, ordered, value, amount)}


# --- the issuer's cycle ---------------------------------------------------------------


def determiner_delais_emetteur(territoire: str, date_reference: str, emetteur: str | None = None) -> dict:
    """The delays to propose to the buyer: the issuer's known cycle in force on the date (the
    reference cycle when the issuer has none), the overseas delivery delay for an overseas
    territory, with the source and the caveat that the contract's delays prevail."""
    if not isinstance(territoire, str):
        raise DomainError("Territoire non renseigné : le délai de livraison dépend du territoire "
                          "(métropole ou outre-mer).")
    cycle = issuer_cycle(emetteur, day(date_reference))
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
    return iso(proof_deadline(day(date_bon_commande), delai_bat_jours))


def calculer_date_limite_livraison(date_bon_commande: str, date_validation_bat: str,
                                   delai_livraison_jours: int) -> str:
    """Last day of delivery, counted from the proof's approval (not before the order)."""
    return iso(delivery_deadline(day(date_bon_commande), day(date_validation_bat), delai_livraison_jours))


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
            f"{format_date(day(date_limite))} : relancez l'émetteur et consignez le retard "
            "(pénalités prévues au contrat).")


def calculer_validite_pass(date_activation_pass: str, date_mandatement: str,
                           emetteur: str | None = None) -> dict:
    """Validity of passes activated on payment: end of validity and of acceptance for the
    year of activation, under the issuer's cycle (the reference one when unknown)."""
    activated_on = day(date_activation_pass)
    cycle = issuer_cycle(emetteur, activated_on)
    valid_until, accepted_until = pass_validity(activated_on, day(date_mandatement), cycle)
    return {"date_activation": iso(activated_on), "annee_validite": activated_on.year,
            "date_fin_validite": iso(valid_until), "date_limite_acceptation": iso(accepted_until),
            "jours_alerte_expiration": list(cycle.expiry_alert_days), "source": cycle.source}


def calculer_dates_alerte_expiration(fin_validite: str, jours_alerte: list) -> dict:
    """The alert days before expiry, keyed "j30", "j15" (days before the end of validity);
    ``jours_alerte`` comes from the issuer's cycle (``calculer_validite_pass``)."""
    valid_until = day(fin_validite)
    return {f"j{(valid_until - alert_on).days}": iso(alert_on)
            for alert_on in expiry_alert_dates(valid_until, jours_alerte)}


VERBS = (
    compter_formats, verifier_livraison, verifier_numeros_livres, compter_carnets_livres, verifier_bon_commande,
    determiner_delais_emetteur, calculer_date_limite_bat, calculer_date_limite_livraison,
    determiner_retard_emetteur, calculer_validite_pass, calculer_dates_alerte_expiration,
)
