"""The distribution process refers to its ledger campaign: thousands of handouts recorded in the
ledger leave the instance's stored state small, and its gates read the ledger's figures,
warm and cold."""
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from bpmn_builder import catch_message, definitions, flow, process, script_task, throw_message, user_task
from helpers import ADMIN, ROOT, WARM_AND_COLD, actor, deploy_xml, sqlite_settings, with_instances
from ledger_helpers import AGENT, DIRECTOR, small_campaign
from workflows.errors import InvalidData
from workflows.services import ledger, open_conventio
from workflows.services.deploy import deploy_paths
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import TaskRecord, WorkflowHeader

HANDOUTS = 2000   # one prescriber's campaign at CAP Nord's scale
CCAS = "CCAS du Lorrain"
START = {**json.loads((ROOT / "tests" / "scenarios" / "distribution_remises_controlees.json").read_text())["steps"][0]["start"],
         "mandats": [{"nom": CCAS, "formats": [{"cheques_par_carnet": 5, "nombre_carnets": HANDOUTS + 10}]}]}


@pytest.fixture(params=WARM_AND_COLD)
def app(request, tmp_path):
    app = open_conventio(with_instances(sqlite_settings(tmp_path), request.param))
    deploy_paths(app, [ROOT / "bpmn" / "distribution.bpmn"], ADMIN)
    yield app
    app.close()


def stored_bytes(app, instance_id):
    """What the database keeps of the instance's state: its workflows' headers and task rows."""
    with app.db.sessions() as session:
        headers = session.execute(select(func.sum(func.length(WorkflowHeader.body)))
                                  .where(WorkflowHeader.instance_id == instance_id)).scalar()
        tasks = session.execute(select(func.sum(func.length(TaskRecord.body)))
                                .where(TaskRecord.instance_id == instance_id)).scalar()
    return headers + tasks


def complete(app, instance_id, bpmn_id, data):
    task = next(t for t in list_tasks(app, ADMIN, instance_id=instance_id) if t["bpmn_id"] == bpmn_id)
    complete_task(app, task["id"], data, ADMIN)


def run_distribution(app, handouts):
    """A distribution whose one prescriber hands `handouts` booklets through the ledger, then
    reports: (the instance's data as JSON, the bytes its stored state takes)."""
    instance_id = start_instance(app, "distribution", START, ADMIN)["id"]
    campaign = ledger.open_campaign(app, "972", ADMIN, instance_id=instance_id)["id"]
    last = f"PN05-{handouts + 1:06d}"
    ledger.receive_range(app, campaign, ADMIN, booklet_size=5, first="PN05-000001", last=f"PN05-{HANDOUTS + 10:06d}",
                         issuer="APTIC", validity_year=2027, order="BC-2027-017", received_on=date(2027, 10, 20))
    ledger.add_prescriber(app, campaign, ADMIN, name=CCAS, formats={5: HANDOUTS + 10}, executory_on=date(2027, 11, 2))
    ledger.endow(app, campaign, ADMIN, prescriber=CCAS, on=date(2027, 11, 8),
                 ranges=[{"premier": "PN05-000001", "dernier": last}])
    complete(app, instance_id, "repartir_dotations", {"date_remise_prescripteurs": "2027-11-08"})
    assert get_instance(app, instance_id, ADMIN)["data"]["erreur_dotations"] is None
    for n in range(1, handouts + 1):
        ledger.hand_out(app, campaign, ADMIN, prescriber=CCAS, public="senior", on=date(2027, 11, 9),
                        identifier=f"PN27S{n:06d}", serials=[f"PN05-{n:06d}"])
    complete(app, instance_id, "remettre_carnets_beneficiaires", {"date_fin_remises": "2027-11-20"})
    # The gate read the ledger: one booklet still held, the report refused with the count.
    assert "1 carnet(s) de 5 pass ni remis ni restitués" in get_instance(app, instance_id, ADMIN)["data"]["erreur_remises"]
    ledger.return_to_stock(app, campaign, ADMIN, prescriber=CCAS, on=date(2027, 11, 20), serials=[last])
    complete(app, instance_id, "remettre_carnets_beneficiaires", {"date_fin_remises": "2027-11-20"})
    data = get_instance(app, instance_id, ADMIN)["data"]
    report = data["bilans_prescripteurs"][0]
    assert (report["carnets_remis"], report["carnets_restitues"], report["beneficiaires"]) == (handouts, 1, handouts)
    assert data["campagne_registre"] == campaign and "registre" not in data
    return json.dumps(data, ensure_ascii=False).encode(), stored_bytes(app, instance_id)


