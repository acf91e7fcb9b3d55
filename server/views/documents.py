"""Documents of an instance: list (on the instance page), download, generate or regenerate."""
import io

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _

from workflows.services.documents import document_file, generate_documents

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("documents", __name__)


@bp.get("/documents/<int:document_id>")
@login_required
def download(document_id):
    content, name, media_type = document_file(conventio(), document_id, current_actor(),
                                              as_pdf=request.args.get("format") == "pdf")
    return send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True, download_name=name)


@bp.post("/instances/<int:instance_id>/documents")
@login_required
def generate(instance_id):
    """One document, or one per recipient (rejection letters), or the named recipient's only."""
    documents = generate_documents(conventio(), instance_id, request.form.get("template", ""), current_actor(),
                                   pdf=request.form.get("pdf") == "1",
                                   recipient=request.form.get("recipient", "").strip() or None)
    for document in documents:
        flash(_("Document « %(title)s » généré (version %(revision)s).", title=document["title"],
                revision=document["revision"]), "success")
    notes = {document["pdf_note"] for document in documents if document["pdf_note"]}
    for note in sorted(notes):
        flash(note, "warning")
    return redirect(url_for("instances.show", instance_id=instance_id) + "#documents")
