"""Context of the extrait du registre des délibérations."""

from ...domain.deliberation import quorum_required
from ...domain.errors import DomainError
from ..errors import InvalidData
from .base import InputData, appeal_period, context_builder, in_columns
from .process import ORGANES, describe, hour_fr, taking, texts_of, value_at

PLACEHOLDER = "……………………"
PROCESS_NAMES = {
    "organe": "instance_deliberante",
    "numero": "numero_deliberation",
    "objet": "objet_deliberation",
    "date_convocation": "date_envoi_convocation",
    "president": "president_seance",
    "secretaire": "secretaire_seance",
    "votes_pour": "pour",
    "votes_contre": "contre",
    "reconvocation_sans_quorum": "seance_sur_reconvocation",
    "date_extrait": "date_signature_extrait",
    "date_reception_prefecture": "date_accuse_reception",
    "numero_accuse_reception": "identifiant_accuse_reception",
}
RECONVENED_NAMES = {"date_seance": "date_seance_reconvocation",
                    "date_convocation": "date_envoi_reconvocation"}
# The sitting counts members (tenir_seance); the extract step names them in tables.
ATTENDANCE = (  # input key, process table of names, its column of names, process count
    ("presents", "liste_presents", "nom", "presents"),
    ("representes", "liste_representes", None, "procurations"),
    ("absents", "liste_absents", "nom", "absents"),
)
TEXT_FIELD = "texte"  # the column of the project form's tables of visas, considérants, articles
ATTENDANCE_LABELS = {"presents": "membres présents", "representes": "membres représentés",
                     "absents": "membres absents"}


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _names_instead_of_counts(values, adapted: dict) -> None:
    counted = {key: values[count] for key, _names, _column, count in ATTENDANCE
               if _is_count(values.get(count))}
    if not counted:
        return
    adapted["effectifs_constates"] = counted
    for key, names, column, count in ATTENDANCE:
        if names in values:
            adapted[key] = texts_of(values[names], column) if column else values[names]
        elif key == count:
            adapted.pop(key, None)  # a count is not a list of names: missing


def _non_voting(values, adapted: dict) -> None:
    """Members who could vote and did not: the vote form records those who did."""
    voters = value_at(values, "quorum.votants")
    if "non_votants" in values or not _is_count(voters) or "resultat_vote" not in values:
        return
    cast = sum(values.get(key) or 0 for key in ("pour", "contre", "abstentions"))
    adapted["non_votants"] = max(voters - cast, 0)


def _from_process(values) -> dict:
    adapted = taking(values, PROCESS_NAMES)
    if values.get("seance_sur_reconvocation"):
        adapted = taking(adapted, RECONVENED_NAMES)
        adapted.pop("heure_seance", None)  # the hour convened was that of the first sitting
    adapted["organe"] = ORGANES.get(adapted.get("organe"), adapted.get("organe"))
    adapted["heure_seance"] = hour_fr(adapted.get("heure_seance"))
    for key in ("visas", "considerants", "articles"):
        adapted[key] = texts_of(adapted.get(key), TEXT_FIELD)
    _names_instead_of_counts(values, adapted)
    _non_voting(values, adapted)
    return adapted


def _required_quorum(data: InputData, in_office: int) -> int:
    """The quorum the process computed, else the domain's rule (CGCT L2121-17)."""
    if data.get("quorum_requis") is not None:
        return data.integer("quorum_requis")
    try:
        return quorum_required(in_office)
    except DomainError as error:
        raise InvalidData(str(error)) from error


def _adopted(data: InputData, votes: dict, casting_vote: bool) -> bool:
    """The result the process computed (domain, CGCT L2121-20), else the majority of
    the votes cast, the président's vote deciding a tie."""
    computed = data.get("deliberation_adoptee")
    if computed is not None:
        return bool(computed)
    tie = votes["pour"] == votes["contre"] and votes["pour"] > 0
    return votes["pour"] > votes["contre"] or (tie and casting_vote)


