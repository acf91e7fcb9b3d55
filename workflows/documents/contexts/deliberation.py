"""Context of the extrait du registre des délibérations."""

from ..errors import InvalidData
from .base import InputData, context_builder, in_columns

PLACEHOLDER = "……………………"


def _quorum(in_office: int) -> int:
    return in_office // 2 + 1


def _adoption_wording(votes: dict, casting_vote: bool) -> str:
    if votes["contre"] == 0 and votes["abstentions"] == 0 and votes["non_votants"] == 0:
        return "À l'unanimité"
    if votes["contre"] == 0:
        return "À l'unanimité des suffrages exprimés"
    if votes["pour"] > votes["contre"]:
        return "À la majorité des suffrages exprimés"
    if votes["pour"] == votes["contre"] and casting_vote:
        return "À la majorité des suffrages exprimés, la voix du président étant prépondérante"
    raise InvalidData(
        "La délibération n'est pas adoptée (pour : {pour}, contre : {contre}) : "
        "l'extrait d'une délibération adoptée ne peut pas être produit.".format(**votes)
    )


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


def _attendance(data: InputData) -> dict:
    in_office = data.integer("membres_en_exercice")
    present = data.texts("presents")
    represented = data.records("representes", ("mandant", "mandataire"))
    absent = data.texts("absents", [])
    if "absents" in data.values and len(present) + len(represented) + len(absent) != in_office:
        raise InvalidData(
            f"Présents ({len(present)}), représentés ({len(represented)}) et absents "
            f"({len(absent)}) ne totalisent pas les {in_office} membres en exercice."
        )
    quorum = _quorum(in_office)
    reconvened = data.flag("reconvocation_sans_quorum")
    if len(present) < quorum and not reconvened:
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
        "numero_accuse_reception", "tribunal_administratif", "a_completer",
    ),
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
    Calculé : votants = présents + représentés, quorum = moitié + 1, suffrages
    exprimés, formule d'adoption ; les dates absentes restent en pointillés.
    """
    attendance = _attendance(data)
    votes = _votes(data, attendance["votants"])
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
        "mode_adoption": _adoption_wording(votes, data.flag("voix_preponderante")),
        **attendance,
        "fait_a": data.text("fait_a", PLACEHOLDER),
        "date_extrait": data.date("date_extrait", optional=True),
        "date_publication": data.date("date_publication", optional=True),
        "date_reception_prefecture": data.date("date_reception_prefecture", optional=True),
        "numero_accuse_reception": data.text("numero_accuse_reception", ""),
        "tribunal_administratif": data.text(
            "tribunal_administratif", "le tribunal administratif territorialement compétent"
        ),
        "a_completer": PLACEHOLDER,
    }
