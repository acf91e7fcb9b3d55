"""Every error of the command line is one French line on stderr and exit 1, never a traceback."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CONVENTIO = Path(sys.executable).with_name("conventio")
UNREACHABLE = "postgresql://conventio:secret@127.0.0.1:1/conventio"   # nothing listens on port 1


def run(tmp_path, *args, **env):
    environment = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"))
    environment.pop("CONVENTIO_DATABASE_URL", None)
    environment.pop("CONVENTIO_DEBUG", None)
    environment.update(env)
    return subprocess.run([str(CONVENTIO), *args], capture_output=True, text=True, env=environment, cwd=tmp_path,
                          timeout=120, errors="replace")


def one_french_line(done):
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Erreur : "), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    return done.stderr.strip()


@pytest.mark.parametrize("args", [("instances", "list"), ("db", "upgrade"), ("serve", "--port", "8765"),
                                  ("audit", "verify"), ("jobs", "failed")])
def test_an_unreachable_database_is_one_line_naming_it_without_its_password(tmp_path, args):
    line = one_french_line(run(tmp_path, *args, CONVENTIO_DATABASE_URL=UNREACHABLE))
    assert line.startswith("Erreur : base de données indisponible (postgresql+psycopg://conventio:***@127.0.0.1:1/"
                           "conventio)") or line.startswith(
        "Erreur : base de données indisponible (postgresql://conventio:***@127.0.0.1:1/conventio)"), line
    assert "secret" not in line and "Connection refused" in line


def test_a_data_directory_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "file").write_text("")
    line = one_french_line(run(tmp_path, "instances", "list", CONVENTIO_DATA_DIR=str(tmp_path / "file" / "data")))
    assert str(tmp_path / "file") in line


def test_control_characters_in_document_data_are_one_line_naming_the_datum(tmp_path):
    from workflows.documents.examples import CONVENTION_ANCT
    (tmp_path / "data.json").write_text(json.dumps(dict(CONVENTION_ANCT, collectivite="CAP Nord\x01")))
    done = run(tmp_path, "documents", "render", "convention_anct", "--data", "@data.json", "--out", "out.docx")
    line = one_french_line(done)
    assert "« collectivite »" in line and "U+0001" in line
    assert not (tmp_path / "out.docx").exists()


def test_a_number_too_large_is_one_line(tmp_path):
    line = one_french_line(run(tmp_path, "instances", "show", str(2 ** 70)))
    assert "trop grand" in line


def test_a_text_that_is_not_utf8_is_one_line(tmp_path):
    environment = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"))
    environment.pop("CONVENTIO_DATABASE_URL", None)
    done = subprocess.run([str(CONVENTIO).encode(), b"users", b"add", b"caf\xe9", b"--role", b"legal"],
                          capture_output=True, env=environment, cwd=tmp_path, timeout=120)
    line = one_french_line(subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                                       done.stderr.decode()))
    assert "UTF-8" in line


def test_an_unexpected_error_is_one_line_and_conventio_debug_shows_the_traceback(tmp_path):
    line = one_french_line(run(tmp_path, "instances", "list", CONVENTIO_INSTANCE_CACHE="beaucoup"))
    assert "ValueError" in line
    debug = run(tmp_path, "instances", "list", CONVENTIO_INSTANCE_CACHE="beaucoup", CONVENTIO_DEBUG="1")
    assert debug.returncode == 1 and "Traceback" in debug.stderr


@pytest.mark.postgres
def test_an_identifier_beyond_an_integer_column_is_one_line_on_postgresql(tmp_path, postgres_url):
    line = one_french_line(run(tmp_path, "instances", "show", str(2 ** 31), CONVENTIO_DATABASE_URL=postgres_url))
    assert "limites de la base de données" in line
