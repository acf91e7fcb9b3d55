"""The script functions by name, as the engine loads them for the models
("workflows.model_functions.registry:SCRIPT_FUNCTIONS")."""
from . import (
    acts,
    conventions,
    deliberation,
    distribution,
    evaluation,
    mediation,
    order,
    procurement,
    territory,
)

# In the order of the chain; each phase module lists its verbs.
PHASES = (territory, deliberation, conventions, acts, procurement, order, distribution, mediation,
          evaluation)

SCRIPT_FUNCTIONS = {function.__name__: function for phase in PHASES for function in phase.VERBS}
