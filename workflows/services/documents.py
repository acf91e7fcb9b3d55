"""Generated documents: rendered from an instance's data, stored with their provenance.

Each generation is kept: the file, its checksum, the template version, the data it
was made from, who and when. Regenerating adds a revision and keeps the earlier ones.
"""
import json
import logging
import tempfile
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import documents as rendering
from ..errors import Conflict, ConventioError, ErrorCode, InvalidData, NotFound
from ..states import JournalAction, TaskState
from ..store.files import FileStorageError, sha256
from ..store.models import GeneratedDocument, ProcessInstance, TaskRecord
from . import regeneration
from .actors import SYSTEM
from .instances import get_instance, instance_state
from .partners import may_read_document
from .persistence import aware
from .results import DocumentSummary, GeneratedDocumentSummary
from .rights import require_generator
from .steps import Step

log = logging.getLogger(__name__)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentDamaged(ConventioError):
    """A stored file that no longer reads as it was written: the server's fault, not the request's."""
    code = ErrorCode.DOCUMENT_DAMAGED
    http_status = 500


def generate_documents(app, instance_id, template, actor, task_id=None, pdf=False, on_demand=True,
                       recipient=None, reason=None) -> list[GeneratedDocumentSummary]:
    """Render `template` from the instance's current data and store it; return the summaries.
    A template made one per recipient gives one document per recipient the data lists, or
    only `recipient`'s; nothing is stored unless every one of them could be made. `reason`
    says why the version was made (on demand: by whom)."""
    return _generate(app, instance_id, template, actor, task_id, pdf, on_demand, recipient,
                     reason=reason or asked_by(actor))


def generate_document(app, instance_id, template, actor, task_id=None, pdf=False, on_demand=True,
                      recipient=None, reason=None) -> GeneratedDocumentSummary:
    """The one document `template` makes for the instance (or for `recipient`); when the data
    lists several recipients and none is named, refused (nothing stored) with their names."""
    [document] = _generate(app, instance_id, template, actor, task_id, pdf, on_demand, recipient,
                           reason=reason or asked_by(actor), single=True)
    return document


def asked_by(actor):
    return f"Généré à la demande de {actor.display_name or actor.username}"


def _generate(app, instance_id, template, actor, task_id, pdf, on_demand, recipient, reason, single=False):
    if on_demand:
        require_generator(actor)
    # A step's own documents are made whoever completed it (an outside partner included).
    instance = get_instance(app, instance_id, actor) if on_demand else instance_state(app, instance_id)
    if on_demand:
        require_generator(actor, instance["territory"])
    data = instance["data"]
    if task_id is not None and not on_demand:
        data = _step_data(app, task_id) or data
    renderings = _rendered(template, data, recipient)
    if not renderings and (on_demand or single):
        raise InvalidData(f"Aucun document « {_title(template)} » à générer : {_nobody(template)}.")
    if single and len(renderings) > 1:
        names = ", ".join(f"« {r.recipient} »" for r in renderings)
        raise InvalidData(f"Le document « {_title(template)} » se fait en {len(renderings)} exemplaires, un par "
                          f"destinataire ({names}) : précisez le destinataire.", {"recipient": "à préciser"})
    if not renderings:
        return []
    documents = _stored_all(app, instance_id, task_id, actor, renderings, reason)
    notes = _convert_stored(app, documents) if pdf else {}   # a converted document has its pdf_path
    return [dict(document_summary(d), pdf_note=notes.get(d.id)) for d in documents]


def _stored_all(app, instance_id, task_id, actor, renderings, reason):
    """Store the documents in one transaction; the files of a transaction that does not
    commit are removed (no file without its row). The instance row is locked so that two
    generations never take the same revision number."""
    written = []
    try:
        with Step(app) as step:
            step.lock_row(instance_id)
            documents = [_stored(app, step, instance_id, task_id, actor, rendered, reason, written)
                         for rendered in renderings]
            step.commit()
        return documents
    except IntegrityError as exc:
        _remove(app, written)
        raise Conflict("Un autre document vient d’être enregistré pour cette instance : réessayez.") from exc
    except BaseException:
        _remove(app, written)
        raise


def _remove(app, keys):
    for key in keys:
        app.storage.delete(key)


