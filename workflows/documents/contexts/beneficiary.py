"""Context of the letter handed to a beneficiary with the booklet(s)."""

from ...domain.passes import DEFAULT_FACE_VALUE
from ..errors import InvalidData
from .base import InputData, context_builder
from .process import describe, taking

LETTER_NAMES = {
    "prescripteur": "dotation.prescripteur",
    "pass_par_carnet": "cheques_par_carnet",
    "valeur_pass": "valeur_cheque",
    "signataire": "president",
    "fonction_signataire": "fonction_president",
}
PLACE_FIELDS = ("nom", "adresse", "commune", "telephone", "horaires")


def _booklets_per_beneficiary(handouts: list) -> int | None:
    """The letter states one number of passes: every handout of the step gives it."""
    counts = sorted({handout.get("nombre_carnets") for handout in handouts
                     if isinstance(handout, dict)})
    if len(counts) > 1:
        raise InvalidData(
            "Les remises de cette étape portent des nombres de carnets différents ("
            + ", ".join(map(str, counts)) + ") : la lettre au bénéficiaire n'indique qu'un "
            "nombre de pass ; enregistrez ensemble les remises d'un même nombre de carnets.")
    return counts[0] if counts else None


def _census_record(values, name) -> dict:
    """The partner `name` as the partners' census recorded it ({} when absent)."""
    records = [p for p in values.get("partenaires") or [] if isinstance(p, dict)]
    return next((record for record in records if record.get("nom") == name), {})


def census_places(values) -> list[dict]:
    """The mediation places under convention, as the partners' census describes them."""
    records = (_census_record(values, name) for name in values.get("lieux_mediation") or [])
    return [{field: record[field] for field in PLACE_FIELDS if record.get(field)}
            for record in records if record]


def _from_process(values) -> dict:
    adapted = taking(values, LETTER_NAMES)
    if "dotation" not in values:
        return adapted
    # inside a prescriber's distribution: the order's booklet count is not the handout's
    adapted["nombre_carnets"] = _booklets_per_beneficiary(values.get("remises") or [])
    # nor its size: the booklets handed are of the format the handouts name (the dotation's)
    sizes = {r.get("cheques_par_carnet") for r in values.get("remises") or [] if isinstance(r, dict)} - {None}
    if len(sizes) > 1:
        raise InvalidData("Les remises de cette étape portent des carnets de formats différents ("
                          + ", ".join(map(str, sorted(sizes))) + " pass) : la lettre au bénéficiaire "
                          "n'indique qu'un format ; enregistrez ensemble les remises d'un même format.")
    dotation_size = values["dotation"].get("cheques_par_carnet") if isinstance(values["dotation"], dict) else None
    adapted["pass_par_carnet"] = next(iter(sizes), None) or dotation_size or adapted.get("pass_par_carnet")
    contact = _census_record(values, adapted.get("prescripteur")).get("telephone")
    adapted["contact_prescripteur"] = contact or values.get("contact_prescripteur")
    if "lieux" not in values:
        adapted["lieux"] = census_places(values)
    if adapted.get("signataire") and not adapted.get("fonction_signataire"):
        adapted["fonction_signataire"] = "Le Président"
    return adapted


LETTRE_BENEFICIAIRE_FROM_PROCESS_DOC = """\
    Dans la distribution d'un prescripteur (dotation) : nombre_carnets ← le
      nombre de carnets des remises de l'étape (le même pour toutes) ;
      pass_par_carnet ← le format des carnets remis (cheques_par_carnet des
      remises, à défaut celui de la dotation) ; lieux ←
      les lieux de médiation conventionnés (lieux_mediation) tels que le
      recensement des partenaires les décrit (partenaires : nom, adresse,
      commune, telephone, horaires) ; contact_prescripteur ← le téléphone du
      prescripteur recensé.
"""


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
    doc_suffix=describe(LETTER_NAMES) + LETTRE_BENEFICIAIRE_FROM_PROCESS_DOC,
    from_process=_from_process,
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
    face_value = data.decimal("valeur_pass", DEFAULT_FACE_VALUE)
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
