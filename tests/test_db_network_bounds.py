"""A database host that accepts connections and then says nothing (packets dropped, a frozen
server) gives one French error after the connection bound, not a command that hangs."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from workflows.store.db import NETWORK_BOUNDS, _network_bounds

CONVENTIO = Path(sys.executable).with_name("conventio")


@pytest.fixture
def silent_server():
    """A TCP port whose backlog completes the handshake but which never reads nor answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


def test_a_silent_database_host_is_one_french_line_after_the_connect_timeout(tmp_path, silent_server):
    environment = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"),
                       CONVENTIO_DATABASE_URL=f"postgresql://conventio@127.0.0.1:{silent_server}/conventio")
    began = time.monotonic()
    done = subprocess.run([str(CONVENTIO), "instances", "list"], capture_output=True, text=True,
                          env=environment, timeout=120)
    waited = time.monotonic() - began
    assert done.returncode == 1 and done.stderr.startswith("Erreur : base de données indisponible"), done.stderr
    assert "timeout" in done.stderr.lower(), done.stderr
    # Before the bound, libpq waited for ever (the subprocess timeout above would fire).
    assert waited < 4 * NETWORK_BOUNDS["connect_timeout"] + 20, waited


def test_bounds_given_in_the_url_are_kept():
    parsed = make_url("postgresql://u@h/db?connect_timeout=3&tcp_user_timeout=1000")
    bounds = _network_bounds(parsed)
    assert "connect_timeout" not in bounds and "tcp_user_timeout" not in bounds
    assert bounds["keepalives_idle"] == NETWORK_BOUNDS["keepalives_idle"]
    assert _network_bounds(make_url("sqlite:///x.db")) == {}
