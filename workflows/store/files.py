"""Where generated files live: a directory (local, or a shared NFS/SMB mount) or the database.

Every server and worker of an installation reads and writes documents through one of these,
chosen by configuration, so that a file written by one machine is there for the others.
Keys are relative paths ("12/convention_anct-v1.docx"); every read checks the content's
SHA-256 against the one recorded when it was written.

`put`, `exists` and `delete` take the caller's open session, if any: the database storage
writes in that transaction (a file and its row commit or vanish together); a directory has
no transaction and ignores it.
"""
import hashlib
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from sqlalchemy import delete, select

from .models import StoredFile


class FileStorageError(Exception):
    """A stored file that cannot be read as written (French message)."""


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def check_key(key):
    """A relative path without '..' nor empty parts: nothing outside the storage is reachable."""
    path = PurePosixPath(key)
    if not key or path.is_absolute() or any(part in ("", ".", "..") for part in key.split("/")) or "\\" in key:
        raise ValueError(f"nom de fichier stocké invalide : « {key} »")
    return key


def _verified(key, content, expected):
    if expected is not None and sha256(content) != expected:
        raise FileStorageError(f"fichier « {key} » altéré : son empreinte ne correspond plus à celle "
                               f"enregistrée à sa création")
    return content


class DirectoryStorage:
    """Files under one directory; writes are atomic (a temporary file renamed) and flushed to disk
    before they are acknowledged, which a shared mount needs as much as a local disk."""

    def __init__(self, root):
        self.root = Path(root)

    def describe(self):
        return f"répertoire {self.root}"

    def _path(self, key):
        return self.root / check_key(key)

    def put(self, key, content, session=None):
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
        return sha256(content)

    def get(self, key, expected_sha256=None):
        try:
            content = self._path(key).read_bytes()
        except FileNotFoundError:
            raise FileStorageError(f"fichier « {key} » absent de {self.describe()}") from None
        return _verified(key, content, expected_sha256)

    def exists(self, key, session=None):
        return self._path(key).is_file()

    def delete(self, key, session=None):
        self._path(key).unlink(missing_ok=True)

    def keys(self):
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                yield path.relative_to(self.root).as_posix()


class DatabaseStorage:
    """Files as rows of the database: several machines need nothing but the database."""

    def __init__(self, db):
        self.db = db

    def describe(self):
        return "base de données"

    def put(self, key, content, session=None):
        if session is not None:
            return self._put(session, key, content)
        with self.db.write_sessions() as session, session.begin():
            return self._put(session, key, content)

    @staticmethod
    def _put(session, key, content):
        digest = sha256(content)
        session.execute(delete(StoredFile).where(StoredFile.key == check_key(key)))
        session.add(StoredFile(key=key, content=content, sha256=digest, size=len(content),
                               stored_at=datetime.now(timezone.utc).replace(tzinfo=None)))
        session.flush()
        return digest

    def get(self, key, expected_sha256=None):
        with self.db.sessions() as session:
            row = session.execute(select(StoredFile.content, StoredFile.sha256)
                                  .where(StoredFile.key == check_key(key))).first()
        if row is None:
            raise FileStorageError(f"fichier « {key} » absent de la base de données")
        content = bytes(row.content)
        _verified(key, content, row.sha256)   # the row's own checksum: a damaged row
        return _verified(key, content, expected_sha256)

    def exists(self, key, session=None):
        query = select(StoredFile.key).where(StoredFile.key == check_key(key))
        if session is not None:
            return session.execute(query).first() is not None
        with self.db.sessions() as session:
            return session.execute(query).first() is not None

    def delete(self, key, session=None):
        if session is not None:
            session.execute(delete(StoredFile).where(StoredFile.key == check_key(key)))
            return
        with self.db.write_sessions() as session, session.begin():
            session.execute(delete(StoredFile).where(StoredFile.key == check_key(key)))

    def keys(self):
        with self.db.sessions() as session:
            yield from session.execute(select(StoredFile.key).order_by(StoredFile.key)).scalars().all()


def copy_all(source, target, keys=None, expected=None):
    """Copy every file (or `keys`) from one storage to another, each read back and checked after
    writing (and, for the keys of `expected` {key: sha256}, checked against it when read); the
    source is left as it was (the caller switches the configuration, then may clear it)."""
    expected = expected or {}
    copied = 0
    for key in list(source.keys() if keys is None else keys):
        content = source.get(key, expected.get(key))
        digest = target.put(key, content)
        target.get(key, digest)
        copied += 1
    return copied
