"""Contexts of the procurement documents (Code de la commande publique).

Thresholds and procedures are decided upstream (the domain's dated table, through
the process): these builders receive the procedure and its flags, they never infer them.
"""

from datetime import date, timedelta
from decimal import Decimal

from ...domain.errors import DomainError
from ...domain.french_dates import format_day_month
from ...domain.money import rate_as_percentage
from ...domain.passes import DEFAULT_FACE_VALUE
from ...domain.procurement import DEFAULT_ISSUER_FEE_RATE, IssuerCycle, earliest_signature_date, issuer_cycle
from ..errors import InvalidData
from ..recipients import same_name
from .base import InputData, appeal_period, context_builder
from .process import PROCEDURES, describe, hour_fr, procedure_label, taking, value_at

BUYER_KEYS = ("collectivite", "collectivite_adresse", "reference_marche", "objet")
BUYER_PROVIDES = (
    "collectivite_adresse", "reference_marche", "objet", "service_acheteur",
    "signataire", "fonction_signataire", "fait_a", "tribunal_administratif",
)
BUYER_DOC = """
    Acheteur (tous les documents d'achat) :
      requis : collectivite, collectivite_adresse, reference_marche, objet ;
      facultatif : service_acheteur (« Service de la commande publique »),
      signataire, fonction_signataire (« Le Président »), fait_a,
      tribunal_administratif.
"""
BLANK = "……………………"
CENT = Decimal("0.01")
BUYER_NAMES = {"objet": "objet_marche", "signataire": ("signataire_marche", "president")}
CONSULTATION_NAMES = {**BUYER_NAMES, "contact": "contact_acheteur", "valeur_pass": "valeur_cheque",
                      "taux_frais_emetteur": "taux_frais_emetteur_pct"}
SPECIFICATIONS_NAMES = {**BUYER_NAMES, "valeur_pass": "valeur_cheque"}
REJECTION_NAMES = {
    **BUYER_NAMES, "attributaire": "titulaire", "montant_attributaire": "montant_marche_ht",
    "date_envoi": "date_envoi_lettres_rejet", "motifs": "motifs_rejet", "notes": "notes_offres",
    "envoi_electronique": "lettres_rejet_electroniques",
}
NOTIFICATION_NAMES = {**BUYER_NAMES, "montant_ht": "montant_marche_ht"}
FORMAL_PROCEDURE = "appel_offres"


def holder(values) -> dict:
    """The market's holder: its name, its address from the quote or from its offer."""
    name = values.get("titulaire")
    offer_address = next((offer.get("adresse") for offer in values.get("offres") or []
                          if isinstance(offer, dict) and offer.get("candidat") == name), None)
    return {"nom": name, "adresse": values.get("adresse_titulaire") or offer_address}


def _evicted(values) -> list[dict]:
    return [offer for offer in values.get("offres") or []
            if isinstance(offer, dict) and not same_name(offer.get("candidat"), values.get("titulaire"))]


def _as_candidate(offer) -> dict:
    return {"nom": offer.get("candidat"), "adresse": offer.get("adresse")}


def _names(offers) -> str:
    return ", ".join(str(offer.get("candidat")) for offer in offers)


def evicted_candidates(values) -> list[str] | None:
    """The recipients of the rejection letters: every offer but the holder's, in the
    order the offers were recorded; None when the data lists no offers and no holder
    (the letter is then made from the `candidat` given)."""
    if not values.get("titulaire") or not isinstance(values.get("offres"), list):
        return None
    return [str(offer.get("candidat")).strip() for offer in _evicted(values)]


