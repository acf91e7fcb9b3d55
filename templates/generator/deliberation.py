"""Extrait du registre des délibérations."""

from .blocks import date_or_blank
from .writer import CENTER, TemplateWriter


def extrait_deliberation() -> TemplateWriter:
    w = TemplateWriter("Extrait du registre des délibérations",
                       "Extrait du registre des délibérations")
    w.para("RÉPUBLIQUE FRANÇAISE", align=CENTER, bold=True)
    w.loop("for ligne in mentions_entete", "{{ ligne }}", align=CENTER, italic=True)
    w.para("{{ collectivite }}", align=CENTER, bold=True, size=12)
    w.title_block("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS",
                  "DU {{ organe|upper }}",
                  "Séance du {{ date_seance|date_fr(weekday=True) }}"
                  "{% if heure_seance %} à {{ heure_seance }}{% endif %}")
    w.key_values([
        ("Délibération n°", "**{{ numero }}**"),
        ("Objet", "**{{ objet }}**"),
        ("Date de convocation", "{{ date_convocation|date_fr }}"),
        ("Lieu de la séance", "{{ lieu_seance }}"),
        ("Présidence", "{{ president }}"),
        ("Secrétaire de séance", "{{ secretaire }}"),
        ("Membres en exercice", "{{ membres_en_exercice }}"),
        ("Membres présents", "{{ nb_presents }}"),
        ("Membres représentés", "{{ nb_representes }}"),
        ("Votants", "{{ votants }}"),
        ("Quorum", "{{ quorum }} – {% if reconvocation_sans_quorum %}non requis : "
                   "séance tenue sur nouvelle convocation faute de quorum{% else %}"
                   "atteint{% endif %}"),
    ])
    w.para("Le {{ date_seance|date_lettres }}{% if heure_seance %}, à {{ heure_seance }}"
           "{% endif %}, le {{ organe }}, légalement convoqué le "
           "{{ date_convocation|date_fr }}, s'est réuni en séance publique sous la "
           "présidence de {{ president }}.")
    attendance_lists(w)
    w.para("Le {{ organe }},", bold=True, space_before=6)
    w.loop("for visa in visas", "**Vu** {{ visa }} ;")
    w.loop("for considerant in considerants", "**Considérant** {{ considerant }} ;")
    w.para("Après en avoir délibéré,")
    w.para("**{{ mode_adoption }},**")
    w.para("DÉCIDE", align=CENTER, bold=True, size=12, space_before=4)
    w.loop("for article in articles", "**Article {{ loop.index }}** – {{ article }}")
    w.heading("Résultat du vote")
    w.grid([["{{ votants }}", "{{ vote.pour }}", "{{ vote.contre }}", "{{ vote.abstentions }}",
             "{{ vote.non_votants }}", "{{ vote.suffrages_exprimes }}"]],
           header=["Votants", "Pour", "Contre", "Abstentions", "Non-votants",
                   "Suffrages exprimés"], align=CENTER)
    w.para("Pour extrait certifié conforme au registre des délibérations.")
    w.para("Fait à {{ fait_a }}, le " + date_or_blank("date_extrait") + ".")
    w.signatures(["{{ qualite_president }},", "{{ president }}"],
                 ["{{ qualite_secretaire }},", "{{ secretaire }}"])
    w.boxed([
        "**Certifié exécutoire** par {{ president }}, compte tenu de :",
        "– sa publication le " + date_or_blank("date_publication") + " ;",
        "– sa réception en préfecture le " + date_or_blank("date_reception_prefecture")
        + "{% if numero_accuse_reception %} (accusé de réception n° "
          "{{ numero_accuse_reception }}){% endif %}.",
        "Voies et délais de recours : la présente délibération peut faire l'objet d'un "
        "recours pour excès de pouvoir devant {{ tribunal_administratif }} dans un délai "
        "de {{ delai_recours }} à compter de sa publication ou de sa réception par le représentant "
        "de l'État. Le tribunal peut être saisi par l'application « Télérecours citoyens » "
        "(www.telerecours.fr).",
    ], size=9)
    return w


def attendance_lists(w: TemplateWriter):
    names = ["{{ ligne[0] }}", "{{ ligne[1] }}", "{{ ligne[2] }}"]
    w.para("**Étaient présents ({{ nb_presents }}) :**", keep_with_next=True)
    w.loop_table(["Conseillers présents", "", ""], "for ligne in presents_colonnes",
                 names, widths_mm=(57, 57, 56))
    w.para("**Avaient donné procuration ({{ nb_representes }}) :**", keep_with_next=True)
    w.tag("if representes")
    w.loop_table(["Membre représenté", "A donné pouvoir à"], "for r in representes",
                 ["{{ r.mandant }}", "{{ r.mandataire }}"], widths_mm=(85, 85))
    w.tag("else")
    w.para("Néant.")
    w.tag("endif")
    w.para("**Étaient absents ou excusés ({{ nb_absents }}) :**", keep_with_next=True)
    w.tag("if nb_absents")
    w.loop_table(["Conseillers absents ou excusés", "", ""], "for ligne in absents_colonnes",
                 names, widths_mm=(57, 57, 56))
    w.tag("else")
    w.para("Néant.")
    w.tag("endif")
