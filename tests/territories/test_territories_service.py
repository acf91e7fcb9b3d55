"""Territories as data: adding, listing, the CSV import (all or nothing), and what the starts read."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpers import ADMIN, ROOT, actor
from territory_helpers import HUB, SYN, deploy_model, seed_groupings
from workflows.errors import Conflict, Forbidden, InvalidData
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.services.territories import add_territory, list_territories
from workflows.services.territory_import import import_territories
from workflows.store.models import AuditEntry, Territory, TerritoryLink

SEEDS = ROOT / "data" / "territoires.csv"
CAP_NORD_START = {"collectivite": "CAP Nord", "collectivite_adresse": "Le Marigot", "president": "Bruno AZÉROT",
                  "territoire": "972", "tribunal_administratif": "le tribunal administratif de la Martinique",
                  "fait_a": "Le Marigot"}


def counts(app):
    with app.db.sessions() as session:
        return tuple(session.execute(select(func.count()).select_from(m)).scalar()
                     for m in (Territory, TerritoryLink, AuditEntry))


def test_the_seeds_file_imports_and_imports_again_as_updates(app):
    assert import_territories(app, ADMIN, SEEDS.read_bytes())["created"] == 12
    listed = {t["code"]: t for t in list_territories(app, ADMIN)}
    assert listed["978"]["kind_label"] == "Collectivité d’outre-mer"
    assert listed["978"]["time_zone"] == "America/Marigot" and listed["974"]["time_zone"] == "Indian/Reunion"
    assert listed["78"]["operator"] == listed["92"]["operator"] == SYN
    assert [c for c, t in listed.items() if HUB in t["hubs"]] == ["971", "972", "973", "978", "cap-nord"]
    again = import_territories(app, ADMIN, SEEDS.read_bytes())
    assert (again["created"], again["updated"]) == (0, 12)
    assert counts(app)[:2] == (12, 8)


def test_a_windows_1252_file_with_commas_and_french_labels(app):
    text = ("Code,Nom,Type,Population,Année population\n"
            "97209,Le Marigot,Commune,\"3 412\",2021\n"
            "cacem,Communauté d’agglomération du Centre de la Martinique,EPCI,,\n")
    assert import_territories(app, ADMIN, text.encode("cp1252"))["created"] == 2
    [marigot] = [t for t in list_territories(app, ADMIN) if t["code"] == "97209"]
    assert (marigot["population"], marigot["population_year"], marigot["time_zone"]) == \
        (3412, 2021, "America/Martinique")   # the time zone follows the INSEE code when not given


def test_a_bad_file_names_each_line_and_column_and_changes_nothing(app):
    import_territories(app, ADMIN, b"code;nom;type\nancien;Ancien;commune\n")
    before = counts(app)
    text = ("code;nom;type;population;annee_population;fuseau_horaire;operateur\n"
            "a;Alpha;commune;12a;2021;;\n"           # line 2: population
            "b;Bêta;canton;;;;\n"                    # line 3: kind
            "c;Gamma;commune;;;Mars/Olympus;inconnu\n"   # line 4: time zone, operator
            "a;Alpha bis;commune;;;;\n")             # line 5: the same code again
    with pytest.raises(InvalidData) as refused:
        import_territories(app, ADMIN, text.encode())
    assert refused.value.details == {
        "ligne 2, colonne « population »": "population : nombre entier attendu, non « 12a »",
        "ligne 3, colonne « type »": refused.value.details["ligne 3, colonne « type »"],
        "ligne 4, colonne « fuseau_horaire »": refused.value.details["ligne 4, colonne « fuseau_horaire »"],
        "ligne 4, colonne « operateur »": "territoire inconnu : inconnu (ni dans le fichier ni enregistré)",
        "ligne 5, colonne « code »": "code « a » déjà donné ligne 2",
    }
    assert refused.value.details["ligne 3, colonne « type »"].startswith("type inconnu « canton »")
    assert "Mars/Olympus" in refused.value.details["ligne 4, colonne « fuseau_horaire »"]
    assert refused.value.message.startswith("Import refusé, rien n’a été enregistré. ligne 2, colonne « population »")
    assert counts(app) == before


@pytest.mark.parametrize("content, field", [
    (b"", "fichier"), (b"code;nom\n", "ligne 1, colonne « type »"), (b"code;nom;type;couleur\n", "ligne 1, colonne « couleur »"),
    (b"code;nom;type\n", "fichier"), (b"\xff\xfe\x81\x8d", "fichier"),
    (b"code;nom;type\nx;X;commune;en trop\n", "ligne 2"),
])
def test_an_unreadable_file_is_refused_on_its_field(app, content, field):
    with pytest.raises(InvalidData) as refused:
        import_territories(app, ADMIN, content)
    assert field in refused.value.details
    assert counts(app) == (0, 0, 0)


def test_only_administrators_add_or_import(app):
    director = actor("directrice", "director", territories=["cap-nord"])
    with pytest.raises(Forbidden):
        add_territory(app, director, code="x", name="X", kind="commune")
    with pytest.raises(Forbidden):
        import_territories(app, director, SEEDS.read_bytes())
    assert counts(app) == (0, 0, 0)


def test_adding_checks_every_field_and_a_code_once(app):
    with pytest.raises(InvalidData) as refused:
        add_territory(app, ADMIN, code="a b", name="", kind="commune", population="3500")
    assert set(refused.value.details) == {"code", "name", "population_year"}
    add_territory(app, ADMIN, code="x", name="X", kind="commune")
    with pytest.raises(Conflict):
        add_territory(app, ADMIN, code="x", name="X", kind="commune")
    with pytest.raises(InvalidData) as refused:
        add_territory(app, ADMIN, code="y", name="Y", kind="commune", operator="y")
    assert "operator" in refused.value.details


def test_free_codes_while_no_territory_is_defined_then_known_ones_only(app):
    """The embedded demo and older installations start in any code; once territories are data,
    a start names one of them."""
    deploy_model(app)
    legal = actor("juriste", "legal", "assembly", territories=["cap-nord", "n-importe"])
    assert start_instance(app, "convocation", {}, legal, territory="n-importe")["territory"] == "n-importe"
    seed_groupings(app)
    with pytest.raises(InvalidData) as refused:
        start_instance(app, "convocation", {}, legal, territory="n-importe")
    assert refused.value.details == {"territory": "territoire inconnu"}
    assert start_instance(app, "convocation", {}, legal, territory="cap-nord")["territory"] == "cap-nord"


def test_the_population_comes_from_the_territory_unless_the_data_says_otherwise(app):
    deploy_model(app)
    seed_groupings(app)
    assembly = actor("assemblees", "assembly", "legal", territories=["cap-nord", "978"])

    def convocation_data(instance):
        [task] = list_tasks(app, assembly, instance_id=instance["id"])
        from workflows.services.tasks import get_task
        return get_task(app, task["id"], assembly)["data"]

    assert convocation_data(start_instance(app, "convocation", {}, assembly, territory="cap-nord")) == \
        {"population": 2800}
    assert convocation_data(start_instance(app, "convocation", {"population": 4100}, assembly,
                                           territory="cap-nord")) == {"population": 4100}
    assert convocation_data(start_instance(app, "convocation", {}, assembly, territory="978")) == {}


def test_the_library_deliberation_offers_the_territory_s_population(app):
    from workflows.services.deploy import deploy_paths
    deploy_paths(app, [str(ROOT / "bpmn" / "deliberation.bpmn")], ADMIN)
    seed_groupings(app)
    assembly = actor("assemblees", "assembly", "legal", "director", territories=["cap-nord"])
    instance = start_instance(app, "deliberation", dict(CAP_NORD_START), assembly, territory="cap-nord")
    from workflows.services.instances import get_instance
    assert get_instance(app, instance["id"], assembly)["data"]["population"] == 2800
