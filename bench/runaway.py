"""Latency of ordinary API clients while a model's script loops until its budget.

`conventio serve` runs on a fresh data directory (SQLite file by default, or the
PostgreSQL database given); a few API clients (threads of this process, one HTTP
connection each) complete the tasks of their own long sequential instances over and
over. Their completions are timed first normally, then while one more request completes
the task of a model whose next script is an endless loop, stopped by the script budget.
A step holds no database lock while model code runs: the clients' p99 during the
runaway step should stay within twice their normal p99 (issue 10).

Prints one JSON line: both p99 (and p50) in milliseconds, their ratio, the runaway
request's own duration and how many client requests it overlapped.

usage: python bench/runaway.py [--clients 4] [--budget 5] [--normal 10] [--runaways 2]
                               [--database-url URL] [--root SOURCE_TREE]
`--root` runs the server (and the setup) from another source tree, e.g. an exported
older commit (git archive), to compare with its behaviour.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bpmn_chain import sequential_bpmn
from http_bench import Api, free_port, start_server, summary

HERE = Path(__file__).resolve().parent.parent
PASSWORD = "banc-d-essai-runaway"
CHAIN_TASKS = 300     # Spiff walks the task tree recursively: keep chains short, give each client several
CHAINS_PER_CLIENT = 6


RUNAWAY_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="runaway"
    targetNamespace="http://conventio.bench">
<bpmn:process id="bench_runaway" isExecutable="true">
<bpmn:startEvent id="start"/>
<bpmn:userTask id="ask" name="Saisir"/>
<bpmn:scriptTask id="loop" name="Boucle sans fin"><bpmn:script>n = 0
while True:
    n = n + 1</bpmn:script></bpmn:scriptTask>
<bpmn:userTask id="after" name="Suite"/>
<bpmn:endEvent id="end"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask"/>
<bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="loop"/>
<bpmn:sequenceFlow id="f3" sourceRef="loop" targetRef="after"/>
<bpmn:sequenceFlow id="f4" sourceRef="after" targetRef="end"/>
</bpmn:process></bpmn:definitions>
"""


# --- setup, run in a child process with the server's source tree on its path ------------------
def setup(data_dir, database_url, clients, runaways):
    """Deploy the two models, add the bench user, start the instances; print the task ids."""
    from workflows.config import Settings
    from workflows.services import open_conventio
    from workflows.services.actors import Actor
    from workflows.services.deploy import deploy_sources
    from workflows.services.instances import start_instance
    from workflows.services.tasks import list_tasks
    from workflows.services.users import add_user

    settings = Settings.from_env(env=dict(os.environ), data_dir=Path(data_dir), database_url=database_url)
    app = open_conventio(settings)
    admin = Actor("bench", frozenset({"admin"}))
    try:
        deploy_sources(app, {"chain.bpmn": sequential_bpmn(CHAIN_TASKS, "bench_chain").encode(),
                             "runaway.bpmn": RUNAWAY_BPMN.encode()}, admin)
        add_user(app, "bench", ["admin"], [], password=PASSWORD)

        def first_task(process_id):
            instance_id = start_instance(app, process_id, {}, admin)["id"]
            return list_tasks(app, admin, instance_id=instance_id)[0]["id"]

        print(json.dumps({"clients": [[first_task("bench_chain") for _ in range(CHAINS_PER_CLIENT)]
                                      for _ in range(clients)],
                          "runaways": [first_task("bench_runaway") for _ in range(runaways)]}))
    finally:
        app.close()


