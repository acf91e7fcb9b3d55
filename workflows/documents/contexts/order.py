"""Context of the bon de commande (order form) sent to the pass issuer."""

from decimal import Decimal

from .base import InputData, context_builder

CENT = Decimal("0.01")


def _priced_lines(data: InputData) -> list[dict]:
    lines = data.records("lignes", ("designation", "quantite", "prix_unitaire_ht"))
    for line in lines:
        quantity = data.decimal_of("lignes", line["quantite"])
        unit_price = data.decimal_of("lignes", line["prix_unitaire_ht"])
        vat_rate = data.decimal_of("lignes", line.get("taux_tva", 0))
        line["quantite"] = quantity
        line["prix_unitaire_ht"] = unit_price
        line["taux_tva"] = vat_rate
        line["montant_ht"] = (quantity * unit_price).quantize(CENT)
        line["montant_tva"] = (line["montant_ht"] * vat_rate / 100).quantize(CENT)
    return lines


@context_builder(
    requires=(
        "collectivite", "collectivite_adresse", "numero_commande", "date_commande",
        "fournisseur", "lignes", "adresse_livraison",
    ),
    provides=(
        "collectivite_adresse", "numero_commande", "date_commande", "fournisseur",
        "lignes", "total_ht", "total_tva", "total_ttc", "adresse_livraison",
        "delai_livraison_jours", "reference_marche", "imputation_budgetaire",
        "numero_engagement", "siret", "code_service", "signataire",
        "fonction_signataire",
    ),
)
def bon_de_commande(data: InputData) -> dict:
    """Bon de commande de Pass numériques.

    Requis : collectivite, collectivite_adresse ; numero_commande ;
    date_commande ; fournisseur ({nom, adresse}) ; lignes (liste de
    {designation, quantite, prix_unitaire_ht} et taux_tva facultatif, en %,
    0 par défaut) ; adresse_livraison.
    Facultatif : delai_livraison_jours (7) ; reference_marche ;
    imputation_budgetaire ; numero_engagement ; siret et code_service (Chorus
    Pro) ; signataire ; fonction_signataire (« L'ordonnateur »).
    Calculé : montants par ligne, totaux HT, TVA, TTC (chiffres et lettres).
    """
    lines = _priced_lines(data)
    total_ht = sum((line["montant_ht"] for line in lines), Decimal(0))
    total_vat = sum((line["montant_tva"] for line in lines), Decimal(0))
    number = data.text("numero_commande")
    return {
        "collectivite": data.text("collectivite"),
        "collectivite_adresse": data.text("collectivite_adresse"),
        "reference": f"Bon de commande n° {number}",
        "numero_commande": number,
        "date_commande": data.date("date_commande"),
        "fournisseur": data.record("fournisseur", ("nom", "adresse")),
        "lignes": lines,
        "total_ht": total_ht,
        "total_tva": total_vat,
        "total_ttc": total_ht + total_vat,
        "adresse_livraison": data.text("adresse_livraison"),
        "delai_livraison_jours": data.integer("delai_livraison_jours", 7),
        "reference_marche": data.text("reference_marche", ""),
        "imputation_budgetaire": data.text("imputation_budgetaire", ""),
        "numero_engagement": data.text("numero_engagement", ""),
        "siret": data.text("siret", ""),
        "code_service": data.text("code_service", ""),
        "signataire": data.text("signataire", "……………………"),
        "fonction_signataire": data.text("fonction_signataire", "L'ordonnateur"),
    }
