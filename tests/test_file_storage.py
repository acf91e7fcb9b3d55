"""Document storage: a directory (local or shared) or the database; every read checks the
checksum, nothing outside the storage is reachable, and files move between storages."""
import pytest
from sqlalchemy import update

from workflows.store.files import DatabaseStorage, DirectoryStorage, FileStorageError, copy_all, sha256
from workflows.store.models import StoredFile

CONTENT = b"PK\x03\x04 une convention"


@pytest.fixture(params=["directory", "database"])
def storage(request, tmp_path, any_app):
    return DirectoryStorage(tmp_path / "documents") if request.param == "directory" else DatabaseStorage(any_app.db)


def test_a_file_reads_back_as_written_with_its_checksum(storage):
    digest = storage.put("12/convention_anct-v1.docx", CONTENT)
    assert digest == sha256(CONTENT)
    assert storage.get("12/convention_anct-v1.docx", digest) == CONTENT
    assert storage.exists("12/convention_anct-v1.docx") and not storage.exists("12/autre.docx")
    assert list(storage.keys()) == ["12/convention_anct-v1.docx"]


def test_writing_again_replaces(storage):
    storage.put("1/a.docx", b"first")
    storage.put("1/a.docx", b"second")
    assert storage.get("1/a.docx") == b"second" and list(storage.keys()) == ["1/a.docx"]


def test_a_checksum_that_differs_is_refused_in_french(storage):
    storage.put("1/a.docx", CONTENT)
    with pytest.raises(FileStorageError, match="altéré"):
        storage.get("1/a.docx", sha256(b"autre chose"))


def test_a_missing_file_is_a_french_error(storage):
    with pytest.raises(FileStorageError, match="absent"):
        storage.get("1/rien.docx")


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "1/../../x", "", "a//b", "a\\b", "./a"])
def test_nothing_outside_the_storage_is_reachable(storage, key):
    with pytest.raises(ValueError):
        storage.put(key, b"x")
    with pytest.raises(ValueError):
        storage.get(key)


def test_a_file_changed_on_disk_is_seen(tmp_path):
    storage = DirectoryStorage(tmp_path)
    digest = storage.put("1/a.docx", CONTENT)
    (tmp_path / "1" / "a.docx").write_bytes(CONTENT + b"!")
    with pytest.raises(FileStorageError, match="altéré"):
        storage.get("1/a.docx", digest)


def test_a_row_changed_in_the_database_is_seen_even_without_the_callers_checksum(any_app):
    storage = DatabaseStorage(any_app.db)
    storage.put("1/a.docx", CONTENT)
    with any_app.db.write_sessions() as session, session.begin():
        session.execute(update(StoredFile).values(content=CONTENT + b"!"))
    with pytest.raises(FileStorageError, match="altéré"):
        storage.get("1/a.docx")


def test_files_move_from_a_directory_to_the_database_and_back(tmp_path, any_app):
    directory, database = DirectoryStorage(tmp_path / "d"), DatabaseStorage(any_app.db)
    files = {f"{n}/doc-v1.docx": bytes([n]) * 1000 for n in range(1, 6)}
    for key, content in files.items():
        directory.put(key, content)
    assert copy_all(directory, database) == 5
    assert {key: database.get(key) for key in database.keys()} == files
    back = DirectoryStorage(tmp_path / "back")
    assert copy_all(database, back) == 5
    assert {key: back.get(key, sha256(content)) for key, content in files.items()} == files
