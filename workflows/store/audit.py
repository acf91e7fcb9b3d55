"""The append-only audit journal, chained by SHA-256 so that any edit is detectable."""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from .models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64


def _entry_hash(entry_id, at, actor, role, action, instance_id, task_id, summary, payload, prev_hash):
    canonical = json.dumps(
        [entry_id, at.isoformat(), actor, role, action, instance_id, task_id, summary, payload, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(uow, *, at, actor, role, action, summary, payload=None, instance_id=None, task_id=None):
    """Add an entry in the caller's transaction; the head row lock orders concurrent appends."""
    session = uow.session
    head = session.execute(uow.lock(select(AuditHead).where(AuditHead.id == 1))).scalar_one()
    entry_id = head.last_id + 1
    body = json.dumps(payload if payload is not None else {}, ensure_ascii=False, sort_keys=True,
                      default=str)
    digest = _entry_hash(entry_id, at, actor, role, action, instance_id, task_id, summary, body,
                         head.last_hash)
    session.add(AuditEntry(id=entry_id, at=at, actor=actor, role=role, action=action,
                           instance_id=instance_id, task_id=task_id, summary=summary, payload=body,
                           prev_hash=head.last_hash, hash=digest))
    head.last_id, head.last_hash = entry_id, digest


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self):
        return self.broken_id is None


def verify(session, batch=1000):
    """Walk the whole journal; report the first entry whose chain or content is broken."""
    expected_prev, expected_id, count = GENESIS_HASH, 1, 0
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id).execution_options(
            yield_per=batch)).scalars():
        if entry.id != expected_id:
            return ChainReport(count, expected_id, f"entrée n° {expected_id} manquante")
        if entry.prev_hash != expected_prev:
            return ChainReport(count, entry.id, "chaînage rompu : l’empreinte précédente ne correspond pas")
        recomputed = _entry_hash(entry.id, entry.at, entry.actor, entry.role, entry.action,
                                 entry.instance_id, entry.task_id, entry.summary, entry.payload,
                                 entry.prev_hash)
        if recomputed != entry.hash:
            return ChainReport(count, entry.id, "contenu modifié : l’empreinte ne correspond plus")
        expected_prev, expected_id, count = entry.hash, entry.id + 1, count + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_id != count or head.last_hash != expected_prev):
        return ChainReport(count, count + 1, "fin du journal supprimée (tête de chaîne incohérente)")
    return ChainReport(count)