def _adoption_wording(votes: dict, casting_vote: bool, adopted: bool) -> str:
    if not adopted:
        raise InvalidData(
            "La délibération n'est pas adoptée (pour : {pour}, contre : {contre}) : "
            "l'extrait d'une délibération adoptée ne peut pas être produit.".format(**votes)
        )
    if votes["contre"] == 0 and votes["abstentions"] == 0 and votes["non_votants"] == 0:
        return "À l'unanimité"
    if votes["contre"] == 0:
        return "À l'unanimité des suffrages exprimés"
    if votes["pour"] == votes["contre"] and casting_vote:
        return "À la majorité des suffrages exprimés, la voix du président étant prépondérante"
    return "À la majorité des suffrages exprimés"


def _votes(data: InputData, voters: int) -> dict:
    votes = {
        "pour": data.integer("votes_pour"),
        "contre": data.integer("votes_contre", 0),
        "abstentions": data.integer("abstentions", 0),
        "non_votants": data.integer("non_votants", 0),
    }
    if sum(votes.values()) != voters:
        raise InvalidData(
            f"Le décompte des votes ({sum(votes.values())} : pour, contre, abstentions "
            f"et non-votants) ne correspond pas au nombre de votants ({voters})."
        )
    votes["suffrages_exprimes"] = votes["pour"] + votes["contre"]
    return votes


def _names_match_counts(data: InputData, names: dict) -> None:
    counted = data.get("effectifs_constates", {})
    for key, listed in names.items():
        if key in counted and len(listed) != counted[key]:
            raise InvalidData(
                f"La liste des {ATTENDANCE_LABELS[key]} compte {len(listed)} nom(s) ; "
                f"la séance en a constaté {counted[key]}."
            )


def _attendance(data: InputData) -> dict:
    in_office = data.integer("membres_en_exercice")
    present = data.texts("presents")
    represented = data.records("representes", ("mandant", "mandataire"))
    absent = data.texts("absents", [])
    _names_match_counts(data, {"presents": present, "representes": represented, "absents": absent})
    if "absents" in data.values and len(present) + len(represented) + len(absent) != in_office:
        raise InvalidData(
            f"Présents ({len(present)}), représentés ({len(represented)}) et absents "
            f"({len(absent)}) ne totalisent pas les {in_office} membres en exercice."
        )
    quorum = _required_quorum(data, in_office)
    reconvened = data.flag("reconvocation_sans_quorum")
    reached = data.get("quorum_atteint")
    if not (reached if reached is not None else len(present) >= quorum or reconvened):
        raise InvalidData(
            f"Quorum non atteint : {len(present)} présents pour {quorum} requis "
            f"({in_office} membres en exercice)."
        )
    return {
        "membres_en_exercice": in_office,
        "presents_colonnes": in_columns(present),
        "representes": represented,
        "absents_colonnes": in_columns(absent),
        "nb_presents": len(present),
        "nb_representes": len(represented),
        "nb_absents": len(absent),
        "votants": len(present) + len(represented),
        "quorum": quorum,
        "reconvocation_sans_quorum": reconvened,
    }


EXTRAIT_DELIBERATION_FROM_PROCESS_DOC = """\
    Séance sur reconvocation : date_seance ← date_seance_reconvocation ;
      date_convocation ← date_envoi_reconvocation. Les noms (tableaux
      liste_presents et liste_absents de {nom}, liste_representes de {mandant,
      mandataire}) remplacent les effectifs constatés à la séance (presents,
      procurations, absents), avec lesquels ils doivent concorder ; visas,
      considerants, articles : tableaux de {texte} du projet de délibération.
"""


