"""Models, services and processes shared by the jobs tests."""
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email.policy import default as default_policy
from pathlib import Path

import pytest

from bpmn_builder import sequence, user_task
from helpers import ROOT

TESTS_DIR = Path(__file__).resolve().parent
# `conventio …` with the jobs commands, whether or not server/cli.py registers them yet.
CONVENTIO_CLI = ("from server.cli import main\n"
                 "from workflows.jobs.cli import beat, jobs, worker\n"
                 "for command in (worker, beat, jobs):\n"
                 "    main.commands.setdefault(command.name, command)\n"
                 "main()\n")
REDIS_URL = os.environ.get("CONVENTIO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("CONVENTIO_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")

TIMER_AT = sequence("minute", (
    "delay", '<bpmn:intermediateCatchEvent id="delay" name="Délai"><bpmn:timerEventDefinition>'
             '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">echeance</bpmn:timeDate>'
             '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'),
    ("after", user_task("after", "Signer après le délai")))


def review_model(due_in="P2D"):
    """One task of the legal service, due `due_in` after it becomes ready."""
    return sequence("revue", ("review", user_task("review", "Relire la convention", {"dueIn": due_in})),
                    lanes={"Service juridique": ["review"]})


def reachable(url, default_port):
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2).close()
        return True
    except OSError:
        return False


def require_redis():
    if not reachable(REDIS_URL, 6379):
        pytest.skip(f"Redis injoignable sur {REDIS_URL} : lancez redis-server "
                    "(apt-get install redis-server ; redis-server --daemonize yes) "
                    "ou réglez CONVENTIO_TEST_REDIS_URL.")
    return REDIS_URL


def require_rabbitmq():
    if not reachable(RABBITMQ_URL, 5672):
        pytest.skip(f"RabbitMQ injoignable sur {RABBITMQ_URL} : lancez rabbitmq-server "
                    "(apt-get install rabbitmq-server ; service rabbitmq-server start) "
                    "ou réglez CONVENTIO_TEST_RABBITMQ_URL.")
    return RABBITMQ_URL


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """A local SMTP server (aiosmtpd) keeping what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages = []
        self.received = []      # (envelope recipients, raw content): whom the server was asked to deliver to
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} courriel(s) reçu(s) sur {count}"
            time.sleep(0.05)
        return self.messages

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


def wait_until(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


class CeleryProcesses:
    """Real `celery` worker and beat processes, each in its own process group, killed at the end."""

    def __init__(self, tmp_path, env):
        self.tmp_path = tmp_path
        self.env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(TESTS_DIR)]), **env)
        self.processes = []

    def _spawn(self, name, args):
        """`celery ARGS…`, or `conventio ARGS…` when ARGS start with the command's name."""
        log_path = self.tmp_path / f"{name}.log"
        log = log_path.open("w")
        program = ["-c", CONVENTIO_CLI] if args[0] in ("worker", "beat") else ["-m", "celery"]
        process = subprocess.Popen([sys.executable, *program, *args], cwd=ROOT, env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        process.log_path = log_path
        self.processes.append(process)
        return process

    def worker(self, name, app="workflows.jobs.entry", pool="prefork"):
        """A worker started by `celery -A APP worker`, or by `conventio worker` when app is None."""
        options = [f"--pool={pool}", "--concurrency=1", f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
                   "--without-mingle", "--without-gossip", "--loglevel=INFO"]
        return self._spawn(name, ["worker", *options] if app is None else ["-A", app, "worker", *options])

    def beat(self):
        """`conventio beat`: its schedule file goes to the data dir."""
        return self._spawn("beat", ["beat"])

    def wait_ready(self, *workers, timeout=60):
        for process in workers:
            wait_until(lambda p=process: "ready." in p.log_path.read_text() or p.poll() is not None,
                       timeout, f"worker pas prêt : {process.log_path.read_text()[-2000:]}")
            assert process.poll() is None, process.log_path.read_text()[-3000:]

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def delete_queue(app, queue):
    """Remove the test's queue from the broker, and on Redis the binding keys kombu leaves."""
    with app.connection_for_write() as connection:
        connection.default_channel.queue_delete(queue)
    if app.conf.broker_url.startswith("redis://"):
        import redis
        client = redis.Redis.from_url(app.conf.broker_url)
        leftovers = [key for pattern in (f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}", queue)
                     for key in client.keys(pattern)]
        if leftovers:
            client.delete(*leftovers)