def _own_notes(values, name: str, evicted: list[dict]) -> list[dict] | None:
    """The notes of candidate `name` against the holder's: the rows of notes_offres that
    name it; rows naming no candidate only when one candidate was evicted (else each
    letter would show another candidate's notes)."""
    rows = [row for row in values.get("notes_offres") or [] if isinstance(row, dict)]
    if not rows:
        return None
    strangers = sorted({str(row["candidat"]) for row in rows if str(row.get("candidat") or "").strip()
                        and not any(same_name(row["candidat"], offer.get("candidat")) for offer in evicted)})
    if strangers:
        raise InvalidData(
            f"Notes (notes_offres) d'un candidat qui n'est pas évincé : {', '.join(strangers)} ; les "
            f"candidats évincés sont : {_names(evicted)}. Corrigez le nom pour que sa lettre donne ses notes.")
    own = [row for row in rows if same_name(row.get("candidat"), name)]
    anonymous = [row for row in rows if not str(row.get("candidat") or "").strip()]
    if own or not anonymous:
        return own
    if len(evicted) == 1:
        return anonymous
    raise InvalidData(
        f"Les notes (notes_offres) ne nomment pas le candidat noté alors que {len(evicted)} "
        f"candidats sont évincés ({_names(evicted)}) : indiquez le candidat de chaque note, "
        "pour que chaque lettre donne ses propres notes.")


def rejection_data(values, name: str) -> dict:
    """The data of the letter to evicted candidate `name`: that candidate as `candidat`,
    its own notes as notes_offres."""
    evicted = _evicted(values)
    offer = next((offer for offer in evicted if same_name(offer.get("candidat"), name)), None)
    if offer is None:
        raise InvalidData(f"« {name} » n'est pas un candidat évincé.")
    data = dict(values, candidat=_as_candidate(offer))
    notes = _own_notes(values, name, evicted)
    if notes is not None:
        data["notes_offres"] = [{key: value for key, value in row.items() if key != "candidat"}
                                for row in notes]
    return data


def _with_procedure(adapted: dict) -> dict:
    """The procedure's label (the process holds its code) and the hour in French."""
    adapted["procedure"] = procedure_label(adapted.get("procedure"))
    adapted["heure_limite_offres"] = hour_fr(adapted.get("heure_limite_offres"))
    return adapted


def _consultation_from_process(values) -> dict:
    return _with_procedure(taking(values, CONSULTATION_NAMES))


def _specifications_from_process(values) -> dict:
    adapted = taking(values, SPECIFICATIONS_NAMES)
    formats = [row for row in values.get("formats") or [] if isinstance(row, dict)]
    if not formats and values.get("cheques_par_carnet") and values.get("nombre_carnets"):
        formats = [values]
    if "carnets" not in values and formats:
        adapted["carnets"] = [{"public": "Ensemble des publics du dispositif",
                               "pass_par_carnet": row.get("cheques_par_carnet"),
                               "nombre_carnets": row.get("nombre_carnets")} for row in formats]
    return adapted


def _formal_procedure(values):
    """Whether the standstill applies: the domain's choice of procedure, else the
    procedure the buyer qualified."""
    required = value_at(values, "choix_procedure.standstill_obligatoire")
    if required is None and values.get("procedure") in PROCEDURES:
        return values["procedure"] == FORMAL_PROCEDURE
    return required


def _rejection_from_process(values) -> dict:
    adapted = _with_procedure(taking(values, REJECTION_NAMES))
    if "titulaire" in values and "offres" in values and not isinstance(values.get("candidat"), dict):
        evicted = _evicted(values)
        if len(evicted) > 1:
            raise InvalidData(
                f"{len(evicted)} candidats évincés ({_names(evicted)}) : la lettre de rejet "
                "s'adresse à un seul candidat ; générez une lettre par candidat évincé.")
        adapted["candidat"] = _as_candidate(evicted[0]) if evicted else None
    formal = _formal_procedure(values)
    if formal is not None:
        adapted["procedure_formalisee"] = formal
    return adapted


def _notification_from_process(values) -> dict:
    adapted = _with_procedure(taking(values, NOTIFICATION_NAMES))
    if "titulaire" in values:
        adapted["attributaire"] = holder(values)
    return adapted


