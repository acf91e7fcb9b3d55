"""The pass ledger's endpoints (/api/v1/campaigns/…): the prescribers' records as they happen,
the bulk imports, the figures and a handout's letter. Bodies use the ledger's French keys (the
CSV's columns), so that a 422 names the field the caller sent."""
import io
from datetime import date

from flask import g, jsonify, request, send_file

from workflows.errors import InvalidData
from workflows.services import ledger, ledger_input
from workflows.services.ledger_import import import_handouts, import_statements
from workflows.services.ledger_letter import handout_letter

from ..context import conventio
from .blueprint import bp
from .routes import json_body

MAX_IMPORT_BYTES = 5 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/campaigns")
def campaigns():
    return jsonify(ledger.campaigns(conventio(), g.actor))


@bp.get("/campaigns/<int:campaign_id>")
def campaign_figures(campaign_id):
    return jsonify(ledger.campaign_figures(conventio(), campaign_id, g.actor))


@bp.get("/campaigns/<int:campaign_id>/holdings")
def holdings(campaign_id):
    prescriber = request.args.get("prescripteur", "")
    if not 1 <= len(prescriber) <= 500:
        raise InvalidData("« prescripteur » : le nom du prescripteur est attendu.", {"prescripteur": "champ obligatoire"})
    return jsonify(ledger.holdings(conventio(), campaign_id, g.actor, prescriber))


def _recorded(campaign_id, read, service):
    done = service(conventio(), campaign_id, g.actor, **read(json_body(), today=date.today()))
    return jsonify(done), 201


@bp.post("/campaigns/<int:campaign_id>/handouts")
def handout(campaign_id):
    return _recorded(campaign_id, ledger_input.handout, ledger.hand_out)


@bp.post("/campaigns/<int:campaign_id>/returns")
def give_back(campaign_id):
    return _recorded(campaign_id, ledger_input.giving_back, ledger.return_to_stock)


@bp.post("/campaigns/<int:campaign_id>/transfers")
def transfer(campaign_id):
    return _recorded(campaign_id, ledger_input.transfer, ledger.transfer)


def _uploaded_csv():
    """The CSV sent as a multipart « file », or as the body itself (Content-Type: text/csv)."""
    upload = request.files.get("file")
    content = upload.read(MAX_IMPORT_BYTES + 1) if upload else request.get_data()
    if len(content) > MAX_IMPORT_BYTES:
        raise InvalidData("Fichier trop gros : 5 Mo au plus.", {"fichier": "trop gros"})
    return content


@bp.post("/campaigns/<int:campaign_id>/imports/handouts")
def import_handouts_file(campaign_id):
    return jsonify(import_handouts(conventio(), campaign_id, g.actor, _uploaded_csv())), 201


@bp.post("/campaigns/<int:campaign_id>/imports/statements")
def import_statements_file(campaign_id):
    return jsonify(import_statements(conventio(), campaign_id, g.actor, _uploaded_csv())), 201


@bp.get("/campaigns/<int:campaign_id>/handouts/<int:move_id>/letter")
def letter(campaign_id, move_id):
    content, name = handout_letter(conventio(), campaign_id, move_id, g.actor)
    return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True, download_name=name)
