"""The pass ledger's pages (/registre): a prescriber's agent hands booklets to one person as it
happens (numbers typed or scanned), gives booklets back to the stock or transfers them, sees what
the prescriber holds, imports a spreadsheet of handouts or the issuer's statements, downloads a
handout's letter. The rights and the rules are the services'; a refusal shows the form again
with its values and the French message next to the field."""
import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from workflows.errors import ConventioError
from workflows.services import ledger, ledger_input
from workflows.services.ledger_import import import_handouts, import_statements
from workflows.services.ledger_letter import handout_letter

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("ledger", __name__, url_prefix="/registre")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
AGE_BANDS = ("16-25", "26-44", "45-59", "60-74", "75+")
RECORDS = {   # the form's action -> (how its fields are read, the service that records it)
    "remise": (ledger_input.handout, ledger.hand_out),
    "retour": (ledger_input.giving_back, ledger.return_to_stock),
    "transfert": (ledger_input.transfer, ledger.transfer),
}
IMPORTS = {"remises": import_handouts, "releves": import_statements}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("")
@login_required
def index():
    return render_template("ledger/index.html", campaigns=ledger.campaigns(conventio(), current_actor()))


@bp.get("/<int:campaign_id>")
@login_required
def campaign(campaign_id):
    return _page(campaign_id, request.args.get("prescripteur"))


def _page(campaign_id, prescriber, status=200, **context):
    actor = current_actor()
    found = [c for c in ledger.campaigns(conventio(), actor) if c["id"] == campaign_id]
    if not found:
        abort(404)
    chosen = found[0]
    if prescriber not in chosen["prescribers"]:
        prescriber = (chosen["mine"] or [None])[0]
    held = ledger.holdings(conventio(), campaign_id, actor, prescriber) if prescriber else None
    return render_template("ledger/campaign.html", campaign=chosen, prescriber=prescriber, held=held,
                           publics=ledger.publics(), age_bands=AGE_BANDS, today=date.today().isoformat(),
                           **context), status


@bp.post("/<int:campaign_id>/<any(remise, retour, transfert):action>")
@login_required
def record(campaign_id, action):
    form = request.form.to_dict()
    serials = [s for typed in request.form.getlist("carnets") for s in typed.split()]
    form["carnets"] = "".join(f"{s}\n" for s in serials)   # shown again one a line, ready for the next scan
    form["qpv"] = "oui" if form.get("qpv") else "non"
    read, service = RECORDS[action]
    prescriber = form.get("prescripteur") or form.get("source")
    try:
        done = service(conventio(), campaign_id, current_actor(), **read(form, today=date.today()))
    except ConventioError as refused:
        return _page(campaign_id, prescriber, refused.http_status, action=action, error=refused.message,
                     errors=refused.details or {}, form=form)
    if action == "remise":
        flash(_("Remise enregistrée : %(n)d carnet(s), %(passes)d pass, à %(who)s.", n=len(done["booklets"]),
                passes=done["passes"], who=done["beneficiary"]), "success")
    elif action == "retour":
        flash(_("%(n)d carnet(s) rendu(s) au stock.", n=len(done["booklets"])), "success")
    else:
        flash(_("%(n)d carnet(s) transféré(s) à %(to)s.", n=len(done["booklets"]), to=form.get("destination")),
              "success")
    return redirect(url_for(".campaign", campaign_id=campaign_id, prescripteur=prescriber))


@bp.post("/<int:campaign_id>/import/<any(remises, releves):kind>")
@login_required
def import_file(campaign_id, kind):
    upload = request.files.get("file")
    content = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
    prescriber = request.form.get("prescripteur")
    if len(content) > MAX_IMPORT_BYTES:
        return _page(campaign_id, prescriber, 413, import_kind=kind, import_error=_("Fichier trop gros : 5 Mo au plus."))
    try:
        done = IMPORTS[kind](conventio(), campaign_id, current_actor(), content)
    except ConventioError as refused:
        return _page(campaign_id, prescriber, refused.http_status, import_kind=kind, import_error=refused.message,
                     import_problems=refused.details or {})
    if kind == "remises":
        flash(_("%(n)d remise(s) importée(s) : %(booklets)d carnet(s), %(people)d nouveau(x) bénéficiaire(s).",
                n=done["handouts"], booklets=done["booklets"], people=done["beneficiaries_created"]), "success")
    else:
        flash(_("%(n)d relevé(s) importé(s) : %(passes)d pass encaissé(s).", n=done["statements"],
                passes=done["passes"]), "success")
    return redirect(url_for(".campaign", campaign_id=campaign_id, prescripteur=prescriber))


@bp.get("/<int:campaign_id>/remises/<int:move_id>/lettre")
@login_required
def letter(campaign_id, move_id):
    content, name = handout_letter(conventio(), campaign_id, move_id, current_actor())
    return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True, download_name=name)
