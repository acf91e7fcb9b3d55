"""Speed of the API as its clients see it: one whole instance, then many clients at once.

`conventio serve` runs on a fresh data directory, started by this script:
1. a whole 10-task sequential instance through the API (token once; start; then list the
   instance's tasks and complete the first, ten times; a completion that answers with the
   caller's next tasks, `your_tasks`, saves the next list): median of --runs instances;
2. --clients clients (threads, one HTTP connection each) for --duration seconds, each loop
   starting an instance, listing its tasks and completing two: requests per second and
   latency percentiles, on PostgreSQL (a throw-away database) and on SQLite; afterwards every
   acknowledged completion is checked stored once (its task completed, one journal entry);
3. the engine bench's cold step against the naive baseline at 500 tasks (bench/engine.py).

Prints a table, then as its last line one JSON line:
{"whole_instance_ms", "load_rps_pg", "load_p99_ms_pg", "load_p99_ms_sqlite", "cold_vs_naive_500"}
(null where a part was skipped or PostgreSQL is unreachable).

usage: python bench/api.py [--runs 20] [--clients 20] [--duration 60] [--skip-engine] [--skip-load]
                           [--list-each-step] [--postgres-url URL] [--root SOURCE_TREE]
                           [--server-option=--workers --server-option=2]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bpmn_chain import sequential_bpmn
from http_bench import Api, free_port, postgres_database, start_server, summary

HERE = Path(__file__).resolve().parent.parent
PASSWORD = "banc-d-essai-api"
PROCESS = "bench_ten"
STEPS = 10
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


# --- in a child process with the server's source tree on its path ----------------------------
def _conventio(data_dir, database_url):
    from workflows.config import Settings
    from workflows.services import open_conventio
    settings = Settings.from_env(env=dict(os.environ), data_dir=Path(data_dir), database_url=database_url)
    return open_conventio(settings)


def setup(data_dir, database_url):
    from workflows.services.actors import Actor
    from workflows.services.deploy import deploy_sources
    from workflows.services.users import add_user
    app = _conventio(data_dir, database_url)
    try:
        deploy_sources(app, {"ten.bpmn": sequential_bpmn(STEPS, PROCESS).encode()},
                       Actor("bench", frozenset({"admin"})))
        add_user(app, "bench", ["admin"], [], password=PASSWORD)
    finally:
        app.close()


def check(data_dir, database_url, acknowledged_file):
    """Each acknowledged completion: its task completed, exactly one journal entry for it."""
    from sqlalchemy import func, select
    from workflows.store.models import AuditEntry, TaskRecord
    acknowledged = json.loads(Path(acknowledged_file).read_text())
    app = _conventio(data_dir, database_url)
    try:
        with app.db.sessions() as session:
            entries = dict(session.execute(
                select(AuditEntry.task_id, func.count()).where(AuditEntry.action.in_(("completion", "decision")))
                .group_by(AuditEntry.task_id)).all())
            states = dict(session.execute(select(TaskRecord.id, TaskRecord.state)).all())
    finally:
        app.close()
    wrong = [t for t in acknowledged if entries.get(t) != 1 or states.get(t) != "completed"]
    print(json.dumps({"acknowledged": len(acknowledged), "wrong": wrong[:10], "wrong_count": len(wrong)}))


# --- the measures -----------------------------------------------------------------------------
def whole_instance(api, list_each_step=False):
    """Start, list the instance's tasks, complete the first, ten times; a completion that answers
    with the caller's next tasks (`your_tasks`) saves the next list, unless `list_each_step`."""
    started = time.perf_counter()
    status, instance = api.post(f"/api/v1/processes/{PROCESS}/instances", {"data": {}})
    assert status == 201, (status, instance)
    tasks = None
    for _ in range(STEPS):
        if tasks is None:
            status, tasks = api.get(f"/api/v1/tasks?instance_id={instance['id']}")
            assert status == 200 and tasks, (status, tasks)
        status, body = api.post(f"/api/v1/tasks/{tasks[0]['id']}/complete", {"data": {}})
        assert status == 200, (status, body)
        tasks = None if list_each_step else body.get("your_tasks")
    return time.perf_counter() - started


class LoadClient(threading.Thread):
    """Start, list, complete two, again, until told to stop; notes each request's latency."""

    def __init__(self, port, token, stop):
        super().__init__(daemon=True)
        self.api, self.stop = Api(port, token), stop
        self.latencies, self.acknowledged, self.errors = {"start": [], "list": [], "complete": []}, [], []

    def timed(self, kind, call, *args):
        began = time.perf_counter()
        status, body = call(*args)
        self.latencies[kind].append((began, time.perf_counter()))
        if status not in (200, 201):
            self.errors.append((kind, status, body))
        return status, body

    def run(self):
        while not self.stop.is_set() and not self.errors:
            _, instance = self.timed("start", self.api.post, f"/api/v1/processes/{PROCESS}/instances", {"data": {}})
            if self.errors:
                return
            _, tasks = self.timed("list", self.api.get, f"/api/v1/tasks?instance_id={instance['id']}")
            task_id = tasks[0]["id"] if tasks else None
            for _ in range(2):
                if task_id is None or self.stop.is_set():
                    break
                status, body = self.timed("complete", self.api.post, f"/api/v1/tasks/{task_id}/complete",
                                          {"data": {}})
                if status != 200:
                    return
                self.acknowledged.append(task_id)
                task_id = body["next_tasks"][0]["id"] if body["next_tasks"] else None