@context_builder(
    requires=(
        "collectivite", "organe", "numero", "objet", "date_seance", "lieu_seance",
        "date_convocation", "membres_en_exercice", "presents", "representes",
        "president", "secretaire", "visas", "considerants", "articles", "votes_pour",
    ),
    provides=(
        "mentions_entete", "organe", "numero", "objet", "date_seance", "heure_seance",
        "lieu_seance", "date_convocation", "president", "qualite_president",
        "secretaire", "qualite_secretaire", "visas", "considerants", "articles",
        "vote", "mode_adoption", "membres_en_exercice", "presents_colonnes",
        "representes", "absents_colonnes", "nb_presents", "nb_representes",
        "nb_absents", "votants", "quorum", "reconvocation_sans_quorum", "fait_a",
        "date_extrait", "date_publication", "date_reception_prefecture",
        "numero_accuse_reception", "tribunal_administratif", "delai_recours", "a_completer",
    ),
    doc_suffix=describe(PROCESS_NAMES) + EXTRAIT_DELIBERATION_FROM_PROCESS_DOC,
    from_process=_from_process,
)
def extrait_deliberation(data: InputData) -> dict:
    """Extrait du registre des délibérations.

    Requis :
      collectivite (str) ; organe (str, « Conseil communautaire ») ; numero (str,
      « CC-04-2023-095 ») ; objet (str) ; date_seance, date_convocation (dates ISO) ;
      lieu_seance (str) ; membres_en_exercice (int) ; presents (liste de noms) ;
      representes (liste de {mandant, mandataire}, éventuellement vide) ;
      president, secretaire (noms) ; visas, considerants, articles (listes de textes,
      sans « Vu » ni « Considérant » en tête) ; votes_pour (int).
    Facultatif :
      absents (liste de noms ; si fournie, présents + représentés + absents =
      membres en exercice) ; votes_contre, abstentions, non_votants (int, 0) ;
      voix_preponderante (bool : égalité départagée par le président) ;
      reconvocation_sans_quorum (bool) ; mentions_entete (lignes sous
      « République française ») ; heure_seance (« 9 h 00 ») ; qualite_president
      (« Le Président ») ; qualite_secretaire (« Le secrétaire de séance ») ;
      fait_a ; date_extrait ; date_publication ; date_reception_prefecture ;
      numero_accuse_reception (@ctes) ; tribunal_administratif.
    Calculé par le processus (domaine), lu s'il est présent : quorum_requis,
    quorum_atteint, deliberation_adoptee, voix_preponderante ; non_votants = votants
    (quorum.votants) moins les voix comptées.
    Sinon calculé : votants = présents + représentés, quorum (règle du domaine),
    suffrages exprimés, formule d'adoption ; les dates absentes restent en pointillés.
    """
    attendance = _attendance(data)
    votes = _votes(data, attendance["votants"])
    casting_vote = data.flag("voix_preponderante")
    return {
        "collectivite": data.text("collectivite"),
        "reference": f"Délibération n° {data.text('numero')}",
        "mentions_entete": data.texts("mentions_entete", []),
        "organe": data.text("organe"),
        "numero": data.text("numero"),
        "objet": data.text("objet"),
        "date_seance": data.date("date_seance"),
        "heure_seance": data.text("heure_seance", ""),
        "lieu_seance": data.text("lieu_seance"),
        "date_convocation": data.date("date_convocation"),
        "president": data.text("president"),
        "qualite_president": data.text("qualite_president", "Le Président"),
        "secretaire": data.text("secretaire"),
        "qualite_secretaire": data.text("qualite_secretaire", "Le secrétaire de séance"),
        "visas": data.texts("visas"),
        "considerants": data.texts("considerants"),
        "articles": data.texts("articles"),
        "vote": votes,
        "mode_adoption": _adoption_wording(votes, casting_vote,
                                           _adopted(data, votes, casting_vote)),
        **attendance,
        "fait_a": data.text("fait_a", PLACEHOLDER),
        "date_extrait": data.date("date_extrait", optional=True),
        "date_publication": data.date("date_publication", optional=True),
        "date_reception_prefecture": data.date("date_reception_prefecture", optional=True),
        "numero_accuse_reception": data.text("numero_accuse_reception", ""),
        "tribunal_administratif": data.text(
            "tribunal_administratif", "le tribunal administratif territorialement compétent"
        ),
        "delai_recours": appeal_period(data.date("date_publication", optional=True) or data.date("date_seance")),
        "a_completer": PLACEHOLDER,
    }
