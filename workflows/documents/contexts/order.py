"""Context of the bon de commande (order form) sent to the pass issuer."""

from decimal import Decimal

from ..formatting import format_amount
from .base import InputData, context_builder
from .process import describe, taking
from .procurement import holder

CENT = Decimal("0.01")
ORDER_NAMES = {
    "numero_commande": "numero_bon_commande",
    "date_commande": "date_bon_commande",
    "adresse_livraison": "lieu_livraison",
    "signataire": ("signataire_marche", "president"),
}


def _ordered_formats(values) -> list[tuple]:
    """(pass per booklet, booklets) of each format ordered: the order form's formats, else
    its one count of booklets of the estimated size."""
    formats = [(row.get("cheques_par_carnet"), row.get("nombre_carnets"))
               for row in values.get("formats_commandes") or [] if isinstance(row, dict)]
    if not formats and values.get("nombre_carnets_commandes") and values.get("cheques_par_carnet"):
        formats = [(values["cheques_par_carnet"], values["nombre_carnets_commandes"])]
    return formats


def _lines_from_order_form(values) -> list[dict]:
    """The booklets ordered at their face value, then the issuer's fees if invoiced."""
    face_value = values.get("valeur_cheque", 10)
    lines = [{
        "designation": f"Carnets de {per_book} Pass numériques d'une valeur faciale de "
                       f"{format_amount(face_value)}",
        "quantite": booklets,
        "prix_unitaire_ht": per_book * face_value,
    } for per_book, booklets in _ordered_formats(values)]
    fees = values.get("frais_emetteur_commande_ht")
    if fees:
        lines.append({"designation": "Frais de gestion de l'émetteur", "quantite": 1,
                      "prix_unitaire_ht": fees, "taux_tva": values.get("taux_tva_frais_pct", 0)})
    return lines


def _from_process(values) -> dict:
    adapted = taking(values, ORDER_NAMES)
    if "titulaire" in values:
        adapted["fournisseur"] = holder(values)
    if "lignes" not in values and _ordered_formats(values):
        adapted["lignes"] = _lines_from_order_form(values)
    return adapted


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


BON_DE_COMMANDE_FROM_PROCESS_DOC = """\
    fournisseur ← titulaire (adresse du devis ou de l'offre) ; lignes, à
      défaut : une ligne par format commandé (formats_commandes :
      nombre_carnets carnets de cheques_par_carnet pass ; ou
      nombre_carnets_commandes carnets de cheques_par_carnet pass) à
      valeur_cheque, puis frais_emetteur_commande_ht au taux
      taux_tva_frais_pct.
"""


@context_builder(
    requires=(
        "collectivite", "collectivite_adresse", "numero_commande", "date_commande",
        "fournisseur", "lignes", "adresse_livraison",
    ),
    provides=(
        "collectivite_adresse", "numero_commande", "date_commande", "fournisseur",
        "lignes", "total_ht", "total_tva", "total_ttc", "adresse_livraison",
        "delai_livraison_jours", "delai_bat_jours", "reference_marche", "imputation_budgetaire",
        "numero_engagement", "siret", "code_service", "signataire",
        "fonction_signataire",
    ),
    doc_suffix=describe(ORDER_NAMES) + BON_DE_COMMANDE_FROM_PROCESS_DOC,
    from_process=_from_process,
)
def bon_de_commande(data: InputData) -> dict:
    """Bon de commande de Pass numériques.

    Requis : collectivite, collectivite_adresse ; numero_commande ;
    date_commande ; fournisseur ({nom, adresse}) ; lignes (liste de
    {designation, quantite, prix_unitaire_ht} et taux_tva facultatif, en %,
    0 par défaut) ; adresse_livraison.
    Facultatif : delai_livraison_jours (7, comptés depuis la validation du bon à
    tirer) ; delai_bat_jours (délai de validation du bon à tirer) ; reference_marche ;
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
        "delai_bat_jours": data.integer("delai_bat_jours") if data.get("delai_bat_jours") is not None else None,
        "reference_marche": data.text("reference_marche", ""),
        "imputation_budgetaire": data.text("imputation_budgetaire", ""),
        "numero_engagement": data.text("numero_engagement", ""),
        "siret": data.text("siret", ""),
        "code_service": data.text("code_service", ""),
        "signataire": data.text("signataire", "……………………"),
        "fonction_signataire": data.text("fonction_signataire", "L'ordonnateur"),
    }
