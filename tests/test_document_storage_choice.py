"""The document storage chosen by configuration, used by every read and write of generated files
and their PDFs: checksums checked on reading, a damaged file a French error (journaled), and the
command that copies the files to another storage without deleting anything."""
from dataclasses import replace

import pytest
from sqlalchemy import select

from helpers import sqlite_settings
from test_documents_service import JURIST, started
from workflows import documents as rendering
from workflows.config import Settings
from workflows.documents.examples import EXAMPLES
from workflows.errors import ConventioError
from workflows.services import open_conventio
from workflows.services.documents import DocumentDamaged, document_file, generate_document
from workflows.services.storage import Misconfigured, move_documents, open_storage
from workflows.store.files import DatabaseStorage, DirectoryStorage, sha256
from workflows.store.models import AuditEntry, GeneratedDocument, StoredFile


def test_the_storage_is_chosen_by_configuration(tmp_path):
    local = open_storage(Settings.from_env(env={"CONVENTIO_DATA_DIR": str(tmp_path)}), db=None)
    assert isinstance(local, DirectoryStorage) and local.root == tmp_path / "documents"
    shared = open_storage(Settings.from_env(env={"CONVENTIO_DOCUMENT_STORAGE": "directory",
                                                 "CONVENTIO_DOCUMENTS_DIR": str(tmp_path / "nfs")}), db=None)
    assert shared.root == tmp_path / "nfs"
    assert isinstance(open_storage(Settings.from_env(env={"CONVENTIO_DOCUMENT_STORAGE": "Database"}), db=None),
                      DatabaseStorage)
    with pytest.raises(Misconfigured, match="définissez CONVENTIO_DOCUMENTS_DIR"):
        open_storage(Settings.from_env(env={"CONVENTIO_DOCUMENT_STORAGE": "directory"}), db=None)
    with pytest.raises(Misconfigured, match="« s3 » inconnu ; valeurs possibles : local, directory, database"):
        open_storage(Settings.from_env(env={"CONVENTIO_DOCUMENT_STORAGE": "s3"}), db=None)


def fake_pdf(monkeypatch):
    def convert(paths, out_dir=None):
        for path in paths:
            path.with_suffix(".pdf").write_bytes(b"%PDF-1.4 " + path.read_bytes()[:20])
        return [path.with_suffix(".pdf") for path in paths]

    monkeypatch.setattr(rendering, "convert_to_pdf", convert)
    monkeypatch.setattr(rendering, "pdf_available", lambda: True)


@pytest.fixture
def database_app(any_db_settings):
    opened = open_conventio(replace(any_db_settings, document_storage="database"))
    yield opened
    opened.close()


def test_documents_and_their_pdfs_are_kept_in_the_database_storage(database_app, monkeypatch):
    fake_pdf(monkeypatch)
    instance_id = started(database_app, EXAMPLES["extrait_deliberation"])
    document = generate_document(database_app, instance_id, "extrait_deliberation", JURIST, pdf=True)
    content, name, _type = document_file(database_app, document["id"], JURIST)
    pdf, pdf_name, _type = document_file(database_app, document["id"], JURIST, as_pdf=True)
    assert content.startswith(b"PK") and name == "extrait_deliberation-v1.docx"
    assert pdf.startswith(b"%PDF") and pdf_name == "extrait_deliberation-v1.pdf"
    [docx_key, pdf_key] = database_app.storage.keys()
    assert docx_key == f"{instance_id}/extrait_deliberation-v1.docx"
    assert pdf_key.startswith(f"{instance_id}/pdf-") and pdf_key.endswith("/extrait_deliberation-v1.pdf")
    assert not (database_app.settings.data_dir / "documents").exists()


def tamper(app, key):
    if isinstance(app.storage, DatabaseStorage):
        with app.db.write_sessions() as session, session.begin():   # content and its own checksum alike
            row = session.get(StoredFile, key)
            row.content, row.sha256 = b"autre", sha256(b"autre")
    else:
        (app.storage.root / key).write_bytes(b"autre")


@pytest.mark.parametrize("storage", ["local", "database"])
@pytest.mark.parametrize("as_pdf", [False, True])
def test_a_damaged_file_is_refused_in_french_and_journaled(settings, monkeypatch, storage, as_pdf):
    fake_pdf(monkeypatch)
    app = open_conventio(replace(settings, document_storage=storage))
    try:
        instance_id = started(app, EXAMPLES["extrait_deliberation"])
        document = generate_document(app, instance_id, "extrait_deliberation", JURIST, pdf=True)
        with app.db.sessions() as session:
            row = session.get(GeneratedDocument, document["id"])
        tamper(app, row.pdf_path if as_pdf else row.path)
        with pytest.raises(DocumentDamaged, match="illisible : fichier .* altéré") as refused:
            document_file(app, document["id"], JURIST, as_pdf=as_pdf)
        assert refused.value.http_status == 500 and "consigné au journal" in refused.value.message
        with app.db.sessions() as session:
            [entry] = session.execute(select(AuditEntry).where(AuditEntry.action == "document_altere")).scalars()
        assert entry.instance_id == instance_id and entry.actor == JURIST.username
    finally:
        app.close()


