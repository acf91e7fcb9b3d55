"""The model's own checks speak on the form: a refusal's reason next to the field it concerns (page,
API, CLI), the rules the checks apply shown as the fields' hints before submission, the error
summary right under the page's title. Through Flask's test client and the CLI on a real database."""
import html
import json
import re

from click.testing import CliRunner

from server.cli import main
from web_helpers import (CONVENTION_DRAFT, actor, anct_convention_at_review, anct_convention_at_transmission,
                         api_token, login, post)
from workflows.services.form_checks import field_rules, refusal_errors
from workflows.services.tasks import complete_task, list_tasks

AMOUNT = "montant_achat_prevu_ht"


def text(response):
    return html.unescape(response.get_data(as_text=True))


def draft_sent_back_to_legal_staff(conventio):
    """The ANCT draft returned to legal staff by the director: its first writing, checks not yet run."""
    instance_id, review_id = anct_convention_at_review(conventio)
    complete_task(conventio, review_id, {"decision": "modifier", "commentaire": "Montant"}, actor(conventio, "directrice"))
    [draft] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    return instance_id, draft["id"]


def test_the_anct_rules_are_the_fields_hints_before_submission(client, conventio):
    _instance_id, draft_id = draft_sent_back_to_legal_staff(conventio)
    login(client, "juriste")
    page = text(client.get(f"/tasks/{draft_id}"))
    rule = re.search(rf'<p class="hint rule" id="f-{AMOUNT}-rule">([^<]*)</p>', page)
    assert rule and "Minimum de l’appel à projets : 20\u202f000,00\u00a0€ HT" in rule.group(1)
    amount_input = re.search(rf'<input id="f-{AMOUNT}"[^>]*>', page).group(0)
    assert f'aria-describedby="f-{AMOUNT}-hint f-{AMOUNT}-rule f-{AMOUNT}-live"' in amount_input
    assert 'data-rule-min="20000.0"' in amount_input
    assert "Au plus 50\u00a0% des passes utilisés" in page and "Au moins 50\u00a0% des passes" in page
    assert 'id="error-summary"' not in page and 'aria-invalid' not in page


