"""Attachments of a task (quotes, signed scans): attach from the task page, download."""
import io

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _

from workflows.services.attachments import attach_file, attachment_file

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("attachments", __name__)


@bp.post("/tasks/<task_id>/attachments")
@login_required
def attach(task_id):
    upload = request.files.get("file")
    content = upload.read() if upload is not None else b""
    attached = attach_file(conventio(), task_id, upload.filename if upload is not None else "", content,
                           current_actor())
    flash(_("Pièce « %(name)s » jointe (%(size)s).", name=attached["name"], size=attached["size_text"]), "success")
    return redirect(url_for("tasks.show", task_id=task_id) + "#attachments")


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id):
    content, name, media_type = attachment_file(conventio(), attachment_id, current_actor())
    return send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True, download_name=name)
