"""Blocks shared by several templates: parties, articles, endings, letters."""

from .writer import CENTER, RIGHT, TemplateWriter

BLANK_IF = "{% if VAR %}{{ VAR|date_fr }}{% else %}……………………{% endif %}"


def date_or_blank(variable: str) -> str:
    return BLANK_IF.replace("VAR", variable)


def collectivite_party(w: TemplateWriter, role: str):
    w.para(
        "**{{ collectivite }}**, dont le siège est situé {{ collectivite_adresse }}, "
        "représentée par {{ president }}, {{ fonction_president }}, dûment habilité(e) par "
        "la délibération n° {{ numero_deliberation }} du {{ date_deliberation|date_fr }}, "
        f"ci-après dénommée « {role} »,"
    )


def parties(w: TemplateWriter, first, second):
    w.para("ENTRE LES SOUSSIGNÉS", align=CENTER, bold=True)
    first()
    w.para("d'une part,", align=RIGHT, italic=True)
    w.para("ET", align=CENTER, bold=True)
    second()
    w.para("d'autre part,", align=RIGHT, italic=True)


def partner_party(w: TemplateWriter, key: str, role: str):
    w.para(
        f"**{{{{ {key}.nom }}}}**, dont le siège est situé {{{{ {key}.adresse }}}}, "
        f"représenté(e) par {{{{ {key}.representant }}}}, {{{{ {key}.fonction }}}}, "
        f"ci-après dénommé(e) « {role} »,"
    )


def article(w: TemplateWriter, number: int, title: str, *paragraphs: str):
    w.heading(f"Article {number} – {title}")
    for text in paragraphs:
        w.para(text)


def convention_end(w: TemplateWriter, number: int, left, right):
    article(w, number, "Durée",
            "La présente convention prend effet à la date de sa signature par la dernière "
            "des parties. Elle est conclue pour une durée de {{ duree_mois }} mois.")
    article(w, number + 1, "Modification et résiliation",
            "Toute modification de la présente convention fait l'objet d'un avenant signé "
            "par les parties. En cas de manquement de l'une des parties à ses obligations, "
            "l'autre partie peut résilier la convention par lettre recommandée avec avis de "
            "réception, après une mise en demeure restée sans effet pendant un mois.")
    article(w, number + 2, "Litiges",
            "Les parties s'efforcent de régler à l'amiable tout différend relatif à "
            "l'exécution de la présente convention. À défaut, le litige est porté devant "
            "{{ tribunal_administratif }}.")
    w.para("Fait en deux exemplaires originaux, à {{ fait_a }}, le "
           + date_or_blank("date_signature") + ".", space_before=8)
    w.signatures(left, right)


DATA_PROTECTION = (
    "Les parties traitent les données personnelles des bénéficiaires dans le respect "
    "du règlement (UE) 2016/679 (RGPD) et de la loi n° 78-17 du 6 janvier 1978. Seules "
    "les données nécessaires au suivi et à l'évaluation du dispositif sont collectées "
    "(catégorie de public, tranche d'âge, commune, prescripteur, dates, pass remis et "
    "utilisés), sous un identifiant pseudonyme ; elles sont conservées pour la durée "
    "du dispositif puis supprimées."
)


def buyer_title(w: TemplateWriter, *lines: str):
    w.title_block(*lines, "{{ objet }}", "Marché n° {{ reference_marche }}")


def letter_head(w: TemplateWriter, recipient_lines):
    w.address_blocks(["**{{ collectivite }}**", "{{ service_acheteur }}",
                      "{{ collectivite_adresse }}"], recipient_lines)


def closing(w: TemplateWriter):
    w.para("Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations "
           "distinguées.", space_before=4)
    w.signatures(["{{ fonction_signataire }},", "{{ signataire }}"])
