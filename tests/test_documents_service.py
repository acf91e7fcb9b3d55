"""Documents of an instance: generated on demand or at the step the BPMN names, stored, kept."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from bpmn_builder import sequence, user_task
from helpers import ADMIN, actor, deploy_xml
from workflows.documents import pdf_available
from workflows.documents.examples import EXAMPLES
from workflows.errors import Forbidden, InvalidData, NotFound
from workflows.services.documents import document_file, generate_document, list_documents
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import AuditEntry

JURIST = actor("juriste", "legal", territories=["cap-nord"])


def started(app, data, documents=None):
    properties = {"documents": documents} if documents else None
    deploy_xml(app, {"acte.bpmn": sequence("acte", ("sign", user_task("sign", "Signer l’acte", properties)),
                                           ("next", user_task("next", "Suite")))})
    return start_instance(app, "acte", data, ADMIN, territory="cap-nord")["id"]


def text_of(path):
    document = docx.Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_legal_staff_generate_and_regenerate_keeping_every_revision(app):
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    first = generate_document(app, instance_id, "extrait_deliberation", JURIST)
    second = generate_document(app, instance_id, "extrait_deliberation", JURIST)
    assert (first["revision"], second["revision"]) == (1, 2)
    listed = list_documents(app, instance_id, JURIST)
    assert [d["revision"] for d in listed] == [1, 2]
    path, name, media_type = document_file(app, first["id"], JURIST)
    assert name == "extrait_deliberation-v1.docx" and media_type.endswith("wordprocessingml.document")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == first["checksum"]
    content = text_of(path)
    assert "Pays Nord Martinique" in content and "27 avril 2023" in content
    with app.db.sessions() as session:
        journal = session.execute(select(AuditEntry).where(AuditEntry.action == "document")).scalars().all()
        assert [e.actor for e in journal] == ["juriste", "juriste"]


def test_only_legal_staff_generate_on_demand_and_only_in_their_territory(app):
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    with pytest.raises(Forbidden):
        generate_document(app, instance_id, "extrait_deliberation", actor("dir", "director", territories=["cap-nord"]))
    with pytest.raises(NotFound):
        generate_document(app, instance_id, "extrait_deliberation", actor("j78", "legal", territories=["yvelines"]))
    document = generate_document(app, instance_id, "extrait_deliberation", JURIST)
    with pytest.raises(NotFound):
        document_file(app, document["id"], actor("j78", "legal", territories=["yvelines"]))


def test_missing_data_names_the_keys_and_stores_nothing(app):
    instance_id = started(app, {"collectivite": "CAP Nord"})
    with pytest.raises(InvalidData) as invalid:
        generate_document(app, instance_id, "extrait_deliberation", JURIST)
    assert "date_seance" in invalid.value.details
    assert list_documents(app, instance_id, JURIST) == []


def test_the_step_named_by_the_bpmn_generates_its_documents(app):
    instance_id = started(app, EXAMPLES["lettre_rejet"], documents="lettre_rejet")
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    result = complete_task(app, task["id"], {}, ADMIN)
    assert [d["template"] for d in result["documents"]] == ["lettre_rejet"]
    assert result["document_errors"] == []
    assert [d["task_id"] for d in list_documents(app, instance_id, ADMIN)] == [task["id"]]


def test_a_step_document_that_cannot_be_made_is_journaled_without_blocking(app):
    instance_id = started(app, {"collectivite": "CAP Nord"}, documents="lettre_rejet")
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    result = complete_task(app, task["id"], {}, ADMIN)
    assert result["documents"] == [] and result["document_errors"][0]["template"] == "lettre_rejet"
    assert [t["name"] for t in list_tasks(app, ADMIN, instance_id=instance_id)] == ["Suite"]
    with app.db.sessions() as session:
        failure = session.execute(select(AuditEntry).where(AuditEntry.action == "document_echec")).scalar_one()
        assert "lettre_rejet" in failure.summary


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) absent : installez libreoffice-writer-nogui")
def test_pdf_is_stored_beside_the_docx(app):
    instance_id = started(app, EXAMPLES["lettre_rejet"])
    document = generate_document(app, instance_id, "lettre_rejet", JURIST, pdf=True)
    assert document["has_pdf"]
    path, name, media_type = document_file(app, document["id"], JURIST, as_pdf=True)
    assert path.read_bytes().startswith(b"%PDF") and name.endswith(".pdf") and media_type == "application/pdf"


def test_the_shell_renders_a_template_and_checks_them_all(tmp_path):
    conventio = Path(sys.executable).with_name("conventio")
    env = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"))
    data = tmp_path / "rejet.json"
    data.write_text(json.dumps(EXAMPLES["lettre_rejet"]))
    out = tmp_path / "rejet.docx"
    done = subprocess.run([str(conventio), "documents", "render", "lettre_rejet", "--data", f"@{data}",
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "lettre" in text_of(out).lower()
    check = subprocess.run([str(conventio), "templates", "check"], capture_output=True, text=True, env=env,
                           timeout=120)
    assert check.returncode == 0, check.stdout
    missing = subprocess.run([str(conventio), "documents", "render", "lettre_rejet", "--data", "{}",
                              "--out", str(tmp_path / "x.docx")], capture_output=True, text=True, env=env,
                             timeout=120)
    assert missing.returncode == 1 and missing.stderr.startswith("Erreur :")


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) absent : installez libreoffice-writer-nogui")
def test_documents_without_pdf_get_it_from_the_batch_job(app):
    from workflows.jobs.celery_app import beat_schedule
    from workflows.jobs.settings import JobSettings
    from workflows.services.documents import convert_pending_pdfs
    first = started(app, EXAMPLES["lettre_rejet"])
    second = start_instance(app, "acte", EXAMPLES["lettre_rejet"], ADMIN, territory="cap-nord")["id"]
    documents = [generate_document(app, instance_id, "lettre_rejet", JURIST) for instance_id in (first, second)]
    assert not any(d["has_pdf"] for d in documents)
    assert convert_pending_pdfs(app) == 2
    assert convert_pending_pdfs(app) == 0
    for document in documents:
        path, _name, _type = document_file(app, document["id"], JURIST, as_pdf=True)
        assert path.read_bytes().startswith(b"%PDF") and str(document["instance_id"]) in str(path.parent)
    schedule = beat_schedule(JobSettings.from_env(env={}))
    assert schedule["pdf"]["task"] == "conventio.convert_pending_pdfs"
