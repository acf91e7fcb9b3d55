"""The API's endpoints: thin, each one a service call; errors are handled by views.errors."""
import io
import json
import math
import re
from datetime import datetime, timezone

from flask import current_app, g, jsonify, request, send_file, url_for

from workflows.errors import ErrorCode, InvalidData
from workflows.services.assignments import claim_task, claims_for, release_task
from workflows.services.attachments import attach_file, attachment_file, list_attachments
from workflows.services.dashboard import dashboard as dashboard_figures
from workflows.services.dashboard_analytics import element_times
from workflows.services.dashboard_portfolio import check_portfolio_choices, portfolio
from workflows.services.dashboard_tables import export_table
from workflows.services.dashboard_territory import follow_up, territory_dashboard
from workflows.services.deploy import deploy_sources, list_definitions
from workflows.services.documents import document_file, generate_documents, list_documents
from workflows.services.instances import get_instance, list_instances, start_form, start_instance
from workflows.services.logins import sign_out_user
from workflows.services.rights import require_admin, require_starter
from workflows.services.tasks import complete_task, get_task, list_tasks
from workflows.states import InstanceStatus

from ..accounts import LoginRefused, log_in
from ..context import conventio, web_settings
from ..http import MAX_ID, error_response, uploaded_sources
from ..throttle import client_address
from ..tokens import bearer_token, issue_token as sign_token, revoke_token as revoke_bearer
from .blueprint import bp
from .openapi import openapi_document as build_document


MAX_JSON_DEPTH = 64
INSTANCE_STATUSES = tuple(InstanceStatus)


def json_body():
    """The request's JSON object, checked before any use: malformed or too deeply nested JSON, a
    NUL or a lone surrogate in a text or a key, or a non-finite number is a 422 naming the field
    (the database, the journal or a document could not hold them). Integers read as such
    (versions, identifiers) are bounded where they are read."""
    try:
        body = json.loads(request.get_data(), parse_constant=_no_constant) if request.is_json else None
    except RecursionError:
        raise InvalidData(f"Corps JSON refusé : il est trop imbriqué (au plus {MAX_JSON_DEPTH} niveaux).",
                          {"": f"est trop imbriqué (au plus {MAX_JSON_DEPTH} niveaux)"}) from None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise InvalidData("Corps JSON attendu : un objet {…}.", {"": "objet JSON attendu"})
    problems = _json_problems(body)
    if problems:
        raise InvalidData("Corps JSON refusé : " + " ; ".join(f"« {k} » {v}" for k, v in problems.items()) + ".",
                          problems)
    return body


def _no_constant(name):
    raise ValueError(name)   # NaN, Infinity: not JSON, and no JSON reader gives them back


def _json_problems(body):
    problems, pending = {}, [("", body, 1)]
    while pending and len(problems) < 10:
        path, value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return {path: f"est trop imbriqué (au plus {MAX_JSON_DEPTH} niveaux)"}
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else key
                problem = _text_problem(key)
                if problem:
                    problems[where] = f"a un nom qui {problem}"
                pending.append((where, item, depth + 1))
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                problems[path] = problem
        elif isinstance(value, float) and not math.isfinite(value):
            problems[path] = "n’est pas un nombre fini"
    return problems


def _text_problem(text):
    if "\x00" in text:
        return "contient un caractère nul"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contient une demi-paire UTF-16 isolée"
    return None


def int_arg(name):
    """An optional identifier or version in the query: absent is None, anything but an integer the
    database can hold (empty included) a 422."""
    text = request.args.get(name)
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]{1,10}", text) or not 1 <= int(text) <= MAX_ID:
        raise InvalidData(f"« {name} » doit être un nombre entier positif (au plus {MAX_ID}).",
                          {name: "doit être un nombre entier"})
    return int(text)


def _with_claims(tasks):
    claims = claims_for(conventio(), [t["id"] for t in tasks])
    return [dict(t, claimed_by=(claims.get(t["id"]) or {}).get("claimed_by")) for t in tasks]


