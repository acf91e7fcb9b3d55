"""Documents of an instance: read one in the page, download it, open its PDF in the browser,
generate or regenerate (legal staff)."""
import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from workflows.services.document_preview import read_document
from workflows.services.documents import document_file, generate_documents

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("documents", __name__)


@bp.get("/documents/<int:document_id>")
@login_required
def show(document_id):
    """The document rendered like its printed sheet, with its downloads and its other versions."""
    return render_template("documents/show.html", document=read_document(conventio(), document_id, current_actor()))


@bp.get("/documents/<int:document_id>/download")
@login_required
def download(document_id):
    content, name, media_type = document_file(conventio(), document_id, current_actor(),
                                              as_pdf=request.args.get("format") == "pdf")
    return send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True, download_name=name)


@bp.get("/documents/<int:document_id>/pdf")
@login_required
def pdf(document_id):
    """The PDF shown by the browser's own viewer, in a tab or in a frame of our pages only. Its
    policy names nothing but the framing: Chromium's viewer draws the PDF in a page of its own
    that needs inline styles and a plugin, which a default-src would refuse."""
    content, name, media_type = document_file(conventio(), document_id, current_actor(), as_pdf=True)
    response = send_file(io.BytesIO(content), mimetype=media_type, as_attachment=False, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


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
