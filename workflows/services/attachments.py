"""Files attached to a task (a quote, a signed scan): attached by whoever may act on the ready
task, kept in the document storage with their checksum, read by whoever may read the instance.

The pages, the API and the shell call these functions: the rights are decided here, once.
"""
import uuid
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..documents.file_types import ACCEPTED, file_kind
from ..errors import Conflict, InvalidData, NotFound
from ..states import JournalAction
from ..store.files import FileStorageError
from ..store.models import ProcessInstance, TaskAttachment, TaskClaim, TaskRecord
from .assignments import ready_task
from .names import person_name
from .documents import DocumentDamaged, journal_incident
from .persistence import aware
from .results import AttachmentSummary
from .steps import Step

NAME_LIMIT = 255


def attach_file(app, task_id, name, content, actor) -> AttachmentSummary:
    """Store `content` as an attachment of the ready task `task_id`: 404, 403 or 409 as for
    completing it, 422 for a file refused (empty, too large, of a kind not taken); then nothing
    is stored."""
    name = _checked_name(name)
    media_type = _checked_content(app, content)
    written = []
    try:
        with Step(app) as step:
            record, row = ready_task(app, step.session, task_id, actor)
            claim = step.session.get(TaskClaim, record.id)
            if claim is not None and claim.username != actor.username:
                raise Conflict(f"Cette tâche est prise par {person_name(step.session, claim.username)} : demandez-lui de la libérer "
                               "avant d’agir.", {"claimed_by": claim.username})
            key = f"{row.id}/pieces/{uuid.uuid4().hex}/{_stored_name(name)}"
            digest = app.storage.put(key, content, session=step.session)
            written.append(key)
            attachment = TaskAttachment(instance_id=row.id, task_id=record.id, name=name, media_type=media_type,
                                        size=len(content), checksum=digest, path=key, created_by=actor.username,
                                        created_at=step.now)
            step.session.add(attachment)
            step.session.flush()
            step.record(JournalAction.ATTACHMENT, f"Pièce « {name} » jointe à « {record.name or record.bpmn_id} » "
                        f"({_size(len(content))})", actor, role=record.role,
                        payload={"nom": name, "type": media_type, "taille": len(content), "empreinte": digest},
                        instance_id=row.id, task_id=record.id)
            step.commit()
            return attachment_summary(attachment, record.name)
    except BaseException as exc:
        for key in written:   # no file without its row
            app.storage.delete(key)
        if isinstance(exc, IntegrityError):
            raise Conflict("L’instance vient de changer : réessayez.") from exc
        raise


def _checked_name(name):
    name = PurePosixPath(str(name or "").replace("\\", "/")).name.strip()
    if not name:
        raise InvalidData("Fichier : choisissez un fichier à joindre.", {"file": "fichier manquant"})
    if len(name) > NAME_LIMIT:
        raise InvalidData(f"Fichier : nom trop long ({len(name)} caractères, {NAME_LIMIT} au plus).",
                          {"file": "nom trop long"})
    return name


def _checked_content(app, content):
    limit = app.settings.attachment_max_mb * 1024 * 1024
    if not content:
        raise InvalidData("Fichier : le fichier est vide.", {"file": "fichier vide"})
    if len(content) > limit:
        raise InvalidData(f"Fichier : {_size(len(content))}, la limite est de {app.settings.attachment_max_mb} Mo.",
                          {"file": "fichier trop volumineux"})
    kind = file_kind(content)
    if kind is None:
        raise InvalidData(f"Fichier : son contenu n’est pas d’un type accepté ({ACCEPTED}), quel que soit "
                          "son nom.", {"file": "type non accepté"})
    return kind[0]


def _stored_name(name):
    """The name as a storage key part: letters, digits, dot, dash and underscore only."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name).strip("._")
    return safe[:100] or "piece"


def _size(size):
    if size < 1024:
        return f"{size} octets"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} Ko".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


def attachment_summary(attachment, task_name=None) -> AttachmentSummary:
    return {"id": attachment.id, "instance_id": attachment.instance_id, "task_id": attachment.task_id,
            "task_name": task_name,
            "name": attachment.name, "media_type": attachment.media_type, "size": attachment.size,
            "size_text": _size(attachment.size), "checksum": attachment.checksum,
            "created_by": attachment.created_by, "created_at": aware(attachment.created_at).isoformat()}


def list_attachments(app, actor, instance_id=None, task_id=None) -> list[AttachmentSummary]:
    """The attachments of an instance, or of one of its tasks, oldest first; 404 when the actor
    may not read the instance."""
    with app.db.sessions() as session:
        if task_id is not None:
            record = session.get(TaskRecord, str(task_id))
            if record is None:
                raise NotFound(f"Tâche {task_id} introuvable.")
            _readable(session, record.instance_id, actor, f"Tâche {task_id} introuvable.", record)
            where = TaskAttachment.task_id == record.id
        else:
            _readable(session, instance_id, actor, f"Instance {instance_id} introuvable.")
            where = TaskAttachment.instance_id == instance_id
        rows = session.execute(select(TaskAttachment, TaskRecord.name)
                               .outerjoin(TaskRecord, TaskRecord.id == TaskAttachment.task_id)
                               .where(where).order_by(TaskAttachment.id)).all()
        return [attachment_summary(row, name) for row, name in rows]


def _readable(session, instance_id, actor, missing, task=None):
    """Staff read the attachments of the instances they see; an outside partner only those of the
    tasks of their own lane (services/partners.py: the rest of the instance does not exist for them)."""
    row = session.get(ProcessInstance, instance_id)
    if row is None or not actor.sees_territory(row.territory):
        raise NotFound(missing)
    if actor.is_outside_partner and (task is None or task.role not in actor.roles):
        raise NotFound(missing)


def attachment_file(app, attachment_id, actor):
    """(content, name, media type) of an attachment the actor may read, checked against its checksum."""
    with app.db.sessions() as session:
        attachment = session.get(TaskAttachment, attachment_id)
        if attachment is None:
            raise NotFound(f"Pièce jointe n° {attachment_id} introuvable.")
        task = session.get(TaskRecord, attachment.task_id) if attachment.task_id is not None else None
        _readable(session, attachment.instance_id, actor, f"Pièce jointe n° {attachment_id} introuvable.", task)
    try:
        content = app.storage.get(attachment.path, attachment.checksum)
    except FileStorageError as exc:
        journal_incident(app, JournalAction.DOCUMENT_DAMAGED, f"Pièce jointe n° {attachment_id} illisible : {exc}", actor,
                 attachment.instance_id, attachment.task_id)
        raise DocumentDamaged(f"Pièce jointe n° {attachment_id} illisible : {exc}. Restaurez-la depuis une "
                              "sauvegarde ; l’incident est consigné au journal.") from exc
    return content, attachment.name, attachment.media_type
