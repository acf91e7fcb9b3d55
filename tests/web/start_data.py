"""A collectivité's start data, as the library's start form (bpmn/forms/demarrage.json) asks for it."""
CAP_NORD = {
    "collectivite": "Communauté d'agglomération du Pays Nord Martinique (CAP Nord)",
    "type_collectivite": "epci",
    "collectivite_adresse": "Quartier Bois-Lézard, 97225 Le Marigot",
    "president": "Bruno Nestor AZÉROT",
    "territoire": "972",
    "tribunal_administratif": "le tribunal administratif de la Martinique",
    "fait_a": "Le Marigot",
}
