"""A model's script that reads data nobody gave: a French refusal naming the missing datum."""
import pytest

from bpmn_builder import script_task, sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.engine.instance import _french_error
from workflows.errors import ConventioError
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks

MISSING = ("donnée « bilans_prescripteurs » absente : elle vient d'une étape précédente "
           "ou des données de départ")


def test_a_script_reading_an_absent_datum_is_refused_in_french(app):
    deploy_xml(app, {"phase.bpmn": sequence(
        "phase", ("saisir", user_task("saisir", "Saisir")),
        ("calculer", script_task("calculer", "total = len(bilans_prescripteurs)", "Calculer les indicateurs")))})
    instance = start_instance(app, "phase", {}, ADMIN)
    task = list_tasks(app, ADMIN, instance_id=instance["id"])[0]
    with pytest.raises(ConventioError) as refusal:
        complete_task(app, task["id"], {}, ADMIN)
    assert MISSING in refusal.value.message
    assert "Calculer les indicateurs" in refusal.value.message
    assert "NameError" not in refusal.value.message and "Did you mean" not in refusal.value.message


def test_other_python_errors_keep_their_own_text():
    class Wrapped(Exception):
        exception = ZeroDivisionError("division by zero")
    assert _french_error(Wrapped("x"), "Calculer") == "Échec de l’étape « Calculer » : x"
    missing = Wrapped("x")
    missing.exception = NameError("name 'date_executoire' is not defined", name="date_executoire")
    assert "donnée « date_executoire » absente" in _french_error(missing, "Signer")
