"""Generated documents: rendered from an instance's data, stored with their provenance.

Each generation is kept: the file, its checksum, the template version, the data it
was made from, who and when. Regenerating adds a revision and keeps the earlier ones.
"""
import json
import os
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from .. import documents as rendering
from ..errors import Forbidden, InvalidData, NotFound
from ..store.models import GeneratedDocument, ProcessInstance, TaskRecord
from .instances import get_instance
from .persistence import aware
from .steps import Step

GENERATING_ROLES = frozenset({"legal", "admin"})
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
    if on_demand and not actor.roles & GENERATING_ROLES:
        raise Forbidden("Seul le service juridique peut générer un document à la demande.")
    data = get_instance(app, instance_id, actor)["data"]
    if task_id is not None and not on_demand:
        data = _step_data(app, task_id) or data
    renderings = _rendered(template, data, recipient)
    if not renderings and (on_demand or single):
        raise InvalidData(f"Aucun document « {template} » à générer : {_nobody(template)}.")
    if single and len(renderings) > 1:
        names = ", ".join(f"« {r.recipient} »" for r in renderings)
        raise InvalidData(f"Le document « {template} » se fait en {len(renderings)} exemplaires, un par "
                          f"destinataire ({names}) : précisez le destinataire.", {"recipient": "à préciser"})
    if not renderings:
        return []
    with Step(app) as step:
        documents = [_stored(app, step, instance_id, task_id, actor, rendered, pdf) for rendered in renderings]
        step.commit()
    return [dict(document_summary(document), pdf_note=note) for document, note in documents]


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


def _stored(app, step, instance_id, task_id, actor, rendered, pdf):
    """Store one rendered document in the step's transaction: (row, PDF note)."""
    template, recipient = rendered.template, rendered.recipient
    revision = 1 + (step.session.execute(select(func.max(GeneratedDocument.revision)).where(
        GeneratedDocument.instance_id == instance_id, GeneratedDocument.template == template,
        GeneratedDocument.recipient.is_not_distinct_from(recipient))).scalar() or 0)
    folder = documents_dir(app) / str(instance_id)
    docx = _write_atomically(_free_path(folder, template, recipient, revision), rendered.content)
    pdf_path, pdf_note = _convert(docx) if pdf else (None, None)
    document = GeneratedDocument(
        instance_id=instance_id, task_id=task_id, template=template, recipient=recipient,
        title=rendered.title, revision=revision, template_version=rendered.template_version,
        checksum=rendered.sha256, path=str(docx.relative_to(documents_dir(app))),
        pdf_path=pdf_path and str(Path(pdf_path).relative_to(documents_dir(app))),
        data_json=json.dumps(rendered.data, ensure_ascii=False, sort_keys=True, default=str),
        created_by=actor.username, created_at=step.now)
    step.session.add(document)
    step.session.flush()
    payload = {"modele": template, "version_modele": rendered.template_version, "empreinte": rendered.sha256}
    if recipient is not None:
        payload["destinataire"] = recipient
    step.record("document", f"« {rendered.title} » générée (version {revision})", actor,
                payload=payload, instance_id=instance_id, task_id=task_id)
    return document, pdf_note


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


def _convert(docx):
    try:
        [pdf] = rendering.convert_to_pdf([docx], docx.parent)
        return str(pdf), None
    except rendering.PdfUnavailable as exc:
        return None, str(exc)


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
            raise NotFound("Pas de PDF pour ce document (LibreOffice indisponible lors de la génération).")
        return documents_dir(app) / relative, Path(relative).name, "application/pdf" if as_pdf else DOCX_TYPE


def generate_step_documents(app, instance_id, templates, actor, task_id):
    """Documents a BPMN step names, generated after the step (one per recipient for a template
    made per recipient); a failure is journaled, not fatal, and so is a template with no
    recipient at all."""
    generated, failed = [], []
    for template in templates:
        try:
            made = generate_documents(app, instance_id, template, actor, task_id, on_demand=False)
        except (InvalidData, NotFound) as exc:
            failed.append({"template": template, "error": exc.message})
            _journal(app, "document_echec", f"Document « {template} » non généré : {exc.message}",
                     actor, instance_id, task_id)
            continue
        generated.extend(made)
        if not made:
            _journal(app, "document_sans_destinataire", f"Document « {template} » non généré : "
                     f"{_nobody(template)}.", actor, instance_id, task_id)
    return generated, failed


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
                                  .where(GeneratedDocument.pdf_path.is_(None))
                                  .order_by(GeneratedDocument.id).limit(limit)).all()
    by_folder = {}
    for document_id, relative in pending:
        by_folder.setdefault((root / relative).parent, []).append((document_id, root / relative))
    for folder, documents in by_folder.items():
        pdfs = rendering.convert_to_pdf([path for _id, path in documents], folder)
        with Step(app) as step:
            for (document_id, _path), pdf in zip(documents, pdfs):
                step.session.get(GeneratedDocument, document_id).pdf_path = str(pdf.relative_to(root))
            step.commit()
    return len(pending)
