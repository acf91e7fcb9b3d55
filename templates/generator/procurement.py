"""Procurement: consultation rules, specifications, letters, order form."""

from .blocks import article, buyer_title, closing, letter_head
from .writer import CENTER, RIGHT, TemplateWriter


def reglement_consultation() -> TemplateWriter:
    w = TemplateWriter("Règlement de la consultation", "Règlement de la consultation")
    buyer_title(w, "RÈGLEMENT DE LA CONSULTATION (RC)")
    w.key_values([
        ("Acheteur", "{{ collectivite }}, {{ collectivite_adresse }}"),
        ("Service", "{{ service_acheteur }}"),
        ("Procédure", "{{ procedure }}"),
        ("Date limite de remise des offres",
         "**{{ date_limite_offres|date_fr(weekday=True) }} à {{ heure_limite_offres }}**"),
    ])
    article(w, 1, "Objet de la consultation",
            "La consultation porte sur : {{ objet }}. Forme du marché : {{ forme_marche }}."
            "{% if code_cpv %} Code CPV : {{ code_cpv }}.{% endif %} Durée : "
            "{{ duree_marche_mois }} mois à compter de sa notification.")
    article(w, 2, "Procédure",
            "Procédure de passation : {{ procedure }}, en application du code de la commande "
            "publique.")
    article(w, 3, "Valeur estimée du besoin",
            "La valeur estimée du besoin est de **{{ valeur_estimee|montant }} HT** "
            "({{ valeur_estimee|montant_lettres }}). Elle comprend :")
    w.bullet("la valeur faciale de {{ nombre_pass|nombre }} Pass numériques : "
             "{{ valeur_faciale|montant }} ;")
    w.bullet("les frais de gestion de l'émetteur, estimés à "
             "{{ taux_frais_emetteur|pourcentage }} de la valeur faciale : "
             "{{ frais_emetteur|montant }}.")
    w.para("Le taux des frais de l'émetteur est une hypothèse de l'acheteur, à confirmer ; "
           "il détermine la procédure applicable.", italic=True)
    w.heading("Article 4 – Dossier de consultation")
    w.para("Le dossier de consultation comprend :")
    w.loop("for document in documents_consultation", "{{ document }}", bullet=True)
    w.para("Il est téléchargeable gratuitement sur le profil d'acheteur : {{ profil_acheteur }}.")
    w.heading("Article 5 – Contenu des candidatures")
    w.loop("for piece in pieces_candidature", "{{ piece }}", bullet=True)
    w.heading("Article 6 – Contenu des offres")
    w.loop("for piece in pieces_offre", "{{ piece }}", bullet=True)
    w.para("Délai de validité des offres : {{ delai_validite_offres_jours }} jours à compter de "
           "la date limite de remise des offres. Variantes : {% if variantes_autorisees %}"
           "autorisées{% else %}non autorisées{% endif %}.")
    w.heading("Article 7 – Critères d'attribution")
    w.para("L'offre économiquement la plus avantageuse est choisie au regard des critères "
           "pondérés suivants :")
    w.loop_table(["Critère", "Pondération"], "for c in criteres",
                 ["{{ c.critere }}", "{{ c.ponderation|pourcentage }}"],
                 widths_mm=(135, 35), align=RIGHT)
    article(w, 8, "Remise des offres",
            "Les plis sont transmis par voie électronique sur le profil d'acheteur "
            "{{ profil_acheteur }} au plus tard le {{ date_limite_offres|date_fr }} à "
            "{{ heure_limite_offres }}. Les plis reçus hors délai ne sont pas examinés.")
    article(w, 9, "Renseignements",
            "Les questions sont posées par le profil d'acheteur au plus tard six jours avant "
            "la date limite de remise des offres. Contact : {{ contact }}.")
    article(w, 10, "Recours",
            "Instance chargée des procédures de recours : {{ tribunal_administratif }}.")
    return w