def _buyer(data: InputData) -> dict:
    reference = data.text("reference_marche")
    return {
        "collectivite": data.text("collectivite"),
        "collectivite_adresse": data.text("collectivite_adresse"),
        "reference_marche": reference,
        "reference": f"Marché n° {reference}",
        "objet": data.text("objet"),
        "service_acheteur": data.text("service_acheteur", "Service de la commande publique"),
        "signataire": data.text("signataire", BLANK),
        "fonction_signataire": data.text("fonction_signataire", "Le Président"),
        "fait_a": data.text("fait_a", BLANK),
        "tribunal_administratif": data.text(
            "tribunal_administratif", "le tribunal administratif territorialement compétent"
        ),
    }


def _estimated_value(data: InputData) -> dict:
    """Face value plus the issuer's fees: the buyer's assumption, shown as such. The
    figures the process estimated (domain: montant_passes, frais_emetteur,
    valeur_estimee_ht) are read when present."""
    passes = data.integer("nombre_pass")
    face_value = data.decimal("montant_passes", data.decimal("valeur_pass", DEFAULT_FACE_VALUE) * passes)
    fee_rate = data.decimal("taux_frais_emetteur", rate_as_percentage(DEFAULT_ISSUER_FEE_RATE))
    fees = data.decimal("frais_emetteur", (face_value * fee_rate / 100).quantize(CENT))
    return {
        "nombre_pass": passes,
        "valeur_faciale": face_value,
        "taux_frais_emetteur": fee_rate,
        "frais_emetteur": fees,
        "valeur_estimee": data.decimal("valeur_estimee_ht", face_value + fees),
    }


def _criteria(data: InputData) -> list[dict]:
    criteria = data.records("criteres", ("critere", "ponderation"))
    for criterion in criteria:
        criterion["ponderation"] = data.decimal_of("criteres", criterion["ponderation"])
    total = sum(criterion["ponderation"] for criterion in criteria)
    if total != 100:
        raise InvalidData(f"Les pondérations des critères totalisent {total} % au lieu de 100 %.")
    return criteria


DEFAULT_CONSULTATION_FILES = [
    "le présent règlement de la consultation (RC)",
    "l'acte d'engagement (AE)",
    "le cahier des clauses administratives particulières (CCAP)",
    "le cahier des charges (CCTP)",
    "le bordereau des prix unitaires (BPU)",
]
DEFAULT_APPLICATION_FILES = [
    "la lettre de candidature (DC1) ou le document unique de marché européen (DUME)",
    "la déclaration du candidat (DC2)",
    "les attestations d'assurance en cours de validité",
    "la liste des principales prestations similaires des trois dernières années",
]
DEFAULT_OFFER_FILES = [
    "l'acte d'engagement complété et signé",
    "le bordereau des prix unitaires complété",
    "un mémoire technique présentant les moyens et l'organisation proposés",
]


REGLEMENT_CONSULTATION_FROM_PROCESS_DOC = """\
    procedure : le code du processus (« mapa »...) en clair ;
      heure_limite_offres « 12:00 » écrite « 12 h 00 » ; valeur faciale, frais
      et valeur estimée estimés par le processus (domaine) : montant_passes,
      frais_emetteur, valeur_estimee_ht, s'ils sont présents.
"""


