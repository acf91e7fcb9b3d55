"""The task page shows what is decided and leads nowhere dead: the dossier under its forms'
labels, the documents to read, the step's past first, « À reprendre » for a step sent back,
every refusal answered by the form again with what was typed, a colleague's task read-only,
legal deadlines as due dates. Through Flask's test client on a real database."""
import html
import re

from web_helpers import (CONVENTION_DRAFT, actor, anct_convention_at_review, anct_convention_at_transmission,
                         login, post)
from workflows.services.assignments import claim_task
from workflows.services.tasks import complete_task, list_tasks
from workflows.services.territories import add_territory


DELIBERATION = {"numero_deliberation": "CC-09-2026-031", "date_deliberation": "2026-09-24"}


def text(response):
    return response.get_data(as_text=True)


def section(page, section_id):
    found = re.search(rf'<section id="{section_id}">(.*?)</section>', page, re.S)
    assert found, f"no section {section_id}"
    return found.group(1)


def test_the_review_shows_the_dossier_in_words_and_the_document_to_read(client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio, start=DELIBERATION)
    login(client, "directrice")
    page = text(client.get(f"/tasks/{review_id}"))
    dossier = section(page, "dossier")
    assert "<dt>Montant d&#39;achat prévu (EUR HT)</dt>\n    <dd>20\u202f800\u00a0€</dd>" in dossier
    assert "<dd>2 mars 2026</dd>" in dossier                       # the draft's date, in words
    assert "<dd>50\u00a0%</dd>" in dossier and "Nombre de passes prévus" in dossier
    assert "auteur_etape" not in page and "Données du dossier" not in page and "True" not in dossier
    documents = section(page, "documents")
    assert "version 1" in documents and "Télécharger (.docx)" in documents
    assert re.search(r'<details class="preview" open>', documents)
    words = re.sub(r"\s+", " ", html.unescape(documents))   # the document's own text
    assert "s'engage à acquérir 2 080 Pass numériques" in words and "(vingt mille huit cents euros)" in words
    assert page.index('id="documents"') < page.index('id="task-form"')


def test_a_step_sent_back_reads_a_reprendre_with_who_when_and_why_first(client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    login(client, "directrice")
    response = post(client, f"/tasks/{review_id}", {"decision": "modifier", "commentaire": "Le taux PIC est à revoir."})
    assert response.status_code == 302
    [draft] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    switch_user(client, "juriste")
    page = text(client.get(f"/tasks/{draft['id']}"))
    assert '<span class="badge to-redo">À reprendre</span>' in page
    sent_back = re.search(r'<div class="sent-back" role="alert" id="sent-back">(.*?)</div>', page, re.S).group(1)
    assert "renvoyée par Claire Directrice le" in sent_back and "Le taux PIC est à revoir." in sent_back
    history = section(page, "step-history")
    assert history.index("Claire Directrice") < history.index("Julien Juriste")   # newest first
    assert "modifications demandées" in history
    assert page.index('id="sent-back"') < page.index('id="step-history"') < page.index('id="task-form"')
    assert 'value="20800"' in page, "the draft as it was written"


def switch_user(client, username):
    post(client, "/logout")
    login(client, username)


def test_a_step_the_model_refuses_is_no_green_terminee_but_an_error_to_take_up(client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    complete_task(conventio, review_id, {"decision": "modifier", "commentaire": "Montant"}, actor(conventio, "directrice"))
    [draft] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    login(client, "juriste")
    form = {k: str(v) for k, v in CONVENTION_DRAFT.items()}
    response = post(client, f"/tasks/{draft['id']}", dict(form, montant_achat_prevu_ht="12 000,50 €"))
    [again] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    assert response.status_code == 302 and response.location == f"/tasks/{again['id']}"
    page = text(client.get(response.location))
    assert "est terminée" not in page
    assert re.search(r'<p class="flash error" role="status">« Rédiger la convention ANCT » est à reprendre', page)
    assert '<div class="instructions error-message" role="note"><strong>Projet à reprendre</strong>' in page
    assert "**" not in page
    assert 'value="12000.5"' in page, "the amount as typed, taken as a number and kept"
    history = text(client.get(f"/instances/{instance_id}"))
    assert "renvoyée pour correction par les contrôles du processus" in history


def test_a_task_held_by_a_colleague_is_read_only_and_a_refusal_keeps_what_was_typed(client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    add_director = __import__("workflows.services.users", fromlist=["add_user"]).add_user
    add_director(conventio, "directeur2", ["director"], ["cap-nord"], "mot-de-passe-de-test", "Denis Directeur")
    login(client, "directeur2")
    page = text(client.get(f"/tasks/{review_id}"))
    assert "<fieldset class=\"plain\">" in page and "button" in section(page, "task-form")
    claim_task(conventio, review_id, actor(conventio, "directrice"))   # meanwhile, a colleague takes it
    response = post(client, f"/tasks/{review_id}", {"decision": "rejeter", "commentaire": "Trop cher pour nous."})
    assert response.status_code == 409
    page = text(response)
    assert "Cette tâche est prise par Claire Directrice" in section(page, "task-form")
    assert "Trop cher pour nous.</textarea>" in page, "the comment typed is still there"
    assert '<fieldset class="plain" disabled>' in page and 'class="decision' not in page
    assert "Cette tâche est prise par Claire Directrice" in page and "lecture seule" in page


def test_a_schema_refusal_keeps_the_values_and_puts_the_message_by_its_field(client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    login(client, "directrice")
    response = post(client, f"/tasks/{review_id}", {"decision": "modifier", "commentaire": ""})
    assert response.status_code == 422
    page = text(response)
    assert 'aria-invalid="true" aria-describedby="f-commentaire-error"' in page
    assert '<span class="field-error" id="f-commentaire-error">' in page


def test_the_legal_deadline_is_the_due_date_everywhere_late_flagged_and_a_late_entry_warned(client, conventio):
    add_territory(conventio, actor(conventio, "admin"), code="cap-nord", name="CAP Nord", kind="EPCI",
                  time_zone="America/Martinique")
    instance_id, task_id = anct_convention_at_transmission(conventio, "2026-10-20", "2026-10-28")
    login(client, "juriste")
    due = ('<span class="due overdue"><strong>En retard</strong> — 12 novembre 2026 <span class="due-source">'
           '(échéance légale : Délai de transmission échu)</span></span>')
    inbox = text(client.get("/inbox"))
    assert due in inbox and f'<tr class="task overdue" data-task-id="{task_id}">' in inbox
    assert due in text(client.get(f"/tasks/{task_id}"))
    assert due in text(client.get("/instances"))
    response = post(client, f"/tasks/{task_id}", {
        "date_transmission_convention_anct": "2026-12-04", "numero_acte_convention_anct": "CONV_2026_042",
        "nature_acte_convention_anct": "4", "date_accuse_reception_convention_anct": "2026-12-04"})
    assert response.status_code == 302
    page = text(client.get("/inbox"))
    assert re.search(r'<p class="flash warning" role="status">Saisie avec \d+ jours de retard sur l’échéance du '
                     r'12 novembre 2026 \(Délai de transmission échu\)\.</p>', page)
    journal = text(client.get(f"/instances/{instance_id}"))
    assert "terminée ; saisie avec" in journal
