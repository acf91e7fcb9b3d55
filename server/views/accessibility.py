"""The accessibility statement (RGAA 4.1), readable without logging in."""
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template

bp = Blueprint("accessibility", __name__)
STATEMENT = Path(__file__).resolve().parent.parent / "accessibility_statement.json"


@cache
def statement_data():
    """Its date and the Défenseur des droits' addresses: dated data, not template text."""
    return json.loads(STATEMENT.read_text(encoding="utf-8"))


@bp.get("/accessibilite")
def statement():
    contact = current_app.extensions["conventio_web"].accessibility_contact
    return render_template("accessibility/statement.html", statement=statement_data(), contact=contact)