def cahier_des_charges() -> TemplateWriter:
    w = TemplateWriter("Cahier des clauses techniques particulières",
                       "Cahier des charges (CCTP)")
    buyer_title(w, "CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES (CCTP)")
    article(w, 1, "Objet et contexte",
            "{{ collectivite }} déploie le Pass numérique sur son territoire pour accompagner "
            "les habitants éloignés du numérique. Le présent marché porte sur la fourniture "
            "de carnets de Pass numériques et les services associés : réseau de lieux de "
            "médiation labellisés, paiement de ces lieux, outil de suivi.")
    article(w, 2, "Fournitures",
            "Le Pass numérique est un titre d'une valeur faciale de {{ valeur_pass|montant }} "
            "donnant droit à un accompagnement au numérique d'environ deux heures dans un lieu "
            "labellisé. Les quantités sont les suivantes :")
    w.loop_table(
        ["Public", "Pass par carnet", "Carnets", "Pass", "Valeur faciale"],
        "for c in carnets",
        ["{{ c.public }}", "{{ c.pass_par_carnet }}", "{{ c.nombre_carnets|nombre }}",
         "{{ c.nombre_pass|nombre }}", "{{ c.montant|montant }}"],
        widths_mm=(62, 24, 24, 24, 36), align=RIGHT,
        totals=[["Total", "", "{{ nombre_carnets|nombre }}", "{{ nombre_pass|nombre }}",
                 "{{ valeur_faciale|montant }}"]])
    article(w, 3, "Personnalisation et bon à tirer",
            "Personnalisation : {{ personnalisation }}. Le titulaire soumet un bon à tirer "
            "que l'acheteur valide dans un délai de {{ delai_bat_jours }} jours.")
    article(w, 4, "Sécurité et traçabilité",
            "Chaque pass et chaque carnet porte un numéro unique permettant d'en suivre la "
            "remise et l'utilisation ; les pass comportent des éléments de sécurité contre la "
            "falsification.")
    article(w, 5, "Livraison et activation",
            "Les carnets sont livrés à l'adresse suivante : {{ lieu_livraison }}, dans un délai "
            "de {{ delai_livraison_jours }} jours à compter de la validation du bon à tirer. "
            "Les pass sont activés à réception du paiement.")
    article(w, 6, "Validité",
            "Les Pass numériques sont valables {{ validite }}. Le titulaire alerte l'acheteur "
            "{{ alertes_expiration }} avant l'échéance.")
    article(w, 7, "Réseau de lieux de médiation",
            "Le titulaire anime le réseau des lieux de médiation labellisés du territoire et "
            "leur rembourse, selon une périodicité {{ frequence_paiement_lieux }}, la valeur "
            "faciale des pass enregistrés pendant la période précédente.")
    article(w, 8, "Pass non utilisés",
            "Les pass non utilisés à l'échéance sont remboursés à l'acheteur à leur valeur "
            "faciale, sous forme d'avoir.")
    article(w, 9, "Suivi",
            "Le titulaire met à disposition un outil de suivi en ligne donnant, par carnet, "
            "lieu et public, les pass distribués et utilisés, exportable chaque mois.")
    article(w, 10, "Données personnelles",
            "Le titulaire agit en qualité de sous-traitant au sens de l'article 28 du "
            "règlement (UE) 2016/679 ; il ne traite les données que pour l'exécution du "
            "marché et les supprime à son terme.")
    return w


def lettre_rejet() -> TemplateWriter:
    w = TemplateWriter("Lettre de rejet d'une offre", "Commande publique – rejet d'offre")
    letter_head(w, ["**{{ candidat.nom }}**", "{{ candidat.adresse }}"])
    w.para("{{ fait_a }}, le {{ date_envoi|date_fr }}", align=RIGHT)
    w.para("{% if envoi_electronique %}Envoi par voie électronique{% else %}Lettre "
           "recommandée avec avis de réception{% endif %}", italic=True)
    w.para("**Objet : rejet de votre offre – {{ objet }} (marché n° {{ reference_marche }})**")
    w.para("Madame, Monsieur,", space_before=6)
    w.para("Vous avez présenté une offre dans le cadre de la consultation citée en objet "
           "(procédure : {{ procedure }}). J'ai le regret de vous informer que votre offre "
           "n'a pas été retenue : {{ motifs }}.")
    w.para("Le marché est attribué à **{{ attributaire }}**{% if montant_attributaire %}, "
           "pour un montant de {{ montant_attributaire|montant }} HT{% endif %}.")
    w.tag("if notes")
    w.para("Les notes obtenues par votre offre et par l'offre retenue sont les suivantes :")
    w.loop_table(["Critère", "Votre offre", "Offre retenue"], "for n in notes",
                 ["{{ n.critere }}", "{{ n.note_candidat }}", "{{ n.note_attributaire }}"],
                 widths_mm=(90, 40, 40), align=CENTER)
    w.tag("endif")
    w.tag("if procedure_formalisee")
    w.para("**Délai de suspension.** En application des articles R2181-3 et R2182-1 du code "
           "de la commande publique, le marché ne sera pas signé avant l'expiration d'un "
           "délai de {{ delai_standstill_jours }} jours à compter de l'envoi de la présente "
           "lettre, soit pas avant le {{ date_fin_standstill|date_fr }}. Pendant ce délai, "
           "vous pouvez former un référé précontractuel devant {{ tribunal_administratif }} "
           "(article L551-1 du code de justice administrative).")
    w.tag("endif")
    w.para("Vous pouvez en outre former un recours en contestation de la validité du "
           "contrat devant {{ tribunal_administratif }} dans un délai de {{ delai_recours }} à compter "
           "de la publication de l'avis d'attribution.")
    w.para("Je vous remercie de l'intérêt que vous avez porté à cette consultation.")
    closing(w)
    return w


