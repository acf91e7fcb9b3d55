"""A local cache of loaded process definitions, so that a fresh process starts fast.

Rebuilding a definition from its JSON takes as long as a step's whole budget for a
large model (16 ms for 520 tasks), and every fresh CLI process pays it. Like Python's
__pycache__, the loaded objects are kept as pickles beside the data, named by content
hash and library versions, one pickle per task spec (lazy_specs: a step unpickles only the
specs it reads). A pickle is code: each file is signed with HMAC-SHA256 and one that does
not verify is ignored and rebuilt from the database's JSON.
"""
import hashlib
import hmac
import os
import pickle
import sys
import tempfile
from pathlib import Path

from SpiffWorkflow.version import __version__ as SPIFF_VERSION

from .lazy_specs import decode, encode

SIGNATURE_SIZE = 32
FORMAT = f"spiff{SPIFF_VERSION}-py{sys.version_info.major}{sys.version_info.minor}-lazy"


class SpecCache:
    def __init__(self, directory, key):
        self.directory = Path(directory)
        self.key = key

    @classmethod
    def in_data_dir(cls, data_dir, secret=""):
        directory = Path(data_dir) / "cache" / "definitions"
        return cls(directory, secret.encode() if secret else _local_key(Path(data_dir)))

    def _path(self, content_hash):
        return self.directory / f"{content_hash}-{FORMAT}.pickle"

    def load(self, content_hash):
        try:
            blob = self._path(content_hash).read_bytes()
        except OSError:
            return None
        signature, payload = blob[:SIGNATURE_SIZE], blob[SIGNATURE_SIZE:]
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            return decode(payload)
        except Exception:
            return None

    def store(self, content_hash, value):
        try:
            payload = encode(value)
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.directory, delete=False) as handle:
                handle.write(self._sign(payload) + payload)
            os.replace(handle.name, self._path(content_hash))
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass  # a cache that cannot be written only costs time

    def _sign(self, payload):
        return hmac.new(self.key, payload, hashlib.sha256).digest()


def _local_key(data_dir):
    """A random key kept in the data directory, readable by its owner only."""
    path = data_dir / "cache" / "key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    key = os.urandom(32)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key
