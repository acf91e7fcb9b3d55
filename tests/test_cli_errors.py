"""Every error of the command line is one French line on stderr, never a traceback: exit 1 when the
command failed, exit 2 when it was misused (Click's usage errors, with the command that shows the help)."""
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
    # The shared keys are given: without them, `serve` on PostgreSQL refuses before any connection.
    line = one_french_line(run(tmp_path, *args, CONVENTIO_DATABASE_URL=UNREACHABLE,
                               CONVENTIO_SECRET_KEY="cle-partagee-de-test",
                               CONVENTIO_AUDIT_KEY="cle-de-journal-de-test"))
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


# --- Click's usage errors: one French line with the command that shows the help, exit 2 -------------
def usage_line(done):
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Erreur : "), done.stderr
    for english in ("Usage:", "Error:", "Try ", "No such", "Missing", "Invalid value", "requires"):
        assert english not in done.stderr, done.stderr
    assert done.stdout == ""
    return done.stderr.strip()


@pytest.mark.parametrize("args, wrong, help_command", [
    (("instances", "start"), "argument PROCESS_ID manquant", "conventio instances start"),
    (("instances", "start", "pass_numerique", "--territoire", "cap-nord"), "option inconnue « --territoire »",
     "conventio instances start"),
    (("instances", "start", "pass_numerique", "--dat", "{}"), "vouliez-vous dire l’une de : « --as », « --data »",
     "conventio instances start"),
    (("instances", "start", "pass_numerique", "--data"), "l’option --data attend une valeur",
     "conventio instances start"),
    (("instances", "start", "pass_numerique", "en", "trop"), "argument(s) en trop : en trop",
     "conventio instances start"),
    (("instances", "list", "--json=oui"), "l’option --json ne prend pas de valeur", "conventio instances list"),
    (("instances", "show", "douze"), "valeur invalide pour INSTANCE_ID (« douze ») : nombre entier attendu",
     "conventio instances show"),
    (("instances", "start", "p", "--version", "2.5"), "valeur invalide pour --version (« 2.5 ») : nombre entier",
     "conventio instances start"),
    (("tasks", "complete", "t-1"), "option --as obligatoire manquante", "conventio tasks complete"),
    (("instances", "demarrer"), "commande inconnue « demarrer »", "conventio instances"),
    (("instance", "list"), "commande inconnue « instance » (vouliez-vous dire « instances » ?)", "conventio"),
    (("--verbose", "instances", "list"), "option inconnue « --verbose »", "conventio"),
    (("timers", "run-due", "--now", "demain"), "--now : date ISO 8601 attendue", "conventio timers run-due"),
    (("serve", "--port", "huit"), "valeur invalide pour --port (« huit ») : nombre entre 1 et 65535 attendu",
     "conventio serve"),
    (("demo", "--port", "0"), "valeur invalide pour --port (« 0 ») : nombre entre 1 et 65535 attendu",
     "conventio demo"),
])
def test_a_usage_error_is_one_french_line_naming_the_help_command(tmp_path, args, wrong, help_command):
    line = usage_line(run(tmp_path, *args))
    assert wrong in line, line
    assert line.endswith(f" Aide : {help_command} --help"), line
    assert not (tmp_path / "data").exists()    # refused before anything was opened


def test_the_help_texts_still_work(tmp_path):
    done = run(tmp_path, "instances", "start", "--help")
    assert done.returncode == 0 and done.stderr == ""
    assert "Données de départ (objet JSON, @fichier.json, ou - pour" in " ".join(done.stdout.split()) and "PROCESS_ID" in done.stdout
    done = run(tmp_path, "--help")
    assert done.returncode == 0 and "Instances de processus." in done.stdout


def test_a_click_exception_of_a_command_is_one_french_line():
    import click
    from click.testing import CliRunner

    from server.cli import FrenchErrors

    @click.group(cls=FrenchErrors)
    def root():
        pass

    @root.command()
    def refuse():
        raise click.ClickException("territoire « cap-sud » inconnu")

    @root.command()
    @click.option("--n", type=click.IntRange(1, 10))
    def bounded(n):
        pass

    done = CliRunner().invoke(root, ["refuse"])
    assert (done.exit_code, done.stderr) == (1, "Erreur : territoire « cap-sud » inconnu.\n")
    done = CliRunner().invoke(root, ["bounded", "--n", "11"])
    assert done.exit_code == 2
    assert done.stderr == ("Erreur : valeur invalide pour --n (« 11 ») : nombre entre 1 et 10 attendu. "
                           "Aide : root bounded --help\n"), done.stderr