def _convert_stored(app, documents):
    """PDF of just-stored documents, in one LibreOffice batch and outside the storing
    transaction; {document id: why there is no PDF} for those that could not be made."""
    try:
        outcomes = pdf_outcomes(app, [(d.id, d.instance_id, d.path, d.checksum) for d in documents])
    except rendering.PdfUnavailable as exc:
        return {d.id: str(exc) for d in documents}
    _record_pdf(app, outcomes)
    notes = {}
    for document in documents:
        pdf_key, _digest, error = outcomes[document.id]
        document.pdf_path = pdf_key
        if error is not None:
            notes[document.id] = f"PDF non produit ({error}) ; le document Word est disponible."
    return notes


def _record_pdf(app, outcomes):
    """Record each outcome, unless another converter (a worker's sweep, a server converting on
    demand) recorded the document's PDF first: then the PDF made here is removed."""
    beaten = []
    with Step(app) as step:
        for document_id, (pdf_key, digest, error) in outcomes.items():
            row = step.session.get(GeneratedDocument, document_id)
            if row.pdf_path is not None:
                beaten.append(pdf_key)
                continue
            row.pdf_path, row.pdf_checksum, row.pdf_error = pdf_key, digest, error
        step.commit()
    _remove(app, [key for key in beaten if key is not None])


def _title(template):
    return rendering.TemplateRegistry().get(template).title


def _rendered(template, data, recipient):
    try:
        return rendering.render_documents(template, data, recipient=recipient)
    except rendering.UnknownTemplate as exc:
        raise NotFound(str(exc)) from exc
    except rendering.MissingData as exc:
        raise InvalidData(str(exc), {key: "donnée manquante" for key in exc.missing}) from exc
    except rendering.UnknownRecipient as exc:
        raise InvalidData(str(exc), {"recipient": "destinataire inconnu"}) from exc
    except rendering.DocumentError as exc:
        raise InvalidData(str(exc)) from exc


def _nobody(template):
    fan_out = rendering.TemplateRegistry().get(template).fan_out
    return fan_out.nobody if fan_out else "aucun destinataire"


def _stored(app, step, instance_id, task_id, actor, rendered, reason, written):
    """Store one rendered document in the step's transaction (its storage key added to `written`)."""
    template, recipient = rendered.template, rendered.recipient
    revision = 1 + (step.session.execute(select(func.max(GeneratedDocument.revision)).where(
        GeneratedDocument.instance_id == instance_id, GeneratedDocument.template == template,
        GeneratedDocument.recipient.is_not_distinct_from(recipient))).scalar() or 0)
    key = _free_key(app.storage, step.session, str(instance_id), template, recipient, revision)
    app.storage.put(key, rendered.content, session=step.session)
    written.append(key)
    document = GeneratedDocument(
        instance_id=instance_id, task_id=task_id, template=template, recipient=recipient,
        title=rendered.title, revision=revision, template_version=rendered.template_version,
        checksum=rendered.sha256, path=key,
        data_json=json.dumps(rendered.data, ensure_ascii=False, sort_keys=True, default=str),
        created_by=actor.username, created_at=step.now, reason=reason)
    step.session.add(document)
    step.session.flush()
    payload = {"modele": template, "version_modele": rendered.template_version, "empreinte": rendered.sha256,
               "motif": reason}
    if recipient is not None:
        payload["destinataire"] = recipient
    step.record(JournalAction.DOCUMENT, f"Document « {rendered.title} » généré (version {revision}) : {reason}", actor,
                payload=payload, instance_id=instance_id, task_id=task_id)
    return document


def _free_key(storage, session, folder, template, recipient, revision):
    """template-v2.docx, or template-<recipient slug>-v2.docx; two recipients whose names
    make the same slug get a numbered name rather than one overwriting the other."""
    stem = template if recipient is None else f"{template}-{rendering.slug(recipient)}"
    key, number = f"{folder}/{stem}-v{revision}.docx", 1
    while storage.exists(key, session=session):
        number += 1
        key = f"{folder}/{stem}-{number}-v{revision}.docx"
    return key


def _step_data(app, task_id):
    """The data the completed step left: inside a multi-instance or beside a parallel branch,
    the instance's latest live task holds another branch's data."""
    with app.db.sessions() as session:
        record = session.get(TaskRecord, str(task_id))
        return json.loads(record.body).get("data") if record is not None else None


def document_summary(document) -> DocumentSummary:
    return {"id": document.id, "instance_id": document.instance_id, "template": document.template,
            "recipient": document.recipient, "title": document.title, "revision": document.revision,
            "checksum": document.checksum,
            "template_version": document.template_version, "has_pdf": document.pdf_path is not None,
            "created_by": document.created_by, "created_at": aware(document.created_at).isoformat(),
            "task_id": document.task_id, "reason": document.reason}


