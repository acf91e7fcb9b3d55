"""Words for people (issue 15): the pages that list tasks, procedures, the journal and the models
name territories, processes and people; the codes and logins stay in the data and the API."""
import re

import pytest

from bpmn_builder import definitions, process
from start_data import CAP_NORD
from web_helpers import PASSWORD, actor, anct_convention_at_review, login
from workflows.services.actors import SYSTEM, Actor
from workflows.services.assignments import claim_task
from workflows.services.deploy import deploy_sources
from workflows.services.instances import start_instance
from workflows.services.names import Names, names_for
from workflows.services.steps import Step
from workflows.services.territories import add_territory
from workflows.services.users import add_user
from workflows.states import JournalAction

ADMIN = Actor("admin", frozenset({"admin"}), display_name="Alice Admin")
SHELL = Actor("shell:root", frozenset({"admin"}), display_name="Console")
ANCT = "Convention de cofinancement avec l’ANCT".replace("’", "'")


def text(response):
    return response.get_data(as_text=True)


def cell(row, index):
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[index]


@pytest.fixture
def review(conventio):
    """The director's review of an ANCT convention in CAP Nord, held by a named colleague."""
    instance_id, review_id = anct_convention_at_review(conventio)
    add_territory(conventio, ADMIN, code="cap-nord", name="CAP Nord Martinique", kind="EPCI")
    add_user(conventio, "directeur2", ["director"], ["cap-nord"], PASSWORD, "Denis Directeur")
    claim_task(conventio, review_id, actor(conventio, "directeur2"))
    return instance_id, review_id


def test_the_inbox_names_the_procedure_the_territory_and_who_holds_the_task(client, review):
    instance_id, review_id = review
    login(client, "directrice")
    others = text(client.get("/inbox")).split('id="others"')[1]
    row = others.split(f'data-task-id="{review_id}"')[1].split("</tr>")[0]
    assert f"{ANCT} — n° {instance_id}" in cell(row, 1).replace("&#39;", "'")
    assert cell(row, 3) == "CAP Nord Martinique"
    assert "prise par Denis Directeur" in row and "directeur2" not in row
    assert "convention_anct" not in row and "cap-nord" not in row


def test_the_task_page_names_its_procedure_territory_and_holder(client, review):
    instance_id, review_id = review
    login(client, "directrice")
    page = text(client.get(f"/tasks/{review_id}")).replace("&#39;", "'")
    breadcrumb = page.split('class="breadcrumb"')[1].split("</p>")[0]
    assert f"{ANCT} — procédure n° {instance_id}" in breadcrumb
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "<dd>CAP Nord Martinique</dd>" in facts and "cap-nord" not in facts
    assert "Denis Directeur" in facts and "directeur2" not in facts
    held = page.split('id="held">')[1].split("</p>")[0]
    assert "prise par Denis Directeur" in held


def test_the_procedures_list_and_page_lead_with_words(client, conventio, review):
    instance_id, _review_id = review
    login(client, "directrice")
    listing = text(client.get("/instances")).replace("&#39;", "'")
    row = listing.split(f'href="/instances/{instance_id}">{instance_id}</a>')[1].split("</tr>")[0]
    assert ANCT in cell(row, 0) and cell(row, 1) == "CAP Nord Martinique"
    assert '<option value="cap-nord">CAP Nord Martinique</option>' in listing
    page = text(client.get(f"/instances/{instance_id}")).replace("&#39;", "'")
    assert re.search(rf"<h1>{re.escape(ANCT)} <span class=\"muted\">procédure n° {instance_id}</span></h1>", page)
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "<dd>CAP Nord Martinique</dd>" in facts and "(Julien Juriste)" in facts


def test_the_journal_names_people_and_the_system_in_words(client, conventio):
    started = start_instance(conventio, "convention_anct", CAP_NORD, SHELL, territory="cap-nord")
    with Step(conventio) as step:
        step.record(JournalAction.TIMER, "Minuteur(s) échu(s) : relance", SYSTEM, instance_id=started["id"])
        step.record(JournalAction.CLAIM, "« Rédiger » prise en charge", actor(conventio, "juriste"),
                    instance_id=started["id"])
        step.record(JournalAction.RELEASE, "« Rédiger » remise dans la file", Actor("parti"),
                    instance_id=started["id"])
        step.commit()
    login(client, "directrice")
    page = text(client.get(f"/instances/{started['id']}"))
    journal = page.split('id="journal"')[1]
    who = re.findall(r'<td class="actor">(.*?)</td>', journal, re.S)
    assert who[0] == "ligne de commande (root)"
    assert "Conventio (minuterie)" in who
    assert '<span title="identifiant : juriste">Julien Juriste</span>' in who
    assert who[-1] == "parti", "an unknown login stays as it is"
    assert not any(w in ("shell:root", "système", "juriste") for w in who)
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "(ligne de commande (root))" in facts and "shell:root" not in facts


def test_the_models_page_names_the_process_and_who_deployed_it(client, conventio):
    model = definitions(process("mots", '<bpmn:startEvent id="start"/>', name="Procédure des mots"))
    deploy_sources(conventio, {"mots.bpmn": model.encode()}, SHELL)
    login(client, "admin")
    page = text(client.get("/models"))
    row = page.split('<strong>Procédure des mots</strong>')[1].split("</tr>")[0]
    assert '<span class="muted process-id">mots</span>' in row
    assert "<td>ligne de commande (root)</td>" in row and "shell:root" not in page
    assert "Empreinte du fichier</summary>" in row and "<th scope=\"col\">Empreinte" not in page
    assert "<td>Conventio (démonstration)</td>" in page, "the library the demo deployed"
    director = client.application.test_client()
    login(director, "directrice")
    assert "Empreinte du fichier" not in text(director.get("/models")), "the fingerprint is for administrators"


def test_names_are_read_once_for_a_page_and_fall_back_to_the_codes(conventio):
    add_territory(conventio, ADMIN, code="cap-nord", name="CAP Nord Martinique", kind="EPCI")
    names = names_for(conventio, territories={"cap-nord", "ailleurs", None}, processes={"deliberation"},
                      people={"directrice", "ancien"})
    assert names.territory("cap-nord") == "CAP Nord Martinique" and names.territory("ailleurs") == "ailleurs"
    assert names.process("deliberation") != "deliberation" and names.process("inconnu") == "inconnu"
    assert names.person("directrice") == "Claire Directrice" and names.person("ancien") == "ancien"
    assert Names().person("système", JournalAction.MESSAGE) == "Conventio (message entre procédures)"
    assert Names().person("système", JournalAction.START) == "Conventio (automatique)"
    assert Names().person("shell:") == "shell:" and Names().person(None) is None


def test_the_dashboard_names_territories_and_processes(client, conventio, review):
    instance_id, _review_id = review
    login(client, "dgs")
    page = text(client.get("/tableau-de-bord"))
    row = re.search(rf'<tr data-instance="{instance_id}">.*?</tr>', page, re.S).group(0)
    assert "CAP Nord Martinique" in row and ">cap-nord<" not in row, row
    assert re.search(r'<option value="cap-nord"[^>]*>CAP Nord Martinique</option>', page)
