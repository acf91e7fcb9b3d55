"""Conventions: ANCT co-financing, commune relay, mandate, mediation place."""

from .blocks import (
    DATA_PROTECTION, article, collectivite_party, convention_end, parties, partner_party,
)
from .writer import RIGHT, TemplateWriter


def convention_anct() -> TemplateWriter:
    w = TemplateWriter("Convention de cofinancement ANCT", "Convention ANCT – Pass numérique")
    w.title_block("CONVENTION DE COFINANCEMENT",
                  "du déploiement des Pass numériques",
                  "Convention n° {{ numero_convention }}")

    def anct():
        w.para("**L'Agence nationale de la cohésion des territoires (ANCT)**, établissement "
               "public de l'État, dont le siège est situé {{ anct_adresse }}, représentée par "
               "{{ anct_signataire }}, {{ anct_qualite }}, ci-après dénommée « l'ANCT »,")

    parties(w, anct, lambda: collectivite_party(w, "la Collectivité"))
    w.para("**Vu** le code général des collectivités territoriales ;", space_before=6)
    w.para("**Vu** {{ appel_a_projets }} ;")
    w.para("**Vu** la délibération n° {{ numero_deliberation }} du "
           "{{ date_deliberation|date_fr }} autorisant la signature de la présente convention ;")
    w.para("Il est convenu ce qui suit :", bold=True, space_before=6)
    article(w, 1, "Objet",
            "La présente convention définit les conditions dans lesquelles l'État, par "
            "l'intermédiaire de l'ANCT, cofinance l'achat et la distribution de Pass "
            "numériques par la Collectivité, au bénéfice des personnes éloignées du "
            "numérique de son territoire.")
    article(w, 2, "Budget de l'opération",
            "La Collectivité s'engage à acquérir {{ nombre_pass|nombre }} Pass numériques "
            "d'une valeur faciale unitaire de {{ valeur_pass|montant }}, soit "
            "{{ valeur_totale|montant }} ({{ valeur_totale|montant_lettres }}). Ce montant "
            "respecte l'achat minimal de {{ achat_minimum|montant }} exigé par l'appel à "
            "projets.")
    w.grid([
        ["Pass numériques ({{ nombre_pass|nombre }} × {{ valeur_pass|montant }})",
         "{{ valeur_totale|montant }}"],
        ["Frais de l'émetteur ({{ taux_frais_emetteur|pourcentage }} de la valeur faciale)",
         "{{ frais_emetteur|montant }}"],
        ["**Budget total**", "**{{ budget_total|montant }}**"],
    ], widths_mm=(125, 45), header=["Poste de dépense", "Montant"], align=RIGHT)
    article(w, 3, "Participation de l'État",
            "La participation de l'État est égale à {{ taux_participation_etat|pourcentage }} "
            "de la valeur faciale des Pass numériques **effectivement utilisés** par les "
            "bénéficiaires, constatés à l'issue du dispositif sur la base des données de "
            "l'émetteur. Elle ne peut excéder {{ participation_etat_max|montant }} "
            "({{ participation_etat_max|montant_lettres }}). Les pass non utilisés "
            "n'ouvrent droit à aucune participation.",
            "La participation est versée par l'ANCT sur présentation d'un état récapitulatif "
            "des pass utilisés, certifié par le représentant de la Collectivité.")
    article(w, 4, "Publics bénéficiaires",
            "Au moins {{ part_pic_minimum|pourcentage }} des Pass numériques acquis, soit au "
            "moins {{ nombre_pass_pic_minimum|nombre }} pass, sont remis à des personnes "
            "éloignées de l'emploi relevant du Plan d'investissement dans les compétences "
            "(public « PIC »). Le respect de cette proportion est vérifié lors du suivi.")
    w.heading("Article 5 – Engagements de la Collectivité")
    for text in (
        "acheter les Pass numériques auprès d'un émetteur dans le respect du code de la "
        "commande publique ;",
        "conclure une convention avec chaque partenaire prescripteur, relais ou lieu de "
        "médiation, et une convention de mandat avec tout organisme qui remet des pass "
        "pour son compte ;",
        "organiser la distribution des pass aux publics prioritaires et en assurer le suivi ;",
        "mentionner le soutien de l'État et de l'ANCT dans toute communication.",
    ):
        w.bullet(text)
    article(w, 6, "Suivi et évaluation",
            "La Collectivité transmet à l'ANCT, au moins une fois par an et au terme de la "
            "convention, les indicateurs suivants : pass distribués et utilisés, taux "
            "d'utilisation, bénéficiaires par public et par prescripteur, part du public "
            "PIC, pass non utilisés à l'échéance.")
    convention_end(w, 7,
                   ["Agence nationale de la cohésion des territoires", "{{ anct_qualite }},",
                    "{{ anct_signataire }}"],
                   ["{{ collectivite }}", "{{ fonction_president }},", "{{ president }}"])
    return w


