"""Where the installation keeps its generated files, chosen by CONVENTIO_DOCUMENT_STORAGE and built
once by open_conventio; what every process must share; moving the files to another storage."""
from pathlib import Path

from sqlalchemy import select

from ..errors import ConventioError, ErrorCode
from ..store.files import DatabaseStorage, DirectoryStorage, FileStorageError, copy_all
from ..store.models import GeneratedDocument, TaskAttachment

KINDS = ("local", "directory", "database")
NEW_KEY = "$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"


class Misconfigured(ConventioError):
    """A setting the installation cannot start with (French message naming what to set)."""
    code = ErrorCode.CONFIGURATION
    http_status = 500


def open_storage(settings, db):
    kind = settings.document_storage
    if kind == "local":
        return DirectoryStorage(Path(settings.documents_dir or Path(settings.data_dir) / "documents"))
    if kind == "directory":
        if not settings.documents_dir:
            raise Misconfigured("CONVENTIO_DOCUMENT_STORAGE=directory : définissez CONVENTIO_DOCUMENTS_DIR, "
                                "le répertoire partagé (montage NFS ou SMB) que voient tous les serveurs et workers.")
        return DirectoryStorage(Path(settings.documents_dir))
    if kind == "database":
        return DatabaseStorage(db)
    raise Misconfigured(f"CONVENTIO_DOCUMENT_STORAGE : « {kind} » inconnu ; valeurs possibles : "
                        f"{', '.join(KINDS)}.")


def several_processes(settings):
    """PostgreSQL or a broker: the installation expects several servers and workers."""
    return settings.database_url.startswith("postgresql") or bool(settings.broker_url)


def require_shared_secret(settings):
    """serve, worker and beat: with several processes, each one generating its own key would
    make a token taken on one server refused by the next."""
    if several_processes(settings) and not settings.secret_key:
        raise Misconfigured("CONVENTIO_SECRET_KEY manquante : avec PostgreSQL ou un broker, serveurs, workers "
                            "et beat doivent partager la même clé ; définissez CONVENTIO_SECRET_KEY sur chacun "
                            f"(par exemple CONVENTIO_SECRET_KEY={NEW_KEY}).")


def require_shared_audit_key(settings):
    """serve, worker and beat: with several processes, each data directory generating its own
    journal key would seal entries that the other machines' `audit verify` reports as altered."""
    if several_processes(settings) and not settings.audit_key:
        raise Misconfigured("CONVENTIO_AUDIT_KEY manquante : avec PostgreSQL ou un broker, serveurs, workers "
                            "et beat scellent le même journal et doivent partager sa clé ; définissez "
                            "CONVENTIO_AUDIT_KEY sur chacun, hors de portée de la base "
                            f"(par exemple CONVENTIO_AUDIT_KEY={NEW_KEY}).")


def check_startup(settings):
    """What serve, worker and beat refuse to start without (one French line each)."""
    require_shared_secret(settings)
    require_shared_audit_key(settings)
    open_storage(settings, db=None)   # the setting's check only: nothing is opened


def move_documents(app, to, directory=None):
    """Copy every stored file to the storage `to` (database, or directory at `directory`), each
    checked against its recorded checksum and read back; nothing is deleted. Returns what to
    tell the operator: the count, and the settings to change."""
    target, settings = _target(app, to, directory)
    expected = _recorded_checksums(app)
    try:
        copied = copy_all(app.storage, target, keys=sorted(expected), expected=expected)
    except FileStorageError as exc:
        raise ConventioError(f"Déplacement interrompu, rien n’est supprimé et le réglage reste inchangé : {exc}.") \
            from exc
    return {"copied": copied, "source": app.storage.describe(), "target": target.describe(), "settings": settings}


def _target(app, to, directory):
    if to == "database":
        if isinstance(app.storage, DatabaseStorage):
            raise ConventioError("Les documents sont déjà dans la base de données.")
        return DatabaseStorage(app.db), {"CONVENTIO_DOCUMENT_STORAGE": "database"}
    if to != "directory":
        raise ConventioError(f"--to : « {to} » inconnu ; valeurs possibles : database, directory.")
    if not directory:
        raise ConventioError("--dir : le répertoire de destination est obligatoire avec --to directory.")
    root = Path(directory).resolve()
    if isinstance(app.storage, DirectoryStorage) and app.storage.root.resolve() == root:
        raise ConventioError(f"Les documents sont déjà dans le répertoire {root}.")
    return DirectoryStorage(root), {"CONVENTIO_DOCUMENT_STORAGE": "directory", "CONVENTIO_DOCUMENTS_DIR": str(root)}


def _recorded_checksums(app):
    """{key: sha256} of every stored file (the documents and their PDFs, the tasks' attachments)."""
    with app.db.sessions() as session:
        rows = session.execute(select(GeneratedDocument.path, GeneratedDocument.checksum,
                                      GeneratedDocument.pdf_path, GeneratedDocument.pdf_checksum)).all()
        attached = session.execute(select(TaskAttachment.path, TaskAttachment.checksum)).all()
    expected = dict(attached)
    for path, checksum, pdf_path, pdf_checksum in rows:
        expected[path] = checksum
        if pdf_path is not None:
            expected[pdf_path] = pdf_checksum
    return expected
