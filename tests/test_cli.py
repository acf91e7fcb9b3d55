"""The command line, each command a separate process sharing the state through the database."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bpmn_builder import definitions, flow, process, user_task

CONVENTIO = Path(sys.executable).with_name("conventio")

MODEL = definitions(process("approbation", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("draft", "Rédiger la convention", {"formJsonSchema": json.dumps(
        {"type": "object", "required": ["objet"], "properties": {"objet": {"type": "string", "minLength": 1}}})}),
    user_task("approve", "Approuver la convention"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "draft"), flow("f2", "draft", "approve"), flow("f3", "approve", "end")]),
    lanes={"Service juridique": ["draft"], "Direction": ["approve"]}))


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"))
    env.pop("CONVENTIO_DATABASE_URL", None)

    def run(*args, stdin=None, ok=True):
        done = subprocess.run([str(CONVENTIO), *args], capture_output=True, text=True, env=env,
                              input=stdin, cwd=tmp_path, timeout=120)
        if ok:
            assert done.returncode == 0, done.stderr
        return done
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "approbation.bpmn").write_text(MODEL)
    return run


def test_a_whole_approval_from_the_shell(cli, tmp_path):
    from alembic.script import ScriptDirectory
    from workflows.store.migrate import alembic_config
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert f"Base à jour (révision {head})" in cli("db", "upgrade").stdout
    assert cli("deploy", str(tmp_path / "models")).stdout.strip() == "approbation v1 : déployé"
    assert cli("deploy", str(tmp_path / "models")).stdout.strip() == "approbation v1 : inchangé"
    assert json.loads(cli("processes", "list", "--json").stdout)[0]["version"] == 1
    cli("users", "add", "marie", "--role", "legal", "--territory", "cap-nord", "--password-stdin", stdin="s3cret\n")
    cli("users", "add", "paul", "--role", "director", "--territory", "cap-nord")

    started = json.loads(cli("instances", "start", "approbation", "--data", '{"collectivite": "CAP Nord"}',
                             "--territory", "cap-nord", "--json").stdout)
    tasks = json.loads(cli("tasks", "list", "--instance", str(started["id"]), "--json").stdout)
    assert [(t["name"], t["role"]) for t in tasks] == [("Rédiger la convention", "legal")]
    draft = tasks[0]["id"]

    refused = cli("tasks", "complete", draft, "--data", "{}", "--as", "marie", ok=False)
    assert refused.returncode == 1 and refused.stderr.startswith("Erreur : Données invalides : objet")
    wrong_role = cli("tasks", "complete", draft, "--data", '{"objet": "Pass"}', "--as", "paul", ok=False)
    assert wrong_role.returncode == 1 and "Service juridique" in wrong_role.stderr
    assert "à faire" in cli("tasks", "complete", draft, "--data", '{"objet": "Pass"}', "--as", "marie").stdout
    again = cli("tasks", "complete", draft, "--data", '{"objet": "Pass"}', "--as", "marie", ok=False)
    assert again.returncode == 1 and "plus à faire" in again.stderr

    approve = json.loads(cli("tasks", "list", "--role", "director", "--json").stdout)[0]["id"]
    assert "completed" in cli("tasks", "complete", approve, "--as", "paul").stdout
    shown = json.loads(cli("instances", "show", str(started["id"]), "--json").stdout)
    assert shown["status"] == "completed" and shown["data"]["objet"] == "Pass"
    assert [h["action"] for h in shown["history"]] == ["demarrage", "completion", "completion"]
    assert json.loads(cli("instances", "list", "--json").stdout)[0]["status"] == "completed"
    assert "Journal intègre : 6 entrée(s)" in cli("audit", "verify").stdout


def test_errors_are_one_line_and_non_zero(cli, tmp_path):
    (tmp_path / "bad.bpmn").write_text(MODEL.replace('<bpmn:startEvent id="start"/>', ""))
    bad = cli("deploy", str(tmp_path / "bad.bpmn"), ok=False)
    assert bad.returncode == 1 and bad.stderr.startswith("Erreur : Modèle refusé : bad.bpmn")
    unknown = cli("instances", "start", "nowhere", ok=False)
    assert (unknown.returncode, unknown.stderr.strip()) == (1, "Erreur : Processus « nowhere » non déployé.")
    not_json = cli("instances", "start", "nowhere", "--data", "{oops", ok=False)
    assert (not_json.returncode, not_json.stderr.count("\n")) == (1, 1)
    assert not_json.stderr.startswith("Erreur : --data : JSON invalide")
    nobody = cli("tasks", "complete", "x", "--as", "personne", ok=False)
    assert nobody.returncode == 1 and "« personne » inconnu" in nobody.stderr


def test_start_data_must_satisfy_the_start_form(cli, tmp_path):
    models = tmp_path / "start_models"
    (models / "forms").mkdir(parents=True)
    (models / "forms" / "demarrage.json").write_text(json.dumps({"type": "object", "required": ["collectivite"],
                                                                 "properties": {"collectivite": {"type": "string"}}}))
    (models / "approbation.bpmn").write_text(MODEL.replace('<bpmn:startEvent id="start"/>', (
        '<bpmn:startEvent id="start"><bpmn:extensionElements><spiffworkflow:properties>'
        '<spiffworkflow:property name="formJsonSchemaFilename" value="forms/demarrage.json"/>'
        '</spiffworkflow:properties></bpmn:extensionElements></bpmn:startEvent>')))
    cli("deploy", str(models))
    refused = cli("instances", "start", "approbation", "--data", '{"collectivite": 972}', ok=False)
    assert (refused.returncode, refused.stderr.strip()) == (
        1, "Erreur : Données de départ invalides : collectivite (doit être un texte)")
    assert cli("instances", "list").stdout.strip() == "(aucun)"
    assert "démarrée" in cli("instances", "start", "approbation", "--data", '{"collectivite": "CAP Nord"}').stdout


def test_timers_fire_from_the_shell_at_the_given_time(cli, tmp_path):
    timed = definitions(process("delai", "\n".join([
        '<bpmn:startEvent id="start"/>',
        '<bpmn:intermediateCatchEvent id="wait" name="Délai de recours"><bpmn:timerEventDefinition>'
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">"2031-01-06T00:00:00+00:00"</bpmn:timeDate>'
        '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
        user_task("final", "Constater le caractère définitif"), '<bpmn:endEvent id="end"/>',
        flow("f1", "start", "wait"), flow("f2", "wait", "final"), flow("f3", "final", "end")])))
    (tmp_path / "models" / "delai.bpmn").write_text(timed)
    cli("deploy", str(tmp_path / "models" / "delai.bpmn"))
    cli("instances", "start", "delai")
    listed = json.loads(cli("instances", "list", "--json").stdout)
    assert listed[0]["next_timer_at"] == "2031-01-06T00:00:00+00:00"
    assert cli("timers", "run-due", "--now", "2031-01-05T23:00:00+00:00").stdout.startswith("0 minuteur")
    assert cli("timers", "run-due", "--now", "2031-01-06T00:00:01+00:00").stdout.startswith("1 minuteur")
    assert cli("timers", "run-due", "--now", "2031-01-07T00:00:00+00:00").stdout.startswith("0 minuteur")
    assert json.loads(cli("tasks", "list", "--json").stdout)[0]["name"] == "Constater le caractère définitif"
    bad = cli("timers", "run-due", "--now", "demain", ok=False)
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr
