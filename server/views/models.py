"""Process models: the deployed versions, and uploading a new BPMN/DMN set."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.errors import InvalidData, ModelRejected
from workflows.services.deploy import deploy_sources, list_definitions
from workflows.services.names import names_for
from workflows.services.rights import require_admin

from ..context import conventio
from ..http import uploaded_sources
from ..identity import current_actor, login_required

bp = Blueprint("models", __name__)


def grouped_definitions():
    """The versions of each process, newest first; the processes by the name of their newest."""
    groups = {}
    for definition in list_definitions(conventio()):
        groups.setdefault(definition["process_id"], []).append(definition)
    ordered = [sorted(versions, key=lambda d: -d["version"]) for versions in groups.values()]
    return sorted(ordered, key=lambda versions: (versions[0]["name"].casefold(), versions[0]["process_id"]))


def _page(groups, actor, **more):
    deployers = names_for(conventio(), people={d["deployed_by"] for versions in groups for d in versions})
    return render_template("models/index.html", groups=groups, actor=actor, names=deployers, **more)


@bp.get("/models")
@login_required
def index():
    return _page(grouped_definitions(), current_actor())


@bp.post("/models")
@login_required
def upload():
    actor = current_actor()
    require_admin(actor)   # before reading the upload (the service checks it again)
    try:
        deployed = deploy_sources(conventio(), uploaded_sources(request.files.getlist("files")), actor)
    except (ModelRejected, InvalidData) as refused:
        problems = refused.details.get("problems", []) if isinstance(refused.details, dict) else []
        return _page(grouped_definitions(), actor, error=refused.message, problems=problems), refused.http_status
    for item in deployed:
        what = f"« {item.name} » ({item.process_id})" if item.name else item.process_id
        if item.created:
            flash(_("%(id)s : version %(v)d déployée.", id=what, v=item.version), "success")
        else:
            flash(_("%(id)s : inchangé (version %(v)d).", id=what, v=item.version), "info")
        for warning in item.warnings:
            flash(_("%(id)s : avertissement : %(w)s", id=what, w=warning), "warning")
    return redirect(url_for(".index"))
