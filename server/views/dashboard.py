"""The DGS dashboard (/tableau-de-bord): the portfolio of the territories the user sees."""
from flask import Blueprint, render_template, request
from flask_babel import format_decimal

from workflows.services.dashboard import dashboard
from workflows.services.territories import list_territories

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("dashboard", __name__)

FUNNEL_STAGES = (("received", "Reçus"), ("with_prescribers", "Confiés aux prescripteurs"),
                 ("handed", "Remis aux bénéficiaires"), ("redeemed", "Encaissés"), ("credited", "Avoirs (non utilisés)"))


@bp.app_template_filter("number")
def number(value):
    return "—" if value is None else format_decimal(value)


@bp.get("/tableau-de-bord")
@login_required
def index():
    actor = current_actor()
    territory = (request.args.get("territoire") or "").strip() or None
    figures = dashboard(conventio(), actor, territory=territory)
    return render_template("dashboard/index.html", figures=figures, stages=FUNNEL_STAGES, chosen=territory,
                           choices=sorted({line["territory"] for line in figures["territories"] if line["territory"]}
                                          | {t["code"] for t in list_territories(conventio(), actor)}))
