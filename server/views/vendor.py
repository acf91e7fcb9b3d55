"""bpmn-js, installed from the npm registry into node_modules/, served from this server (no CDN)."""
from pathlib import Path

from flask import Blueprint, abort, send_from_directory

bp = Blueprint("vendor", __name__, url_prefix="/vendor")
BPMN_JS_DIST = Path(__file__).resolve().parents[2] / "node_modules" / "bpmn-js" / "dist"
SERVED = ("bpmn-navigated-viewer.production.min.js", "assets/")


@bp.get("/bpmn-js/<path:filename>")
def bpmn_js(filename):
    if not filename.startswith(SERVED):
        abort(404)
    return send_from_directory(BPMN_JS_DIST, filename, max_age=86400)


def bpmn_js_installed():
    return (BPMN_JS_DIST / SERVED[0]).is_file()
