"""Documents about the beneficiaries: the letter and the evaluation report."""

from .writer import CENTER, RIGHT, TemplateWriter


def lettre_beneficiaire() -> TemplateWriter:
    w = TemplateWriter("Votre Pass numérique", "Pass numérique")
    w.title_block("Votre Pass numérique", size=16)
    w.tag("if beneficiaire")
    w.para("À l'attention de {{ beneficiaire }}")
    w.tag("endif")
    w.para("Madame, Monsieur,")
    w.para("{{ collectivite }} vous offre {{ nombre_carnets }} carnet"
           "{% if nombre_carnets > 1 %}s{% endif %} de Pass numériques. {{ prescripteur }} "
           "vous {% if nombre_carnets > 1 %}les{% else %}le{% endif %} remet"
           "{% if date_remise %} le {{ date_remise|date_fr }}{% endif %}."
           "{% if numeros_carnets %} Numéro de carnet : {{ numeros_carnets }}.{% endif %}")
    w.heading("Vos droits")
    for text in (
        "Vous disposez de **{{ nombre_pass }} pass** d'une valeur de {{ valeur_pass|montant }} "
        "chacun, soit {{ valeur_totale|montant }}.",
        "Chaque pass vous donne droit à un accompagnement au numérique de "
        "{{ duree_atelier }} dans un lieu partenaire : utiliser un ordinateur, une tablette "
        "ou un smartphone, faire vos démarches en ligne, envoyer des courriels…",
        "Ce service est gratuit pour vous : vous n'avez rien à payer en plus de vos pass.",
        "Les pass sont personnels : ils ne peuvent être ni vendus ni échangés contre de "
        "l'argent.",
    ):
        w.bullet(text)
    w.heading("Jusqu'à quand ?")
    w.para("Vos pass sont valables jusqu'au **{{ date_fin_validite|date_fr }}**"
           "{% if date_limite_acceptation %} ; les lieux partenaires les acceptent jusqu'au "
           "{{ date_limite_acceptation|date_fr }}{% endif %}. Pensez à les utiliser avant "
           "cette date.")
    w.heading("Où utiliser vos pass ?")
    w.loop_table(["Lieu", "Adresse", "Commune", "Téléphone", "Horaires"], "for l in lieux",
                 ["**{{ l.nom }}**", "{{ l.adresse }}", "{{ l.commune }}", "{{ l.telephone }}",
                  "{{ l.horaires }}"], widths_mm=(42, 34, 30, 28, 36))
    w.para("Une question ? Contact : {{ prescripteur }}{% if contact_prescripteur %}, "
           "{{ contact_prescripteur }}{% endif %}.")
    w.heading("Vos données personnelles")
    w.para("Pour suivre et évaluer le dispositif, {{ collectivite }} enregistre votre catégorie "
           "de public, votre tranche d'âge, votre commune et les pass remis, sous un "
           "identifiant qui ne permet pas de vous nommer. Vous pouvez exercer vos droits "
           "d'accès, de rectification et d'opposition{% if contact_donnees_personnelles %} "
           "auprès de {{ contact_donnees_personnelles }}{% endif %}.", size=9)
    w.tag("if signataire")
    w.signatures(["{{ fonction_signataire }},", "{{ signataire }}"])
    w.tag("endif")
    return w


def rapport_evaluation() -> TemplateWriter:
    w = TemplateWriter("Rapport d'évaluation du Pass numérique", "Rapport d'évaluation")
    w.title_block("RAPPORT D'ÉVALUATION", "Déploiement des Pass numériques",
                  "Période du {{ periode_debut|date_fr }} au {{ periode_fin|date_fr }}")
    w.para("{% if date_rapport %}Rapport établi le {{ date_rapport|date_fr }}{% endif %}"
           "{% if auteur %} – {{ auteur }}{% endif %}", align=CENTER, italic=True)
    w.heading("1. Indicateurs clés")
    w.key_values([
        ("Pass commandés", "{{ pass_commandes|nombre }}"),
        ("Pass distribués", "{{ pass_distribues|nombre }}"),
        ("Taux de distribution", "{{ taux_distribution|pourcentage }}"),
        ("Pass utilisés", "{{ pass_utilises|nombre }}"),
        ("Taux d'utilisation", "{{ taux_utilisation|pourcentage }}"),
        ("Pass distribués non utilisés", "{{ pass_non_utilises|nombre }}"),
        ("Pass non utilisés à l'échéance",
         "{% if pass_expires is not none %}{{ pass_expires|nombre }}{% else %}non connu"
         "{% endif %}"),
        ("Bénéficiaires", "{{ beneficiaires|nombre }}"),
        ("Part des pass remis au public PIC",
         "{{ part_pic|pourcentage }} (objectif : au moins {{ part_pic_minimum|pourcentage }}, "
         "{% if objectif_pic_atteint %}atteint{% else %}non atteint{% endif %})"),
        ("Participation de l'État due", "**{{ participation_etat_due|montant }}**"),
    ])
    w.tag("if part_qpv is not none")
    w.para("Part des bénéficiaires habitant un quartier prioritaire de la politique de la ville : "
           "**{{ part_qpv|pourcentage }}** ({{ beneficiaires_qpv|nombre }} sur {{ beneficiaires|nombre }}).")
    w.tag("endif")
    counts = ["{{ r.beneficiaires|nombre }}", "{{ r.pass_distribues|nombre }}",
              "{{ r.pass_utilises|nombre }}", "{{ r.taux_utilisation|pourcentage }}"]
    totals = ["{{ beneficiaires|nombre }}", "{{ pass_distribues|nombre }}",
              "{{ pass_utilises|nombre }}", "{{ taux_utilisation|pourcentage }}"]
    headers = ["Bénéficiaires", "Pass distribués", "Pass utilisés", "Taux d'utilisation"]
    w.heading("2. Par public")
    w.loop_table(["Public", "PIC"] + headers, "for r in par_public",
                 ["{{ r.public }}", "{% if r.pic %}oui{% else %}non{% endif %}"] + counts,
                 widths_mm=(50, 14, 26, 26, 26, 28), align=RIGHT,
                 totals=[["Total", ""] + totals])
    w.para("{{ graphique_publics }}", align=CENTER)
    w.heading("3. Par prescripteur")
    w.loop_table(["Prescripteur"] + headers, "for r in par_prescripteur",
                 ["{{ r.prescripteur }}"] + counts,
                 widths_mm=(64, 26, 26, 26, 28), align=RIGHT, totals=[["Total"] + totals])
    w.para("{{ graphique_prescripteurs }}", align=CENTER)
    w.heading("4. Participation de l'État")
    w.para("Au titre de la convention ANCT, l'État participe à hauteur de "
           "{{ taux_participation_etat|pourcentage }} de la valeur faciale des pass "
           "effectivement utilisés ({{ pass_utilises|nombre }} pass de "
           "{{ valeur_pass|montant }}), dans la limite du plafond de la convention : "
           "**{{ participation_etat_due|montant }}** "
           "({{ participation_etat_due|montant_lettres }}).")
    w.heading("5. Observations")
    w.tag("if observations")
    w.loop("for observation in observations", "{{ observation }}", bullet=True)
    w.tag("else")
    w.para("Néant.")
    w.tag("endif")
    return w
