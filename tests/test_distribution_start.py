"""The distribution refuses to start with a mediation place listed twice (it would be
stated and paid twice for one month): through the real services, nothing is created."""
import json

import pytest

from helpers import ADMIN, ROOT, sqlite_settings
from workflows.errors import ConventioError
from workflows.services import open_conventio
from workflows.services.deploy import deploy_paths
from workflows.services.instances import list_instances, start_instance

SCENARIO = ROOT / "tests" / "scenarios" / "distribution_plie_formats_paiements_mensuels.json"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = open_conventio(sqlite_settings(tmp_path_factory.mktemp("distribution_start")))
    deploy_paths(app, [ROOT / "bpmn" / "distribution.bpmn"], ADMIN)
    yield app
    app.close()


def _start_data():
    return json.loads(SCENARIO.read_text())["steps"][0]["start"]


def test_a_mediation_place_listed_twice_is_refused_at_the_start_with_its_name(app):
    data = dict(_start_data(), lieux_mediation=["Médiathèque de Trinité", "Cyber-base du Lorrain",
                                                 "Médiathèque de Trinité"])
    with pytest.raises(ConventioError) as refusal:
        start_instance(app, "distribution", data, ADMIN)
    assert "Lieux de médiation en double : « Médiathèque de Trinité » (2 fois)" in refusal.value.message
    assert "gardez une seule fois chaque lieu" in refusal.value.message
    assert list_instances(app, ADMIN, process_id="distribution") == []


def test_distinct_places_start_the_distribution(app):
    started = start_instance(app, "distribution", _start_data(), ADMIN)
    assert started["status"] == "running"
    assert [i["id"] for i in list_instances(app, ADMIN, process_id="distribution")] == [started["id"]]
