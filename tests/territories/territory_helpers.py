"""A small model whose form asks for a population (as the deliberation's convocation does), and
the groupings of the seeds: Seine-et-Yvelines Numérique acts for the 78 and the 92, the hub
Antilles-Guyane observes CAP Nord and Saint-Martin."""
import json

from bpmn_builder import definitions, flow, process, user_task
from helpers import ADMIN, actor, deploy_xml
from workflows.services.territories import add_territory

CONVOCATION_FORM = {"type": "object", "required": ["population"],
                    "properties": {"population": {"type": "integer", "minimum": 0}}}
MODEL = definitions(process("convocation", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("convoquer", "Convoquer l'assemblée", {"formJsonSchema": json.dumps(CONVOCATION_FORM)}),
    user_task("approuver", "Approuver la convocation"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "convoquer"), flow("f2", "convoquer", "approuver"), flow("f3", "approuver", "end")]),
    lanes={"Secrétariat des assemblées": ["convoquer"], "Direction": ["approuver"]}))

SYN, HUB = "seine-et-yvelines-numerique", "hub-antilles-guyane"
SYN_ASSEMBLY = actor("assemblees-syn", "assembly", territories=[SYN])
SYN_DIRECTOR = actor("directeur-syn", "director", territories=[SYN])
DIRECTOR_78 = actor("directeur78", "director", territories=["78"])


def seed_groupings(app):
    add_territory(app, ADMIN, code=SYN, name="Seine-et-Yvelines Numérique", kind="syndicat mixte")
    add_territory(app, ADMIN, code=HUB, name="Hub Antilles-Guyane", kind="association", time_zone="America/Marigot")
    for code, name in (("78", "Yvelines"), ("92", "Hauts-de-Seine")):
        add_territory(app, ADMIN, code=code, name=name, kind="département", population=1_400_000,
                      population_year=2021, operator=SYN)
    add_territory(app, ADMIN, code="cap-nord", name="CAP Nord Martinique", kind="EPCI", population=2_800,
                  population_year=2021, time_zone="America/Martinique", hubs=[HUB])
    add_territory(app, ADMIN, code="978", name="Saint-Martin", kind="collectivité d'outre-mer", hubs=[HUB])


def deploy_model(app):
    return deploy_xml(app, {"convocation.bpmn": MODEL})
