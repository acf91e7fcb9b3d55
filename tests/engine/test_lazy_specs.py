"""Definitions unpickled task spec by task spec (engine/lazy_specs.py) are the definitions a
whole pickle gives: the same objects, shared the same way; a cold step unpickles only the
specs it reads; the signed cache file they live in is refused when tampered with."""
import json
import pickle
import threading
import types

import pytest

from bpmn_builder import sequence, user_task
from helpers import ADMIN, CONFORMANCE, ROOT, deploy_xml
from workflows.engine.deployment import parse_model_set
from workflows.engine.lazy_specs import LazyTaskSpecs, decode, encode
from workflows.engine.serialization import specs_from_json
from workflows.engine.spec_cache import SpecCache
from workflows.services.deploy import collect_sources
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import ProcessDefinition

ATOMS = (str, bytes, int, float, complex, bool, type(None), type, types.FunctionType, types.BuiltinFunctionType)


def _model_sets():
    sets = {"bibliothèque": collect_sources([ROOT / "bpmn"])}
    if CONFORMANCE.exists():
        for unit in sorted((CONFORMANCE / "valid").iterdir()):
            if unit.name != "README.md":
                sets[unit.name] = collect_sources([unit])
    return sets


def _definitions():
    """(name, spec_json) of every process of the library and of the conformance corpus."""
    return [(f"{name}:{p.process_id}", p.spec_json)
            for name, sources in _model_sets().items() for p in parse_model_set(sources)]


DEFINITIONS = _definitions()


