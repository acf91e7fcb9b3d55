"""Pieces shared by the conventions: the collectivité as a party, a partner,
the signature block, the pass figures."""

from decimal import Decimal

from .base import InputData

COLLECTIVITE_KEYS = (
    "collectivite", "collectivite_adresse", "president", "numero_deliberation",
    "date_deliberation",
)
COLLECTIVITE_PROVIDES = (
    "collectivite_adresse", "president", "fonction_president", "numero_deliberation",
    "date_deliberation", "numero_convention", "fait_a", "date_signature", "duree_mois",
    "tribunal_administratif",
)
PASS_PROVIDES = ("nombre_pass", "valeur_pass", "valeur_totale")
BLANK = "……………………"


def collectivite_party(data: InputData, reference_label: str) -> dict:
    """The collectivité, its signatory and the deliberation that empowers him."""
    number = data.text("numero_convention", "")
    return {
        "collectivite": data.text("collectivite"),
        "collectivite_adresse": data.text("collectivite_adresse"),
        "president": data.text("president"),
        "fonction_president": data.text("fonction_president", "Président"),
        "numero_deliberation": data.text("numero_deliberation"),
        "date_deliberation": data.date("date_deliberation"),
        "numero_convention": number or BLANK,
        "reference": f"{reference_label} n° {number}" if number else reference_label,
        "fait_a": data.text("fait_a", BLANK),
        "date_signature": data.date("date_signature", optional=True),
        "duree_mois": data.integer("duree_mois"),
        "tribunal_administratif": data.text(
            "tribunal_administratif", "le tribunal administratif territorialement compétent"
        ),
    }


def partner(data: InputData, key: str) -> dict:
    """A partner given as {nom, adresse, representant, fonction}."""
    return data.record(key, ("nom", "adresse", "representant", "fonction"))


def pass_figures(data: InputData, count: int) -> dict:
    face_value = data.decimal("valeur_pass", Decimal(10))
    return {
        "nombre_pass": count,
        "valeur_pass": face_value,
        "valeur_totale": face_value * count,
    }
