"""`conventio audit verify` and `conventio audit checkpoint`, each a separate process."""
import json
import sqlite3

from test_cli import cli  # noqa: F401  (the fixture: a data dir, the `conventio` console script)


def journal_of_two(cli, tmp_path):
    cli("deploy", str(tmp_path / "models"))
    cli("instances", "start", "approbation", "--data", '{"collectivite": "CAP Nord"}')
    return tmp_path / "data"


def test_verify_and_checkpoint_an_intact_journal(cli, tmp_path):
    data = journal_of_two(cli, tmp_path)
    verified = cli("audit", "verify").stdout.strip()
    assert verified.startswith("Journal intègre : 2 entrée(s) vérifiée(s), 2 scellée(s), 2 point(s) de contrôle, "
                               "le plus avancé du ")
    assert verified.endswith(" (2 entrée(s)).")
    written = cli("audit", "checkpoint").stdout.strip()
    assert written.startswith(f"Point de contrôle écrit dans {data / 'audit-checkpoints.jsonl'} : 2 entrée(s), "
                              f"dernière empreinte ")
    assert len((data / "audit-checkpoints.jsonl").read_text().splitlines()) == 3
    assert "3 point(s) de contrôle" in cli("audit", "verify").stdout


def test_a_truncated_journal_fails_verify_and_gets_no_checkpoint(cli, tmp_path):
    data = journal_of_two(cli, tmp_path)
    with sqlite3.connect(data / "conventio.db") as connection:   # the database's owner, without the key
        connection.execute("DELETE FROM audit_entry WHERE id = 2")
        connection.execute("UPDATE audit_head SET last_id = 1, last_hash = (SELECT hash FROM audit_entry WHERE id = 1)")
    connection.close()
    verified = cli("audit", "verify", ok=False)
    assert verified.returncode == 1 and verified.stdout == ""
    assert verified.stderr.count("\n") == 1
    assert verified.stderr.startswith("Journal altéré : journal tronqué : 1 entrée(s), alors que le point de "
                                      "contrôle du ")
    refused = cli("audit", "checkpoint", ok=False)
    assert refused.returncode == 1 and refused.stderr.splitlines()[-1] == (
        "Point de contrôle refusé : le journal est altéré.")
    assert len((data / "audit-checkpoints.jsonl").read_text().splitlines()) == 2


def test_a_tampered_checkpoint_file_fails_verify(cli, tmp_path):
    data = journal_of_two(cli, tmp_path)
    path = data / "audit-checkpoints.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    lines[0]["at"] = "2020-01-01T00:00:00+00:00"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    verified = cli("audit", "verify", ok=False)
    assert (verified.returncode, verified.stderr) == (
        1, f"Journal altéré : point de contrôle falsifié ou altéré : ligne 1 de {path}, signature invalide\n")
