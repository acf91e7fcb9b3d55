"""Storing documents: one revision number per generation under concurrency, no file
without its row, PDF outside the storing transaction, a document LibreOffice cannot
convert recorded and never blocking the others, a step's documents never undoing it."""
import threading

import pytest
from sqlalchemy import select

from helpers import ADMIN
from test_documents_service import JURIST, started
from workflows import documents as rendering
from workflows.documents.examples import EXAMPLES
from workflows.errors import Conflict, NotFound
from workflows.services import documents as service
from workflows.services.documents import (
    convert_pending_pdfs,
    document_file,
    generate_document,
    list_documents,
)
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import AuditEntry, GeneratedDocument

def files_of(app, instance_id):
    return sorted(key for key in app.storage.keys() if key.startswith(f"{instance_id}/") and key.endswith(".docx"))


def test_concurrent_generations_take_distinct_revisions_and_leave_no_orphan_file(any_app):
    instance_id = started(any_app, EXAMPLES["extrait_deliberation"])
    errors = []

    def generate():
        for _ in range(3):
            try:
                generate_document(any_app, instance_id, "extrait_deliberation", JURIST)
            except Conflict as exc:   # allowed, never a raw database error
                errors.append(exc)

    threads = [threading.Thread(target=generate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    revisions = [d["revision"] for d in list_documents(any_app, instance_id, JURIST)]
    assert revisions == list(range(1, len(revisions) + 1)) and len(revisions) + len(errors) == 12
    assert len(files_of(any_app, instance_id)) == len(revisions)


def test_a_failure_while_storing_removes_the_files_already_written(app, monkeypatch):
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    real_stored = service._stored

    def stored_then_fail(*args):
        real_stored(*args)
        raise OSError("disque plein")

    monkeypatch.setattr(service, "_stored", stored_then_fail)
    with pytest.raises(OSError):
        generate_document(app, instance_id, "extrait_deliberation", JURIST)
    assert list_documents(app, instance_id, JURIST) == [] and files_of(app, instance_id) == []


def test_a_pdf_libreoffice_cannot_make_is_recorded_and_the_word_document_kept(app, monkeypatch):
    instance_id = started(app, EXAMPLES["extrait_deliberation"])

    def failing(paths, out_dir=None):
        raise rendering.PdfConversionError("LibreOffice n'a pas produit le PDF de : extrait.docx.")

    monkeypatch.setattr(rendering, "convert_to_pdf", failing)
    monkeypatch.setattr(rendering, "pdf_available", lambda: True)
    document = generate_document(app, instance_id, "extrait_deliberation", JURIST, pdf=True)
    assert not document["has_pdf"] and "PDF non produit" in document["pdf_note"]
    with pytest.raises(NotFound, match="la conversion a échoué"):
        document_file(app, document["id"], JURIST, as_pdf=True)
    assert document_file(app, document["id"], JURIST)[0].startswith(b"PK")
    assert convert_pending_pdfs(app) == 0   # recorded: not retried forever


def test_one_document_that_cannot_be_converted_does_not_block_the_others(app, monkeypatch):
    first = started(app, EXAMPLES["extrait_deliberation"])
    generate_document(app, first, "extrait_deliberation", JURIST)
    generate_document(app, first, "extrait_deliberation", JURIST)
    broken = "extrait_deliberation-v1.docx"

    def convert(paths, out_dir=None):   # LibreOffice failing on one file of the batch
        if any(path.name == broken for path in paths):
            raise rendering.PdfConversionError(f"LibreOffice n'a pas produit le PDF de : {broken}.")
        for path in paths:
            path.with_suffix(".pdf").write_bytes(b"%PDF-1.4")
        return [path.with_suffix(".pdf") for path in paths]

    monkeypatch.setattr(rendering, "convert_to_pdf", convert)
    monkeypatch.setattr(rendering, "pdf_available", lambda: True)
    assert convert_pending_pdfs(app) == 2
    with app.db.sessions() as session:
        rows = {r.revision: r for r in session.execute(select(GeneratedDocument)).scalars()}
    assert rows[1].pdf_path is None and broken in rows[1].pdf_error
    assert rows[2].pdf_path.endswith("extrait_deliberation-v2.pdf") and rows[2].pdf_error is None


def test_a_step_document_that_cannot_be_stored_is_journaled_and_the_step_stays_done(app, monkeypatch):
    instance_id = started(app, EXAMPLES["lettre_rejet"], documents="lettre_rejet")
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    monkeypatch.setattr(app.storage, "put", lambda key, content, session=None: (_ for _ in ()).throw(
        NotADirectoryError(20, "Not a directory", key)))
    result = complete_task(app, task["id"], {}, ADMIN)
    assert result["documents"] == [] and "incident d’enregistrement" in result["document_errors"][0]["error"]
    assert [t["name"] for t in list_tasks(app, ADMIN, instance_id=instance_id)] == ["Suite"]
    with app.db.sessions() as session:
        failure = session.execute(select(AuditEntry).where(AuditEntry.action == "document_echec")).scalar_one()
        assert "NotADirectoryError" in failure.summary
