"""Realistic instance data for every template, as a process would hold it (JSON
values, ISO dates). The deliberation is the CAP Nord Martinique sitting of
27 April 2023 (shared/seeds/003); the rest follows the same deployment, with
invented but plausible figures. Used by the tests, the bench and demos.
"""

CAP_NORD = "Communauté d'Agglomération du Pays Nord Martinique"
CAP_NORD_ADDRESS = "Quartier Bois-Lézard, 97225 Le Marigot"
PRESIDENT = "Bruno Nestor AZÉROT"

PRESENTS = [
    "Patricia Athanase PALMONT",
    "Thierry MARÉCHAL",
    "George GÉLIE",
    "Annick COMIER",
    "Gilbert COUTURIER",
    "Kristelle RISAL",
    "Jonathan TABAR",
    "Olivier JEAN-DENIS",
    "Joseph PÉRASTE",
    "Charles CARISTAN",
    "Jean-Christophe BOULANGÉ",
    "Claude Rémy HARNAIS",
    "Claude BELLUNE",
    "Maryse ALSIF épouse RANGOLY",
    "Christian VERNEUIL",
    "Georgette RANGOLY",
    "Belfort BIROTA",
    "Robert DULYMOIS",
    "Sylvain HOCHÉ",
    "Bruno Nestor AZÉROT",
    "Fabienne LABRANCHE-GROUGI",
    "Violaine DIAZ",
    "Jean-Hugues MOMPHELE",
    "Josette MASSOLIN",
    "Patrick BONIFACE",
    "Paulette RAPON",
    "Patricia Marie GUION-FIRMIN",
    "Annick CHARLEC",
]
REPRESENTES = [
    {"mandant": m, "mandataire": p}
    for m, p in [
        ("Lucien SAINT-JEAN-THÉRÈSE", "Patricia PALMONT"),
        ("Stéphane LORDELOT", "Kristelle RISAL"),
        ("Sylvie PALCY", "Jonathan TABAR"),
        ("Justin PAMPHILE", "Olivier JEAN-DENIS"),
        ("Jenny DULYS-PETIT", "Charles CARISTAN"),
        ("Joël Christine LINORD", "Christian VERNEUIL"),
        ("Jean-Baptiste ROTSEN", "Jean-Hugues MOMPHELE"),
        ("Sarah ANGAMA", "Bruno Nestor AZEROT"),
        ("Frédéric BUVAL", "Paulette RAPON"),
        ("Christian PALIN", "Patricia GUION-FIRMIN"),
    ]
]
ABSENTS = [
    "Maurice BONTÉ",
    "Marie-Thérèse CASIMIRIUS",
    "Félix ISMAIN",
    "Jean-Louis MARIE-LOUISE",
    "Pamela PATRON",
    "Sainte-Rose CAKIN",
    "Germain DUTON",
    "Gwladys COLER",
    "Farell FRANCOIS-HAUGRIN",
    "Laura LITADIER épouse VILLET",
    "Chantal MAIGNAN",
    "Saint-Yves RANGOM",
    "Christian RAPHA",
    "Rose-Marie GÉNOT-PLESDIN",
    "Jean-Michel Ulrich COTRÉBIL",
]

