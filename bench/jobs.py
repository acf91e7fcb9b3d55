"""Timer firing by real Celery workers: delay from due to fired, and jobs per second.

For 1 then 2 worker processes (prefork, one pool process each) plus one beat, on a Redis
broker and a fresh PostgreSQL database:
  - steady load: `--timers` instances whose timers fall due one after the other over
    `--spread` seconds; delay = the firing step's time (audit entry) minus the due time;
  - burst: `--burst` instances due at the same instant; jobs per second = timers fired
    divided by the time from the first firing to the last.
Prints a table, then one JSON line: delays (p50, p99 in ms) of the steady load with 2
workers, and jobs per second with 1 and 2 workers.
usage: python bench/jobs.py [--timers 300] [--spread 20] [--burst 400]
       (CONVENTIO_BENCH_REDIS_URL, CONVENTIO_BENCH_POSTGRES_URL to point elsewhere)
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import select  # noqa: E402

from workflows.config import Settings  # noqa: E402
from workflows.jobs.celery_app import make_celery  # noqa: E402
from workflows.jobs.settings import JobSettings  # noqa: E402
from workflows.services import open_conventio  # noqa: E402
from workflows.services.actors import Actor  # noqa: E402
from workflows.services.deploy import deploy_sources  # noqa: E402
from workflows.services.instances import start_instance  # noqa: E402
from workflows.store.models import AuditEntry  # noqa: E402

REDIS_URL = os.environ.get("CONVENTIO_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get("CONVENTIO_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
ADMIN = Actor("bench", frozenset({"admin"}))
TIMER_MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="bench" targetNamespace="http://conventio.bench">
<bpmn:process id="minute" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="delay"><bpmn:timerEventDefinition>
    <bpmn:timeDate xsi:type="bpmn:tFormalExpression">echeance</bpmn:timeDate>
  </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="after" name="Après le délai"/>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="delay"/>
  <bpmn:sequenceFlow id="f2" sourceRef="delay" targetRef="after"/>
  <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end"/>
</bpmn:process></bpmn:definitions>"""


def now():
    return datetime.now(timezone.utc)


class FreshDatabase:
    def __enter__(self):
        self.admin = psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True)
        self.name = f"conventio_bench_{uuid.uuid4().hex[:10]}"
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        return POSTGRES_URL.rsplit("/", 1)[0] + "/" + self.name

    def __exit__(self, *exc):
        self.admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.name,))
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        self.admin.close()


def spawn(args, env, log_path):
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "workflows.jobs.entry", *args], cwd=ROOT,
                            env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def start_celery(workers, env, tmp):
    processes = [spawn(["worker", "--pool=prefork", "--concurrency=1", f"--hostname=bench{i}-{uuid.uuid4().hex[:6]}@%h",
                        "--without-mingle", "--without-gossip", "--loglevel=WARNING"], env, tmp / f"w{i}.log")
                 for i in range(workers)]
    processes.append(spawn(["beat", "--loglevel=WARNING", f"--schedule={tmp / 'schedule'}"], env, tmp / "beat.log"))
    time.sleep(4)   # workers connect and fork their pool process
    for process in processes:
        if process.poll() is not None:
            sys.exit(f"un processus Celery s’est arrêté : voir {tmp}")
    return processes


def stop_celery(processes):
    for process in processes:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def delete_queue(celery, queue):
    with celery.connection_for_write() as connection:
        connection.default_channel.queue_delete(queue)
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def start_timed(app, due_times):
    return {start_instance(app, "minute", {"echeance": due.isoformat()}, ADMIN)["id"]: due for due in due_times}


def wait_fired(app, due_by_instance, timeout):
    deadline = time.monotonic() + timeout
    while True:
        with app.db.sessions() as session:
            fired = dict(session.execute(select(AuditEntry.instance_id, AuditEntry.at).where(
                AuditEntry.action == "minuteur", AuditEntry.instance_id.in_(list(due_by_instance)))).all())
        if len(fired) == len(due_by_instance) or time.monotonic() > deadline:
            return {i: at.replace(tzinfo=timezone.utc) for i, at in fired.items()}
        time.sleep(0.2)


def steady_delays(app, count, spread):
    first = now() + timedelta(seconds=3)
    due_times = [first + timedelta(seconds=spread * i / count) for i in range(count)]
    due_by_instance = start_timed(app, due_times)
    fired = wait_fired(app, due_by_instance, spread + 60)
    return [(fired[i] - due).total_seconds() * 1000 for i, due in due_by_instance.items() if i in fired]


def burst_rate(app, count):
    due = now() + timedelta(seconds=max(5.0, count * 0.04))
    due_by_instance = start_timed(app, [due] * count)
    if now() >= due:
        print("attention : les instances ont été créées après leur échéance", file=sys.stderr)
    fired = sorted(wait_fired(app, due_by_instance, 120).values())
    return len(fired) / max((fired[-1] - fired[0]).total_seconds(), 1e-3), (fired[-1] - due).total_seconds()


def run(workers, args):
    with FreshDatabase() as url, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        env = dict(os.environ, PYTHONPATH=str(ROOT), CONVENTIO_DATABASE_URL=url, CONVENTIO_DATA_DIR=str(tmp),
                   CONVENTIO_BROKER_URL=REDIS_URL, CONVENTIO_JOBS_QUEUE=queue)
        settings = Settings.from_env(env={}, data_dir=tmp, database_url=url)
        app = open_conventio(settings)
        deploy_sources(app, {"minute.bpmn": TIMER_MODEL.encode()}, ADMIN)
        processes = start_celery(workers, env, tmp)
        try:
            delays = steady_delays(app, args.timers, args.spread)
            rate, drained = burst_rate(app, args.burst)
        finally:
            stop_celery(processes)
            delete_queue(make_celery(settings, JobSettings.from_env(env)), queue)
            app.close()
    return {"delays": delays, "rate": rate, "drained": drained, "missed": args.timers - len(delays)}


def percentile(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timers", type=int, default=300)
    parser.add_argument("--spread", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=400)
    args = parser.parse_args()
    results = {workers: run(workers, args) for workers in (1, 2)}
    print(f"{'workers':>8} {'délai p50 (ms)':>15} {'délai p99 (ms)':>15} {'délai max (ms)':>15} "
          f"{'non déclenchés':>15} {'tâches/s':>9} {'rafale vidée (s)':>17}")
    for workers, result in results.items():
        delays = result["delays"]
        print(f"{workers:>8} {percentile(delays, 50):>15.0f} {percentile(delays, 99):>15.0f} {max(delays):>15.0f} "
              f"{result['missed']:>15} {result['rate']:>9.0f} {result['drained']:>17.1f}")
    two = results[2]["delays"]
    print(json.dumps({"delay_ms": {"p50": round(percentile(two, 50)), "p99": round(percentile(two, 99))},
                      "jobs_per_s": {str(w): round(r["rate"], 1) for w, r in results.items()}}))


if __name__ == "__main__":
    main()
