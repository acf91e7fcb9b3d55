"""One task: what is decided (the dossier, the documents, the step's past), its form rendered
from the JSON schema, and its completion. A refusal, whatever it is, shows the form again with
what was typed."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import escape

from workflows.errors import Conflict, ConventioError, InstanceFailed, InvalidData
from workflows.services import ModelCodeStopped
from workflows.services.assignments import claims_for
from workflows.services.attendance import roster_data
from workflows.services.attachments import list_attachments
from workflows.services.document_preview import current_documents, document_preview
from workflows.services.drafts import read_draft
from workflows.services.names import names_for
from workflows.services.sitting_ticks import keep_sitting_ticks
from workflows.services.tasks import complete_task, dossier_forms, get_task, step_history

from ..context import conventio
from ..dossier import dossier
from ..draft_form import drafted
from ..identity import current_actor, login_required
from ..instructions import render_instructions
from ..roster_form import posted_choices, table_values, task_roster
from ..schema_form import approval_choices, build_fields, parse_submission, unplaced_errors

# Rendered by name in a model code worker (engine.call_bounded), bounded like model code.
RENDER_INSTRUCTIONS = f"{render_instructions.__module__}:{render_instructions.__name__}"
PREVIEWED_DOCUMENTS = 5   # the most recent ones; the instance's page lists them all

bp = Blueprint("tasks", __name__)


def _instructions(task, values):
    """The task's instructions, rendered in a model code worker: a template that runs past
    the script budget or memory shows a notice, and the server goes on."""
    try:
        return conventio().engine.call_bounded(RENDER_INSTRUCTIONS, task.get("instructions"), values)
    except ModelCodeStopped:
        return escape(_("Consignes non affichées : leur mise en forme dépasse la durée ou la mémoire "
                        "permises ; signalez-le au responsable du modèle."))


def _documents(task, actor):
    """The current version of the instance's documents, each rendered to read in the page."""
    shown = []
    for document in current_documents(conventio(), task["instance_id"], actor)[:PREVIEWED_DOCUMENTS]:
        try:
            html, truncated = document_preview(conventio(), document, actor)
            shown.append(dict(document, html=html, truncated=truncated, preview_error=None))
        except ConventioError as exc:
            shown.append(dict(document, html="", truncated=False, preview_error=exc.message))
    return shown


def _render(task, values, errors=None, use_defaults=True, extra_rows=None, status=200, refusal=None, choices=None,
            draft=None):
    actor = current_actor()
    schema = task["form"]
    approval = approval_choices(schema)
    roster = task_roster(task, values, choices)
    # The model's checks that sent the step back speak by field too; what was just typed is judged first.
    refused_by_model = bool(task.get("field_errors")) and not errors
    errors = {**(task.get("field_errors") or {}), **(errors or {})}
    fields = build_fields(schema, table_values(roster, values), errors, use_defaults, extra_rows,
                          skip={"decision"} if approval else (), rules=task.get("field_rules"))
    claim = claims_for(conventio(), [task["id"]]).get(task["id"])
    history = step_history(conventio(), task["id"], actor)
    return render_template(
        "tasks/task.html", task=task, fields=fields, approval=approval,
        decision_error=(errors or {}).get("decision"), claim=claim,
        held_by_colleague=claim is not None and claim["claimed_by"] != actor.username,
        general_errors=unplaced_errors(fields, errors or {}) if errors else {}, refusal=refusal,
        refused_by_model=refused_by_model,
        schema=schema, instructions=_instructions(task, values), history=history, roster=roster,
        roster_errors=errors or {},
        sent_back=history[0] if history and history[0]["sent_back"] else None,
        documents=_documents(task, actor), attachments=list_attachments(conventio(), actor, task_id=task["id"]),
        attachment_limit=conventio().settings.attachment_max_mb, draft=draft,
        names=names_for(conventio(), territories={task["territory"]}, processes={task["process_id"]},
                        people={claim["claimed_by"]} if claim else ()),
        dossier=dossier(task.get("data") or {}, dossier_forms(conventio(), task["id"], actor))), status


@bp.get("/tasks/<task_id>")
@login_required
def show(task_id):
    task = get_task(conventio(), task_id, current_actor())
    draft = read_draft(conventio(), task_id, current_actor()) if task["state"] == "ready" else None
    if draft is not None:   # the form as it was left, ticks included, in the HTML itself
        values, choices = drafted(task, draft)
        return _render(task, values, use_defaults=False, choices=choices, draft=draft)
    return _render(task, task.get("data") or {})


@bp.post("/tasks/<task_id>")
@login_required
def complete(task_id):
    actor = current_actor()
    task = get_task(conventio(), task_id, actor)
    schema = task["form"]
    data = parse_submission(schema, request.form)
    roster = task_roster(task, data)
    choices = posted_choices(request.form, roster["members"]) if roster else None
    grow = request.form.get("_add_row")
    if grow:   # "Ajouter une ligne": show the form again, one row longer, nothing submitted
        return _render(task, data, use_defaults=False, extra_rows={grow: 1}, choices=choices)
    if roster:   # the ticks become the counts or the lists the form takes; nothing else is sent
        data, problems = roster_data(roster["mode"], roster["members"], choices, data, roster["on"],
                                     declared=set(schema.get("properties") or {}))
        if problems:
            return _render(task, data, problems, use_defaults=False, status=422, choices=choices)
    try:
        result = complete_task(conventio(), task_id, data, actor)
    except InvalidData as invalid:
        return _render(task, data, invalid.details, use_defaults=False, status=422, choices=choices)
    except (Conflict, InstanceFailed) as refused:   # the task as it is now, the values as typed
        return _render(get_task(conventio(), task_id, actor), data, use_defaults=False,
                       status=refused.http_status, refusal=refused.message, choices=choices)
    if roster and roster["mode"] == "counts":   # the extract (or this sitting sent back) opens ticked as it was
        keep_sitting_ticks(conventio(), task["instance_id"], choices, actor)
    if result["sent_back"]:
        flash(_("« %(name)s » est à reprendre : les contrôles du processus l’ont renvoyée pour correction "
                "(la raison est ci-dessous).", name=task["name"]), "error")
        return redirect(url_for(".show", task_id=result["sent_back"]["id"]))
    if result["late"]:
        flash(result["late"]["message"], "warning")
    flash(_("« %(name)s » est terminée.", name=task["name"]), "success")
    mine = [t for t in result["next_tasks"] if actor.may_act_in(t["role"])]
    if len(mine) == 1:
        return redirect(url_for(".show", task_id=mine[0]["id"]))
    return redirect(url_for("inbox.index"))