EXTRAIT_DELIBERATION = {
    "collectivite": CAP_NORD,
    "mentions_entete": ["Collectivité Territoriale de Martinique"],
    "organe": "Conseil communautaire",
    "numero": "CC-04-2023-095",
    "objet": "Validation de la stratégie de déploiement des Pass numériques",
    "date_seance": "2023-04-27",
    "lieu_seance": "salle des délibérations de CAP Nord Martinique, Le Marigot",
    "date_convocation": "2023-04-19",
    "membres_en_exercice": 53,
    "presents": PRESENTS,
    "representes": REPRESENTES,
    "absents": ABSENTS,
    "president": PRESIDENT,
    "secretaire": "Patricia PALMONT",
    "qualite_secretaire": "La secrétaire de séance",
    "visas": [
        "le Code général des collectivités territoriales",
        "la délibération du Conseil communautaire n° CC-07-2019-098 du 5 juillet 2019 "
        "autorisant le Président de CAP Nord Martinique à répondre à l'appel à projets "
        "« déploiement des Pass numériques » lancé par l'État",
        "la délibération du Bureau communautaire n° BC-11-2022/236 du 3 novembre 2022 "
        "approuvant la contribution financière de CAP Nord Martinique à l'Agence "
        "nationale de la cohésion des territoires (ANCT)",
    ],
    "considerants": [
        "que pour venir en aide aux nombreux habitants du territoire en difficulté face "
        "au numérique, la Communauté d'Agglomération du Pays Nord Martinique a décidé de "
        "déployer le dispositif « Pass numériques » sur son territoire",
        "que ce dispositif se matérialise par des carnets de chèques d'une valeur de "
        "10 euros chacun donnant accès à des services d'accompagnement numérique dans des "
        "lieux labellisés « APTIC »",
        "que les membres de la Commission Emploi, Développement Social et Politique de la "
        "Ville, réunis le 19 avril 2023, ont émis un avis favorable sur la stratégie de "
        "déploiement du Pass numérique présentée",
    ],
    "articles": [
        "De prendre acte de l'avis favorable des élus de la Commission Emploi, "
        "Développement Social et Politique de la Ville de CAP Nord Martinique.",
        "D'adopter la stratégie de déploiement des « Pass numériques ».",
        "D'autoriser le Président à signer les conventions avec les partenaires "
        "parties prenantes en vue du déploiement des « Pass numériques ».",
        "D'autoriser le Président à lancer la procédure d'achat public des « Pass numériques ».",
        "D'autoriser le Président à accomplir tous les actes nécessaires à l'exécution "
        "de la présente délibération.",
        "Monsieur le Préfet, Madame la Comptable publique du Service de Gestion Comptable "
        "de CAP Nord Martinique, Monsieur le Directeur Général des Services, sont chargés, "
        "chacun en ce qui le concerne, de l'exécution de la présente délibération.",
    ],
    "votes_pour": 38,
    "votes_contre": 0,
    "abstentions": 0,
    "fait_a": "Marigot",
    "date_extrait": "2023-05-30",
    "date_publication": "2023-05-02",
    "date_reception_prefecture": "2023-05-03",
    "numero_accuse_reception": "972-249720053-20230427-CC0420230095-DE",
    "tribunal_administratif": "le tribunal administratif de la Martinique",
}

COLLECTIVITE_PARTY = {
    "collectivite": CAP_NORD,
    "collectivite_adresse": CAP_NORD_ADDRESS,
    "president": PRESIDENT,
    "numero_deliberation": "CC-04-2023-095",
    "date_deliberation": "2023-04-27",
    "fait_a": "Marigot",
    "tribunal_administratif": "le tribunal administratif de la Martinique",
}

CONVENTION_ANCT = {
    **COLLECTIVITE_PARTY,
    "numero_convention": "ANCT-2023-PN-972-04",
    "anct_signataire": "Claire DUMONT",
    "anct_qualite": "Directrice générale déléguée de l'ANCT",
    "nombre_pass": 20800,
    "taux_frais_emetteur": 4,
    "duree_mois": 24,
    "date_signature": "2023-06-15",
}

CONVENTION_RELAIS_COMMUNE = {
    **COLLECTIVITE_PARTY,
    "numero_convention": "CAPN-PN-2023-011",
    "commune": "Ville du Lorrain",
    "commune_adresse": "Hôtel de ville, 97214 Le Lorrain",
    "maire": "Justin PAMPHILE",
    "ccas_prescripteur": True,
    "lieu_mediation": "Cyber-base du Lorrain",
    "contact_commune": "Service communication, 0596 53 40 00",
    "duree_mois": 24,
}

CONVENTION_MANDAT = {
    **COLLECTIVITE_PARTY,
    "numero_convention": "CAPN-PN-2023-021",
    "mandataire": {
        "nom": "CCAS de Sainte-Marie",
        "adresse": "Rue Schœlcher, 97230 Sainte-Marie",
        "representant": "Fabienne LABRANCHE-GROUGI",
        "fonction": "Vice-présidente",
    },
    "nombre_carnets": 120,
    "pass_par_carnet": 5,
    "publics": ["personnes âgées de plus de 60 ans", "demandeurs d'emploi non inscrits"],
    "frequence_compte_rendu": "mensuel",
    "comptable_public": "Service de Gestion Comptable de CAP Nord Martinique",
    "date_avis_comptable": "2023-06-20",
    "referent": "Mme Josette MASSOLIN, travailleuse sociale",
    "duree_mois": 12,
}

CONVENTION_LIEU_MEDIATION = {
    **COLLECTIVITE_PARTY,
    "numero_convention": "CAPN-PN-2023-031",
    "lieu": {
        "nom": "Association CARECOF",
        "adresse": "Bourg, 97230 Sainte-Marie",
        "representant": "Claude BELLUNE",
        "fonction": "Président de l'association",
    },
    "emetteur": "APTIC",
    "numero_label": "APTIC-972-0042",
    "horaires": "du lundi au vendredi, de 8 h 30 à 12 h 30 et de 14 h à 17 h",
    "ateliers": [
        "prise en main d'un ordinateur, d'une tablette ou d'un smartphone",
        "création et gestion d'une adresse électronique",
        "démarches administratives en ligne (CAF, impôts, France Travail, ameli)",
    ],
    "duree_mois": 24,
}

