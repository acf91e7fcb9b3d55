"""The French texts of reminders and escalations."""
from zoneinfo import ZoneInfo

from ..roles import role_label


def local_time(moment, timezone):
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%d/%m/%Y à %H h %M")


def task_link(base_url, task_id):
    return f"{base_url}/taches/{task_id}"


def _about(task):
    territory = f", territoire « {task.territory} »" if task.territory else ""
    return (f"la tâche « {task.name} » ({role_label(task.role) if task.role else 'sans rôle'}) "
            f"de l’instance n° {task.instance_id} « {task.title} »{territory}")


def reminder(task, user, jobs):
    subject = f"[Conventio] Tâche en retard : {task.name} (instance n° {task.instance_id})"
    body = (f"Bonjour {user.display_name},\n\n"
            f"Vous êtes attendu(e) sur {_about(task)}.\n"
            f"Elle devait être traitée avant le {local_time(task.due_at, jobs.timezone)}.\n\n"
            f"Pour la traiter : {task_link(jobs.base_url, task.task_id)}\n\n"
            "Ce message est envoyé automatiquement par Conventio ; merci de ne pas y répondre.\n")
    return subject, body


def escalation(task, director, jobs):
    if task.holder:
        assigned = f", prise en charge par {task.holder},"
    elif task.role:
        assigned = f", confiée au rôle « {role_label(task.role)} »,"
    else:
        assigned = ","
    subject = f"[Conventio] Escalade : tâche en retard « {task.name} » (instance n° {task.instance_id})"
    body = (f"Bonjour {director.display_name},\n\n"
            f"En tant que directeur ou directrice du territoire, vous êtes informé(e) que {_about(task)}"
            f"{assigned} n’est toujours pas traitée alors qu’elle devait l’être avant le "
            f"{local_time(task.due_at, jobs.timezone)}.\n\n"
            f"Pour la consulter : {task_link(jobs.base_url, task.task_id)}\n\n"
            "Ce message est envoyé automatiquement par Conventio ; merci de ne pas y répondre.\n")
    return subject, body