def test_thousands_of_handouts_stay_in_the_ledger_not_in_the_instance(app):
    few_data, few_stored = run_distribution(app, 10)
    data, stored = run_distribution(app, HANDOUTS)
    assert len(data) < 50 * 1024, len(data)
    # The same steps store the same state whatever the number of handouts (a few digits more).
    assert abs(stored - few_stored) < 512, (few_stored, stored)
    assert abs(len(data) - len(few_data)) < 128, (len(few_data), len(data))


def test_a_start_naming_a_campaign_the_starter_does_not_see_is_refused_and_starts_nothing(app):
    outside = ledger.open_campaign(app, "ailleurs", ADMIN)["id"]
    for campaign in (outside + 1, "1"):
        with pytest.raises(InvalidData) as refused:
            start_instance(app, "distribution", {**START, "campagne_registre": campaign}, ADMIN)
        assert refused.value.details == {"campagne_registre": "campagne inconnue sur ce territoire"}
    with pytest.raises(InvalidData) as unseen:
        start_instance(app, "distribution", {**START, "campagne_registre": outside},
                       actor("dir", "director", territories=["972"]))
    assert unseen.value.details == {"campagne_registre": "campagne inconnue sur ce territoire"}
    with app.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(WorkflowHeader)).scalar() == 0


# A step that follows an incoming message (not a task, not a timer) reads its campaign's figures too.
def receiver(process_id, before):
    """Waits for the message (after a user task `preparer` if `before`), then notes the figures."""
    p = process_id   # element ids are unique in the whole file
    first = [user_task("preparer", "Préparer")] if before else []
    chain = [f"{p}_start", *(["preparer"] if before else []), f"{p}_wait", f"{p}_figures", f"{p}_constater",
             f"{p}_end"]
    return process(process_id, "\n".join([
        f'<bpmn:startEvent id="{p}_start"/>', *first,
        catch_message(f"{p}_wait", "Attendre la livraison", "msg_stock", "livraison"),
        script_task(f"{p}_figures", 'remis = registre["passes_remis"] if registre is not None else None\n'
                                    'stock = registre["stock"] if registre is not None else None'),
        user_task(f"{p}_constater", "Constater"), f'<bpmn:endEvent id="{p}_end"/>',
        *[flow(f"{p}_f{i}", a, b) for i, (a, b) in enumerate(zip(chain, chain[1:]))]]))


MESSAGE_MODELS = definitions(
    '<bpmn:message id="msg_stock" name="stock_livre"/>',
    receiver("receveur", before=False),
    receiver("receveur_apres_preparation", before=True),
    process("livreur", "\n".join([
        '<bpmn:startEvent id="start_l"/>', user_task("livrer", "Livrer"),
        throw_message("notify", "Annoncer la livraison", "msg_stock", '{"bon": "BC-1"}'),
        '<bpmn:endEvent id="end_l"/>',
        flow("g1", "start_l", "livrer"), flow("g2", "livrer", "notify"), flow("g3", "notify", "end_l")])),
)


@pytest.mark.parametrize("waiting", [True, False], ids=["waiting", "pending"])
def test_a_step_moved_on_by_a_message_reads_the_campaign_of_its_instance(app, waiting):
    """The message caught as it is sent, or kept pending until the instance waits for it."""
    deploy_xml(app, {"messages.bpmn": MESSAGE_MODELS})
    receiver_id = start_instance(app, "receveur" if waiting else "receveur_apres_preparation", {}, ADMIN)["id"]
    campaign = small_campaign(app, instance_id=receiver_id)
    ledger.endow(app, campaign, DIRECTOR, prescriber="CCAS", on=date(2027, 3, 1), serials=["CAPN10-000001"])
    ledger.hand_out(app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=date(2027, 3, 2),
                    serials=["CAPN10-000001"])
    sender = start_instance(app, "livreur", {}, ADMIN)["id"]
    complete(app, sender, "livrer", {})
    if not waiting:
        assert "livraison" not in get_instance(app, receiver_id, ADMIN)["data"]
        complete(app, receiver_id, "preparer", {})
    data = get_instance(app, receiver_id, ADMIN)["data"]
    assert data["livraison"] == {"bon": "BC-1"}
    assert data["remis"] == 10
    assert data["stock"] == [{"cheques_par_carnet": 5, "nombre_carnets": 10},
                             {"cheques_par_carnet": 10, "nombre_carnets": 19}]
    assert "registre" not in data
