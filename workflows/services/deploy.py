"""Deploying process models: every definition stored once per content hash, versioned."""
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..engine import ModelSetRefused, is_model_file
from ..errors import Conflict, ModelRejected
from ..states import JournalAction
from ..store.models import ProcessDefinition
from .persistence import aware
from .results import Definition
from .rights import require_admin
from .steps import Step

FORM_SUFFIX = ".json"


@dataclass(frozen=True)
class Deployed:
    process_id: str
    name: str
    version: int
    content_hash: str
    created: bool
    warnings: tuple = ()


def collect_sources(paths):
    """{relative name: bytes} of the model and form files under `paths` (files or folders)."""
    sources = {}
    for path in map(Path, paths):
        if not path.exists():
            raise ModelRejected(f"Chemin introuvable : {path}", {"problems": [
                {"file": str(path), "reason": "chemin introuvable"}]})
        root = path if path.is_dir() else path.parent
        files = sorted(p for p in root.rglob("*") if p.is_file()) if path.is_dir() else [path]
        if not path.is_dir():
            files += sorted(p for p in root.rglob(f"*{FORM_SUFFIX}") if p.is_file())
        for file in files:
            name = file.relative_to(root).as_posix()
            if is_model_file(name) or name.endswith(FORM_SUFFIX):
                sources[name] = file.read_bytes()
    return sources


def deploy_paths(app, paths, actor) -> list[Deployed]:
    return deploy_sources(app, collect_sources(paths), actor)


def deploy_sources(app, sources, actor) -> list[Deployed]:
    """Check and store a model set (administrators only); all of it or nothing. Returns [Deployed]."""
    require_admin(actor)
    try:
        parsed = app.engine.parse(sources)
    except ModelSetRefused as exc:
        raise ModelRejected(str(exc), {"problems": [p.to_dict() for p in exc.problems]}) from exc
    try:
        with Step(app) as step:
            results = [_store(step, process, actor) for process in parsed]
            step.commit()
    except IntegrityError as exc:
        raise Conflict("Un déploiement concurrent a eu lieu ; recommencez.") from exc
    return results


def _store(step, process, actor):
    session = step.session
    existing = session.execute(select(ProcessDefinition).where(
        ProcessDefinition.process_id == process.process_id,
        ProcessDefinition.content_hash == process.content_hash)).scalar_one_or_none()
    if existing is not None:
        return Deployed(process.process_id, existing.name, existing.version, existing.content_hash, False,
                        tuple(process.warnings))
    version = 1 + (session.execute(select(func.max(ProcessDefinition.version)).where(
        ProcessDefinition.process_id == process.process_id)).scalar() or 0)
    session.add(ProcessDefinition(
        process_id=process.process_id, version=version, name=process.name,
        content_hash=process.content_hash, spec_json=process.spec_json,
        forms_json=json.dumps(process.forms, ensure_ascii=False),   # field order is the form's order
        sources_json=json.dumps(process.sources, ensure_ascii=False, sort_keys=True),
        deployed_at=step.now, deployed_by=actor.username))
    step.record(JournalAction.DEPLOYMENT, f"Déploiement de « {process.process_id} » version {version}", actor,
                payload={"process_id": process.process_id, "version": version,
                         "empreinte": process.content_hash, "fichiers": sorted(process.sources)})
    return Deployed(process.process_id, process.name, version, process.content_hash, True,
                    tuple(process.warnings))


def list_definitions(app) -> list[Definition]:
    with app.db.sessions() as session:
        rows = session.execute(select(ProcessDefinition).order_by(
            ProcessDefinition.process_id, ProcessDefinition.version)).scalars().all()
        return [{"process_id": r.process_id, "name": r.name, "version": r.version,
                 "content_hash": r.content_hash, "deployed_at": aware(r.deployed_at).isoformat(),
                 "deployed_by": r.deployed_by} for r in rows]


_CALLED = re.compile(r'calledElement="([^"]+)"')


def called_process_ids(app):
    """The processes another deployed process calls (the phases of a chain): started on
    their own they lack what the earlier phases provide."""
    with app.db.sessions() as session:
        rows = session.execute(select(ProcessDefinition.content_hash, ProcessDefinition.process_id)).all()
        called = set()
        for content_hash, process_id in rows:
            called |= _called_by(session, content_hash, process_id)
        return called


def called_processes(session, content_hash, process_id):
    """The processes a deployed version calls: the phases of a chain (none for a single process)."""
    return _called_by(session, content_hash, process_id)


def _called_by(session, content_hash, process_id):
    key = (content_hash, process_id)
    if key not in _CALLED_CACHE:
        sources = session.execute(select(ProcessDefinition.sources_json).where(
            ProcessDefinition.content_hash == content_hash,
            ProcessDefinition.process_id == process_id)).scalar_one()
        texts = json.loads(sources).values()
        _CALLED_CACHE[key] = frozenset(c for text in texts for c in _CALLED.findall(str(text))) - {process_id}
    return _CALLED_CACHE[key]


_CALLED_CACHE = {}   # a deployed version never changes: keyed by its content hash


def latest_definition(session, process_id, version=None):
    query = select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
    if version is not None:
        query = query.where(ProcessDefinition.version == version)
    return session.execute(query.order_by(ProcessDefinition.version.desc()).limit(1)).scalar_one_or_none()
