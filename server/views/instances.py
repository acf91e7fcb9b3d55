"""Procedures: the list, starting one, and one instance with its timeline, diagram and journal."""
from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from workflows.errors import InvalidData
from workflows.services.deploy import called_process_ids, list_definitions
from workflows.services.diagrams import instance_diagram, phases
from workflows.services.attachments import list_attachments
from workflows.services.documents import list_documents
from workflows.services.instances import (get_instance, instance_forms, latest_start_data, list_instances,
                                          start_form, start_instance)
from workflows.services.names import names_for
from workflows.services.rights import may_generate, may_reassign, may_start, require_starter, start_territory
from workflows.services.tasks import list_tasks
from workflows.services.templates import template_choices

from ..context import conventio
from ..dossier import dossier
from ..identity import current_actor, login_required
from ..schema_form import build_fields, parse_submission, unplaced_errors

bp = Blueprint("instances", __name__)


def latest_processes():
    """The processes one starts from the page: not the phases another process calls (they
    need what its earlier phases provide; the API and the command line still start them)."""
    latest, phases = {}, called_process_ids(conventio())
    for definition in list_definitions(conventio()):
        if definition["process_id"] not in phases:
            latest[definition["process_id"]] = definition   # ordered by version: the last one wins
    return sorted(latest.values(), key=lambda d: d["name"].casefold())


def _next_due(actor):
    """{instance id: its open task due first} (legal deadlines and processing times alike)."""
    first = {}
    for task in list_tasks(conventio(), actor, include_all_roles=True):
        if task["due_at"] and (task["instance_id"] not in first or task["due_at"] < first[task["instance_id"]]["due_at"]):
            first[task["instance_id"]] = task
    return first


@bp.get("/instances")
@login_required
def index():
    actor = current_actor()
    status = request.args.get("status") or None
    instances = list_instances(conventio(), actor, status=status)
    names = names_for(conventio(), territories={i["territory"] for i in instances} | set(actor.territories),
                      processes={i["process_id"] for i in instances})
    return render_template("instances/index.html", instances=instances, names=names,
                           status=status, processes=latest_processes(), next_due=_next_due(actor),
                           may_start=may_start(conventio(), actor))


def _render_start(process, territory, title, values, errors=None, use_defaults=True, extra_rows=None,
                  status=200):
    schema = process["form"]
    fields = build_fields(schema, values, errors, use_defaults, extra_rows) if schema else []
    return render_template("instances/start.html", process=process, territory=territory, title=title,
                           schema=schema, fields=fields,
                           general_errors=unplaced_errors(fields, errors or {}) if errors else {}), status


def _starting(values):
    """Who starts, in which territory, which process (with its start form): refusals first."""
    actor = current_actor()
    require_starter(conventio(), actor)
    territory = start_territory(actor, values.get("territory"))
    return actor, territory, start_form(conventio(), values.get("process_id", ""))


@bp.get("/instances/new")
@login_required
def new():
    """The chosen process's start form, filled with the last start data of the territory."""
    actor, territory, process = _starting(request.args)
    fields = (process["form"] or {}).get("properties") or {}
    values = latest_start_data(conventio(), actor, territory, fields) if fields else {}
    return _render_start(process, territory, request.args.get("title", ""), values)


@bp.post("/instances")
@login_required
def start():
    actor, territory, process = _starting(request.form)
    title = request.form.get("title", "").strip()
    data = parse_submission(process["form"], request.form) if process["form"] else {}
    grow = request.form.get("_add_row")
    if grow:   # "Ajouter une ligne": the form again, one row longer, nothing started
        return _render_start(process, territory, title, data, use_defaults=False, extra_rows={grow: 1})
    try:
        instance = start_instance(conventio(), process["process_id"], data, actor, territory=territory,
                                  title=title or None, version=process["version"])
    except InvalidData as invalid:
        return _render_start(process, territory, title, data, invalid.details, use_defaults=False, status=422)
    return redirect(url_for(".show", instance_id=instance["id"]))


@bp.get("/instances/<int:instance_id>")
@login_required
def show(instance_id):
    actor = current_actor()
    summary = get_instance(conventio(), instance_id, actor)
    documents = list_documents(conventio(), instance_id, actor)
    names = names_for(conventio(), territories={summary["territory"]}, processes={summary["process_id"]},
                      people={summary["started_by"]} | {e["actor"] for e in summary["history"]}
                      | {d["created_by"] for d in documents})
    return render_template("instances/show.html", instance=summary, phases=phases(conventio(), summary),
                           actor=actor, documents=documents, names=names,
                           may_reassign=may_reassign(actor, summary["territory"]),
                           attachments=list_attachments(conventio(), actor, instance_id=instance_id),
                           templates=template_choices() if may_generate(actor, summary["territory"]) else [],
                           dossier=dossier(summary["data"] or {}, instance_forms(conventio(), instance_id, actor)))


@bp.get("/instances/<int:instance_id>/diagram.json")
@login_required
def diagram(instance_id):
    return jsonify(instance_diagram(conventio(), instance_id, current_actor()))