@context_builder(
    requires=BUYER_KEYS + (
        "procedure", "nombre_pass", "date_limite_offres", "criteres", "profil_acheteur",
        "contact",
    ),
    provides=BUYER_PROVIDES + (
        "procedure", "forme_marche", "code_cpv", "duree_marche_mois",
        "date_limite_offres", "heure_limite_offres", "delai_validite_offres_jours",
        "criteres", "profil_acheteur", "contact", "documents_consultation",
        "pieces_candidature", "pieces_offre", "variantes_autorisees", "nombre_pass",
        "valeur_faciale", "taux_frais_emetteur", "frais_emetteur", "valeur_estimee",
    ),
    doc_suffix=BUYER_DOC + describe(CONSULTATION_NAMES) + REGLEMENT_CONSULTATION_FROM_PROCESS_DOC,
    from_process=_consultation_from_process,
)
def reglement_consultation(data: InputData) -> dict:
    """Règlement de la consultation (RC).

    Requis : procedure (libellé : « procédure adaptée (MAPA) », « appel d'offres
    ouvert »...) ; nombre_pass (int) ; date_limite_offres (date) ; criteres
    (liste de {critere, ponderation}, pondérations totalisant 100) ;
    profil_acheteur (adresse du profil d'acheteur) ; contact (service ou
    personne à qui poser les questions).
    Facultatif : forme_marche ; code_cpv ; duree_marche_mois (12) ;
    heure_limite_offres (« 12 h 00 ») ; delai_validite_offres_jours (120) ;
    valeur_pass (10) ; taux_frais_emetteur (frais de l'émetteur en % de la valeur
    faciale, par défaut l'hypothèse du domaine : hypothèse de l'acheteur, affichée
    comme telle) ;
    documents_consultation, pieces_candidature, pieces_offre (listes) ;
    variantes_autorisees (bool).
    """
    return {
        **_buyer(data),
        **_estimated_value(data),
        "procedure": data.text("procedure"),
        "forme_marche": data.text("forme_marche", "marché public de fournitures et de services"),
        "code_cpv": data.text("code_cpv", ""),
        "duree_marche_mois": data.integer("duree_marche_mois", 12),
        "date_limite_offres": data.date("date_limite_offres"),
        "heure_limite_offres": data.text("heure_limite_offres", "12 h 00"),
        "delai_validite_offres_jours": data.integer("delai_validite_offres_jours", 120),
        "criteres": _criteria(data),
        "profil_acheteur": data.text("profil_acheteur"),
        "contact": data.text("contact"),
        "documents_consultation": data.texts("documents_consultation", DEFAULT_CONSULTATION_FILES),
        "pieces_candidature": data.texts("pieces_candidature", DEFAULT_APPLICATION_FILES),
        "pieces_offre": data.texts("pieces_offre", DEFAULT_OFFER_FILES),
        "variantes_autorisees": data.flag("variantes_autorisees"),
    }


CAHIER_DES_CHARGES_FROM_PROCESS_DOC = """\
    carnets, à défaut : une ligne par format estimé (formats : nombre_carnets
      carnets de cheques_par_carnet pass), ou une ligne de nombre_carnets
      carnets de cheques_par_carnet pass (estimation du besoin).
"""


@context_builder(
    requires=BUYER_KEYS + ("carnets", "lieu_livraison"),
    provides=BUYER_PROVIDES + (
        "carnets", "nombre_carnets", "nombre_pass", "valeur_pass", "valeur_faciale",
        "lieu_livraison", "delai_bat_jours", "delai_livraison_jours", "validite",
        "frequence_paiement_lieux", "personnalisation", "alertes_expiration",
    ),
    doc_suffix=BUYER_DOC + describe(SPECIFICATIONS_NAMES) + CAHIER_DES_CHARGES_FROM_PROCESS_DOC,
    from_process=_specifications_from_process,
)
def cahier_des_charges(data: InputData) -> dict:
    """Cahier des charges (CCTP) de la fourniture de Pass numériques.

    Requis : carnets (liste de {public, pass_par_carnet, nombre_carnets}) ;
    lieu_livraison.
    Facultatif : valeur_pass (10) ; date_lancement (de la consultation : choisit le
    cycle de référence des émetteurs, données datées du domaine ; à défaut, le
    dernier) ; delai_bat_jours et delai_livraison_jours (ceux du cycle de référence ;
    outre-mer : à fournir) ; validite (règle de validité des pass, par défaut celle
    du cycle) ; frequence_paiement_lieux (« mensuelle ») ; personnalisation (texte).
    Calculé : nombre de pass par ligne et au total, valeur faciale.
    """
    cycle = _reference_cycle(data)
    face_value = data.decimal("valeur_pass", DEFAULT_FACE_VALUE)
    books = data.records("carnets", ("public", "pass_par_carnet", "nombre_carnets"))
    for line in books:
        line["pass_par_carnet"] = int(data.decimal_of("carnets", line["pass_par_carnet"]))
        line["nombre_carnets"] = int(data.decimal_of("carnets", line["nombre_carnets"]))
        line["nombre_pass"] = line["pass_par_carnet"] * line["nombre_carnets"]
        line["montant"] = face_value * line["nombre_pass"]
    passes = sum(line["nombre_pass"] for line in books)
    return {
        **_buyer(data),
        "carnets": books,
        "nombre_carnets": sum(line["nombre_carnets"] for line in books),
        "nombre_pass": passes,
        "valeur_pass": face_value,
        "valeur_faciale": face_value * passes,
        "lieu_livraison": data.text("lieu_livraison"),
        "delai_bat_jours": data.integer("delai_bat_jours", cycle.proof_approval_days),
        "delai_livraison_jours": data.integer("delai_livraison_jours", cycle.delivery_days),
        "validite": data.text("validite", _validity_text(cycle)),
        "frequence_paiement_lieux": data.text("frequence_paiement_lieux", "mensuelle"),
        "personnalisation": data.text(
            "personnalisation", "logo et nom de la collectivité sur chaque carnet"
        ),
        "alertes_expiration": _alert_days_text(cycle),
    }


