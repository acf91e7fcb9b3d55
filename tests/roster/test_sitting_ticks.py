"""The roster as ticked at a sitting, kept for the instance's extract: the last sitting's ticks
replace the earlier ones, only what is a tick is kept, the territory's people alone read or write
them, and the migration goes up and down."""
import pytest
from sqlalchemy import inspect

from bpmn_builder import definitions, flow, process, user_task
from helpers import ADMIN, actor, deploy_xml, downgrade
from workflows.errors import NotFound
from workflows.services.instances import start_instance
from workflows.services.sitting_ticks import keep_sitting_ticks, sitting_ticks
from workflows.store.migrate import upgrade

MODEL = definitions(process("seance", "\n".join([
    '<bpmn:startEvent id="start"/>', user_task("tenir_seance", "Tenir la séance"), '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "tenir_seance"), flow("f2", "tenir_seance", "end")])))
SECRETARIAT = actor("secretariat", "assembly", territories=("cap-nord",))
ELSEWHERE = actor("secretariat78", "assembly", territories=("yvelines",))


@pytest.fixture
def instance(any_app):
    deploy_xml(any_app, {"seance.bpmn": MODEL})
    return any_app, start_instance(any_app, "seance", {}, ADMIN, territory="cap-nord")["id"]


def test_the_last_sitting_s_ticks_are_kept_for_the_extract(instance):
    app, instance_id = instance
    assert sitting_ticks(app, instance_id, SECRETARIAT) == {}
    keep_sitting_ticks(app, instance_id, {1: ("present", None), 2: ("represented", 1), 3: ("absent", None)},
                       SECRETARIAT)
    assert sitting_ticks(app, instance_id, SECRETARIAT) == {1: ("present", None), 2: ("represented", 1),
                                                            3: ("absent", None)}
    # the reconvened sitting's ticks replace the first's; a row left unticked is not a tick
    keep_sitting_ticks(app, instance_id, {1: ("absent", None), 2: (None, None), 4: ("bogus", None)}, SECRETARIAT)
    assert sitting_ticks(app, instance_id, SECRETARIAT) == {1: ("absent", None)}


def test_another_territory_neither_reads_nor_writes_them(instance):
    app, instance_id = instance
    keep_sitting_ticks(app, instance_id, {1: ("present", None)}, SECRETARIAT)
    with pytest.raises(NotFound):
        sitting_ticks(app, instance_id, ELSEWHERE)
    with pytest.raises(NotFound):
        keep_sitting_ticks(app, instance_id, {1: ("absent", None)}, ELSEWHERE)
    assert sitting_ticks(app, instance_id, SECRETARIAT) == {1: ("present", None)}


def test_the_migration_goes_down_and_up(any_app):
    downgrade(any_app.db, "0017_drafts")
    assert "sitting_ticks" not in inspect(any_app.db.engine).get_table_names()
    upgrade(any_app.db)
    assert "sitting_ticks" in inspect(any_app.db.engine).get_table_names()