def test_a_damaged_word_document_gets_no_pdf_and_the_sweep_records_why(app, monkeypatch):
    from workflows.services.documents import convert_pending_pdfs
    fake_pdf(monkeypatch)
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    generate_document(app, instance_id, "extrait_deliberation", JURIST)
    tamper(app, f"{instance_id}/extrait_deliberation-v1.docx")
    assert convert_pending_pdfs(app) == 1 and convert_pending_pdfs(app) == 0
    with app.db.sessions() as session:
        row = session.execute(select(GeneratedDocument)).scalar_one()
        assert row.pdf_path is None and "altéré" in row.pdf_error
        assert session.execute(select(AuditEntry).where(AuditEntry.action == "document_altere")).scalar_one()


def test_moving_copies_and_verifies_every_file_and_deletes_nothing(tmp_path, monkeypatch):
    fake_pdf(monkeypatch)
    settings = sqlite_settings(tmp_path)
    app = open_conventio(settings)
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    document = generate_document(app, instance_id, "extrait_deliberation", JURIST, pdf=True)
    moved = move_documents(app, "database")
    assert moved["copied"] == 2 and moved["settings"] == {"CONVENTIO_DOCUMENT_STORAGE": "database"}
    assert sorted(app.storage.keys()) == sorted(DatabaseStorage(app.db).keys())   # the source is kept
    app.close()
    in_database = open_conventio(replace(settings, document_storage="database"))
    assert document_file(in_database, document["id"], JURIST, as_pdf=True)[0].startswith(b"%PDF")
    back = move_documents(in_database, "directory", str(tmp_path / "partage"))
    assert back["settings"] == {"CONVENTIO_DOCUMENT_STORAGE": "directory",
                                "CONVENTIO_DOCUMENTS_DIR": str(tmp_path / "partage")}
    assert len(list((tmp_path / "partage" / str(instance_id)).glob("pdf-*/extrait_deliberation-v1.pdf"))) == 1
    in_database.close()


def test_moving_stops_at_a_damaged_file_and_refuses_what_makes_no_sense(app, tmp_path):
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    generate_document(app, instance_id, "extrait_deliberation", JURIST)
    with pytest.raises(ConventioError, match="déjà dans le répertoire"):
        move_documents(app, "directory", str(app.storage.root))
    with pytest.raises(ConventioError, match="--dir : le répertoire de destination est obligatoire"):
        move_documents(app, "directory")
    with pytest.raises(ConventioError, match="« nuage » inconnu"):
        move_documents(app, "nuage")
    tamper(app, f"{instance_id}/extrait_deliberation-v1.docx")
    with pytest.raises(ConventioError, match="Déplacement interrompu, rien n’est supprimé .* altéré"):
        move_documents(app, "database")
    assert list(DatabaseStorage(app.db).keys()) == []


def test_two_converters_of_one_document_never_leave_a_pdf_that_reads_as_damaged(app, monkeypatch):
    from workflows.services import documents as service
    made = iter(range(10))

    def convert(paths, out_dir=None):   # LibreOffice dates each PDF: two conversions differ
        for path in paths:
            path.with_suffix(".pdf").write_bytes(b"%%PDF-1.4 conversion %d" % next(made))
        return [path.with_suffix(".pdf") for path in paths]

    monkeypatch.setattr(rendering, "convert_to_pdf", convert)
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    document = generate_document(app, instance_id, "extrait_deliberation", JURIST)
    pending = [(document["id"], instance_id, f"{instance_id}/extrait_deliberation-v1.docx", document["checksum"])]
    sweep, on_demand = service.pdf_outcomes(app, pending), service.pdf_outcomes(app, pending)
    service._record_pdf(app, sweep)
    service._record_pdf(app, on_demand)   # second: its PDF is not the recorded one, and is removed
    content, name, _type = document_file(app, document["id"], JURIST, as_pdf=True)
    assert content == b"%PDF-1.4 conversion 0" and name == "extrait_deliberation-v1.pdf"
    assert len([key for key in app.storage.keys() if key.endswith(".pdf")]) == 1