@bp.post("/auth/token")
def issue_token():
    body = json_body()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        missing = [k for k in ("username", "password") if not isinstance(body.get(k), str)]
        raise InvalidData("Identifiant et mot de passe attendus.", {k: "champ obligatoire" for k in missing})
    try:
        actor = log_in(username, password, client_address())
    except LoginRefused as refused:
        response = error_response(refused.status, refused.code, refused.message)
        if refused.retry_after:
            response.headers["Retry-After"] = str(refused.retry_after)
        return response
    settings = web_settings()
    return jsonify({"token": sign_token(settings.secret_key, actor.username), "token_type": "Bearer",
                    "expires_in": settings.token_max_age, "username": actor.username})


@bp.delete("/auth/token")
def revoke_token():
    """Revoke the token of this request before it expires (204); the session of the pages is
    closed by logging out."""
    token = bearer_token()
    if token is None:
        return error_response(400, ErrorCode.INVALID_REQUEST, "Aucun jeton à révoquer : cette requête n’en porte pas "
                                                       "(Authorization: Bearer …).")
    settings = web_settings()
    revoke_bearer(settings.secret_key, token, settings.token_max_age, g.actor)
    return "", 204


@bp.delete("/users/<username>/sessions")
def sign_out(username):
    """An administrator ends every page session and API token of a user."""
    return jsonify({"username": username, "ended": sign_out_user(conventio(), username, g.actor)})


@bp.get("/processes")
def processes():
    return jsonify([dict(d, deployed_at=utc_iso(d["deployed_at"])) for d in list_definitions(conventio())])