def list_documents(app, instance_id, actor) -> list[DocumentSummary]:
    """The instance's documents; to an outside partner, those addressed to them, in an instance
    where they have a task or such a document (404 otherwise: services/partners.py)."""
    with app.db.sessions() as session:
        instance = session.get(ProcessInstance, instance_id)
        if instance is None or not actor.sees_territory(instance.territory):
            raise NotFound(f"Instance n° {instance_id} introuvable.")
        rows = session.execute(select(GeneratedDocument).where(GeneratedDocument.instance_id == instance_id)
                               .order_by(GeneratedDocument.template, GeneratedDocument.recipient.is_not(None),
                                         GeneratedDocument.recipient, GeneratedDocument.revision)).scalars()
        shown = [document_summary(row) for row in rows if may_read_document(actor, row.template, row.recipient)]
        if actor.is_outside_partner and not shown and not _has_task_in(session, actor, instance_id):
            raise NotFound(f"Instance n° {instance_id} introuvable.")
        return shown


def _has_task_in(session, actor, instance_id):
    return session.execute(select(TaskRecord.id).where(
        TaskRecord.instance_id == instance_id, TaskRecord.state == TaskState.READY, TaskRecord.manual.is_(True),
        TaskRecord.role.in_(sorted(actor.roles))).limit(1)).first() is not None


def get_document(app, document_id, actor) -> DocumentSummary:
    """The summary of a document the actor may read (404 otherwise, as for its file)."""
    with app.db.sessions() as session:
        return document_summary(_readable(session, document_id, actor))


def _readable(session, document_id, actor):
    document = session.get(GeneratedDocument, document_id)
    instance = session.get(ProcessInstance, document.instance_id) if document else None
    if document is None or not actor.sees_territory(instance.territory) \
            or not may_read_document(actor, document.template, document.recipient):
        raise NotFound(f"Document n° {document_id} introuvable.")
    return document


def document_file(app, document_id, actor, as_pdf=False):
    """(content, download name, media type) of a stored document the actor may see, read from
    the storage and checked against the checksum recorded when it was made."""
    with app.db.sessions() as session:
        document = _readable(session, document_id, actor)
    key, expected = (document.pdf_path, document.pdf_checksum) if as_pdf else (document.path, document.checksum)
    if key is None:
        why = (f"la conversion a échoué ({document.pdf_error})" if document.pdf_error else
               "il n’a pas été demandé ou sa conversion est en attente (LibreOffice)")
        raise NotFound(f"Pas de PDF pour ce document : {why}. Le document Word est disponible.")
    try:
        content = app.storage.get(key, expected)
    except FileStorageError as exc:
        journal_incident(app, JournalAction.DOCUMENT_DAMAGED, f"Document n° {document_id} illisible : {exc}", actor,
                 document.instance_id, None)
        raise DocumentDamaged(f"Document n° {document_id} illisible : {exc}. Régénérez-le ou restaurez-le "
                              f"depuis une sauvegarde ; l’incident est consigné au journal.") from exc
    return content, PurePosixPath(key).name, "application/pdf" if as_pdf else DOCX_TYPE


def on_step_completed(app, event):
    """StepCompleted's handler, once the step is committed: the documents the step names, then
    a new version of every other document whose printed data the step changed."""
    if event.sent_back:
        return None
    try:
        step_name, stale = regeneration.stale_documents(app, event.instance_id, event.task_id, event.documents)
    except Exception:   # the step is committed: comparing its documents must not fail it
        log.exception("Documents de l’instance %s non comparés après l’étape %s", event.instance_id, event.task_id)
        step_name, stale = None, []
    if not (event.documents or stale):
        return None
    generated, failed = generate_step_documents(app, event.instance_id, event.documents, event.actor,
                                                event.task_id, step_name)
    for template, recipient, changed in stale:
        made, error = _made(app, event.instance_id, template, event.actor, event.task_id, recipient,
                            regeneration.regenerated_reason(step_name, changed))
        generated.extend(made)
        failed.extend(error)
    return {"documents": generated, "document_errors": failed}


def generate_step_documents(app, instance_id, templates, actor, task_id, step_name=None):
    """Documents a BPMN step names, generated after the step (one per recipient for a template
    made per recipient); a failure is journaled, not fatal, and so is a template with no
    recipient at all."""
    generated, failed = [], []
    reason = regeneration.step_reason(step_name or _task_name(app, task_id))
    for template in templates:
        made, error = _made(app, instance_id, template, actor, task_id, None, reason)
        generated.extend(made)
        failed.extend(error)
    return generated, failed