def _reference_cycle(data: InputData) -> IssuerCycle:
    """The issuers' reference cycle (domain's dated data) on the consultation's launch;
    without that date, the latest one."""
    launched_on = data.date("date_lancement", optional=True)
    try:
        return issuer_cycle(None, launched_on or date.max)
    except DomainError as error:
        raise InvalidData(str(error)) from error


def _alert_days_text(cycle: IssuerCycle) -> str:
    """« 30 jours et 15 jours »: when the holder alerts the buyer before the passes expire."""
    days = [f"{count} jours" for count in cycle.expiry_alert_days]
    return " et ".join(filter(None, (", ".join(days[:-1]), days[-1])))


def _validity_text(cycle: IssuerCycle) -> str:
    """« jusqu'au 31 décembre de l'année de leur activation ; ils sont acceptés par les
    lieux de médiation jusqu'au 31 janvier de l'année suivante »."""
    def until(end):
        after, month, day = end
        year = {0: "de l'année de leur activation", 1: "de l'année suivante"}.get(
            after, f"de la {after}e année suivant leur activation")
        return f"jusqu'au {format_day_month(month, day)} {year}"
    return (f"{until(cycle.validity_end)} ; ils sont acceptés par les lieux de médiation "
            f"{until(cycle.acceptance_end)}")


def _end_of_standstill(data: InputData, sent, electronic: bool):
    """The first day of signature: the process's (domain) when it computed it, else
    the domain's dated table (CCP R2182-1)."""
    computed = data.date("date_signature_possible", optional=True)
    if computed is not None:
        return computed
    try:
        return earliest_signature_date(sent, electronic=electronic)
    except DomainError as error:
        raise InvalidData(str(error)) from error


def _standstill(data: InputData) -> dict:
    formal = data.flag("procedure_formalisee")
    electronic = data.flag("envoi_electronique", True)
    sent = data.date("date_envoi")
    if data.get("delai_standstill_jours") is not None:
        days = data.integer("delai_standstill_jours")
        end = sent + timedelta(days=days)
    else:
        end = _end_of_standstill(data, sent, electronic)
        days = (end - sent).days
    return {
        "procedure_formalisee": formal,
        "envoi_electronique": electronic,
        "delai_standstill_jours": days,
        "date_fin_standstill": end if formal else None,
    }


LETTRE_REJET_FROM_PROCESS_DOC = """\
    candidat ← l'offre (offres : candidat, adresse) qui n'est pas celle du
      titulaire, s'il n'y en a qu'une ; une lettre par candidat évincé sinon
      (registre : destinataires), avec ses propres notes (les lignes de
      notes_offres qui le nomment : candidat) ; procedure_formalisee ←
      choix_procedure.standstill_obligatoire (domaine), à défaut procédure «
      appel_offres » ; date_fin_standstill ← date_signature_possible (domaine)
      si le processus l'a calculée.
"""


