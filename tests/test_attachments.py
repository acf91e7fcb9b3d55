"""Files attached to a task (quotes, signed scans), on SQLite and PostgreSQL: attached by whoever
may act on the ready task, typed by their content, kept with their checksum in the document
storage, journaled, read by whoever reads the instance; a refused file changes nothing."""
import io
import zipfile
from dataclasses import replace

import docx
import pytest
from sqlalchemy import func, select

from bpmn_builder import definitions, flow, process, user_task
from helpers import ADMIN, actor, deploy_xml
from workflows.errors import Conflict, Forbidden, InvalidData, NotFound
from workflows.services import open_conventio
from workflows.services.assignments import claim_task
from workflows.services.attachments import attach_file, attachment_file, list_attachments
from workflows.services.documents import DocumentDamaged
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import AuditEntry, StoredFile, TaskAttachment

MODEL = definitions(process("devis", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("recevoir", "Recevoir le devis"), user_task("valider", "Valider le devis"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "recevoir"), flow("f2", "recevoir", "valider"), flow("f3", "valider", "end"),
]), lanes={"Commande publique": ["recevoir"], "Direction": ["valider"]}))
BUYER = actor("acheteuse", "buyer", territories=("cap-nord",))
COLLEAGUE = actor("collegue", "buyer", territories=("cap-nord",))
DIRECTOR = actor("directrice", "director", territories=("cap-nord",))
ELSEWHERE = actor("acheteur78", "buyer", territories=("yvelines",))
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx():
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Devis n° 2026-118 : 2 080 Pass numériques")
    document.save(out)
    return out.getvalue()


def _zip(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


PARTNER_MODEL = definitions(process("mandat", "\n".join([
    '<bpmn:startEvent id="start"/>',
    user_task("signer_mandat", "Signer la convention de mandat"), user_task("viser", "Viser la convention"),
    '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "signer_mandat"), flow("f2", "signer_mandat", "viser"), flow("f3", "viser", "end"),
]), lanes={"Prescripteur": ["signer_mandat"], "Direction": ["viser"]}))
PRESCRIBER = actor("prescripteur", "prescriber", territories=("cap-nord",))


@pytest.fixture
def case(any_db_settings):
    app = open_conventio(replace(any_db_settings, attachment_max_mb=1))
    deploy_xml(app, {"devis.bpmn": MODEL})
    instance_id = start_instance(app, "devis", {}, ADMIN, territory="cap-nord")["id"]
    [task] = list_tasks(app, ADMIN, instance_id=instance_id)
    yield app, instance_id, task["id"]
    app.close()


def _footprint(app):
    with app.db.sessions() as session:
        counts = tuple(session.execute(select(func.count()).select_from(model)).scalar()
                       for model in (TaskAttachment, AuditEntry, StoredFile))
    files = sorted(p.relative_to(app.settings.data_dir).as_posix()
                   for p in app.settings.data_dir.rglob("*") if p.is_file() and "pieces" in p.parts)
    return counts, files


def test_a_buyer_attaches_a_quote_a_scan_and_a_word_file_read_back_as_they_were(case):
    app, instance_id, task_id = case
    word = _docx()
    quote = attach_file(app, task_id, "Devis 2026-118.pdf", PDF, BUYER)
    scan = attach_file(app, task_id, r"C:\Scans\bon signé.png", PNG, BUYER)
    letter = attach_file(app, task_id, "courrier.bin", word, BUYER)   # the content says Word, not the name
    assert [(a["name"], a["media_type"], a["size"]) for a in (quote, scan, letter)] == [
        ("Devis 2026-118.pdf", "application/pdf", len(PDF)), ("bon signé.png", "image/png", len(PNG)),
        ("courrier.bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", len(word))]
    assert quote["task_name"] == "Recevoir le devis" and quote["created_by"] == "acheteuse"
    listed = list_attachments(app, DIRECTOR, task_id=task_id)
    assert [a["id"] for a in listed] == [quote["id"], scan["id"], letter["id"]]
    assert list_attachments(app, DIRECTOR, instance_id=instance_id) == listed
    content, name, media_type = attachment_file(app, letter["id"], DIRECTOR)   # the director reads, not acts
    assert (name, media_type) == ("courrier.bin", letter["media_type"])
    assert "Devis n° 2026-118" in docx.Document(io.BytesIO(content)).paragraphs[0].text
    with app.db.sessions() as session:
        journal = session.execute(select(AuditEntry.summary, AuditEntry.actor).where(
            AuditEntry.action == "piece_jointe").order_by(AuditEntry.id)).all()
    assert journal[0] == ("Pièce « Devis 2026-118.pdf » jointe à « Recevoir le devis » (50 octets)", "acheteuse")
    assert len(journal) == 3


@pytest.mark.parametrize("name, content, why", [
    ("devis.pdf", b"MZ\x90\x00 a program", "type non accepté"),
    ("devis.docx", _zip({"notes.txt": "pas un document"}), "type non accepté"),
    ("devis.pdf", b"", "fichier vide"),
    ("devis.pdf", PDF + b"\x00" * (1024 * 1024), "fichier trop volumineux"),
    ("", PDF, "fichier manquant"),
])
def test_a_refused_file_says_why_in_french_and_changes_nothing(case, name, content, why):
    app, _instance_id, task_id = case
    before = _footprint(app)
    with pytest.raises(InvalidData) as refused:
        attach_file(app, task_id, name, content, BUYER)
    assert refused.value.details == {"file": why} and refused.value.message.startswith("Fichier : ")
    assert _footprint(app) == before


def test_only_who_may_act_on_the_ready_task_attaches_and_only_readers_read(case):
    app, instance_id, task_id = case
    quote = attach_file(app, task_id, "devis.pdf", PDF, BUYER)
    before = _footprint(app)
    with pytest.raises(Forbidden):   # not the task's role
        attach_file(app, task_id, "devis.pdf", PDF, DIRECTOR)
    with pytest.raises(NotFound):    # not the instance's territory
        attach_file(app, task_id, "devis.pdf", PDF, ELSEWHERE)
    claim_task(app, task_id, COLLEAGUE)
    with pytest.raises(Conflict):    # held by a colleague
        attach_file(app, task_id, "devis.pdf", PDF, BUYER)
    after_claim = _footprint(app)
    complete_task(app, task_id, {}, COLLEAGUE)
    done = _footprint(app)
    with pytest.raises(Conflict):    # no longer to do
        attach_file(app, task_id, "devis.pdf", PDF, COLLEAGUE)
    assert _footprint(app) == done and after_claim[1] == before[1]
    for reading in (lambda: list_attachments(app, ELSEWHERE, task_id=task_id),
                    lambda: list_attachments(app, ELSEWHERE, instance_id=instance_id),
                    lambda: attachment_file(app, quote["id"], ELSEWHERE)):
        with pytest.raises(NotFound):
            reading()
    assert [a["id"] for a in list_attachments(app, DIRECTOR, instance_id=instance_id)] == [quote["id"]]


def test_an_altered_attachment_is_refused_and_journaled(case):
    app, _instance_id, task_id = case
    quote = attach_file(app, task_id, "devis.pdf", PDF, BUYER)
    with app.db.sessions() as session:
        key = session.get(TaskAttachment, quote["id"]).path
    app.storage.put(key, PDF.replace(b"1.7", b"1.4"))
    with pytest.raises(DocumentDamaged) as damaged:
        attachment_file(app, quote["id"], BUYER)
    assert "altéré" in damaged.value.message
    with app.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "document_altere")).scalar() == 1


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migration_of_the_attachments_goes_down_and_up(case):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from helpers import downgrade
    from workflows.store.migrate import upgrade
    from workflows.store.models import Base
    app, _instance_id, task_id = case
    attach_file(app, task_id, "devis.pdf", PDF, BUYER)
    downgrade(app.db, "0014_regen")
    assert "task_attachment" not in inspect(app.db.engine).get_table_names()
    upgrade(app.db)
    with app.db.engine.connect() as connection:   # the table exactly as the model describes it
        differences = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                       if "task_attachment" in str(d) or "reason" in str(d)]
    assert differences == []
    assert list_attachments(app, BUYER, task_id=task_id) == []
    assert attach_file(app, task_id, "devis.pdf", PDF, BUYER)["id"] >= 1