def run_server(root, database_url, options, work):
    """Set up a fresh installation, serve it, run work(port, token); then check the completions."""
    with tempfile.TemporaryDirectory(prefix="conventio-api-") as tmp:
        data_dir = Path(tmp)
        database_url = database_url or f"sqlite:///{data_dir / 'bench.db'}"
        env = dict(os.environ, PYTHONPATH=str(root), CONVENTIO_DATA_DIR=str(data_dir),
                   CONVENTIO_DATABASE_URL=database_url, CONVENTIO_SECRET_KEY="banc-d-essai", CONVENTIO_AUDIT_KEY="banc-d-essai-journal",
                   CONVENTIO_LOGIN_ATTEMPTS="1000")
        _child(root, env, "--_setup", str(data_dir), database_url)
        port = free_port()
        server = start_server(root, env, port, data_dir / "server.log", options)
        try:
            status, body = Api(port).post("/api/v1/auth/token", {"username": "bench", "password": PASSWORD})
            if status != 200:
                raise SystemExit(f"jeton refusé : {status} {body}")
            result, acknowledged = work(port, body["token"])
        finally:
            server.terminate()
            server.wait(30)
        (data_dir / "acknowledged.json").write_text(json.dumps(acknowledged))
        checked = json.loads(_child(root, env, "--_check", str(data_dir), database_url,
                                    str(data_dir / "acknowledged.json")))
        return result, checked


def _child(root, env, *args):
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=root, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def load(clients, duration):
    def work(port, token):
        stop = threading.Event()
        workers = [LoadClient(port, token, stop) for _ in range(clients)]
        for worker in workers:
            worker.start()
        time.sleep(duration)
        stop.set()
        for worker in workers:
            worker.join(120)
        spans = {kind: [end - start for w in workers for start, end in w.latencies[kind]]
                 for kind in ("start", "list", "complete")}
        every = [v for values in spans.values() for v in values]
        result = {"rps": round(len(every) / duration, 1), **summary(every),
                  "by_kind": {kind: summary(values) for kind, values in spans.items()},
                  "errors": [e for w in workers for e in w.errors][:5]}
        return result, [t for w in workers for t in w.acknowledged]
    return work


def whole(runs, list_each_step=False):
    def work(port, token):
        api = Api(port, token)
        for _ in range(3):   # warm-up: connection, caches
            whole_instance(api, list_each_step)
        times = [whole_instance(api, list_each_step) for _ in range(runs)]
        return round(1000 * statistics.median(times), 1), []
    return work


def engine_ratio(root):
    done = subprocess.run([sys.executable, str(root / "bench" / "engine.py")], cwd=root, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(root)))
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return round(figures["naive_ms"]["500"] / figures["conventio_cold_ms"]["500"], 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--postgres-url", default=ADMIN_URL, help="base d’administration (une base jetable y est créée)")
    parser.add_argument("--server-option", action="append", default=None,
                        help="option de `conventio serve` (répétable), par défaut --threads 8")
    parser.add_argument("--skip-engine", action="store_true")
    parser.add_argument("--skip-load", action="store_true", help="sans les 20 clients (instance entière seule)")
    parser.add_argument("--list-each-step", action="store_true",
                        help="instance entière : lister avant chaque complétion, sans `your_tasks`")
    parser.add_argument("--root", type=Path, default=HERE)
    args = parser.parse_args()
    root, options = args.root.resolve(), tuple(args.server_option or ("--threads", "8"))

    whole_ms, _ = run_server(root, None, options, whole(args.runs, args.list_each_step))
    print(f"Instance entière ({STEPS} étapes, SQLite) : médiane {whole_ms} ms sur {args.runs}")
    figures = {"whole_instance_ms": whole_ms}
    url, drop = (None, None) if args.skip_load else postgres_database(args.postgres_url)
    for name, database_url in () if args.skip_load else (("pg", url), ("sqlite", None)):
        if name == "pg" and url is None:
            figures.update(load_rps_pg=None, load_p99_ms_pg=None)
            continue
        try:
            result, checked = run_server(root, database_url, options, load(args.clients, args.duration))
        finally:
            if name == "pg":
                drop()
        print(f"Charge {name} : {args.clients} clients, {args.duration:.0f} s : {json.dumps(result, ensure_ascii=False)}")
        print(f"  complétions acquittées : {checked['acknowledged']}, mal enregistrées : {checked['wrong_count']}")
        if checked["wrong_count"]:
            raise SystemExit(f"complétions perdues ou doublées : {checked['wrong']}")
        figures[f"load_rps_{name}"] = result["rps"]
        figures[f"load_p99_ms_{name}"] = result["p99_ms"]
    figures.pop("load_rps_sqlite", None)
    for skipped in ("load_rps_pg", "load_p99_ms_pg", "load_p99_ms_sqlite"):
        figures.setdefault(skipped, None)
    figures["cold_vs_naive_500"] = None if args.skip_engine else engine_ratio(root)
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("--_setup", "--_check"):
        sys.path.insert(0, os.getcwd())
        (setup if sys.argv[1] == "--_setup" else check)(*sys.argv[2:])
    else:
        main()