class Client(threading.Thread):
    """Completes its instance's tasks one after the other; notes (start, end) of each."""

    def __init__(self, port, token, task_ids, stop):
        super().__init__(daemon=True)
        self.api, self.stop = Api(port, token), stop
        self.task_id, self.next_chains = task_ids[0], list(task_ids[1:])
        self.timings, self.errors = [], []

    def run(self):
        while not self.stop.is_set():
            if self.task_id is None:
                if not self.next_chains:
                    self.errors.append("plus de tâches : allongez CHAINS_PER_CLIENT")
                    return
                self.task_id = self.next_chains.pop(0)
            started = time.perf_counter()
            status, body = self.api.post(f"/api/v1/tasks/{self.task_id}/complete", {"data": {}})
            ended = time.perf_counter()
            if status != 200:
                self.errors.append((status, body))
                return
            self.timings.append((started, ended))
            self.task_id = body["next_tasks"][0]["id"] if body["next_tasks"] else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--budget", type=float, default=5.0, help="budget d’un script, en secondes")
    parser.add_argument("--normal", type=float, default=10.0, help="durée de la mesure normale, en secondes")
    parser.add_argument("--runaways", type=int, default=2, help="étapes qui bouclent, l’une après l’autre")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--root", type=Path, default=HERE)
    args = parser.parse_args()
    root = args.root.resolve()

    with tempfile.TemporaryDirectory(prefix="conventio-runaway-") as tmp:
        data_dir = Path(tmp)
        database_url = args.database_url or f"sqlite:///{data_dir / 'bench.db'}"
        env = dict(os.environ, PYTHONPATH=str(root), CONVENTIO_DATA_DIR=str(data_dir),
                   CONVENTIO_DATABASE_URL=database_url, CONVENTIO_SCRIPT_BUDGET=str(args.budget),
                   CONVENTIO_SECRET_KEY="banc-d-essai", CONVENTIO_AUDIT_KEY="banc-d-essai-journal", CONVENTIO_LOGIN_ATTEMPTS="1000")
        prepared = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_setup", str(data_dir),
                                   database_url, str(args.clients), str(args.runaways)],
                                  cwd=root, env=env, capture_output=True, text=True)
        if prepared.returncode != 0:
            raise SystemExit(prepared.stderr)
        tasks = json.loads(prepared.stdout.strip().splitlines()[-1])
        port = free_port()
        server = start_server(root, env, port, data_dir / "server.log")
        try:
            status, body = Api(port).post("/api/v1/auth/token", {"username": "bench", "password": PASSWORD})
            if status != 200:
                raise SystemExit(f"jeton refusé : {status} {body}")
            token = body["token"]
            stop = threading.Event()
            clients = [Client(port, token, task_ids, stop) for task_ids in tasks["clients"]]
            for client in clients:
                client.start()
            time.sleep(2)   # warm-up: connections, caches
            normal_from = time.perf_counter()
            time.sleep(args.normal)
            normal_to = time.perf_counter()
            runaway_windows, runaway_outcomes = [], []
            for task_id in tasks["runaways"]:
                started = time.perf_counter()
                status, body = Api(port, token).post(f"/api/v1/tasks/{task_id}/complete", {"data": {}})
                runaway_windows.append((started, time.perf_counter()))
                runaway_outcomes.append((status, (body or {}).get("error")))
                time.sleep(1)
            stop.set()
            for client in clients:
                client.join(120)
        finally:
            server.terminate()
            server.wait(30)

    errors = [e for client in clients for e in client.errors]
    timings = [t for client in clients for t in client.timings]
    normal = [end - start for start, end in timings if start >= normal_from and end <= normal_to]
    during = [end - start for start, end in timings
              if any(start < w_end and end > w_start for w_start, w_end in runaway_windows)]
    normal_summary, during_summary = summary(normal), summary(during)
    ratio = (round(during_summary["p99_ms"] / normal_summary["p99_ms"], 2)
             if normal_summary["p99_ms"] and during_summary["p99_ms"] else None)
    print(json.dumps({
        "database": "postgresql" if database_url.startswith("postgresql") else "sqlite",
        "source": str(root), "clients": args.clients, "script_budget_s": args.budget,
        "normal": normal_summary, "during_runaway": during_summary, "p99_ratio": ratio,
        "target_p99_within_2x": ratio is not None and ratio <= 2,
        "runaway_ms": [round(1000 * (end - start)) for start, end in runaway_windows],
        "runaway_responses": runaway_outcomes, "client_errors": errors[:5],
    }, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--_setup":
        sys.path.insert(0, os.getcwd())
        setup(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