def _task_name(app, task_id):
    with app.db.sessions() as session:
        record = session.get(TaskRecord, str(task_id))
        return (record.name or record.bpmn_id) if record is not None else str(task_id)


def _made(app, instance_id, template, actor, task_id, recipient, reason):
    """([summaries], [error]) of one generation after a step: a failure is journaled, not fatal."""
    try:
        made = generate_documents(app, instance_id, template, actor, task_id, on_demand=False,
                                  recipient=recipient, reason=reason)
    except Exception as exc:   # the step is committed: its documents must not undo it
        message = exc.message if isinstance(exc, ConventioError) else _incident(exc)
        journal_incident(app, JournalAction.DOCUMENT_FAILED, f"Document « {template} » non généré : {message}",
                 actor, instance_id, task_id)
        return [], [{"template": template, "error": message}]
    if not made:
        journal_incident(app, JournalAction.DOCUMENT_WITHOUT_RECIPIENT, f"Document « {template} » non généré : "
                 f"{_nobody(template)}.", actor, instance_id, task_id)
    return made, []


def _incident(exc):
    log.exception("Document d’étape non enregistré")
    return f"incident d’enregistrement ({type(exc).__name__} : {exc}) ; générez-le à nouveau à la demande"


def journal_incident(app, action, summary, actor, instance_id, task_id):
    """An incident about a document or an attachment (damaged, not generated), journaled in its own step."""
    with Step(app) as step:
        step.record(action, summary, actor, instance_id=instance_id, task_id=task_id)
        step.commit()


def convert_pending_pdfs(app, limit=50):
    """Documents still without their PDF, converted folder by folder in batches; how many."""
    if not rendering.pdf_available():
        return 0
    with app.db.sessions() as session:
        pending = session.execute(select(GeneratedDocument.id, GeneratedDocument.instance_id,
                                         GeneratedDocument.path, GeneratedDocument.checksum)
                                  .where(GeneratedDocument.pdf_path.is_(None), GeneratedDocument.pdf_error.is_(None))
                                  .order_by(GeneratedDocument.id).limit(limit)).all()
    if pending:
        _record_pdf(app, pdf_outcomes(app, [tuple(row) for row in pending]))
    return len(pending)


def pdf_outcomes(app, documents):
    """{id: (pdf key, its checksum, error)} of [(id, instance id, key, checksum)]: LibreOffice needs
    files, so each folder's documents are read from the storage (checked) into a scratch
    directory, converted in one batch, and the PDFs stored beside them. Raises PdfUnavailable."""
    by_folder, outcomes = {}, {}
    for document in documents:
        by_folder.setdefault(str(PurePosixPath(document[2]).parent), []).append(document)
    for folder, group in by_folder.items():
        with tempfile.TemporaryDirectory(prefix="conventio-pdf-") as scratch:
            outcomes.update(_converted_folder(app, Path(scratch), folder, group))
    return outcomes


def _converted_folder(app, scratch, folder, group):
    outcomes, files = {}, []
    for document_id, instance_id, key, checksum in group:
        try:
            content = app.storage.get(key, checksum)
        except FileStorageError as exc:   # recorded, so that it is not retried forever
            outcomes[document_id] = (None, None, str(exc))
            journal_incident(app, JournalAction.DOCUMENT_DAMAGED, f"PDF du document n° {document_id} non produit : {exc}",
                     SYSTEM, instance_id, None)
            continue
        path = scratch / PurePosixPath(key).name
        path.write_bytes(content)
        files.append((document_id, path))
    if files:
        outcomes.update(_converted(app, folder, files))
    return outcomes


def _converted(app, folder, documents):
    """{id: (pdf key, checksum, error)}: the files in one batch; when the batch fails, each
    document alone, so that one that cannot be converted is recorded and never blocks the others."""
    try:
        pdfs = rendering.convert_to_pdf([path for _id, path in documents], documents[0][1].parent)
    except rendering.PdfUnavailable:
        raise
    except rendering.DocumentError as exc:
        if len(documents) == 1:
            return {documents[0][0]: (None, None, str(exc))}
        outcomes = {}
        for document in documents:
            outcomes.update(_converted(app, folder, [document]))
        return outcomes
    outcomes = {}
    for (document_id, _path), pdf in zip(documents, pdfs):
        content = pdf.read_bytes()
        # Named by its content: two converters of one document never overwrite each other's
        # file under the other's recorded checksum (LibreOffice dates every PDF it makes).
        key = f"{folder}/pdf-{sha256(content)[:16]}/{pdf.name}"
        outcomes[document_id] = (key, app.storage.put(key, content), None)
    return outcomes