def test_attachments_move_with_the_documents_to_another_storage(case, any_db_settings):
    from workflows.services.storage import move_documents
    app, _instance_id, task_id = case
    quote = attach_file(app, task_id, "devis.pdf", PDF, BUYER)
    moved = move_documents(app, "database")
    assert moved["copied"] == 1
    in_database = open_conventio(replace(any_db_settings, document_storage="database"))
    try:
        assert attachment_file(in_database, quote["id"], DIRECTOR)[0] == PDF
    finally:
        in_database.close()


def test_an_outside_partner_reads_only_the_attachments_of_their_own_tasks(case):
    app, instance_id, task_id = case
    quote = attach_file(app, task_id, "devis.pdf", PDF, BUYER)
    for read in (lambda: list_attachments(app, PRESCRIBER, instance_id=instance_id),
                 lambda: list_attachments(app, PRESCRIBER, task_id=task_id),
                 lambda: attachment_file(app, quote["id"], PRESCRIBER)):
        with pytest.raises(NotFound):
            read()
    deploy_xml(app, {"mandat.bpmn": PARTNER_MODEL})
    mandate = start_instance(app, "mandat", {}, ADMIN, territory="cap-nord")["id"]
    [own] = list_tasks(app, ADMIN, instance_id=mandate)
    signed = attach_file(app, own["id"], "mandat-signe.pdf", PDF, PRESCRIBER)
    assert [a["id"] for a in list_attachments(app, PRESCRIBER, task_id=own["id"])] == [signed["id"]]
    assert attachment_file(app, signed["id"], PRESCRIBER)[0] == PDF
    with pytest.raises(NotFound):   # the instance as a whole stays the staff's
        list_attachments(app, PRESCRIBER, instance_id=mandate)
