"""`conventio territories add|list|import`, and migration 0010."""
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner

from helpers import ROOT
from server.cli import main
from workflows.store.db import open_database
from workflows.store.migrate import upgrade
from workflows.store.models import Base

SEEDS = ROOT / "data" / "territoires.csv"


def run(app, *args):
    return CliRunner().invoke(main, list(args), obj=app)


def test_the_commands_add_list_and_import(app, tmp_path):
    added = run(app, "territories", "add", "97209", "--name", "Le Marigot", "--kind", "commune",
                "--population", "3412", "--year", "2021")
    assert (added.exit_code, added.output) == (0, "Territoire « 97209 » ajouté (Le Marigot).\n")
    imported = run(app, "territories", "import", str(SEEDS))
    assert (imported.exit_code, imported.output) == (0, "12 territoire(s) importé(s) : 12 créé(s), 0 mis à jour.\n")
    listed = json.loads(run(app, "territories", "list", "--json").output)
    assert [t["code"] for t in listed][:3] == ["78", "92", "971"] and len(listed) == 13
    assert next(t for t in listed if t["code"] == "97209")["time_zone"] == "America/Martinique"
    table = run(app, "territories", "list").output
    assert table.splitlines()[0].split()[:3] == ["CODE", "NOM", "TYPE"]


@pytest.mark.parametrize("args, message", [
    (("add", "x", "--name", "X", "--kind", "canton"), "Erreur : Territoire refusé : type : type inconnu « canton »"),
    (("import", "absent.csv"), "Erreur : Fichier illisible : absent.csv (No such file or directory)."),
])
def test_the_commands_refuse_in_one_french_line(app, args, message):
    result = run(app, "territories", *args)
    assert result.exit_code == 1 and result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1


def test_a_refused_import_from_the_command_line_changes_nothing(app, tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_bytes(b"code;nom;type;population\nx;X;commune;beaucoup\n")
    result = run(app, "territories", "import", str(bad))
    assert result.exit_code == 1
    assert result.stderr == ("Erreur : Import refusé, rien n’a été enregistré. ligne 2, colonne « population » : "
                             "population : nombre entier attendu, non « beaucoup ».\n")
    assert json.loads(run(app, "territories", "list", "--json").output) == []


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migration_0010_brings_the_previous_version_to_the_models(any_db_settings):
    db = open_database(any_db_settings.database_url)
    try:
        upgrade(db, "0009")
        upgrade(db)
        with db.engine.connect() as connection:
            differences = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                           if "territory" in str(d)]
        assert differences == []
    finally:
        db.dispose()