BUYER = {
    "collectivite": CAP_NORD,
    "collectivite_adresse": CAP_NORD_ADDRESS,
    "reference_marche": "2023-FCS-017",
    "objet": "Fourniture de Pass numériques pour le territoire de CAP Nord Martinique",
    "signataire": PRESIDENT,
    "fait_a": "Marigot",
    "tribunal_administratif": "le tribunal administratif de la Martinique",
}

REGLEMENT_CONSULTATION = {
    **BUYER,
    "procedure": "procédure adaptée (articles L2123-1 et R2123-1 du code de la commande publique)",
    "forme_marche": "accord-cadre à bons de commande mono-attributaire",
    "nombre_pass": 20800,
    "date_limite_offres": "2023-07-21",
    "criteres": [
        {
            "critere": "Valeur technique (réseau de lieux labellisés, outil de suivi)",
            "ponderation": 60,
        },
        {"critere": "Prix (frais de gestion de l'émetteur)", "ponderation": 40},
    ],
    "profil_acheteur": "https://marchespublics.capnordmartinique.fr",
    "contact": "Service de la commande publique, commande.publique@capnord.mq",
}

CAHIER_DES_CHARGES = {
    **BUYER,
    "carnets": [
        {"public": "Participants du PLIE", "pass_par_carnet": 10, "nombre_carnets": 900},
        {
            "public": "Personnes âgées de plus de 60 ans",
            "pass_par_carnet": 5,
            "nombre_carnets": 1600,
        },
        {
            "public": "Autres publics éloignés du numérique",
            "pass_par_carnet": 10,
            "nombre_carnets": 380,
        },
    ],
    "lieu_livraison": "Siège de CAP Nord Martinique, " + CAP_NORD_ADDRESS,
    "delai_livraison_jours": 14,
}

LETTRE_REJET = {
    **BUYER,
    "candidat": {
        "nom": "Société Chèques & Services Caraïbes",
        "adresse": "12 rue Victor Hugo, 97200 Fort-de-France",
    },
    "attributaire": "APTIC",
    "montant_attributaire": "216320.00",
    "date_envoi": "2023-08-01",
    "procedure": "appel d'offres ouvert",
    "procedure_formalisee": True,
    "motifs": "votre offre est classée en deuxième position au regard des critères "
    "d'attribution annoncés dans le règlement de la consultation",
    "notes": [
        {
            "critere": "Valeur technique (60 %)",
            "note_candidat": "42/60",
            "note_attributaire": "55/60",
        },
        {"critere": "Prix (40 %)", "note_candidat": "40/40", "note_attributaire": "36/40"},
    ],
}

NOTIFICATION_ATTRIBUTION = {
    **BUYER,
    "attributaire": {"nom": "APTIC", "adresse": "1 rue de l'Innovation, 33000 Bordeaux"},
    "montant_ht": "216320.00",
    "date_notification": "2023-08-14",
    "procedure": "appel d'offres ouvert",
    "date_debut_execution": "2023-09-01",
    "pieces_a_produire": ["l'attestation d'assurance responsabilité civile en cours de validité"],
}

BON_DE_COMMANDE = {
    "collectivite": CAP_NORD,
    "collectivite_adresse": CAP_NORD_ADDRESS,
    "numero_commande": "BC-2023-0412",
    "date_commande": "2023-09-05",
    "fournisseur": {"nom": "APTIC", "adresse": "1 rue de l'Innovation, 33000 Bordeaux"},
    "lignes": [
        {
            "designation": "Carnets de 10 Pass numériques de 10 € (PLIE)",
            "quantite": 900,
            "prix_unitaire_ht": "100.00",
        },
        {
            "designation": "Carnets de 5 Pass numériques de 10 € (seniors)",
            "quantite": 1600,
            "prix_unitaire_ht": "50.00",
        },
        {
            "designation": "Carnets de 10 Pass numériques de 10 € (autres publics)",
            "quantite": 380,
            "prix_unitaire_ht": "100.00",
        },
        {
            "designation": "Frais de gestion de l'émetteur (4 % de la valeur faciale)",
            "quantite": 1,
            "prix_unitaire_ht": "8320.00",
            "taux_tva": "8.5",
        },
    ],
    "adresse_livraison": "Siège de CAP Nord Martinique, " + CAP_NORD_ADDRESS,
    "delai_livraison_jours": 14,
    "reference_marche": "2023-FCS-017",
    "imputation_budgetaire": "Chapitre 011, article 6188, fonction 523",
    "numero_engagement": "ENG-2023-003517",
    "siret": "249 720 053 00026",
    "code_service": "PASSNUM",
    "signataire": PRESIDENT,
    "fonction_signataire": "Le Président, ordonnateur",
}