def test_a_draft_below_the_minimum_comes_back_with_the_reason_by_the_amount(client, conventio):
    instance_id, draft_id = draft_sent_back_to_legal_staff(conventio)
    login(client, "juriste")
    form = {k: str(v) for k, v in CONVENTION_DRAFT.items()}
    response = post(client, f"/tasks/{draft_id}", dict(form, montant_achat_prevu_ht="12 000,50 €"))
    assert response.status_code == 302
    page = text(client.get(response.location))
    error = re.search(rf'<span class="field-error" id="f-{AMOUNT}-error">([^<]*)</span>', page)
    assert error and "inférieur au minimum de 20\u202f000,00\u00a0€" in error.group(1)
    amount_input = re.search(rf'<input id="f-{AMOUNT}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in amount_input and f"f-{AMOUNT}-error" in amount_input
    assert 'id="f-taux_cofinancement_etat_pct-error"' not in page, "only the field the reason concerns"
    summary = re.search(r'<div class="error-message error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert 'tabindex="-1" autofocus' in summary.group(0)
    assert f'<a href="#f-{AMOUNT}">Montant d\'achat prévu (EUR HT) : Achat de 12\u202f000,50' in summary.group(1)
    assert "Les contrôles du processus ont renvoyé l’étape" in summary.group(1)
    # right under the title, before what the page shows of the dossier and the form
    assert page.index("</h1>") < page.index('id="error-summary"') < page.index('id="task-form"')
    assert page.index('id="error-summary"') < page.index('class="instructions')
    assert page.count('id="error-summary"') == 1
    assert "la raison est indiquée à côté des champs concernés" in page
    assert "<title>Erreur :" in page


def test_each_term_of_the_anct_call_refused_by_its_own_field(client, conventio):
    _instance_id, draft_id = draft_sent_back_to_legal_staff(conventio)
    login(client, "juriste")
    form = {k: str(v) for k, v in CONVENTION_DRAFT.items()}
    response = post(client, f"/tasks/{draft_id}", dict(form, part_minimale_public_pic_pct="40"))
    page = text(client.get(response.location))
    assert re.search(r'id="f-part_minimale_public_pic_pct-error">Part du public PIC de 40\u00a0%', page)
    assert f'id="f-{AMOUNT}-error"' not in page


def test_the_api_returns_the_reason_by_field_and_the_rules(client, conventio):
    _instance_id, draft_id = draft_sent_back_to_legal_staff(conventio)
    headers = api_token(client, "juriste")
    before = client.get(f"/api/v1/tasks/{draft_id}", headers=headers).get_json()
    assert before["field_errors"] == {}
    assert before["field_rules"][AMOUNT]["min"] == 20000
    done = client.post(f"/api/v1/tasks/{draft_id}/complete", headers=headers,
                       json={"data": dict(CONVENTION_DRAFT, montant_achat_prevu_ht=12000.5)})
    assert done.status_code == 200
    sent_back = done.get_json()["sent_back"]
    assert list(sent_back["field_errors"]) == [AMOUNT]
    assert "inférieur au minimum" in sent_back["field_errors"][AMOUNT]
    again = client.get(f"/api/v1/tasks/{sent_back['id']}", headers=headers).get_json()
    assert again["field_errors"] == sent_back["field_errors"]


def test_the_cli_says_which_field_the_reason_concerns(conventio):
    _instance_id, draft_id = draft_sent_back_to_legal_staff(conventio)
    data = json.dumps(dict(CONVENTION_DRAFT, montant_achat_prevu_ht=12000.5))
    result = CliRunner().invoke(main, ["tasks", "complete", draft_id, "--data", data, "--as", "juriste"],
                                obj=conventio)
    assert result.exit_code == 3, result.output
    assert "  Montant d'achat prévu (EUR HT) : Achat de 12\u202f000,50\u00a0€ inférieur au minimum" in result.output


def test_a_transmission_refused_by_the_part_it_concerns(conventio):
    _instance_id, task_id = anct_convention_at_transmission(conventio, "2026-10-20", "2026-10-28")
    result = complete_task(conventio, task_id, {
        "date_transmission_convention_anct": "2026-11-04", "numero_acte_convention_anct": "conv 42",
        "nature_acte_convention_anct": 4, "date_accuse_reception_convention_anct": "2026-11-03"}, actor(conventio, "juriste"))
    errors = result["sent_back"]["field_errors"]
    assert set(errors) == {"numero_acte_convention_anct", "date_accuse_reception_convention_anct"}
    assert errors["date_accuse_reception_convention_anct"].startswith("Accusé de réception du 3 novembre 2026")


def test_the_contract_reads_only_the_declared_variables_and_fields():
    form = {"x-refusals": {"erreur_date": "date_envoi", "motifs": "*", "erreur_ailleurs": "champ_absent"},
            "properties": {"date_envoi": {"title": "Date"}, "montant": {"title": "Montant"}}}
    data = {"erreur_date": "Trop tôt.", "motifs": {"montant": "Trop peu.", "autre": "Hors formulaire."},
            "erreur_ailleurs": "Ailleurs.", "erreur_non_declaree": "Ignorée."}
    assert refusal_errors(form, data) == {"date_envoi": "Trop tôt.", "montant": "Trop peu."}
    assert refusal_errors(form, {"erreur_date": None, "motifs": {}}) == {}
    shared = {"x-refusals": {"motifs_transmission": {"date_transmission": "date_envoi"}},
              "properties": {"date_envoi": {}, "date_transmission": {}}}
    reasons = {"motifs_transmission": {"date_transmission": "Avant la signature.", "numero_acte": "Invalide."}}
    assert refusal_errors(shared, reasons) == {"date_envoi": "Avant la signature."}, "the check's parts renamed"


def test_the_votes_cannot_outnumber_the_members_recorded_at_the_sitting():
    form = {"properties": {"pour": {"type": "integer", "x-rule": "votes"}, "nomination": {"type": "boolean"}}}
    rules = field_rules(form, {"presents": 30, "procurations": 8, "membres_retires": 0})
    assert rules["pour"]["max"] == 38 and "38 au plus" in rules["pour"]["hint"]
    assert field_rules(form, {"presents": 30, "procurations": 8, "membres_retires": 2})["pour"]["max"] == 36
    assert field_rules(form, {}) == {}, "nothing recorded yet: no rule to show"


def signature_ready(conventio):
    """The président's signature of an ANCT convention whose deliberation became executory on 30 September 2026."""
    instance_id, review_id = anct_convention_at_review(conventio, start={
        "numero_deliberation": "CC-09-2026-031", "date_seance": "2026-09-24", "date_executoire": "2026-09-30"})
    complete_task(conventio, review_id, {"decision": "approuver"}, actor(conventio, "directrice"))
    [task] = list_tasks(conventio, actor(conventio, "admin"), instance_id=instance_id)
    assert task["bpmn_id"] == "signer_convention_anct"
    return instance_id, task["id"]


EARLY_SIGNATURE = {"date_signature_convention_anct": "2026-09-25", "signataire_convention_anct": "Bruno Nestor AZÉROT",
                   "qualite_signataire_convention_anct": "Président"}


def test_a_signature_refused_by_a_rule_comes_back_by_its_date_through_the_three_doors(client, conventio):
    from workflows.errors import InvalidData
    from workflows.services.instances import get_instance
    instance_id, task_id = signature_ready(conventio)
    president = actor(conventio, "president")
    version = get_instance(conventio, instance_id, president)["version"]
    # the service: invalid data on the date (x-refused-field), nothing done
    try:
        complete_task(conventio, task_id, EARLY_SIGNATURE, president)
        raise AssertionError("an early signature was accepted")
    except InvalidData as refused:
        assert list(refused.details) == ["date_signature_convention_anct"]
        assert "30 septembre 2026" in refused.details["date_signature_convention_anct"]
    assert get_instance(conventio, instance_id, president)["version"] == version
    # the API: 422 naming the field
    answer = client.post(f"/api/v1/tasks/{task_id}/complete", headers=api_token(client, "president"),
                         json={"data": EARLY_SIGNATURE})
    assert answer.status_code == 422
    assert "30 septembre 2026" in json.dumps(answer.get_json(), ensure_ascii=False)
    assert "date_signature_convention_anct" in json.dumps(answer.get_json())
    # the page: the message by the date, linked from the summary, the values kept
    login(client, "president")
    page = post(client, f"/tasks/{task_id}", data=EARLY_SIGNATURE)
    assert page.status_code == 422
    body = text(page)
    assert re.search(r'id="f-date_signature_convention_anct-error"[^>]*>[^<]*30 septembre 2026', body), body[:3000]
    assert 'href="#f-date_signature_convention_anct"' in body and 'value="2026-09-25"' in body
    # the CLI: a refusal naming the field, non-zero
    result = CliRunner().invoke(main, ["tasks", "complete", task_id, "--data", json.dumps(EARLY_SIGNATURE),
                                       "--as", "president"], obj=conventio)
    assert result.exit_code != 0 and "30 septembre 2026" in result.output, result.output
    assert get_instance(conventio, instance_id, president)["version"] == version
