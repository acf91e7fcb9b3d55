"""Who may start and where: one rule (workflows/services/rights.py), the same through the page,
the API and the command line."""
import json

from sqlalchemy import func, select

from start_data import CAP_NORD
from test_rights import run_cli
from web_helpers import PASSWORD, api_token, login, post
from workflows.store.models import ProcessInstance

START = ("instances", "start", "convention_anct", "--data", json.dumps(CAP_NORD))


def instances(conventio):
    with conventio.db.sessions() as session:
        return session.execute(select(func.count()).select_from(ProcessInstance)).scalar()


def add_user(conventio, *args):
    added = run_cli(conventio, "users", "add", *args, "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.stderr


def test_a_finance_user_cannot_start_convention_anct_through_any_door(conventio, client):
    """Issue 11: `users add compta --role finance` then `instances start convention_anct --as compta`
    used to print « Instance n° 1 démarrée » while the page and the API refused it."""
    add_user(conventio, "compta", "--role", "finance")
    refused = run_cli(conventio, *START, "--as", "compta", "--territory", "cap-nord")
    assert (refused.exit_code, refused.stderr) == (1, "Erreur : Votre rôle ne permet pas de démarrer une procédure.\n")
    assert "démarrée" not in refused.stdout
    login(client, "compta")
    assert post(client, "/instances", {"process_id": "convention_anct", "territory": "cap-nord",
                                       **CAP_NORD}).status_code == 403
    assert client.get("/instances/new?process_id=convention_anct").status_code == 403
    assert "Démarrer" not in client.get("/instances").get_data(as_text=True)
    api = client.post("/api/v1/processes/convention_anct/instances", headers=api_token(client, "compta"),
                      json={"territory": "cap-nord", "data": CAP_NORD})
    assert api.status_code == 403 and api.get_json()["message"] == "Votre rôle ne permet pas de démarrer une procédure."
    assert instances(conventio) == 0


def test_the_command_line_starts_in_the_only_territory_of_the_user(conventio):
    started = run_cli(conventio, *START, "--as", "juriste", "--json")
    assert started.exit_code == 0, started.stderr
    assert json.loads(started.stdout)["territory"] == "cap-nord"


def test_a_user_of_two_territories_chooses_one_of_them_through_every_door(conventio, client):
    add_user(conventio, "juriste2", "--role", "legal", "--territory", "cap-nord", "--territory", "yvelines")
    unchosen = run_cli(conventio, *START, "--as", "juriste2")
    assert (unchosen.exit_code, unchosen.stderr) == (1, "Erreur : Choisissez le territoire de la procédure.\n")
    elsewhere = run_cli(conventio, *START, "--as", "juriste2", "--territory", "guyane")
    assert (elsewhere.exit_code, elsewhere.stderr) == (1, "Erreur : Vous n’agissez pas pour le territoire "
                                                          "« guyane ».\n")
    token = api_token(client, "juriste2")
    for territory, field_error in ((None, "champ obligatoire"), ("guyane", "territoire non autorisé")):
        api = client.post("/api/v1/processes/convention_anct/instances", headers=token,
                          json={"data": CAP_NORD, **({"territory": territory} if territory else {})})
        assert api.status_code == 422 and api.get_json()["details"] == {"territory": field_error}
    login(client, "juriste2")
    assert post(client, "/instances", {"process_id": "convention_anct", **CAP_NORD}).status_code == 422
    assert instances(conventio) == 0, "a refused start creates nothing"
    chosen = run_cli(conventio, *START, "--as", "juriste2", "--territory", "yvelines", "--json")
    assert chosen.exit_code == 0 and json.loads(chosen.stdout)["territory"] == "yvelines"