LETTRE_BENEFICIAIRE = {
    "collectivite": CAP_NORD,
    "prescripteur": "CCAS de Sainte-Marie",
    "contact_prescripteur": "Mme Josette MASSOLIN, 0596 69 30 00",
    "nombre_carnets": 1,
    "pass_par_carnet": 5,
    "numeros_carnets": "PN-972-0004512",
    "date_remise": "2023-10-02",
    "date_fin_validite": "2023-12-31",
    "date_limite_acceptation": "2024-01-31",
    "lieux": [
        {
            "nom": "Association CARECOF",
            "adresse": "Bourg",
            "commune": "Sainte-Marie",
            "telephone": "0596 69 00 00",
            "horaires": "lun.-ven. 8 h 30-12 h 30",
        },
        {
            "nom": "Martinique Nord Média",
            "adresse": "Rue principale",
            "commune": "Le Lorrain",
            "telephone": "0596 53 00 00",
            "horaires": "mar.-sam. 9 h-17 h",
        },
        {
            "nom": "Espace Ressources Nord Caraïbe",
            "adresse": "Rue Victor Hugo",
            "commune": "Saint-Pierre",
        },
        {
            "nom": "Exo 7",
            "adresse": "Bourg",
            "commune": "Case-Pilote",
            "horaires": "sur rendez-vous",
        },
    ],
    "signataire": PRESIDENT,
    "fonction_signataire": "Le Président de CAP Nord Martinique",
    "contact_donnees_personnelles": "dpo@capnord.mq",
}

RAPPORT_EVALUATION = {
    "collectivite": CAP_NORD,
    "periode_debut": "2023-09-01",
    "periode_fin": "2024-01-31",
    "date_rapport": "2024-03-15",
    "auteur": "Direction de la cohésion sociale",
    "pass_commandes": 20800,
    "plafond_participation_etat": "104000",
    "pass_expires": 5300,
    "par_public": [
        {
            "public": "Participants du PLIE",
            "pic": True,
            "beneficiaires": 300,
            "pass_distribues": 9000,
            "pass_utilises": 7100,
        },
        {
            "public": "Demandeurs d'emploi (hors PLIE)",
            "pic": True,
            "beneficiaires": 150,
            "pass_distribues": 1500,
            "pass_utilises": 1100,
        },
        {
            "public": "Personnes âgées de plus de 60 ans",
            "beneficiaires": 1450,
            "pass_distribues": 7250,
            "pass_utilises": 5200,
        },
        {
            "public": "Autres publics",
            "beneficiaires": 260,
            "pass_distribues": 2600,
            "pass_utilises": 2100,
        },
    ],
    "par_prescripteur": [
        {
            "prescripteur": "Référents de parcours PLIE",
            "beneficiaires": 300,
            "pass_distribues": 9000,
            "pass_utilises": 7100,
        },
        {
            "prescripteur": "CCAS",
            "beneficiaires": 1100,
            "pass_distribues": 5500,
            "pass_utilises": 4000,
        },
        {
            "prescripteur": "France Travail",
            "beneficiaires": 150,
            "pass_distribues": 1500,
            "pass_utilises": 1100,
        },
        {
            "prescripteur": "Espaces France Services",
            "beneficiaires": 610,
            "pass_distribues": 4350,
            "pass_utilises": 3300,
        },
    ],
    "observations": [
        "Le taux d'utilisation des carnets de 5 pass remis aux seniors est inférieur "
        "à celui des participants du PLIE.",
        "Deux nouveaux lieux de médiation ont obtenu le label APTIC pendant la période.",
    ],
}

EXAMPLES = {
    "extrait_deliberation": EXTRAIT_DELIBERATION,
    "convention_anct": CONVENTION_ANCT,
    "convention_relais_commune": CONVENTION_RELAIS_COMMUNE,
    "convention_mandat": CONVENTION_MANDAT,
    "convention_lieu_mediation": CONVENTION_LIEU_MEDIATION,
    "reglement_consultation": REGLEMENT_CONSULTATION,
    "cahier_des_charges": CAHIER_DES_CHARGES,
    "lettre_rejet": LETTRE_REJET,
    "notification_attribution": NOTIFICATION_ATTRIBUTION,
    "bon_de_commande": BON_DE_COMMANDE,
    "lettre_beneficiaire": LETTRE_BENEFICIAIRE,
    "rapport_evaluation": RAPPORT_EVALUATION,
}
