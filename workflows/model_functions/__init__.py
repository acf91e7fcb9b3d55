"""The functions BPMN scripts and expressions may call: an adapter over the domain.

Models run in a sandbox that sees task data only: plain JSON values. Each function here
takes and returns such values (ISO date strings, numbers, lists, dicts), converts them at
the edge (:mod:`.conversions`) and lets the domain decide: no rule is written twice. Their
names are French verbs so that they never collide with a data variable (the engine refuses
task data that would hide a function). One module per phase of the chain; the models find
them by name in :data:`.registry.SCRIPT_FUNCTIONS`.

Two kinds of functions:

* ``verifier_*`` return None when the rule is respected, else the French sentence to
  show the user, so that a model can send the task back with it;
* the others compute; given data the domain refuses, they raise
  :class:`workflows.domain.errors.DomainError`, whose French text refuses the step.
"""
