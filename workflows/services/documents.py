"""Generated documents: rendered from an instance's data, stored with their provenance.

Each generation is kept: the file, its checksum, the template version, the data it
was made from, who and when. Regenerating adds a revision and keeps the earlier ones.
"""
import json
import logging
import os
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import documents as rendering
from ..errors import Conflict, ConventioError, InvalidData, NotFound
from ..store.models import GeneratedDocument, ProcessInstance, TaskRecord
from .instances import get_instance
from .persistence import aware
from .rights import require_generator
from .steps import Step

log = logging.getLogger(__name__)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def documents_dir(app):
    return Path(app.settings.documents_dir or Path(app.settings.data_dir) / "documents")


def generate_documents(app, instance_id, template, actor, task_id=None, pdf=False, on_demand=True,
                       recipient=None):
    """Render `template` from the instance's current data and store it; return the summaries.
    A template made one per recipient gives one document per recipient the data lists, or
    only `recipient`'s; nothing is stored unless every one of them could be made."""
    return _generate(app, instance_id, template, actor, task_id, pdf, on_demand, recipient)


def generate_document(app, instance_id, template, actor, task_id=None, pdf=False, on_demand=True, recipient=None):
    """The one document `template` makes for the instance (or for `recipient`); when the data
    lists several recipients and none is named, refused (nothing stored) with their names."""
    [document] = _generate(app, instance_id, template, actor, task_id, pdf, on_demand, recipient, single=True)
    return document


def _generate(app, instance_id, template, actor, task_id, pdf, on_demand, recipient, single=False):
    if on_demand:
        require_generator(actor)
    data = get_instance(app, instance_id, actor)["data"]
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
    documents = _stored_all(app, instance_id, task_id, actor, renderings)
    notes = _convert_stored(app, documents) if pdf else {}   # a converted document has its pdf_path
    return [dict(document_summary(d), pdf_note=notes.get(d.id)) for d in documents]


def _stored_all(app, instance_id, task_id, actor, renderings):
    """Store the documents in one transaction; the files of a transaction that does not
    commit are removed (no file without its row). The instance row is locked so that two
    generations never take the same revision number."""
    written = []
    try:
        with Step(app) as step:
            step.lock_row(instance_id)
            documents = [_stored(app, step, instance_id, task_id, actor, rendered, written)
                         for rendered in renderings]
            step.commit()
        return documents
    except IntegrityError as exc:
        _remove(written)
        raise Conflict("Un autre document vient d’être enregistré pour cette instance : réessayez.") from exc
    except BaseException:
        _remove(written)
        raise


def _remove(paths):
    for path in paths:
        path.unlink(missing_ok=True)


def _convert_stored(app, documents):
    """PDF of just-stored documents, in one LibreOffice batch and outside the storing
    transaction; {document id: why there is no PDF} for those that could not be made."""
    root = documents_dir(app)
    docx = [root / d.path for d in documents]
    try:
        pdfs = rendering.convert_to_pdf(docx, docx[0].parent)
    except rendering.PdfUnavailable as exc:
        return {d.id: str(exc) for d in documents}
    except rendering.DocumentError as exc:
        _record_pdf(app, {d.id: (None, str(exc)) for d in documents})
        return {d.id: f"PDF non produit ({exc}) ; le document Word est disponible." for d in documents}
    _record_pdf(app, {d.id: (str(pdf.relative_to(root)), None) for d, pdf in zip(documents, pdfs)})
    for document, pdf in zip(documents, pdfs):
        document.pdf_path = str(pdf.relative_to(root))
    return {}


def _record_pdf(app, outcomes):
    with Step(app) as step:
        for document_id, (pdf_path, error) in outcomes.items():
            row = step.session.get(GeneratedDocument, document_id)
            row.pdf_path, row.pdf_error = pdf_path, error
        step.commit()


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


def _stored(app, step, instance_id, task_id, actor, rendered, written):
    """Store one rendered document in the step's transaction (its file path added to `written`)."""
    template, recipient = rendered.template, rendered.recipient
    revision = 1 + (step.session.execute(select(func.max(GeneratedDocument.revision)).where(
        GeneratedDocument.instance_id == instance_id, GeneratedDocument.template == template,
        GeneratedDocument.recipient.is_not_distinct_from(recipient))).scalar() or 0)
    folder = documents_dir(app) / str(instance_id)
    docx = _write_atomically(_free_path(folder, template, recipient, revision), rendered.content)
    written.append(docx)
    document = GeneratedDocument(
        instance_id=instance_id, task_id=task_id, template=template, recipient=recipient,
        title=rendered.title, revision=revision, template_version=rendered.template_version,
        checksum=rendered.sha256, path=str(docx.relative_to(documents_dir(app))),
        data_json=json.dumps(rendered.data, ensure_ascii=False, sort_keys=True, default=str),
        created_by=actor.username, created_at=step.now)
    step.session.add(document)
    step.session.flush()
    payload = {"modele": template, "version_modele": rendered.template_version, "empreinte": rendered.sha256}
    if recipient is not None:
        payload["destinataire"] = recipient
    step.record("document", f"Document « {rendered.title} » généré (version {revision})", actor,
                payload=payload, instance_id=instance_id, task_id=task_id)
    return document


