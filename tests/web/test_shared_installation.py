"""What several servers and workers share: the secret key (required when several processes are
expected, rotated with a previous key still accepted), and the documents' storage (a damaged file
answers in French, not with a traceback; `conventio documents move`)."""
import pytest
from click.testing import CliRunner

from server import create_app
from server.cli import main
from server.config import WebSettings
from web_helpers import PASSWORD, actor, api_token, login
from workflows.documents.examples import EXAMPLES
from workflows.services.documents import generate_document
from workflows.services.instances import start_instance

OLD, NEW = "ancienne-cle-" + "o" * 32, "nouvelle-cle-" + "n" * 32
UNREACHABLE_PG = "postgresql://nobody@127.0.0.1:9/rien"
NO_KEY = {"CONVENTIO_SECRET_KEY": None, "CONVENTIO_AUDIT_KEY": None, "CONVENTIO_DEBUG": None,
          "CONVENTIO_DOCUMENT_STORAGE": None}


@pytest.mark.parametrize("command, env", [
    (["serve"], {"CONVENTIO_DATABASE_URL": UNREACHABLE_PG, "CONVENTIO_BROKER_URL": None}),
    (["serve", "--no-timers"], {"CONVENTIO_DATABASE_URL": None, "CONVENTIO_BROKER_URL": "redis://127.0.0.1:9/0"}),
    (["worker"], {"CONVENTIO_DATABASE_URL": None, "CONVENTIO_BROKER_URL": "redis://127.0.0.1:9/0"}),
    (["beat"], {"CONVENTIO_DATABASE_URL": UNREACHABLE_PG, "CONVENTIO_BROKER_URL": "redis://127.0.0.1:9/0"}),
])
def test_serve_worker_and_beat_refuse_to_start_without_an_explicit_key(tmp_path, command, env):
    result = CliRunner().invoke(main, command, env={**NO_KEY, **env, "CONVENTIO_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert result.stderr.startswith("Erreur : CONVENTIO_SECRET_KEY manquante : ")
    assert "définissez CONVENTIO_SECRET_KEY sur chacun" in result.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("command, env", [
    (["serve"], {"CONVENTIO_DATABASE_URL": UNREACHABLE_PG, "CONVENTIO_BROKER_URL": None}),
    (["worker"], {"CONVENTIO_DATABASE_URL": None, "CONVENTIO_BROKER_URL": "redis://127.0.0.1:9/0"}),
    (["beat"], {"CONVENTIO_DATABASE_URL": UNREACHABLE_PG, "CONVENTIO_BROKER_URL": "redis://127.0.0.1:9/0"}),
])
def test_serve_worker_and_beat_refuse_to_start_without_an_explicit_journal_key(tmp_path, command, env):
    result = CliRunner().invoke(main, command, env={**NO_KEY, **env, "CONVENTIO_SECRET_KEY": NEW,
                                                     "CONVENTIO_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert result.stderr.startswith("Erreur : CONVENTIO_AUDIT_KEY manquante : ")
    assert "définissez CONVENTIO_AUDIT_KEY sur chacun" in result.stderr
    assert not (tmp_path / "audit_key").exists()


def test_the_embedded_default_needs_neither_key(tmp_path):
    from workflows.config import Settings
    from workflows.services.storage import check_startup
    check_startup(Settings.from_env(env={"CONVENTIO_DATA_DIR": str(tmp_path)}))   # SQLite, jobs in-process


def test_a_shared_directory_without_its_path_is_refused_at_start(tmp_path):
    result = CliRunner().invoke(main, ["serve"], env={**NO_KEY, "CONVENTIO_DATA_DIR": str(tmp_path),
                                                      "CONVENTIO_DOCUMENT_STORAGE": "directory",
                                                      "CONVENTIO_DOCUMENTS_DIR": None})
    assert result.exit_code == 1 and "définissez CONVENTIO_DOCUMENTS_DIR" in result.stderr, result.output


def test_previous_keys_are_read_from_the_environment(tmp_path):
    settings = WebSettings.from_env(tmp_path, env={"CONVENTIO_SECRET_KEY": NEW,
                                                   "CONVENTIO_SECRET_KEY_PREVIOUS": f"{OLD}, autre"})
    assert settings.previous_secret_keys == (OLD, "autre")


def app_with(conventio, key, previous=()):
    return create_app(conventio=conventio, test_config={
        "TESTING": True, "WEB_SETTINGS": WebSettings(secret_key=key, previous_secret_keys=previous)})


def test_after_a_rotation_the_previous_key_still_verifies_tokens_and_sessions_until_removed(conventio):
    before = app_with(conventio, OLD).test_client()
    token = api_token(before, "juriste")
    login(before, "juriste")
    cookie = before.get_cookie("conventio_session").value

    for previous, accepted in (((OLD,), True), ((), False)):
        after = app_with(conventio, NEW, previous).test_client()
        after.set_cookie("conventio_session", cookie)
        assert (after.get("/api/v1/tasks", headers=token).status_code == 200) is accepted
        assert (after.get("/inbox").status_code == 200) is accepted
    fresh = app_with(conventio, NEW, (OLD,)).test_client()
    new_token = api_token(fresh, "juriste", PASSWORD)   # signed with the new key: valid without the old
    assert app_with(conventio, NEW).test_client().get("/api/v1/tasks", headers=new_token).status_code == 200


def test_a_damaged_document_is_a_french_error_not_a_traceback(conventio, client):
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", dict(EXAMPLES["lettre_rejet"], president="Bruno AZÉROT",
                                                                  territoire="972"), legal, territory="cap-nord")
    document = generate_document(conventio, instance["id"], "lettre_rejet", legal)
    (conventio.storage.root / str(instance["id"]) / "lettre_rejet-v1.docx").write_bytes(b"autre chose")
    answer = client.get(f"/api/v1/documents/{document['id']}", headers=api_token(client, "juriste"))
    assert answer.status_code == 500 and answer.get_json()["error"] == "document_altere"
    assert "illisible" in answer.get_json()["message"] and "altéré" in answer.get_json()["message"]
    login(client, "juriste")
    page = client.get(f"/documents/{document['id']}")
    assert page.status_code == 500 and "illisible" in page.get_data(as_text=True)


def test_the_move_command_copies_checks_and_says_which_setting_to_change(conventio, tmp_path):
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", dict(EXAMPLES["lettre_rejet"], president="Bruno AZÉROT",
                                                                  territoire="972"), legal, territory="cap-nord")
    generate_document(conventio, instance["id"], "lettre_rejet", legal)
    target = tmp_path / "partage"
    result = CliRunner().invoke(main, ["documents", "move", "--to", "directory", "--dir", str(target)], obj=conventio)
    assert result.exit_code == 0, result.output
    assert "1 fichier(s) copié(s) et vérifié(s)" in result.output
    assert f"CONVENTIO_DOCUMENT_STORAGE=directory CONVENTIO_DOCUMENTS_DIR={target}" in result.output
    assert (target / str(instance["id"]) / "lettre_rejet-v1.docx").is_file()
    assert (conventio.storage.root / str(instance["id"]) / "lettre_rejet-v1.docx").is_file()
    refused = CliRunner().invoke(main, ["documents", "move", "--to", "nuage"], obj=conventio)
    assert refused.exit_code == 1 and refused.stderr.startswith("Erreur : --to : « nuage » inconnu")