def notification_attribution() -> TemplateWriter:
    w = TemplateWriter("Notification du marché", "Commande publique – notification")
    letter_head(w, ["**{{ attributaire.nom }}**", "{{ attributaire.adresse }}"])
    w.para("{{ fait_a }}, le {{ date_notification|date_fr }}", align=RIGHT)
    w.para("Lettre recommandée avec avis de réception", italic=True)
    w.para("**Objet : notification du marché n° {{ reference_marche }} – {{ objet }}**")
    w.para("Madame, Monsieur,", space_before=6)
    w.para("J'ai l'honneur de vous informer que l'offre que vous avez présentée dans le cadre "
           "de la consultation citée en objet (procédure : {{ procedure }}) a été retenue.")
    w.para("Le marché vous est notifié par la présente pour un montant de "
           "**{{ montant_ht|montant }} HT** ({{ montant_ht|montant_lettres }})"
           "{% if taux_tva %}, soit {{ montant_ttc|montant }} TTC (TVA à "
           "{{ taux_tva|pourcentage }}){% endif %}, pour une durée de {{ duree_marche_mois }} "
           "mois{% if date_debut_execution %} à compter du {{ date_debut_execution|date_fr }}"
           "{% endif %}.")
    w.para("La date de notification est la date de réception de la présente lettre ; elle "
           "fait courir les délais d'exécution du marché.")
    w.para("Vous trouverez ci-joint :")
    w.loop("for piece in pieces_jointes", "{{ piece }}", bullet=True)
    w.tag("if pieces_a_produire")
    w.para("Je vous remercie de me faire parvenir dans les meilleurs délais :")
    w.loop("for piece in pieces_a_produire", "{{ piece }}", bullet=True)
    w.tag("endif")
    closing(w)
    w.boxed(["**Accusé de réception de la notification**",
             "Reçu notification du marché n° {{ reference_marche }} le ……………………",
             "Pour {{ attributaire.nom }} (nom, qualité, signature et cachet) :", "", ""])
    return w


def bon_de_commande() -> TemplateWriter:
    w = TemplateWriter("Bon de commande", "Bon de commande")
    w.title_block("BON DE COMMANDE", "n° {{ numero_commande }}")
    w.key_values([
        ("Date", "{{ date_commande|date_fr }}"),
        ("Acheteur", "{{ collectivite }}, {{ collectivite_adresse }}"),
        ("SIRET – code service", "{{ siret or '—' }} – {{ code_service or '—' }}"),
        ("Fournisseur", "**{{ fournisseur.nom }}**, {{ fournisseur.adresse }}"),
        ("Marché", "{% if reference_marche %}n° {{ reference_marche }}{% else %}hors marché"
                   "{% endif %}"),
        ("Engagement", "{{ numero_engagement or '—' }}"),
        ("Imputation budgétaire", "{{ imputation_budgetaire or '—' }}"),
    ])
    w.loop_table(
        ["Désignation", "Quantité", "Prix unitaire HT", "TVA", "Montant HT"],
        "for l in lignes",
        ["{{ l.designation }}", "{{ l.quantite|nombre }}", "{{ l.prix_unitaire_ht|montant }}",
         "{{ l.taux_tva|pourcentage }}", "{{ l.montant_ht|montant }}"],
        widths_mm=(70, 20, 30, 16, 34), align=RIGHT,
        totals=[["Total HT", "", "", "", "{{ total_ht|montant }}"],
                ["TVA", "", "", "", "{{ total_tva|montant }}"],
                ["Total TTC", "", "", "", "{{ total_ttc|montant }}"]])
    w.para("Arrêté le présent bon de commande à la somme de **{{ total_ttc|montant_lettres }}** "
           "toutes taxes comprises.")
    w.para("{% if delai_bat_jours %}**Bon à tirer :** le titulaire soumet le bon à tirer des carnets, "
           "que la collectivité valide dans un délai de {{ delai_bat_jours }} jours. {% endif %}"
           "**Livraison :** {{ adresse_livraison }}, dans un délai de "
           "{{ delai_livraison_jours }} jours à compter de la validation du bon à tirer.")
    w.para("**Facturation :** les factures sont déposées sur Chorus Pro{% if siret %} (SIRET "
           "{{ siret }}{% if code_service %}, code service {{ code_service }}{% endif %})"
           "{% endif %} en rappelant le numéro du présent bon de commande. Paiement par "
           "virement administratif dans le délai global de paiement de 30 jours.")
    w.para("Le {{ date_commande|date_fr }},", align=RIGHT, space_before=6)
    w.signatures(["{{ fonction_signataire }},", "{{ signataire }}"])
    return w