def assert_same_graph(expected, actual, pairs=None, path="specs"):
    """`actual` holds the same values as `expected`, its objects shared exactly as those are
    (one object of one graph always answers to one object of the other). Atoms, which
    compare by value, may be copies."""
    pairs = {} if pairs is None else pairs     # ("e"|"a", id) -> (expected, actual) met together
    if isinstance(expected, ATOMS):
        assert type(actual) is type(expected) and actual == expected, path
        return
    met = pairs.get(("e", id(expected))) or pairs.get(("a", id(actual)))
    if met is not None:
        assert met[0] is expected and met[1] is actual, f"{path}: partage différent"
        return
    pairs[("e", id(expected))] = pairs[("a", id(actual))] = (expected, actual)
    if isinstance(actual, LazyTaskSpecs):
        assert type(expected) is dict and list(actual) == list(expected), path
        for name in expected:
            assert_same_graph(expected[name], actual[name], pairs, f"{path}[{name!r}]")
        return
    assert type(actual) is type(expected), path
    if isinstance(expected, dict):
        assert list(actual) == list(expected), path
        for key in expected:
            assert_same_graph(expected[key], actual[key], pairs, f"{path}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected), path
        for index, (e, a) in enumerate(zip(expected, actual)):
            assert_same_graph(e, a, pairs, f"{path}[{index}]")
    elif isinstance(expected, (set, frozenset)):
        assert actual == expected, path
    elif hasattr(expected, "__dict__"):
        assert_same_graph(vars(expected), vars(actual), pairs, f"{path}.__dict__")
    else:
        assert actual == expected, path


@pytest.mark.parametrize("name, spec_json", DEFINITIONS, ids=[name for name, _ in DEFINITIONS])
def test_a_definition_decoded_spec_by_spec_is_the_one_a_whole_pickle_gives(name, spec_json):
    whole = pickle.loads(pickle.dumps(specs_from_json(spec_json), protocol=pickle.HIGHEST_PROTOCOL))
    lazy = decode(encode(specs_from_json(spec_json)))
    assert isinstance(lazy[0].task_specs, LazyTaskSpecs)
    assert_same_graph(whole, lazy)


def test_the_graph_check_sees_a_lost_share_and_a_changed_value():
    """The check above can fail: two specs holding one object, then each its own copy."""
    shared = {"commun": [1]}
    first, second = types.SimpleNamespace(valeur=shared), types.SimpleNamespace(valeur=shared)
    copied = (types.SimpleNamespace(valeur={"commun": [1]}), types.SimpleNamespace(valeur={"commun": [1]}))
    with pytest.raises(AssertionError, match="partage"):
        assert_same_graph((first, second), copied)
    with pytest.raises(AssertionError):
        assert_same_graph((first,), (types.SimpleNamespace(valeur={"commun": [2]}),))


def _chain_specs(count):
    xml = sequence("chaine", *[(f"t{i}", user_task(f"t{i}", f"Étape {i}")) for i in range(count)])
    [parsed] = parse_model_set({"chaine.bpmn": xml.encode()})
    return specs_from_json(parsed.spec_json)


def _loaded(mapping):
    return {name for name, entry in mapping._entries.items() if not isinstance(entry, bytes)}


def test_a_task_spec_is_unpickled_when_first_read_and_only_then():
    spec, _subprocesses = decode(encode(_chain_specs(40)))
    before = _loaded(spec.task_specs)
    assert "t20" not in before and len(before) < 5          # the start specs the process holds
    t20 = spec.task_specs["t20"]
    assert _loaded(spec.task_specs) == before | {"t20"}
    assert spec.task_specs.get("t20") is t20 and t20._wf_spec is spec
    assert [s.name for s in t20.outputs] == ["t21"] and t20.outputs[0] is spec.task_specs["t21"]
    assert spec.task_specs.get("absent") is None and "absent" not in spec.task_specs


def test_threads_reading_one_spec_at_once_get_one_object():
    spec, _subprocesses = decode(encode(_chain_specs(60)))
    names = [f"t{i}" for i in range(60)]
    start, seen = threading.Barrier(8), []

    def read():
        start.wait()
        seen.append([spec.task_specs[name] for name in names])

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(all(a is b for a, b in zip(got, seen[0])) for got in seen)


@pytest.mark.parametrize("steps", [3, 30])
def test_a_cold_step_unpickles_only_the_specs_it_reads(app, steps):
    """Instance and definition loaded afresh at every step, as a CLI command does: the
    definition then holds a handful of specs, not the 40 of the chain (neither those of its
    history nor those of the tasks predicted ahead)."""
    deploy_xml(app, {"chaine.bpmn": sequence("chaine", *[(f"t{i}", user_task(f"t{i}", f"Étape {i}"))
                                                           for i in range(40)])})
    instance_id = start_instance(app, "chaine", {}, ADMIN)["id"]
    for _ in range(steps):
        app.cache.clear()
        app.engine.clear()
        [task] = list_tasks(app, ADMIN, instance_id=instance_id)
        complete_task(app, task["id"], {"avis": "favorable"}, ADMIN)
    [definition] = list(app.engine._definitions.values())
    loaded = _loaded(definition.spec.task_specs)
    assert {f"t{steps - 1}", f"t{steps}"} <= loaded and len(loaded) <= 8, sorted(loaded)
    assert list_tasks(app, ADMIN, instance_id=instance_id)[0]["name"] == f"Étape {steps}"


def test_a_tampered_cache_file_is_ignored_and_rebuilt_from_the_database(app):
    deploy_xml(app, {"chaine.bpmn": sequence("chaine", ("t0", user_task("t0", "Étape 0")),
                                               ("t1", user_task("t1", "Étape 1")))})
    instance_id = start_instance(app, "chaine", {}, ADMIN)["id"]
    [path] = (app.settings.data_dir / "cache" / "definitions").glob("*.pickle")
    blob = bytearray(path.read_bytes())
    blob[-40] ^= 1
    path.write_bytes(bytes(blob))
    with app.db.sessions() as session:
        content_hash = session.query(ProcessDefinition).one().content_hash
    assert SpecCache.in_data_dir(app.settings.data_dir, app.settings.secret_key).load(content_hash) is None
    app.cache.clear()
    app.engine.clear()
    [task] = list_tasks(app, ADMIN, instance_id=instance_id)
    assert complete_task(app, task["id"], {}, ADMIN)["next_tasks"][0]["name"] == "Étape 1"
    assert path.read_bytes() != bytes(blob)       # written again, signed
    assert SpecCache.in_data_dir(app.settings.data_dir, app.settings.secret_key).load(content_hash) is not None


def test_a_plain_copy_of_a_lazy_definition_holds_plain_specs():
    spec, _subprocesses = decode(encode(_chain_specs(5)))
    copied = pickle.loads(pickle.dumps(spec))
    assert type(copied.task_specs) is dict
    assert json.dumps(sorted(copied.task_specs)) == json.dumps(sorted(spec.task_specs))
