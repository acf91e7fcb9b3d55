"""One context builder per document: plain instance data in, template context out.

Each builder's docstring lists the input keys it requires and accepts.
"""

from .base import ContextBuilder, InputData, context_builder
from .beneficiary import lettre_beneficiaire
from .conventions import (
    convention_anct, convention_lieu_mediation, convention_mandat, convention_relais_commune,
)
from .deliberation import extrait_deliberation
from .evaluation import rapport_evaluation
from .order import bon_de_commande
from .procurement import (
    cahier_des_charges, evicted_candidates, lettre_rejet, notification_attribution,
    reglement_consultation, rejection_data,
)

__all__ = [
    "ContextBuilder", "InputData", "context_builder", "bon_de_commande",
    "cahier_des_charges", "convention_anct", "convention_lieu_mediation",
    "convention_mandat", "convention_relais_commune", "extrait_deliberation",
    "evicted_candidates", "lettre_beneficiaire", "lettre_rejet", "notification_attribution",
    "rapport_evaluation", "reglement_consultation", "rejection_data",
]
