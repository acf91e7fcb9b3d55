"""A step's scripts are offered the figures of the ledger campaign tied to their instance
(`registre`), as the ledger has them when the step runs, warm or cold, on SQLite and
PostgreSQL; the instance never stores them and a form cannot forge them."""
from datetime import date

import pytest

from bpmn_builder import script_task, sequence, user_task
from helpers import ADMIN, WARM_AND_COLD, deploy_xml, with_instances
from workflows.errors import ConventioError
from workflows.services import ledger, open_conventio
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks

MODEL = sequence(
    "faits", ("a", user_task("a", "A")), ("avant", script_task("avant", "avant = compter_passes_remis(registre)")),
    ("b", user_task("b", "B")), ("apres", script_task("apres", "apres = compter_passes_remis(registre)")),
    ("c", user_task("c", "C")))


@pytest.fixture(params=WARM_AND_COLD)
def books(request, any_db_settings):
    app = open_conventio(with_instances(any_db_settings, request.param))
    deploy_xml(app, {"faits.bpmn": MODEL})
    yield app
    app.close()


def complete(app, instance_id, data=None):
    [task] = list_tasks(app, ADMIN, instance_id=instance_id)
    complete_task(app, task["id"], data or {}, ADMIN)


def test_each_step_reads_the_campaign_as_it_is_then_and_keeps_only_what_its_scripts_retain(books):
    instance_id = start_instance(books, "faits", {}, ADMIN)["id"]
    campaign = ledger.open_campaign(books, "972", ADMIN, instance_id=instance_id)["id"]
    ledger.receive_range(books, campaign, ADMIN, booklet_size=10, first="PN10-000001", last="PN10-000003",
                         issuer="APTIC", validity_year=2027, order="BC-1", received_on=date(2027, 6, 1))
    ledger.add_prescriber(books, campaign, ADMIN, name="CCAS", formats={10: 3}, executory_on=date(2027, 6, 1))
    ledger.endow(books, campaign, ADMIN, prescriber="CCAS", on=date(2027, 6, 2), count=3)
    complete(books, instance_id)
    ledger.hand_out(books, campaign, ADMIN, prescriber="CCAS", public="pic", on=date(2027, 6, 3),
                    serials=["PN10-000001", "PN10-000002"])
    complete(books, instance_id)
    data = get_instance(books, instance_id, ADMIN)["data"]
    assert (data["avant"], data["apres"]) == (0, 20)
    assert "registre" not in data


def test_without_a_campaign_the_figures_are_none_and_a_form_cannot_forge_them(books):
    instance_id = start_instance(books, "faits", {}, ADMIN)["id"]
    complete(books, instance_id)
    assert get_instance(books, instance_id, ADMIN)["data"]["avant"] == 0
    with pytest.raises(ConventioError) as forged:
        complete(books, instance_id, {"registre": {"passes_remis": 10_000}})
    assert forged.value.http_status == 422 and forged.value.details == {"registre": "nom réservé aux faits que l’étape lit"}
    assert "apres" not in get_instance(books, instance_id, ADMIN)["data"]
