"""What the HTTP benchmarks share: a client connection, a server started on a free port,
and latency summaries."""
import http.client
import json
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path


class Api:
    def __init__(self, port, token=None):
        self.port, self.token = port, token
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, path, body):
        return self._request("POST", path, json.dumps(body))

    def get(self, path):
        return self._request("GET", path, None)

    def _request(self, method, path, body):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"null")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(root, env, port, log_path, options=("--threads", "8")):
    with open(log_path, "w") as log:   # a file: a full pipe would stall the server's logging
        server = subprocess.Popen(
            [sys.executable, "-c", "from server.cli import main; main()", "serve", "--port", str(port),
             *options, "--no-timers"],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"le serveur s’est arrêté : {Path(log_path).read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("le serveur n’a pas démarré en 60 s")


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(latencies):
    latencies = [1000 * v for v in latencies]
    return {"requests": len(latencies),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p90_ms": round(percentile(latencies, 0.90), 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
            "max_ms": round(max(latencies), 1) if latencies else None}


def postgres_database(admin_url):
    """A throw-away database's URL and the function that drops it; (None, None) if unreachable."""
    try:
        import psycopg
        admin = psycopg.connect(admin_url, connect_timeout=3, autocommit=True)
    except Exception as exc:   # the bench goes on without PostgreSQL
        print(f"PostgreSQL injoignable ({admin_url}) : mesures PostgreSQL omises. {exc}", file=sys.stderr)
        return None, None
    name = f"conventio_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
    return f"{admin_url.rsplit('/', 1)[0]}/{name}", drop
