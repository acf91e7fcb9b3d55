"""The beneficiary's letter of rights for a handout of the ledger: a real .docx, opened and read."""
import io
from datetime import date

import docx
import pytest

from bpmn_builder import sequence, user_task
from helpers import ADMIN, deploy_xml
from ledger_helpers import AGENT, DIRECTOR, OTHER_AGENT, serials, small_campaign
from workflows.errors import Forbidden, InvalidData, NotFound
from workflows.services import ledger
from workflows.services.instances import start_instance
from workflows.services.ledger_letter import handout_letter

PARTNERS = {
    "lieux_mediation": ["Cyber-base du Robert", "Médiathèque de Trinité"],
    "partenaires": [
        {"nom": "Cyber-base du Robert", "adresse": "12 rue Schœlcher", "commune": "Le Robert",
         "telephone": "0596 65 00 00", "horaires": "lun.-ven. 9 h-17 h"},
        {"nom": "Médiathèque de Trinité", "adresse": "Place de l’Église", "commune": "Trinité"},
        {"nom": "CCAS", "adresse": "Mairie", "commune": "Trinité"},
    ],
}


def text_of(content):
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def campaign_of_a_procedure(app, data=PARTNERS):
    deploy_xml(app, {"d.bpmn": sequence("distribution_test", ("t", user_task("t", "Distribuer")))})
    instance = start_instance(app, "distribution_test", data, ADMIN, territory="CAPN")
    campaign = small_campaign(app, instance_id=instance["id"])
    ledger.endow(app, campaign, DIRECTOR, prescriber="CCAS", on=date(2027, 3, 1), serials=serials("CAPN10", 1, 4))
    return campaign


def test_the_letter_of_a_handout_names_its_booklets_passes_and_the_mediation_places(any_app):
    campaign = campaign_of_a_procedure(any_app)
    handout = ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                              on=date(2027, 3, 10), serials=serials("CAPN10", 2, 3), identifier="PLIE-7")
    content, name = handout_letter(any_app, campaign, handout["move"], AGENT)
    assert name == f"lettre-beneficiaire-remise-{handout['move']}.docx"
    text = text_of(content)
    assert "vous offre 2 carnets de Pass numériques. CCAS vous les remet le 10 mars 2027." in text
    assert "Numéro de carnet : CAPN10-000002, CAPN10-000003." in text
    assert "20 pass" in text and "200,00" in text
    assert "valables jusqu'au 31 décembre 2027" in text
    for place in ("Cyber-base du Robert", "12 rue Schœlcher", "Le Robert", "0596 65 00 00", "Médiathèque de Trinité",
                  "Place de l’Église"):
        assert place in text
    assert "Mairie" not in text   # the CCAS is a partner, not a mediation place
    assert "PLIE-7" not in text   # the letter is the person's: no pseudonym, no name unless given
    assert handout_letter(any_app, campaign, handout["move"], DIRECTOR)[0][:2] == b"PK"


def test_the_letter_is_refused_to_others_and_without_places(any_app):
    campaign = campaign_of_a_procedure(any_app)
    handout = ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                              on=date(2027, 3, 10), serials=["CAPN10-000001"])
    with pytest.raises(Forbidden, match="agent du prescripteur « CCAS »"):
        handout_letter(any_app, campaign, handout["move"], OTHER_AGENT)
    with pytest.raises(NotFound, match="Remise n° 1 introuvable"):
        handout_letter(any_app, campaign, 1, AGENT)   # the dotation, not a handout
    bare = small_campaign(any_app)
    ledger.endow(any_app, bare, DIRECTOR, prescriber="CCAS", on=date(2027, 3, 1), serials=["CAPN05-000001"])
    other = ledger.hand_out(any_app, bare, AGENT, prescriber="CCAS", public="senior", on=date(2027, 3, 10),
                            serials=["CAPN05-000001"])
    with pytest.raises(InvalidData, match="ne connaît pas encore ses lieux de médiation"):
        handout_letter(any_app, bare, other["move"], AGENT)
