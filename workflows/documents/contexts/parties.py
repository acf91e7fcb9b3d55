"""Pieces shared by the conventions: the collectivité as a party, a partner,
the signature block, the pass figures."""

from ...domain.passes import DEFAULT_FACE_VALUE
from .base import InputData
from .process import value_at

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
# The deliberation that empowers the signatory: the sitting on reconvocation when
# the first one lacked quorum.
DELIBERATION_NAMES = {"date_deliberation": ("date_seance_reconvocation", "date_seance")}
PARTNER_NAMES = {  # a partner as the partners' census records it
    "nom": "nom", "adresse": "adresse", "representant": "representant",
    "fonction": "qualite_representant",
}


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
    face_value = data.decimal("valeur_pass", DEFAULT_FACE_VALUE)
    return {
        "nombre_pass": count,
        "valeur_pass": face_value,
        "valeur_totale": face_value * count,
    }


def partner_from_census(values, path: str = "partenaire") -> dict:
    """A partner as `partner` reads it, from the census record at `path`."""
    return {key: value_at(values, f"{path}.{source}") for key, source in PARTNER_NAMES.items()}


def referent_text(values) -> str | None:
    """« Mme X, responsable de l'accueil » from the drafting form's referent fields."""
    parts = [values.get(key) for key in ("referent_partenaire", "fonction_referent_partenaire")]
    text = ", ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    return text or None
