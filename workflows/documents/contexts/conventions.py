"""Contexts of the conventions: ANCT co-financing and the partner conventions."""

import math
from decimal import Decimal

from ...domain.errors import DomainError
from ...domain.funding_terms import FundingTerms, anct_terms
from ...domain.indicators import check_minimum_purchase, state_share_owed
from ...domain.money import rate_as_percentage
from ...domain.passes import DEFAULT_FACE_VALUE
from ..errors import InvalidData
from .base import InputData, context_builder
from .parties import (
    COLLECTIVITE_KEYS, COLLECTIVITE_PROVIDES, DELIBERATION_NAMES, PASS_PROVIDES,
    collectivite_party, partner, partner_from_census, pass_figures, referent_text,
)
from .process import describe, public_label, taking

PARTY_DOC = """
    Partie collectivité (toutes les conventions) :
      requis : collectivite, collectivite_adresse, president, numero_deliberation,
      date_deliberation (délibération qui autorise la signature), duree_mois ;
      facultatif : fonction_president (« Président »), numero_convention, fait_a,
      date_signature (sinon laissée en blanc), tribunal_administratif.
"""
ANCT_ADDRESS = "20 avenue de Ségur, TSA 10717, 75334 Paris Cedex 07"
DEFAULT_CALL = "l'appel à projets de l'État pour le déploiement des Pass numériques (2020)"
ANCT_NAMES = {
    **DELIBERATION_NAMES,
    "numero_convention": "numero_convention_anct",
    "date_signature": "date_signature_convention_anct",
    "duree_mois": "duree_convention_mois",
    "nombre_pass": "nombre_pass_prevus",
    "valeur_pass": "valeur_cheque",
    "taux_participation_etat": "taux_cofinancement_etat_pct",
    "part_pic_minimum": "part_minimale_public_pic_pct",
    "anct_signataire": "signataire_anct",
    "anct_qualite": "qualite_signataire_anct",
}
# A partner's convention is drafted in its own instance of convention_partenaire,
# which holds the partner's census record as `partenaire`.
PARTNER_CONVENTION_NAMES = {
    **DELIBERATION_NAMES,
    "date_signature": "date_signature_collectivite",
    "duree_mois": "duree_convention_partenaire_mois",
    "valeur_pass": "valeur_cheque",
}
RELAY_NAMES = {
    **PARTNER_CONVENTION_NAMES,
    "commune": "partenaire.nom",
    "commune_adresse": "partenaire.adresse",
    "maire": "partenaire.representant",
    "fonction_maire": "partenaire.qualite_representant",
}
MANDATE_NAMES = {**PARTNER_CONVENTION_NAMES, "pass_par_carnet": "cheques_par_carnet"}
MEDIATION_NAMES = {**PARTNER_CONVENTION_NAMES, "emetteur": "titulaire",
                   "horaires": "partenaire.horaires"}


def _anct_from_process(values) -> dict:
    return taking(values, ANCT_NAMES)


def _relay_from_process(values) -> dict:
    adapted = taking(values, RELAY_NAMES)
    adapted["contact_commune"] = referent_text(values) or values.get("contact_commune")
    return adapted


def _mandate_from_process(values) -> dict:
    adapted = taking(values, MANDATE_NAMES)
    if "partenaire" in values:
        adapted["mandataire"] = partner_from_census(values)
        # the order's booklet count is no mandate: only the drafted one is
        adapted["nombre_carnets"] = values.get("nombre_carnets_prevus")
    if isinstance(values.get("formats_confies"), list):
        adapted["carnets"] = [{"nombre_carnets": f.get("nombre_carnets"), "pass_par_carnet": f.get("cheques_par_carnet")}
                              for f in values["formats_confies"] if isinstance(f, dict)]
        adapted["referent"] = referent_text(values)
    if "publics_vises" in values:
        adapted["publics"] = [public_label(code) for code in values["publics_vises"]]
    return adapted


def _mediation_from_process(values) -> dict:
    adapted = taking(values, MEDIATION_NAMES)
    if "partenaire" in values:
        adapted["lieu"] = partner_from_census(values)
    return adapted


def _anct_terms(data: InputData) -> FundingTerms:
    """The ANCT's terms in force on the date of the délibération that authorises the
    signature (the domain's dated data), with the figures this convention states instead."""
    try:
        terms = anct_terms(data.date("date_deliberation"))
        return terms.stating(
            state_max_share=data.rate("taux_participation_etat"),
            minimum_purchase=None if data.get("achat_minimum") is None else data.decimal("achat_minimum"),
            pic_min_share=data.rate("part_pic_minimum"),
        )
    except DomainError as error:
        raise InvalidData(str(error)) from error