def convention_relais_commune() -> TemplateWriter:
    w = TemplateWriter("Convention de partenariat – commune relais",
                       "Convention commune relais – Pass numérique")
    w.title_block("CONVENTION DE PARTENARIAT",
                  "Commune relais d'information du Pass numérique",
                  "Convention n° {{ numero_convention }}")

    def commune():
        w.para("**{{ commune }}**, {{ commune_adresse }}, représentée par {{ maire }}, "
               "{{ fonction_maire }}, ci-après dénommée « la Commune »,")

    parties(w, lambda: collectivite_party(w, "la Collectivité"), commune)
    w.para("**Vu** le code général des collectivités territoriales ;", space_before=6)
    w.para("**Vu** la délibération n° {{ numero_deliberation }} du "
           "{{ date_deliberation|date_fr }} adoptant la stratégie de déploiement des Pass "
           "numériques ;")
    w.para("Il est convenu ce qui suit :", bold=True, space_before=6)
    article(w, 1, "Objet",
            "La présente convention fixe le rôle de la Commune dans le déploiement du Pass "
            "numérique sur son territoire, en qualité de relais d'information.")
    w.heading("Article 2 – Engagements de la Commune")
    for text in (
        "relayer l'information sur le dispositif (affichage, site internet, bulletin "
        "municipal, accueil de la mairie) à l'aide du kit fourni par la Collectivité ;",
        "orienter les habitants vers les prescripteurs du dispositif ;",
        "désigner un référent chargé des échanges avec la Collectivité{% if contact_commune %}"
        " : {{ contact_commune }}{% endif %}.",
    ):
        w.bullet(text)
    w.tag("if ccas_prescripteur")
    w.para("Le centre communal d'action sociale (CCAS) de la Commune agit en qualité de "
           "prescripteur. Les carnets ne lui sont confiés qu'après la signature d'une "
           "convention de mandat distincte.")
    w.tag("endif")
    w.tag("if lieu_mediation")
    w.para("**{{ lieu_mediation }}** accueille les bénéficiaires en qualité de lieu de "
           "médiation numérique, sous réserve d'obtenir le label APTIC. L'encaissement des "
           "Pass numériques qui y sont remis s'effectue par la régie municipale "
           "{% if regie_municipale %}instituée par {{ regie_municipale }}{% else %}que la "
           "Commune s'engage à instituer avant tout encaissement{% endif %}.")
    w.tag("endif")
    w.heading("Article 3 – Engagements de la Collectivité")
    for text in (
        "fournir le kit d'information et les supports de communication ;",
        "informer la Commune de la liste des prescripteurs et des lieux de médiation ;",
        "associer la Commune au suivi et à l'évaluation du dispositif.",
    ):
        w.bullet(text)
    article(w, 4, "Dispositions financières",
            "La présente convention n'emporte aucun flux financier entre les parties.")
    article(w, 5, "Données personnelles", DATA_PROTECTION)
    convention_end(w, 6,
                   ["{{ collectivite }}", "{{ fonction_president }},", "{{ president }}"],
                   ["{{ commune }}", "{{ fonction_maire }},", "{{ maire }}"])
    return w


