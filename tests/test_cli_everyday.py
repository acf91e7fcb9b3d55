"""The command line says what happened: a step the model's checks send back exits non-zero
with the reason, the instructions are rendered, data comes from a file or the standard input,
an administrator resets a password. Each command a separate process on one database."""
import json
import sys
from pathlib import Path

from helpers import sqlite_settings
from test_cli import cli  # noqa: F401  (the fixture: `conventio` run in a subprocess)
from workflows.services import open_conventio
from workflows.services.users import authenticate

sys.path.insert(0, str(Path(__file__).parent / "web"))
from start_data import CAP_NORD  # noqa: E402
from web_helpers import CONVENTION_DRAFT  # noqa: E402

PASSWORD = "mot-de-passe-de-demo"


def _convention_started(cli, tmp_path):
    cli("demo", "--password", PASSWORD)
    (tmp_path / "depart.json").write_text(json.dumps(CAP_NORD), encoding="utf-8")
    started = json.loads(cli("instances", "start", "convention_anct", "--data", "@depart.json", "--as", "juriste",
                             "--json").stdout)
    [draft] = json.loads(cli("tasks", "list", "--instance", str(started["id"]), "--json").stdout)
    return started["id"], draft["id"]


def test_a_step_sent_back_by_the_models_checks_exits_3_with_the_reason(cli, tmp_path):
    instance_id, draft = _convention_started(cli, tmp_path)
    below = json.dumps(dict(CONVENTION_DRAFT, montant_achat_prevu_ht=12000))
    sent_back = cli("tasks", "complete", draft, "--data", "-", "--as", "juriste", stdin=below, ok=False)
    assert sent_back.returncode == 3 and sent_back.stdout == ""
    # the reason on one line, then each field it concerns under its label
    line, field = sent_back.stderr.strip().split("\n")
    assert field.strip().startswith("Montant d'achat prévu (EUR HT) : Achat de 12") and "20" in field, field
    assert line.startswith("Erreur : étape renvoyée pour correction par les contrôles du processus : "
                           "« Rédiger la convention ANCT » est à reprendre (tâche ")
    assert "Projet à reprendre : " in line and "20 000" in line and "**" not in line
    [again] = json.loads(cli("tasks", "list", "--instance", str(instance_id), "--json").stdout)
    assert again["id"] != draft and again["id"] in line
    shown = json.loads(cli("tasks", "show", again["id"], "--as", "juriste").stdout)
    assert shown["instructions"].startswith("Projet à reprendre : ")
    assert "{%" not in shown["instructions"] and "**" not in shown["instructions"]
    (tmp_path / "projet.json").write_text(json.dumps(CONVENTION_DRAFT), encoding="utf-8")
    done = cli("tasks", "complete", again["id"], "--data", "@projet.json", "--as", "juriste")
    assert "Tâche terminée" in done.stdout and "Examiner le projet de convention" in done.stdout


def test_data_from_a_file_that_cannot_be_read_is_one_line_and_changes_nothing(cli, tmp_path):
    instance_id, draft = _convention_started(cli, tmp_path)
    instances_before = json.loads(cli("instances", "list", "--json").stdout)
    missing = cli("tasks", "complete", draft, "--data", "@absent.json", "--as", "juriste", ok=False)
    assert (missing.returncode, missing.stderr.count("\n")) == (1, 1)
    assert missing.stderr.startswith("Erreur : --data : fichier illisible")
    not_json = cli("instances", "start", "convention_anct", "--data", "-", "--as", "juriste", stdin="[1]", ok=False)
    assert not_json.stderr.strip() == "Erreur : --data : un objet JSON est attendu ({...})."
    # the demo's other deployments have tasks of their own: this instance still has its one draft
    [still] = json.loads(cli("tasks", "list", "--instance", str(instance_id), "--json").stdout)
    assert still["id"] == draft
    assert json.loads(cli("instances", "list", "--json").stdout) == instances_before


def test_an_administrator_resets_a_password_journaled_sessions_closed(cli, tmp_path):
    cli("demo", "--password", PASSWORD)
    new = "un-nouveau-mot-de-passe"
    done = cli("users", "reset-password", "juriste", "--as", "admin", stdin=new + "\n")
    assert done.stdout.strip() == "Mot de passe de « juriste » réinitialisé ; 0 session(s) ou jeton(s) fermé(s)."
    short = cli("users", "reset-password", "juriste", "--as", "admin", stdin="court\n", ok=False)
    assert (short.returncode, short.stderr.strip()) == (
        1, "Erreur : Le mot de passe doit compter au moins 12 caractères.")
    not_admin = cli("users", "reset-password", "directrice", "--as", "juriste", stdin=new + "\n", ok=False)
    assert not_admin.returncode == 1 and not_admin.stderr.startswith("Erreur : ")
    unknown = cli("users", "reset-password", "personne", stdin=new + "\n", ok=False)
    assert unknown.stderr.strip() == "Erreur : Utilisateur « personne » inconnu."
    app = open_conventio(sqlite_settings(tmp_path / "data"))
    try:
        assert authenticate(app, "juriste", new) is not None
        assert authenticate(app, "juriste", PASSWORD) is None
        assert authenticate(app, "directrice", PASSWORD) is not None   # the refused reset changed nothing
        with app.db.sessions() as session:
            from sqlalchemy import select
            from workflows.store.models import AuditEntry
            summaries = session.execute(select(AuditEntry.summary, AuditEntry.actor)
                                        .where(AuditEntry.action == "utilisateur")).all()
        assert ("Mot de passe de « juriste » réinitialisé par un administrateur ; 0 session(s) ou jeton(s) "
                "fermé(s)", "admin") in [tuple(s) for s in summaries]
        assert not any("directrice" in s for s, _who in summaries if "Mot de passe" in s)
    finally:
        app.close()