def _anct_financing(data: InputData, passes: dict) -> dict:
    terms = _anct_terms(data)
    refusal = check_minimum_purchase(passes["valeur_totale"], terms)
    if refusal:
        raise InvalidData(refusal)
    fee_rate = data.decimal("taux_frais_emetteur", Decimal(0))
    fees = (passes["valeur_totale"] * fee_rate / 100).quantize(Decimal("0.01"))
    pic_share = rate_as_percentage(terms.pic_min_share)
    return {
        "taux_frais_emetteur": fee_rate,
        "frais_emetteur": fees,
        "budget_total": passes["valeur_totale"] + fees,
        "taux_participation_etat": rate_as_percentage(terms.state_max_share),
        # what the State pays if every pass bought is used
        "participation_etat_max": state_share_owed(passes["valeur_totale"], terms),
        "achat_minimum": terms.minimum_purchase,
        "part_pic_minimum": pic_share,
        "nombre_pass_pic_minimum": math.ceil(passes["nombre_pass"] * pic_share / 100),
    }


@context_builder(
    requires=COLLECTIVITE_KEYS + ("anct_signataire", "anct_qualite", "nombre_pass", "duree_mois"),
    provides=COLLECTIVITE_PROVIDES + PASS_PROVIDES + (
        "anct_signataire", "anct_qualite", "anct_adresse", "appel_a_projets",
        "taux_frais_emetteur", "frais_emetteur", "budget_total",
        "taux_participation_etat", "participation_etat_max", "achat_minimum",
        "part_pic_minimum", "nombre_pass_pic_minimum",
    ),
    doc_suffix=PARTY_DOC + describe(ANCT_NAMES),
    from_process=_anct_from_process,
)
def convention_anct(data: InputData) -> dict:
    """Convention de cofinancement avec l'ANCT.

    Requis : anct_signataire, anct_qualite ; nombre_pass (int) ; et la partie
    collectivité (ci-dessous).
    Facultatif (par défaut, les conditions de l'ANCT en vigueur à la date de la
    délibération, tenues datées par le domaine) :
      valeur_pass (10) ; taux_frais_emetteur (0, en % de la valeur faciale) ;
      taux_participation_etat (en % des pass effectivement utilisés) ;
      achat_minimum ; part_pic_minimum (en % des pass) ;
      anct_adresse ; appel_a_projets (libellé de l'appel).
    Calculé : valeur totale, frais, budget, participation maximale de l'État,
    nombre minimal de pass réservés au public PIC. Refuse un achat sous le minimum
    (refus du domaine).
    """
    passes = pass_figures(data, data.integer("nombre_pass"))
    return {
        **collectivite_party(data, "Convention ANCT"),
        **passes,
        **_anct_financing(data, passes),
        "anct_signataire": data.text("anct_signataire"),
        "anct_qualite": data.text("anct_qualite"),
        "anct_adresse": data.text("anct_adresse", ANCT_ADDRESS),
        "appel_a_projets": data.text("appel_a_projets", DEFAULT_CALL),
    }



CONVENTION_RELAIS_COMMUNE_FROM_PROCESS_DOC = """\
    contact_commune ← referent_partenaire et fonction_referent_partenaire.
"""


@context_builder(
    requires=COLLECTIVITE_KEYS + ("commune", "commune_adresse", "maire", "duree_mois"),
    provides=COLLECTIVITE_PROVIDES + (
        "commune", "commune_adresse", "maire", "fonction_maire", "ccas_prescripteur",
        "lieu_mediation", "regie_municipale", "contact_commune",
    ),
    doc_suffix=PARTY_DOC + describe(RELAY_NAMES) + CONVENTION_RELAIS_COMMUNE_FROM_PROCESS_DOC,
    from_process=_relay_from_process,
)
def convention_relais_commune(data: InputData) -> dict:
    """Convention de partenariat avec une commune relais d'information.

    Requis : commune, commune_adresse, maire ; et la partie collectivité.
    Facultatif : fonction_maire (« Maire ») ; ccas_prescripteur (bool : le CCAS
    prescrit) ; lieu_mediation (nom de la médiathèque ou cyber-base qui accueille
    les bénéficiaires) ; regie_municipale (acte instituant la régie qui encaisse
    les pass ; sans elle, la commune s'engage à l'instituer avant tout
    encaissement) ; contact_commune.
    """
    return {
        **collectivite_party(data, "Convention commune relais"),
        "commune": data.text("commune"),
        "commune_adresse": data.text("commune_adresse"),
        "maire": data.text("maire"),
        "fonction_maire": data.text("fonction_maire", "Maire"),
        "ccas_prescripteur": data.flag("ccas_prescripteur"),
        "lieu_mediation": data.text("lieu_mediation", ""),
        "regie_municipale": data.text("regie_municipale", ""),
        "contact_commune": data.text("contact_commune", ""),
    }