@context_builder(
    requires=BUYER_KEYS + ("candidat", "attributaire", "date_envoi", "procedure", "motifs"),
    provides=BUYER_PROVIDES + (
        "candidat", "attributaire", "date_envoi", "procedure", "motifs", "notes",
        "montant_attributaire", "procedure_formalisee", "envoi_electronique",
        "delai_standstill_jours", "date_fin_standstill", "delai_recours",
    ),
    doc_suffix=BUYER_DOC + describe(REJECTION_NAMES) + LETTRE_REJET_FROM_PROCESS_DOC,
    from_process=_rejection_from_process,
)
def lettre_rejet(data: InputData) -> dict:
    """Lettre de rejet d'une offre.

    Requis : candidat ({nom, adresse}) ; attributaire (nom) ; date_envoi (date) ;
    procedure (libellé) ; motifs (texte du motif de rejet).
    Facultatif : notes (liste de {critere, note_candidat, note_attributaire}) ;
    montant_attributaire ; procedure_formalisee (bool : active la mention du
    délai de suspension) ; envoi_electronique (True) ; delai_standstill_jours
    (11 par voie électronique, 16 sinon, selon la table datée du domaine).
    Calculé : date de fin du délai de suspension (date d'envoi + délai).
    """
    amount = data.get("montant_attributaire")
    return {
        **_buyer(data),
        **_standstill(data),
        "candidat": data.record("candidat", ("nom", "adresse")),
        "attributaire": data.text("attributaire"),
        "date_envoi": data.date("date_envoi"),
        "procedure": data.text("procedure"),
        "motifs": data.text("motifs"),
        "notes": data.records("notes", ("critere", "note_candidat", "note_attributaire"), True),
        "montant_attributaire": None if amount is None else data.decimal("montant_attributaire"),
        "delai_recours": appeal_period(data.date("date_envoi")),
    }


NOTIFICATION_ATTRIBUTION_FROM_PROCESS_DOC = """\
    attributaire ← titulaire, avec l'adresse de son devis (adresse_titulaire)
      ou de son offre (offres).
"""


@context_builder(
    requires=BUYER_KEYS + ("attributaire", "montant_ht", "date_notification", "procedure"),
    provides=BUYER_PROVIDES + (
        "attributaire", "montant_ht", "taux_tva", "montant_tva", "montant_ttc",
        "date_notification", "procedure", "duree_marche_mois", "date_debut_execution",
        "pieces_jointes", "pieces_a_produire",
    ),
    doc_suffix=BUYER_DOC + describe(NOTIFICATION_NAMES) + NOTIFICATION_ATTRIBUTION_FROM_PROCESS_DOC,
    from_process=_notification_from_process,
)
def notification_attribution(data: InputData) -> dict:
    """Notification de l'attribution du marché au titulaire.

    Requis : attributaire ({nom, adresse}) ; montant_ht ; date_notification ;
    procedure.
    Facultatif : taux_tva (0, en %) ; duree_marche_mois (12) ;
    date_debut_execution ; pieces_jointes (liste) ; pieces_a_produire (liste des
    documents encore attendus du titulaire).
    """
    amount = data.decimal("montant_ht")
    vat_rate = data.decimal("taux_tva", Decimal(0))
    vat = (amount * vat_rate / 100).quantize(CENT)
    return {
        **_buyer(data),
        "attributaire": data.record("attributaire", ("nom", "adresse")),
        "montant_ht": amount,
        "taux_tva": vat_rate,
        "montant_tva": vat,
        "montant_ttc": amount + vat,
        "date_notification": data.date("date_notification"),
        "procedure": data.text("procedure"),
        "duree_marche_mois": data.integer("duree_marche_mois", 12),
        "date_debut_execution": data.date("date_debut_execution", optional=True),
        "pieces_jointes": data.texts(
            "pieces_jointes", ["un exemplaire de l'acte d'engagement signé par les deux parties"]
        ),
        "pieces_a_produire": data.texts("pieces_a_produire", []),
    }
