"""Mentions and figures each example document must show (whitespace normalised:
the narrow no-break spaces of amounts read as plain spaces here)."""

from workflows.documents.examples import ABSENTS, PRESENTS, REPRESENTES

CAP_NORD = "Communauté d'Agglomération du Pays Nord Martinique"

MANDATORY = {
    "extrait_deliberation": [
        "RÉPUBLIQUE FRANÇAISE", "Collectivité Territoriale de Martinique", CAP_NORD,
        "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS", "DU CONSEIL COMMUNAUTAIRE",
        "Séance du jeudi 27 avril 2023", "Date de convocation", "19 avril 2023",
        "Lieu de la séance", "salle des délibérations de CAP Nord Martinique",
        "CC-04-2023-095", "Validation de la stratégie de déploiement des Pass numériques",
        "Le vingt-sept avril deux mille vingt-trois", "Étaient présents (28)",
        "Avaient donné procuration (10)", "Étaient absents ou excusés (15)",
        "Vu le Code général des collectivités territoriales",
        "Considérant que pour venir en aide", "Après en avoir délibéré", "À l'unanimité",
        "DÉCIDE", "Article 1", "Article 6", "Résultat du vote", "Suffrages exprimés",
        "Pour extrait certifié conforme", "Fait à Marigot, le 30 mai 2023",
        "Le Président", "La secrétaire de séance", "Bruno Nestor AZÉROT", "Patricia PALMONT",
        "Certifié exécutoire", "sa publication le 2 mai 2023",
        "sa réception en préfecture le 3 mai 2023", "972-249720053-20230427-CC0420230095-DE",
        "tribunal administratif de la Martinique", "deux mois",
    ] + PRESENTS + ABSENTS + [r["mandant"] for r in REPRESENTES],
    "convention_anct": [
        "CONVENTION DE COFINANCEMENT", "Convention n° ANCT-2023-PN-972-04",
        "Agence nationale de la cohésion des territoires", CAP_NORD, "Bruno Nestor AZÉROT",
        "délibération n° CC-04-2023-095 du 27 avril 2023", "20 800 Pass numériques",
        "208 000,00 €", "deux cent huit mille euros", "20 000,00 €", "8 320,00 €",
        "216 320,00 €", "50 %", "effectivement utilisés", "104 000,00 €",
        "cent quatre mille euros", "10 400 pass", "Plan d'investissement dans les compétences",
        "24 mois", "Fait en deux exemplaires originaux", "15 juin 2023", "Claire DUMONT",
    ],
    "convention_relais_commune": [
        "CONVENTION DE PARTENARIAT", "Commune relais d'information", "Ville du Lorrain",
        "Justin PAMPHILE", "relayer l'information", "CCAS", "convention de mandat distincte",
        "Cyber-base du Lorrain", "régie municipale",
        "que la Commune s'engage à instituer avant tout encaissement",
        "aucun flux financier", "24 mois", "RGPD", "Bruno Nestor AZÉROT",
    ],
    "convention_mandat": [
        "CONVENTION DE MANDAT", "valeurs inactives", "CCAS de Sainte-Marie",
        "Fabienne LABRANCHE-GROUGI", "article L1611-7",
        "avis conforme du comptable public (Service de Gestion Comptable",
        "en date du 20 juin 2023", "120 carnets de 5 pass", "600 pass", "6 000,00 €",
        "six mille euros", "personnes âgées de plus de 60 ans", "état mensuel",
        "reddition des comptes", "dans un délai de 15 jours", "Le Mandant", "Le Mandataire",
        "Josette MASSOLIN", "12 mois",
    ],
    "convention_lieu_mediation": [
        "Lieu de médiation numérique acceptant le Pass numérique", "Association CARECOF",
        "Claude BELLUNE", "labellisé APTIC (n° APTIC-972-0042)", "10,00 €", "2 heures",
        "sans demander de somme complémentaire", "paiement mensuel",
        "démarches administratives en ligne", "24 mois",
    ],
    "reglement_consultation": [
        "RÈGLEMENT DE LA CONSULTATION", "Marché n° 2023-FCS-017", "procédure adaptée",
        "vendredi 21 juillet 2023 à 12 h 00", "216 320,00 € HT",
        "deux cent seize mille trois cent vingt euros", "20 800 Pass numériques",
        "208 000,00 €", "4 %", "8 320,00 €", "hypothèse de l'acheteur", "60 %", "40 %",
        "https://marchespublics.capnordmartinique.fr", "120 jours", "DUME",
    ],
    "cahier_des_charges": [
        "CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES", "Participants du PLIE", "9 000",
        "2 880", "20 800", "208 000,00 €", "6 jours", "14 jours", "31 décembre", "avoir",
        "article 28",
    ],
    "lettre_rejet": [
        "Société Chèques & Services Caraïbes", "Marigot, le 1er août 2023",
        "rejet de votre offre", "n'a pas été retenue", "attribué à APTIC",
        "216 320,00 € HT", "42/60", "55/60", "Délai de suspension", "R2182-1", "11 jours",
        "pas avant le 12 août 2023", "référé précontractuel",
        "tribunal administratif de la Martinique", "Le Président",
    ],
    "notification_attribution": [
        "notification du marché n° 2023-FCS-017", "APTIC", "216 320,00 € HT",
        "deux cent seize mille trois cent vingt euros", "1er septembre 2023", "12 mois",
        "acte d'engagement", "attestation d'assurance", "Accusé de réception",
        "Lettre recommandée avec avis de réception",
    ],
    "bon_de_commande": [
        "BON DE COMMANDE", "n° BC-2023-0412", "5 septembre 2023", "APTIC", "1 600",
        "8,5 %", "216 320,00 €", "707,20 €", "217 027,20 €",
        "deux cent dix-sept mille vingt-sept euros et vingt centimes", "Chorus Pro",
        "PASSNUM", "ENG-2023-003517", "Chapitre 011",
    ],
    "lettre_beneficiaire": [
        "Votre Pass numérique", "CCAS de Sainte-Marie", "5 pass", "10,00 €", "50,00 €",
        "gratuit", "31 décembre 2023", "31 janvier 2024", "Association CARECOF",
        "Martinique Nord Média", "Case-Pilote", "sur rendez-vous", "PN-972-0004512",
        "dpo@capnord.mq",
    ],
    "rapport_evaluation": [
        "RAPPORT D'ÉVALUATION", "Période du 1er septembre 2023 au 31 janvier 2024",
        "20 800", "20 350", "97,8 %", "15 500", "76,2 %", "5 300", "2 160", "51,6 %",
        "atteint", "77 500,00 €", "soixante-dix-sept mille cinq cents euros",
        "Référents de parcours PLIE", "France Travail", "Participants du PLIE",
    ],
}