def convention_mandat() -> TemplateWriter:
    w = TemplateWriter("Convention de mandat – Pass numérique",
                       "Convention de mandat – Pass numérique")
    w.title_block("CONVENTION DE MANDAT",
                  "pour la remise de Pass numériques (valeurs inactives)",
                  "Convention n° {{ numero_convention }}")
    parties(w, lambda: collectivite_party(w, "le Mandant"),
            lambda: partner_party(w, "mandataire", "le Mandataire"))
    w.para("**Vu** le code général des collectivités territoriales, notamment son "
           "article L1611-7 ;", space_before=6)
    w.para("**Vu** la délibération n° {{ numero_deliberation }} du "
           "{{ date_deliberation|date_fr }} ;")
    w.para("**Vu** l'avis conforme du comptable public{% if comptable_public %} "
           "({{ comptable_public }}){% endif %}{% if date_avis_comptable %} en date du "
           "{{ date_avis_comptable|date_fr }}{% endif %} ;")
    w.para("Il est convenu ce qui suit :", bold=True, space_before=6)
    article(w, 1, "Objet du mandat",
            "Le Mandant confie au Mandataire, qui l'accepte, le mandat de conserver et de "
            "remettre en son nom et pour son compte des Pass numériques aux bénéficiaires "
            "définis à l'article 3. Les Pass numériques sont des **valeurs inactives** "
            "appartenant au Mandant : le Mandataire les détient pour le compte du Mandant et "
            "n'en acquiert jamais la propriété.")
    article(w, 2, "Pass confiés",
            "Le Mandant confie au Mandataire {% for c in carnets %}{{ c.nombre_carnets|nombre }} carnets de "
            "{{ c.pass_par_carnet }} pass{% if not loop.last %} et {% endif %}{% endfor %}, chaque pass d'une "
            "valeur faciale de {{ valeur_pass|montant }}, "
            "soit {{ nombre_pass|nombre }} pass représentant une valeur totale de "
            "**{{ valeur_totale|montant }}** ({{ valeur_totale|montant_lettres }}).",
            "Chaque remise de carnets au Mandataire donne lieu à un bordereau daté, signé "
            "des deux parties, qui en indique les numéros.")
    w.heading("Article 3 – Publics bénéficiaires")
    w.para("Les pass sont remis exclusivement aux personnes relevant des publics suivants :")
    w.loop("for public in publics", "{{ public }}", bullet=True)
    w.heading("Article 4 – Obligations du Mandataire")
    w.para("Le Mandataire s'engage à :")
    for text in (
        "conserver les carnets en lieu sûr, sous clé, et ne les remettre qu'aux personnes "
        "habilitées ;",
        "évaluer les besoins de chaque bénéficiaire, recueillir son engagement et lui "
        "remettre gratuitement le carnet ; les pass ne peuvent être ni vendus ni échangés ;",
        "tenir un registre des remises (date, numéro de carnet, catégorie de public, tranche "
        "d'âge, commune, identifiant pseudonyme du bénéficiaire) ;",
        "signaler sans délai au Mandant toute perte ou tout vol de carnets.",
    ):
        w.bullet(text)
    w.tag("if referent")
    w.para("Le référent du Mandataire pour l'exécution du mandat est {{ referent }}.")
    w.tag("endif")
    article(w, 5, "Compte rendu et reddition des comptes",
            "Le Mandataire adresse au Mandant un état {{ frequence_compte_rendu }} des carnets "
            "reçus, remis et en stock, accompagné de l'extrait du registre des remises. Il "
            "rend compte de l'exécution du mandat au moins une fois par an par une reddition "
            "des comptes, appuyée des pièces justificatives, que le Mandant transmet à son "
            "comptable public.")
    article(w, 6, "Restitution",
            "À l'échéance de la convention ou en cas de résiliation, le Mandataire restitue au "
            "Mandant, dans un délai de {{ delai_restitution_jours }} jours et contre "
            "bordereau, les carnets qu'il n'a pas remis.")
    article(w, 7, "Responsabilité et gratuité",
            "Le Mandataire répond de la valeur des carnets qu'il ne peut représenter, sauf "
            "force majeure. Le mandat est exercé à titre gratuit.")
    article(w, 8, "Données personnelles", DATA_PROTECTION)
    convention_end(w, 9,
                   ["Le Mandant,", "{{ collectivite }}", "{{ fonction_president }},",
                    "{{ president }}"],
                   ["Le Mandataire,", "{{ mandataire.nom }}", "{{ mandataire.fonction }},",
                    "{{ mandataire.representant }}"])
    return w


def convention_lieu_mediation() -> TemplateWriter:
    w = TemplateWriter("Convention de partenariat – lieu de médiation numérique",
                       "Convention lieu de médiation – Pass numérique")
    w.title_block("CONVENTION DE PARTENARIAT",
                  "Lieu de médiation numérique acceptant le Pass numérique",
                  "Convention n° {{ numero_convention }}")
    parties(w, lambda: collectivite_party(w, "la Collectivité"),
            lambda: partner_party(w, "lieu", "le Lieu de médiation"))
    w.para("**Vu** la délibération n° {{ numero_deliberation }} du "
           "{{ date_deliberation|date_fr }} ;", space_before=6)
    w.para("Il est convenu ce qui suit :", bold=True, space_before=6)
    article(w, 1, "Objet",
            "La présente convention fixe les conditions dans lesquelles le Lieu de médiation "
            "accueille et accompagne les bénéficiaires du Pass numérique de la Collectivité.")
    article(w, 2, "Label",
            "Le Lieu de médiation est labellisé {{ label }}{% if numero_label %} (n° "
            "{{ numero_label }}){% endif %}. Il s'engage à conserver ce label pendant toute la "
            "durée de la convention ; sa perte met fin de plein droit à la convention.")
    w.heading("Article 3 – Accueil et accompagnement")
    w.para("Chaque Pass numérique, d'une valeur de {{ valeur_pass|montant }}, donne droit à "
           "un accompagnement d'une durée d'environ {{ duree_atelier }}, adapté au niveau du "
           "bénéficiaire.{% if horaires %} Le Lieu de médiation accueille les bénéficiaires "
           "{{ horaires }}.{% endif %}")
    w.tag("if ateliers")
    w.para("Les accompagnements proposés sont notamment :")
    w.loop("for atelier in ateliers", "{{ atelier }}", bullet=True)
    w.tag("endif")
    article(w, 4, "Acceptation et remboursement des pass",
            "Le Lieu de médiation accepte les Pass numériques en paiement des "
            "accompagnements, sans demander de somme complémentaire au bénéficiaire. Il "
            "obtient le remboursement de leur valeur faciale auprès de l'émetteur, "
            "{{ emetteur }}, selon les modalités de ce dernier (paiement mensuel des pass "
            "enregistrés le mois précédent).")
    article(w, 5, "Suivi",
            "Le Lieu de médiation enregistre chaque pass reçu dans l'outil de l'émetteur et "
            "participe aux réunions de suivi organisées par la Collectivité.")
    article(w, 6, "Données personnelles", DATA_PROTECTION)
    convention_end(w, 7,
                   ["{{ collectivite }}", "{{ fonction_president }},", "{{ president }}"],
                   ["{{ lieu.nom }}", "{{ lieu.fonction }},", "{{ lieu.representant }}"])
    return w
