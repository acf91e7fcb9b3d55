"""Context of the letter handed to a beneficiary with the booklet(s)."""

from decimal import Decimal

from .base import InputData, context_builder


@context_builder(
    requires=(
        "collectivite", "prescripteur", "nombre_carnets", "pass_par_carnet",
        "date_fin_validite", "lieux",
    ),
    provides=(
        "beneficiaire", "prescripteur", "contact_prescripteur", "nombre_carnets",
        "pass_par_carnet", "nombre_pass", "valeur_pass", "valeur_totale",
        "numeros_carnets", "date_remise", "date_fin_validite", "date_limite_acceptation",
        "duree_atelier", "lieux", "signataire", "fonction_signataire",
        "contact_donnees_personnelles",
    ),
)
def lettre_beneficiaire(data: InputData) -> dict:
    """Lettre remise au bénéficiaire avec son ou ses carnets.

    Requis : collectivite ; prescripteur (structure qui remet le carnet) ;
    nombre_carnets, pass_par_carnet (int) ; date_fin_validite (date) ; lieux
    (liste de {nom, adresse, commune} avec telephone et horaires facultatifs).
    Facultatif : beneficiaire (nom, affiché en tête de lettre ; à ne fournir
    que si nécessaire : minimisation des données) ; contact_prescripteur ; numeros_carnets (texte) ;
    date_remise ; date_limite_acceptation (dernier jour où les lieux acceptent
    les pass) ; valeur_pass (10) ; duree_atelier (« environ 2 heures ») ;
    signataire ; fonction_signataire ; contact_donnees_personnelles.
    """
    books = data.integer("nombre_carnets")
    per_book = data.integer("pass_par_carnet")
    face_value = data.decimal("valeur_pass", Decimal(10))
    places = data.records("lieux", ("nom", "adresse", "commune"))
    for place in places:
        place.setdefault("telephone", "")
        place.setdefault("horaires", "")
    return {
        "collectivite": data.text("collectivite"),
        "reference": "Pass numérique – lettre au bénéficiaire",
        "beneficiaire": data.text("beneficiaire", ""),
        "prescripteur": data.text("prescripteur"),
        "contact_prescripteur": data.text("contact_prescripteur", ""),
        "nombre_carnets": books,
        "pass_par_carnet": per_book,
        "nombre_pass": books * per_book,
        "valeur_pass": face_value,
        "valeur_totale": face_value * books * per_book,
        "numeros_carnets": data.text("numeros_carnets", ""),
        "date_remise": data.date("date_remise", optional=True),
        "date_fin_validite": data.date("date_fin_validite"),
        "date_limite_acceptation": data.date("date_limite_acceptation", optional=True),
        "duree_atelier": data.text("duree_atelier", "environ 2 heures"),
        "lieux": places,
        "signataire": data.text("signataire", ""),
        "fonction_signataire": data.text("fonction_signataire", ""),
        "contact_donnees_personnelles": data.text("contact_donnees_personnelles", ""),
    }