def utc_iso(text):
    """list_definitions gives the stored (naive, UTC) time: say it is UTC, as the other dates do."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


@bp.post("/processes")
def upload_processes():
    require_admin(g.actor)   # before reading the upload (the service checks it again)
    deployed = deploy_sources(conventio(), uploaded_sources(request.files.getlist("files")), g.actor)
    return jsonify({"deployed": [{"process_id": d.process_id, "name": d.name, "version": d.version,
                                  "content_hash": d.content_hash, "created": d.created,
                                  "warnings": list(d.warnings)} for d in deployed]}), 201


@bp.get("/processes/<process_id>/start-form")
def process_start_form(process_id):
    return jsonify(start_form(conventio(), process_id, int_arg("version")))


@bp.post("/processes/<process_id>/instances")
def start(process_id):
    require_starter(conventio(), g.actor)   # before reading the body (the service checks it again)
    body = json_body()
    version = body.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)
                                or not 1 <= version <= MAX_ID):
        raise InvalidData(f"La version doit être un nombre entier positif (au plus {MAX_ID}).",
                          {"version": "doit être un nombre entier"})
    territory = body.get("territory")
    if territory is not None and not isinstance(territory, str):
        raise InvalidData("Le territoire doit être un texte.", {"territory": "texte attendu"})
    instance = start_instance(conventio(), process_id, body.get("data", {}), g.actor,
                              territory=territory,
                              title=body.get("title") or None, version=version)
    response = jsonify(instance)
    response.headers["Location"] = url_for(".instance", instance_id=instance["id"])
    return response, 201


@bp.get("/instances")
def instances():
    status = request.args.get("status")
    if status not in (None, *INSTANCE_STATUSES):
        raise InvalidData("« status » : running, completed ou error.", {"status": "running, completed ou error"})
    return jsonify(list_instances(conventio(), g.actor, status=status,
                                  process_id=request.args.get("process_id") or None))


@bp.get("/instances/<int:instance_id>")
def instance(instance_id):
    return jsonify(get_instance(conventio(), instance_id, g.actor))


@bp.get("/instances/<int:instance_id>/documents")
def documents(instance_id):
    return jsonify(list_documents(conventio(), instance_id, g.actor))


@bp.post("/instances/<int:instance_id>/documents")
def generate(instance_id):
    body = json_body()
    if not isinstance(body.get("template"), str):
        raise InvalidData("Modèle attendu.", {"template": "champ obligatoire"})
    recipient = body.get("recipient")
    if recipient is not None and not isinstance(recipient, str):
        raise InvalidData("Le destinataire doit être un texte.", {"recipient": "doit être un texte"})
    documents = generate_documents(conventio(), instance_id, body["template"], g.actor, pdf=body.get("pdf") is True,
                                   recipient=(recipient or "").strip() or None)
    # the first document at the top level, as before; every document made (one per recipient) in `generated`
    return jsonify(dict(documents[0], generated=documents)), 201


@bp.get("/documents/<int:document_id>")
def document(document_id):
    wanted = request.args.get("format", "docx")
    if wanted not in ("docx", "pdf"):
        raise InvalidData("« format » : docx ou pdf.", {"format": "docx ou pdf"})
    content, name, media_type = document_file(conventio(), document_id, g.actor, as_pdf=wanted == "pdf")
    return send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True, download_name=name)


@bp.get("/instances/<int:instance_id>/attachments")
def instance_attachments(instance_id):
    return jsonify(list_attachments(conventio(), g.actor, instance_id=instance_id))


@bp.get("/tasks/<task_id>/attachments")
def task_attachments(task_id):
    return jsonify(list_attachments(conventio(), g.actor, task_id=task_id))


@bp.post("/tasks/<task_id>/attachments")
def attach(task_id):
    """multipart/form-data, the file in `file`."""
    upload = request.files.get("file")
    if upload is None:
        raise InvalidData("Fichier attendu (multipart/form-data, champ « file »).", {"file": "champ obligatoire"})
    return jsonify(attach_file(conventio(), task_id, upload.filename or "", upload.read(), g.actor)), 201


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id):
    content, name, media_type = attachment_file(conventio(), attachment_id, g.actor)
    return send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True, download_name=name)


@bp.get("/tasks")
def tasks():
    instance_id = int_arg("instance_id")
    return jsonify(list_tasks(conventio(), g.actor, instance_id=instance_id, with_claims=True))


@bp.get("/tasks/<task_id>")
def task(task_id):
    return jsonify(_with_claims([get_task(conventio(), task_id, g.actor)])[0])


@bp.post("/tasks/<task_id>/complete")
def complete(task_id):
    return jsonify(complete_task(conventio(), task_id, json_body().get("data", {}), g.actor))


@bp.post("/tasks/<task_id>/claim")
def claim(task_id):
    return jsonify(claim_task(conventio(), task_id, g.actor))


@bp.post("/tasks/<task_id>/release")
def release(task_id):
    return jsonify(release_task(conventio(), task_id, g.actor))


def _territory_arg(name="territory"):
    territory = request.args.get(name)
    if territory is not None and not 1 <= len(territory) <= 100:
        raise InvalidData(f"« {name} » : un code de territoire (1 à 100 caractères).",
                          {name: "code de territoire attendu"})
    return territory


def _portfolio_args():
    return {"phase": request.args.get("phase"), "lateness": request.args.get("lateness"),
            "sort": request.args.get("sort", "territoire"), "order": request.args.get("order", "asc")}


@bp.get("/dashboard")
def dashboard():
    figures = dashboard_figures(conventio(), g.actor, territory=_territory_arg())
    return jsonify(dict(figures, chains=portfolio(figures, **_portfolio_args())))


@bp.get("/dashboard/territories/<code>")
def dashboard_territory(code):
    return jsonify(territory_dashboard(conventio(), g.actor, code))


@bp.get("/dashboard/follow-up/<code>")
def dashboard_follow_up(code):
    return jsonify(follow_up(conventio(), g.actor, code))


@bp.get("/dashboard/exports/<table>")
def dashboard_export(table):
    choices = _portfolio_args()
    check_portfolio_choices(**choices)   # whatever the table: a parameter the document refuses is refused
    choices = choices if table == "chaines" else {}
    content, media_type, name = export_table(conventio(), g.actor, table, request.args.get("format", "csv"),
                                             _territory_arg(), **choices)
    return send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True, download_name=name)


@bp.get("/dashboard/analytics/<process_id>")
def dashboard_analytics(process_id):
    return jsonify(element_times(conventio(), g.actor, process_id))


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_document(current_app))
