"""The append-only audit journal: chained, sealed with a key the database does not hold,
and pinned by signed checkpoints kept outside the database.

- Each entry's `hash` is the SHA-256 of its canonical form, which holds the previous
  entry's hash: the chain, that anyone can recompute.
- Its `mac` is an HMAC-SHA-256 of the same canonical form with the journal key (from the
  configuration, never in the database): whoever can write the database can rewrite an
  entry and recompute every hash after it, never the seals.
- After each commit that appended entries, a checkpoint (number of entries, last hash,
  time), signed with the key, is appended to a file outside the database (and optionally
  to syslog): deleting the journal's tail, or all of it, leaves fewer entries than a
  checkpoint attests, and a checkpoint's hash pins every entry up to it.

The entries written before the key (migration 0007) have no seal; they are accepted only
at the start of the journal and up to the first checkpoint, which pins them.
"""
import fcntl
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from .models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
_ENTRY = b"conventio-audit-entry\n"
_CHECKPOINT = "conventio-audit-checkpoint"
_PENDING = "conventio.audit.checkpoint"   # session.info: what to checkpoint once committed

log = logging.getLogger("conventio.audit")


def _canonical(entry_id, at, actor, role, action, instance_id, task_id, summary, payload, prev_hash):
    return json.dumps(
        [entry_id, at.isoformat(), actor, role, action, instance_id, task_id, summary, payload, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")


def _canonical_of(entry):
    return _canonical(entry.id, entry.at, entry.actor, entry.role, entry.action, entry.instance_id,
                      entry.task_id, entry.summary, entry.payload, entry.prev_hash)


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    last_hash: str
    at: str
    line: int = 0

    @property
    def when(self):
        return self.at.replace("T", " ")[:19]


@dataclass(frozen=True)
class Journal:
    """The key and where the checkpoints go: what the database does not hold."""
    key: bytes = field(repr=False)
    checkpoints: Path
    syslog: bool = False

    @property
    def key_id(self):
        """Names the key without revealing it, to tell a wrong key from a forgery."""
        return hmac.new(self.key, b"conventio-audit-key-id", hashlib.sha256).hexdigest()[:16]

    def seal(self, canonical):
        return hmac.new(self.key, _ENTRY + canonical, hashlib.sha256).hexdigest()

    def _signature(self, entries, last_hash, at, key_id):
        text = json.dumps([_CHECKPOINT, 1, entries, last_hash, at, key_id], separators=(",", ":"))
        return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    # --- checkpoints ------------------------------------------------------------------
    def write_checkpoint(self, entries, last_hash, now=None):
        """Append one signed line; flock orders writers of every thread and process."""
        at = (now or datetime.now(timezone.utc)).isoformat()
        line = json.dumps({"entries": entries, "last_hash": last_hash, "at": at, "key": self.key_id,
                           "sig": self._signature(entries, last_hash, at, self.key_id)},
                          separators=(",", ":")) + "\n"
        self.checkpoints.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.checkpoints, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            os.write(descriptor, line.encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)   # releases the lock
        if self.syslog:
            import syslog
            syslog.openlog("conventio-audit", 0, syslog.LOG_AUTHPRIV)
            syslog.syslog(syslog.LOG_NOTICE, "checkpoint " + line.strip())
        return Checkpoint(entries, last_hash, at)

    def checkpoint(self, session, now=None):
        """Verify the journal, then checkpoint what was verified; a broken journal gets none."""
        report = verify(session, self)
        point = self.write_checkpoint(report.entries, report.last_hash, now) if report.ok else None
        return report, point

    def read_checkpoints(self):
        """(checkpoints whose signature holds, problems) from the checkpoint file."""
        valid, forged, foreign_keys = [], [], set()
        try:
            file = open(self.checkpoints, encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return valid, []
        except OSError as exc:
            return valid, [f"points de contrôle illisibles ({exc.strerror} : {self.checkpoints})"]
        with file:
            for number, text in enumerate(file, 1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                    point = Checkpoint(record["entries"], record["last_hash"], record["at"], number)
                    key_id = record["key"]
                    good = (type(point.entries) is int and key_id == self.key_id and hmac.compare_digest(
                        str(record["sig"]), self._signature(point.entries, point.last_hash, point.at, key_id)))
                except (ValueError, KeyError, TypeError, AttributeError):
                    good, key_id = False, self.key_id
                if good:
                    valid.append(point)
                else:
                    forged.append(number)
                    if key_id != self.key_id:
                        foreign_keys.add(str(key_id))
        if forged and not valid and foreign_keys:
            return valid, [f"points de contrôle signés par une autre clé (empreinte {', '.join(sorted(foreign_keys))}, "
                           f"clé configurée {self.key_id}) : CONVENTIO_AUDIT_KEY ou le fichier de clé n’est pas "
                           f"celui qui a scellé ce journal"]
        if forged:
            more = f" (et {len(forged) - 1} autre(s))" if len(forged) > 1 else ""
            return valid, [f"point de contrôle falsifié ou altéré : ligne {forged[0]}{more} de "
                           f"{self.checkpoints}, signature invalide"]
        return valid, []

    # --- entries ----------------------------------------------------------------------
    def append(self, uow, *, at, actor, role, action, summary, payload=None, instance_id=None, task_id=None):
        """Add a sealed entry in the caller's transaction; the head row lock orders concurrent appends.

        Once the transaction commits, the new head is checkpointed (see _checkpoint_after_commit)."""
        session = uow.session
        head = session.execute(uow.lock(select(AuditHead.last_id, AuditHead.last_hash)
                                        .where(AuditHead.id == 1))).one()
        entry_id = head.last_id + 1
        body = json.dumps(payload if payload is not None else {}, ensure_ascii=False, sort_keys=True,
                          default=str)
        canonical = _canonical(entry_id, at, actor, role, action, instance_id, task_id, summary, body,
                               head.last_hash)
        digest = hashlib.sha256(canonical).hexdigest()
        _write_entry(session, dict(id=entry_id, at=at, actor=actor, role=role, action=action,
                                   instance_id=instance_id, task_id=task_id, summary=summary, payload=body,
                                   prev_hash=head.last_hash, hash=digest, mac=self.seal(canonical)))
        session.info[_PENDING] = (self, entry_id, digest)

    def verify(self, session, batch=1000):
        return verify(session, self, batch)


def _write_entry(session, entry):
    """The entry, and the head moved onto it, under the head's lock taken by the caller: one
    statement on PostgreSQL (a data-modifying WITH: one round trip less for every journaled
    commit), two on SQLite, which has no such WITH."""
    moved = update(AuditHead.__table__).where(AuditHead.id == 1).values(last_id=entry["id"], last_hash=entry["hash"])
    added = insert(AuditEntry.__table__).values(**entry)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(added.add_cte(moved.cte("moved_head")))
    else:
        session.execute(added)
        session.execute(moved)


@lru_cache(maxsize=16)
def journal_of(settings):
    """The journal of these settings (the key file is read, or made, once per process)."""
    return Journal(settings.journal_key().encode("utf-8"), Path(settings.journal_checkpoints()),
                   settings.audit_syslog)


@event.listens_for(Session, "after_commit")
def _checkpoint_after_commit(session):
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    journal, entries, last_hash = pending
    try:
        journal.write_checkpoint(entries, last_hash)
    except Exception:   # the step is committed: a lost checkpoint must not undo it for the caller
        log.exception("Point de contrôle du journal non écrit (%s entrées) dans %s", entries, journal.checkpoints)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


# --- verification -----------------------------------------------------------------------
@dataclass(frozen=True)
class JournalReport:
    entries: int
    sealed: int = 0
    checkpoints: int = 0
    last_checkpoint: Checkpoint | None = None
    problems: tuple = ()
    broken_id: int | None = None
    keyed: bool = True
    last_hash: str = GENESIS_HASH     # of the last entry verified

    @property
    def ok(self):
        return not self.problems

    @property
    def reason(self):
        return self.problems[0] if self.problems else None

    def describe(self):
        """One French line when intact."""
        text = f"{self.entries} entrée(s) vérifiée(s)"
        if self.keyed:
            legacy = self.entries - self.sealed
            text += f", {self.sealed} scellée(s)" + (f" et {legacy} antérieure(s) à la clé" if legacy else "")
            if self.last_checkpoint is None:
                text += ", aucun point de contrôle"
            else:
                text += (f", {self.checkpoints} point(s) de contrôle, le plus avancé du "
                         f"{self.last_checkpoint.when} ({self.last_checkpoint.entries} entrée(s))")
        else:
            text += " (chaînage seul, sans la clé)"
        return text


def verify(session, journal=None, batch=1000):
    """Walk the whole journal and name what was changed, deleted, truncated or forged.

    Without `journal` (no key), only the plain chain and the head are checked. Pass a
    session with no transaction open yet: the checkpoints are read before the database,
    so that appends committed during the walk are never mistaken for a truncation."""
    problems, broken_id = [], None
    checkpoints = []
    if journal is not None:
        # Read before the database: a commit in between only adds entries beyond them.
        checkpoints, problems = journal.read_checkpoints()
    pinned = {}
    for point in checkpoints:
        pinned.setdefault(point.entries, []).append(point)
    unsealed_limit = min(pinned) if pinned else None

    def broken(entry_id, reason):
        nonlocal broken_id
        broken_id = entry_id
        problems.insert(0, reason)

    # The head before the entries: appends committed meanwhile only add entries after it.
    head = session.execute(select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1)).first()
    hash_at_head = GENESIS_HASH if head is not None and head.last_id == 0 else None

    expected_prev, expected_id, count, sealed = GENESIS_HASH, 1, 0, 0
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id).execution_options(
            yield_per=batch, populate_existing=True)).scalars():
        if entry.id != expected_id:
            broken(expected_id, f"entrée n° {expected_id} manquante : supprimée du journal")
            break
        if entry.prev_hash != expected_prev:
            broken(entry.id, f"entrée n° {entry.id} : chaînage rompu, l’empreinte précédente ne correspond pas")
            break
        canonical = _canonical_of(entry)
        if hashlib.sha256(canonical).hexdigest() != entry.hash:
            broken(entry.id, f"entrée n° {entry.id} : contenu modifié, l’empreinte ne correspond plus")
            break
        if journal is not None:
            if entry.mac is None:
                if sealed or (unsealed_limit is not None and entry.id > unsealed_limit):
                    broken(entry.id, f"entrée n° {entry.id} sans sceau alors qu’elle est postérieure à la "
                                     f"clé du journal : ajoutée ou réécrite sans la clé")
                    break
            elif not hmac.compare_digest(entry.mac, journal.seal(canonical)):
                broken(entry.id, f"entrée n° {entry.id} réécrite : son empreinte est cohérente mais son "
                                 f"sceau (HMAC) ne correspond pas, chaîne recalculée sans la clé")
                break
            else:
                sealed += 1
            differing = [p for p in pinned.get(entry.id, ()) if p.last_hash != entry.hash]
            if differing:
                broken(entry.id, f"entrée n° {entry.id} réécrite : son empreinte diffère de celle du "
                                 f"point de contrôle du {differing[0].when}")
                break
        if head is not None and entry.id == head.last_id:
            hash_at_head = entry.hash
        expected_prev, expected_id, count = entry.hash, entry.id + 1, count + 1
    else:
        furthest = max(checkpoints, key=lambda p: p.entries, default=None)
        if furthest is not None and furthest.entries > count:
            if count == 0:
                broken(1, f"journal vidé : aucune entrée, alors que le point de contrôle du "
                          f"{furthest.when} en atteste {furthest.entries}")
            else:
                broken(count + 1, f"journal tronqué : {count} entrée(s), alors que le point de contrôle du "
                                  f"{furthest.when} en atteste {furthest.entries} ; fin du journal supprimée")
        elif head is not None and (head.last_id > count or head.last_hash != hash_at_head):
            broken(count + 1, f"tête de chaîne incohérente : elle annonce {head.last_id} entrée(s), "
                              f"le journal en compte {count} ; fin du journal supprimée ou chaîne refaite")
        elif journal is not None and not checkpoints and sealed and not problems:
            problems.append(f"aucun point de contrôle dans {journal.checkpoints} alors que le journal "
                            f"compte {sealed} entrée(s) scellée(s) : fichier supprimé ou mal configuré "
                            f"(CONVENTIO_AUDIT_CHECKPOINTS)")
    furthest = max(checkpoints, key=lambda p: p.entries, default=None)
    return JournalReport(count, sealed, len(checkpoints), furthest, tuple(problems), broken_id,
                         keyed=journal is not None, last_hash=expected_prev)


ChainReport = JournalReport
