"""Cost of a step, persisted, against the length of the instance's history.

Conventio completes the user tasks of a long sequential process through the task
service (SQLite file, journal, everything a real step does), warm (the instance kept
by a long-running process) and cold (instance and definition reloaded from the
database, as a fresh CLI process does). The naive baseline is SpiffWorkflow alone,
the whole workflow serialized to JSON and reloaded at every step, in one SQLite row.

Prints a table, then one JSON line: medians per step in milliseconds.
usage: python bench/engine.py [--tasks 520] [--window 15]
"""
import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from bpmn_chain import sequential_bpmn  # noqa: E402
from workflows.config import Settings  # noqa: E402
from workflows.services import open_conventio  # noqa: E402
from workflows.services.actors import Actor  # noqa: E402
from workflows.services.deploy import deploy_sources  # noqa: E402
from workflows.services.instances import start_instance  # noqa: E402
from workflows.services.tasks import complete_task, list_tasks  # noqa: E402

HISTORY_POINTS = (10, 100, 500)
ADMIN = Actor("bench", frozenset({"admin"}))
FORM_DATA = {"avis": "favorable", "commentaire": "RAS"}


def measured_steps(window):
    """Step numbers measured for each history point: `window` steps starting there."""
    return {point: range(point, point + window) for point in HISTORY_POINTS}


def conventio_steps(xml, workdir, cold):
    """Yield the duration (ms) of each successive step of a Conventio instance."""
    settings = Settings.from_env(env={}, data_dir=workdir, database_url=f"sqlite:///{workdir / 'bench.db'}")
    app = open_conventio(settings)
    deploy_sources(app, {"chain.bpmn": xml.encode()}, ADMIN)
    instance_id = start_instance(app, "long_chain", {}, ADMIN)["id"]
    task_id = list_tasks(app, ADMIN, instance_id=instance_id)[0]["id"]
    try:
        while task_id:
            if cold:
                app.cache.clear()
                app.engine.clear()
            started = time.perf_counter()
            result = complete_task(app, task_id, dict(FORM_DATA), ADMIN)
            yield (time.perf_counter() - started) * 1000
            task_id = result["next_tasks"][0]["id"] if result["next_tasks"] else None
    finally:
        app.close()


def naive_steps(xml, workdir):
    """Yield the duration (ms) of each step of SpiffWorkflow alone, reloading and rewriting all."""
    parser = SpiffBpmnParser()
    sys.setrecursionlimit(20000)
    parser.add_bpmn_str(xml.encode(), "chain.bpmn")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    db = sqlite3.connect(workdir / "naive.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE instance (id INTEGER PRIMARY KEY, body TEXT)")
    workflow = BpmnWorkflow(parser.get_spec("long_chain"))
    workflow.do_engine_steps()
    db.execute("INSERT INTO instance VALUES (1, ?)", (serializer.serialize_json(workflow),))
    try:
        while not workflow.is_completed():
            started = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            body = db.execute("SELECT body FROM instance WHERE id = 1").fetchone()[0]
            workflow = serializer.deserialize_json(body)
            task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data.update(FORM_DATA)
            task.run()
            workflow.do_engine_steps()
            db.execute("UPDATE instance SET body = ? WHERE id = 1", (serializer.serialize_json(workflow),))
            db.execute("COMMIT")
            yield (time.perf_counter() - started) * 1000
    finally:
        db.close()


def medians(runner, total, window):
    """Run `total` steps; the median of each history point's window of steps."""
    durations = [next(runner) for _ in range(total)]
    runner.close()
    return {str(point): statistics.median(durations[step] for step in steps)
            for point, steps in measured_steps(window).items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=520)
    parser.add_argument("--window", type=int, default=15)
    args = parser.parse_args()
    total = max(args.tasks, max(HISTORY_POINTS) + args.window)
    xml = sequential_bpmn(total + 2)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in ("warm", "cold", "naive"):
            (tmp / name).mkdir()
        # One after the other: run side by side, each would evict the others from the CPU caches.
        figures = {
            "conventio_ms": medians(conventio_steps(xml, tmp / "warm", cold=False), total, args.window),
            "conventio_cold_ms": medians(conventio_steps(xml, tmp / "cold", cold=True), total, args.window),
            "naive_ms": medians(naive_steps(xml, tmp / "naive"), total, args.window),
        }
    print(f"Process of {total + 2} sequential user tasks, SQLite (synchronous=FULL), "
          f"median of {args.window} steps per point, ms per step")
    print(f"{'history':>8} {'warm':>9} {'cold':>9} {'naive':>9} {'naive/warm':>11} {'naive/cold':>11}")
    for point in map(str, HISTORY_POINTS):
        warm, cold, naive = (figures[k][point] for k in ("conventio_ms", "conventio_cold_ms", "naive_ms"))
        print(f"{point:>8} {warm:9.2f} {cold:9.2f} {naive:9.2f} {naive / warm:11.1f} {naive / cold:11.1f}")
    print(json.dumps({key: {p: round(v, 3) for p, v in values.items()} for key, values in figures.items()}))


if __name__ == "__main__":
    main()
