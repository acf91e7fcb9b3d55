"""The members of a territory's assemblies: the list (whoever sees the territory) and its CSV
import (administrators). The services decide who may do what, as for the CLI."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.errors import ConventioError
from workflows.services.roster import assemblies_of_territory, import_members, list_members

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("roster", __name__)
MAX_IMPORT_BYTES = 1024 * 1024


def _page(code, status=200, **context):
    actor = current_actor()
    return render_template("roster/members.html", code=code, members=list_members(conventio(), actor, code),
                           assemblies=assemblies_of_territory(conventio(), actor, code), **context), status


@bp.get("/territories/<code>/members")
@login_required
def members(code):
    return _page(code)


@bp.post("/territories/<code>/members")
@login_required
def import_page(code):
    upload = request.files.get("file")
    content = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
    if len(content) > MAX_IMPORT_BYTES:
        return _page(code, 413, import_error=_("Fichier trop gros : 1 Mo au plus."))
    try:
        done = import_members(conventio(), current_actor(), code, content)
    except ConventioError as refused:
        if refused.http_status in (403, 404):
            raise
        return _page(code, refused.http_status, import_error=refused.message, import_problems=refused.details)
    flash(_("Liste des membres importée : %(n)s membre(s).", n=done["members"]), "success")
    return redirect(url_for(".members", code=code))