CONVENTION_MANDAT_FROM_PROCESS_DOC = """\
    Dans une instance de convention_partenaire : mandataire ← partenaire (nom,
      adresse, representant, qualite_representant) ; carnets ← formats_confies
      (un format par ligne : nombre_carnets, cheques_par_carnet), à défaut
      nombre_carnets ← nombre_carnets_prevus (jamais le nombre de carnets de la
      commande) ;
      referent ← referent_partenaire et fonction_referent_partenaire ;
      publics_vises (codes des formulaires) en clair.
"""


@context_builder(
    requires=COLLECTIVITE_KEYS + (
        "mandataire", "duree_mois", "frequence_compte_rendu", "publics",
    ),
    provides=COLLECTIVITE_PROVIDES + PASS_PROVIDES + (
        "mandataire", "carnets", "nombre_carnets", "publics",
        "frequence_compte_rendu", "comptable_public", "date_avis_comptable",
        "delai_restitution_jours", "referent",
    ),
    doc_suffix=PARTY_DOC + describe(MANDATE_NAMES) + CONVENTION_MANDAT_FROM_PROCESS_DOC,
    from_process=_mandate_from_process,
)
def convention_mandat(data: InputData) -> dict:
    """Convention de mandat avec un prescripteur (valeurs inactives).

    Requis : mandataire ({nom, adresse, representant, fonction}) ; carnets (liste de
    {nombre_carnets, pass_par_carnet}, un format par ligne), ou nombre_carnets et
    pass_par_carnet (int) ; frequence_compte_rendu (« mensuel » : un état mensuel) ; publics
    (liste des publics visés) ; et la partie collectivité.
    Facultatif : valeur_pass (10) ; comptable_public (service de gestion
    comptable) ; date_avis_comptable (avis conforme du comptable public) ;
    delai_restitution_jours (15) ; referent (agent référent du mandataire).
    Calculé : nombre de pass confiés, valeur totale (chiffres et lettres).
    """
    lines = _entrusted(data)
    return {
        **collectivite_party(data, "Convention de mandat"),
        **pass_figures(data, sum(line["nombre_carnets"] * line["pass_par_carnet"] for line in lines)),
        "mandataire": partner(data, "mandataire"),
        "carnets": lines,
        "nombre_carnets": sum(line["nombre_carnets"] for line in lines),
        "publics": data.texts("publics"),
        "frequence_compte_rendu": data.text("frequence_compte_rendu"),
        "comptable_public": data.text("comptable_public", ""),
        "date_avis_comptable": data.date("date_avis_comptable", optional=True),
        "delai_restitution_jours": data.integer("delai_restitution_jours", 15),
        "referent": data.text("referent", ""),
    }



def _entrusted(data: InputData) -> list[dict]:
    """The booklets a mandate entrusts, one line per format."""
    if data.get("carnets") is None:
        return [{"nombre_carnets": data.integer("nombre_carnets"), "pass_par_carnet": data.integer("pass_par_carnet")}]
    lines = data.records("carnets", ("nombre_carnets", "pass_par_carnet"))
    if not lines:
        raise InvalidData("La convention de mandat confie au moins un format de carnets.")
    return [{"nombre_carnets": int(line["nombre_carnets"]), "pass_par_carnet": int(line["pass_par_carnet"])}
            for line in lines]


CONVENTION_LIEU_MEDIATION_FROM_PROCESS_DOC = """\
    Dans une instance de convention_partenaire : lieu ← partenaire (nom,
      adresse, representant, qualite_representant) ; l'émetteur est le
      titulaire du marché.
"""


@context_builder(
    requires=COLLECTIVITE_KEYS + ("lieu", "emetteur", "duree_mois"),
    provides=COLLECTIVITE_PROVIDES + (
        "lieu", "emetteur", "label", "numero_label", "horaires", "ateliers",
        "valeur_pass", "duree_atelier",
    ),
    doc_suffix=PARTY_DOC + describe(MEDIATION_NAMES) + CONVENTION_LIEU_MEDIATION_FROM_PROCESS_DOC,
    from_process=_mediation_from_process,
)
def convention_lieu_mediation(data: InputData) -> dict:
    """Convention avec un lieu de médiation numérique labellisé.

    Requis : lieu ({nom, adresse, representant, fonction}) ; emetteur (émetteur
    des pass, qui rembourse le lieu) ; et la partie collectivité.
    Facultatif : label (« APTIC ») ; numero_label ; horaires ; ateliers (liste des
    accompagnements proposés) ; valeur_pass (10) ; duree_atelier (« 2 heures »).
    """
    return {
        **collectivite_party(data, "Convention lieu de médiation"),
        "lieu": partner(data, "lieu"),
        "emetteur": data.text("emetteur"),
        "label": data.text("label", "APTIC"),
        "numero_label": data.text("numero_label", ""),
        "horaires": data.text("horaires", ""),
        "ateliers": data.texts("ateliers", []),
        "valeur_pass": data.decimal("valeur_pass", DEFAULT_FACE_VALUE),
        "duree_atelier": data.text("duree_atelier", "2 heures"),
    }

