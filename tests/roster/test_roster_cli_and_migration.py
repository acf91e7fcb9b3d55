"""`conventio territories members list|import`, with the rights of the pages (the service decides);
and migration 0012_roster: a database of the previous version brought to the models, and back."""
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, text

from helpers import ADMIN, ROOT, downgrade
from roster_helpers import ROSTER
from server.cli import main
from workflows.services.territory_import import import_territories
from workflows.services.users import add_user
from workflows.store.db import open_database
from workflows.store.migrate import upgrade
from workflows.store.models import Base

TERRITORIES = ROOT / "data" / "territoires.csv"


def run(app, *args):
    return CliRunner().invoke(main, list(args), obj=app)


@pytest.fixture
def seeded(app):
    import_territories(app, ADMIN, TERRITORIES.read_bytes())
    add_user(app, "assemblees-capnord", ["assembly"], ["cap-nord"], "mot-de-passe-assez-long", by=ADMIN)
    add_user(app, "dgas78", ["director"], ["78"], "mot-de-passe-assez-long", by=ADMIN)
    return app


def test_import_then_list_the_members_in_office(seeded, tmp_path):
    imported = run(seeded, "territories", "members", "import", "cap-nord", str(ROSTER))
    assert (imported.exit_code, imported.output) == \
        (0, "Liste des membres de « cap-nord » importée : 53 membre(s) (conseil_communautaire : 53).\n")
    listed = json.loads(run(seeded, "territories", "members", "list", "cap-nord", "--json",
                            "--on", "2023-04-27").output)
    assert len(listed) == 53 and listed[2]["name"] == "Bruno Nestor AZÉROT" and listed[2]["function"] == "Président"
    table = run(seeded, "territories", "members", "list", "cap-nord", "--as", "assemblees-capnord").output
    assert table.splitlines()[0].split()[:2] == ["NOM", "FONCTION"] and len(table.splitlines()) == 54


@pytest.mark.parametrize("args, message", [
    (("import", "cap-nord", "absent.csv"), "Erreur : Fichier illisible : absent.csv (No such file or directory)."),
    (("import", "inconnu", str(ROSTER)), "Erreur : Territoire « inconnu » introuvable."),
    (("import", "cap-nord", str(ROSTER), "--as", "assemblees-capnord"),
     "Erreur : Cette action est réservée aux administrateurs de Conventio."),
    (("list", "cap-nord", "--as", "dgas78"), "Erreur : Territoire « cap-nord » introuvable."),
    (("list", "cap-nord", "--assembly", "conseil_municipal"), "Erreur : Assemblée « conseil_municipal » inconnue"),
    (("list", "cap-nord", "--on", "27 avril"), "Erreur : « --on » : date invalide"),
])
def test_the_commands_refuse_in_one_french_line_and_change_nothing(seeded, args, message):
    result = run(seeded, "territories", "members", *args)
    assert result.exit_code == 1 and result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
    assert json.loads(run(seeded, "territories", "members", "list", "cap-nord", "--json").output) == []


def test_a_refused_file_names_its_line_and_column(seeded, tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_bytes("nom,debut\nJean MARTIN,le 3 mai\n".encode("cp1252"))
    result = run(seeded, "territories", "members", "import", "cap-nord", str(bad))
    assert result.exit_code == 1 and result.stderr == (
        "Erreur : Import refusé, rien n’a été enregistré. ligne 2, colonne « debut » : "
        "date invalide « le 3 mai » (JJ/MM/AAAA ou AAAA-MM-JJ).\n")


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migration_0012_roster_upgrades_a_0011_database_with_its_territories_and_goes_down(any_db_settings):
    db = open_database(any_db_settings.database_url)
    try:
        upgrade(db, "0011")
        with db.write_engine.begin() as connection:
            connection.execute(text("INSERT INTO territory (code, name, kind, time_zone, updated_by, updated_at) "
                                    "VALUES ('cap-nord', 'CAP Nord', 'epci', 'America/Martinique', 'x', "
                                    "'2026-12-01 00:00:00')"))
        upgrade(db)
        with db.engine.connect() as connection:
            differences = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                           if "assembly_member" in str(d)]
        assert differences == []
        with db.write_engine.begin() as connection:
            connection.execute(text("INSERT INTO assembly_member (territory_code, assembly, position, name, "
                                    "updated_by, updated_at) VALUES ('cap-nord', 'conseil_communautaire', 0, "
                                    "'Bruno Nestor AZÉROT', 'x', '2026-12-01 00:00:00')"))
        downgrade(db, "0011")
        assert "assembly_member" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM territory")).scalars().all() == ["CAP Nord"]
        upgrade(db)
        assert "assembly_member" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()