def _free_path(folder, template, recipient, revision):
    """template-v2.docx, or template-<recipient slug>-v2.docx; two recipients whose names
    make the same slug get a numbered name rather than one overwriting the other."""
    stem = template if recipient is None else f"{template}-{rendering.slug(recipient)}"
    path, number = folder / f"{stem}-v{revision}.docx", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}-v{revision}.docx"
    return path


def _step_data(app, task_id):
    """The data the completed step left: inside a multi-instance or beside a parallel branch,
    the instance's latest live task holds another branch's data."""
    with app.db.sessions() as session:
        record = session.get(TaskRecord, str(task_id))
        return json.loads(record.body).get("data") if record is not None else None


def _write_atomically(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(content)
    os.replace(handle.name, path)
    return path


def document_summary(document):
    return {"id": document.id, "instance_id": document.instance_id, "template": document.template,
            "recipient": document.recipient, "title": document.title, "revision": document.revision,
            "checksum": document.checksum,
            "template_version": document.template_version, "has_pdf": document.pdf_path is not None,
            "created_by": document.created_by, "created_at": aware(document.created_at).isoformat(),
            "task_id": document.task_id}


def list_documents(app, instance_id, actor):
    get_instance(app, instance_id, actor)   # 404 when the actor may not see it
    with app.db.sessions() as session:
        rows = session.execute(select(GeneratedDocument).where(GeneratedDocument.instance_id == instance_id)
                               .order_by(GeneratedDocument.template, GeneratedDocument.recipient.is_not(None),
                                         GeneratedDocument.recipient, GeneratedDocument.revision)).scalars()
        return [document_summary(row) for row in rows]


def document_file(app, document_id, actor, as_pdf=False):
    """(path, download name, media type) of a stored document the actor may see."""
    with app.db.sessions() as session:
        document = session.get(GeneratedDocument, document_id)
        instance = session.get(ProcessInstance, document.instance_id) if document else None
        if document is None or not actor.sees_territory(instance.territory):
            raise NotFound(f"Document n° {document_id} introuvable.")
        relative = document.pdf_path if as_pdf else document.path
        if relative is None:
            why = (f"la conversion a échoué ({document.pdf_error})" if document.pdf_error else
                   "il n’a pas été demandé ou sa conversion est en attente (LibreOffice)")
            raise NotFound(f"Pas de PDF pour ce document : {why}. Le document Word est disponible.")
        return documents_dir(app) / relative, Path(relative).name, "application/pdf" if as_pdf else DOCX_TYPE


def on_step_completed(app, event):
    """StepCompleted's handler: the documents the step names, generated once it is committed."""
    if not event.documents:
        return None
    generated, failed = generate_step_documents(app, event.instance_id, event.documents, event.actor,
                                                event.task_id)
    return {"documents": generated, "document_errors": failed}


def generate_step_documents(app, instance_id, templates, actor, task_id):
    """Documents a BPMN step names, generated after the step (one per recipient for a template
    made per recipient); a failure is journaled, not fatal, and so is a template with no
    recipient at all."""
    generated, failed = [], []
    for template in templates:
        try:
            made = generate_documents(app, instance_id, template, actor, task_id, on_demand=False)
        except Exception as exc:   # the step is committed: its documents must not undo it
            message = exc.message if isinstance(exc, ConventioError) else _incident(exc)
            failed.append({"template": template, "error": message})
            _journal(app, "document_echec", f"Document « {template} » non généré : {message}",
                     actor, instance_id, task_id)
            continue
        generated.extend(made)
        if not made:
            _journal(app, "document_sans_destinataire", f"Document « {template} » non généré : "
                     f"{_nobody(template)}.", actor, instance_id, task_id)
    return generated, failed


def _incident(exc):
    log.exception("Document d’étape non enregistré")
    return f"incident d’enregistrement ({type(exc).__name__} : {exc}) ; générez-le à nouveau à la demande"


def _journal(app, action, summary, actor, instance_id, task_id):
    with Step(app) as step:
        step.record(action, summary, actor, instance_id=instance_id, task_id=task_id)
        step.commit()


def convert_pending_pdfs(app, limit=50):
    """Documents still without their PDF, converted folder by folder in batches; how many."""
    if not rendering.pdf_available():
        return 0
    root = documents_dir(app)
    with app.db.sessions() as session:
        pending = session.execute(select(GeneratedDocument.id, GeneratedDocument.path)
                                  .where(GeneratedDocument.pdf_path.is_(None), GeneratedDocument.pdf_error.is_(None))
                                  .order_by(GeneratedDocument.id).limit(limit)).all()
    by_folder = {}
    for document_id, relative in pending:
        by_folder.setdefault((root / relative).parent, []).append((document_id, root / relative))
    for folder, documents in by_folder.items():
        _record_pdf(app, _converted(root, folder, documents))
    return len(pending)


def _converted(root, folder, documents):
    """{id: (pdf path, error)}: the folder in one batch; when the batch fails, each document
    alone, so that one that cannot be converted is recorded and never blocks the others."""
    try:
        pdfs = rendering.convert_to_pdf([path for _id, path in documents], folder)
        return {document_id: (str(pdf.relative_to(root)), None) for (document_id, _path), pdf in zip(documents, pdfs)}
    except rendering.PdfUnavailable:
        raise
    except rendering.DocumentError as exc:
        if len(documents) == 1:
            return {documents[0][0]: (None, str(exc))}
    outcomes = {}
    for document in documents:
        outcomes.update(_converted(root, folder, [document]))
    return outcomes
