"""Work per API request, counted: SQL statements and Python function calls of a start, a task
list, a completion (warm and cold) and a task read, through the Flask application in this
process (no HTTP, no network: what the server itself does per request).

Counts are deterministic (they do not depend on the machine's load): they prove a change;
the times next to them are indicative only. Each figure is the median over --runs whole
10-step instances (as bench/api.py drives them: token once; start; list, complete, ten times).

Prints a table, then one JSON line: {kind: {"queries", "calls", "ms"}}.
usage: python bench/api_profile.py [--runs 10] [--postgres-url URL] [--top N] [--sql] [--root SOURCE_TREE]
`--top N` prints the N functions with the most cumulative time (PROFILE_SORT=tottime: own time) of
the last request of the kind --top-kind (complete by default).
`--root` profiles another source tree (an exported older commit, for before/after figures).
"""
import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "banc-d-essai-profil"
PROCESS = "bench_ten"
STEPS = 10


class Counter:
    """SQL statements sent to the database (every engine of the application)."""

    def __init__(self, db):
        from sqlalchemy import event
        self.count, self.statements = 0, []
        for engine in {db.engine, db.write_engine}:
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection, _cursor, statement, *_args):
        self.count += 1
        self.statements.append(" ".join(statement.split())[:150])


def measured(counter, call):
    """(result, statements, function calls, ms) of `call()`."""
    profile = cProfile.Profile()
    before = counter.count
    counter.statements.clear()
    started = time.perf_counter()
    profile.enable()
    result = call()
    profile.disable()
    elapsed = (time.perf_counter() - started) * 1000
    calls = sum(stat[1] for stat in pstats.Stats(profile).stats.values())
    return result, counter.count - before, calls, elapsed, profile


def open_app(data_dir, database_url):
    from bpmn_chain import sequential_bpmn
    from server import create_app
    from server.config import WebSettings
    from workflows.config import Settings
    from workflows.services import open_conventio
    from workflows.services.actors import Actor
    from workflows.services.deploy import deploy_sources
    from workflows.services.users import add_user

    settings = Settings.from_env(env={}, data_dir=data_dir, database_url=database_url)
    conventio = open_conventio(settings)
    deploy_sources(conventio, {"ten.bpmn": sequential_bpmn(STEPS, PROCESS).encode()},
                   Actor("bench", frozenset({"admin"})))
    add_user(conventio, "bench", ["admin"], [], password=PASSWORD)
    web = WebSettings(secret_key="banc-d-essai-" + "x" * 32, login_attempts=1000)
    app = create_app(conventio=conventio, test_config={"WEB_SETTINGS": web})
    return conventio, app


def profile_requests(conventio, app, runs, top, show_sql=False, top_kind="complete"):
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "bench", "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    counter = Counter(conventio.db)
    figures = {kind: [] for kind in ("start", "list", "complete", "complete_cold", "task")}
    kept = None

    def note(kind, call, status):
        nonlocal kept
        response, queries, calls, ms, profile = measured(counter, call)
        if kind == top_kind:
            kept = profile
        assert response.status_code == status, (kind, response.status_code, response.get_data(as_text=True))
        figures[kind].append((queries, calls, ms))
        if show_sql and len(figures[kind]) == 3:
            print(f"--- {kind}", *counter.statements, sep="\n  ")
        return response.get_json(), profile

    for run in range(runs + 2):   # the first two instances warm the caches up, uncounted
        if run == 2:
            for values in figures.values():
                values.clear()
        instance, _ = note("start", lambda: client.post(f"/api/v1/processes/{PROCESS}/instances",
                                                        json={"data": {}}, headers=headers), 201)
        for step in range(STEPS):
            tasks, _ = note("list", lambda: client.get(f"/api/v1/tasks?instance_id={instance['id']}",
                                                       headers=headers), 200)
            task_id = tasks[0]["id"]
            if step == 0:
                note("task", lambda: client.get(f"/api/v1/tasks/{task_id}", headers=headers), 200)
            cold = step == STEPS // 2
            if cold:   # as another process, or after a restart: nothing of the instance in memory
                conventio.cache.clear()
                conventio.engine.clear()
            _, profile = note("complete_cold" if cold else "complete",
                              lambda: client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {}},
                                                  headers=headers), 200)
    if top:
        pstats.Stats(kept).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(top)
    return {kind: {"queries": statistics.median(v[0] for v in values),
                   "calls": statistics.median(v[1] for v in values),
                   "ms": round(statistics.median(v[2] for v in values), 2)}
            for kind, values in figures.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--postgres-url", default=None, help="base d’administration (une base jetable y est créée)")
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--top-kind", default="complete", help="la sorte de requête dont --top montre le profil")
    parser.add_argument("--sql", action="store_true", help="affiche les requêtes SQL d’une requête de chaque sorte")
    parser.add_argument("--root", type=Path, default=HERE.parent)
    args = parser.parse_args()
    sys.path[:0] = [str(args.root.resolve()), str(HERE)]
    from http_bench import postgres_database
    os.chdir(args.root)
    drop = None
    with tempfile.TemporaryDirectory(prefix="conventio-profile-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        if args.postgres_url:
            url, drop = postgres_database(args.postgres_url)
            if url is None:
                sys.exit(1)
        conventio, app = open_app(Path(tmp), url)
        try:
            figures = profile_requests(conventio, app, args.runs, args.top, args.sql, args.top_kind)
        finally:
            conventio.close()
            if drop:
                drop()
    print(f"{'requête':<14} {'requêtes SQL':>12} {'appels Python':>14} {'ms':>8}")
    for kind, values in figures.items():
        print(f"{kind:<14} {values['queries']:>12} {values['calls']:>14} {values['ms']:>8}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
