"""What a task knows of its step's past and of its deadline, through the services: the rounds
sent back (by whom, when, with which comment), the legal deadline as due date, a late entry."""
from datetime import datetime, timezone

from web_helpers import (CONVENTION_DRAFT, actor, anct_convention_at_review, anct_convention_at_transmission)
from workflows.services.instances import get_instance
from workflows.services.tasks import complete_task, get_task, list_tasks, step_history
from workflows.services.territories import add_territory

TRANSMISSION = {"date_transmission_convention_anct": "2026-12-04", "numero_acte_convention_anct": "CONV_2026_042",
                "nature_acte_convention_anct": 4, "date_accuse_reception_convention_anct": "2026-12-04"}


def history_of(conventio, instance_id):
    return get_instance(conventio, instance_id, actor(conventio, "admin"))["history"]


def test_a_step_sent_back_by_the_director_knows_by_whom_when_and_why(conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    result = complete_task(conventio, review_id, {"decision": "modifier", "commentaire": "Le taux doit être de 40 %."},
                           actor(conventio, "directrice"))
    assert result["sent_back"] is None   # a reviewer's decision, not the model's checks
    [draft] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    history = step_history(conventio, draft["id"], actor(conventio, "juriste"))
    assert [h["actor"] for h in history] == ["Claire Directrice", "Julien Juriste"]
    assert history[0]["sent_back"] and history[0]["comment"] == "Le taux doit être de 40 %."
    assert "modifications demandées — « Le taux doit être de 40 %. »" in history[0]["summary"]
    assert not history[1]["sent_back"] and history[1]["summary"] == "« Rédiger la convention ANCT » terminée"


def test_a_step_the_models_checks_refuse_is_sent_back_and_journaled_so(conventio):
    legal = actor(conventio, "juriste")
    instance_id, review_id = anct_convention_at_review(conventio)
    complete_task(conventio, review_id, {"decision": "modifier", "commentaire": "Montant"}, actor(conventio, "directrice"))
    [draft] = list_tasks(conventio, legal, instance_id=instance_id)
    result = complete_task(conventio, draft["id"], dict(CONVENTION_DRAFT, montant_achat_prevu_ht=12000), legal)
    assert result["sent_back"]["name"] == "Rédiger la convention ANCT"
    again = get_task(conventio, result["sent_back"]["id"], legal)
    assert again["bpmn_id"] == "rediger_convention_anct" and again["id"] != draft["id"]
    history = step_history(conventio, again["id"], legal)
    assert history[0]["summary"] == ("« Rédiger la convention ANCT » renvoyée pour correction par les contrôles "
                                     "du processus")
    assert history[0]["sent_back"] and len(history) == 3
    summaries = [e["summary"] for e in history_of(conventio, instance_id)]
    assert not any("« Rédiger la convention ANCT » terminée" == s for s in summaries[-2:])


def test_the_legal_deadline_is_the_due_date_and_a_late_entry_is_accepted_and_journaled(conventio):
    add_territory(conventio, actor(conventio, "admin"), code="cap-nord", name="CAP Nord", kind="EPCI",
                  time_zone="America/Martinique")
    instance_id, task_id = anct_convention_at_transmission(conventio, "2026-10-20", "2026-10-28")
    task = get_task(conventio, task_id, actor(conventio, "juriste"))
    # 15 days after the last signature, to the end of that day in Martinique
    assert task["due_at"] == "2026-11-13T03:59:59+00:00"
    assert task["due_source"] == "Délai de transmission échu"
    assert task["due_time_zone"] == "America/Martinique"
    [listed] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    assert (listed["due_at"], listed["due_source"]) == (task["due_at"], task["due_source"])
    result = complete_task(conventio, task_id, TRANSMISSION, actor(conventio, "juriste"))
    days = -(-(datetime.now(timezone.utc) - datetime(2026, 11, 13, 3, 59, 59, tzinfo=timezone.utc)).total_seconds()
             // 86400)
    assert result["late"]["days"] == days > 0
    assert result["late"]["message"] == (f"Saisie avec {int(days)} jours de retard sur l’échéance du 12 novembre 2026 "
                                         "(Délai de transmission échu).")
    [entry] = [e for e in history_of(conventio, instance_id) if e["task_id"] == task_id]
    assert entry["summary"] == (f"« Transmettre la convention au contrôle de légalité » terminée ; saisie avec "
                                f"{int(days)} jours de retard sur l’échéance du 12 novembre 2026 "
                                "(Délai de transmission échu).")


def test_an_entry_on_time_carries_no_warning(conventio):
    instance_id, task_id = anct_convention_at_transmission(conventio, "2026-12-01", "2026-12-02")
    result = complete_task(conventio, task_id, dict(TRANSMISSION, date_transmission_convention_anct="2026-12-03",
                                                    date_accuse_reception_convention_anct="2026-12-03"),
                           actor(conventio, "juriste"))
    assert result["late"] is None and result["sent_back"] is None
