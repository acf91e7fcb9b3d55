"""The DGS dashboard (/tableau-de-bord): the portfolio of the territories the user sees, one
territory's figures and charts, the exports, and where the processes wait."""
import io
from datetime import date
from decimal import Decimal

from flask import Blueprint, jsonify, render_template, request, send_file
from flask_babel import format_date, format_decimal

from workflows.services.dashboard import dashboard
from workflows.services.dashboard_analytics import element_times
from workflows.services.dashboard_portfolio import LATENESS, SORTS, page_of, phases_of, portfolio
from workflows.services.dashboard_tables import export_table
from workflows.services.dashboard_territory import comparison, territory_dashboard
from workflows.services.deploy import list_definitions
from workflows.services.names import names_for
from workflows.services.territories import list_territories

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("dashboard", __name__)

SHOWN = 100   # lines of a table on the page (the chains by pages): the exports give them all
FUNNEL_STAGES = (("received", "Reçus"), ("with_prescribers", "Confiés aux prescripteurs"),
                 ("handed", "Remis aux bénéficiaires"), ("redeemed", "Encaissés"), ("credited", "Avoirs (non utilisés)"))


@bp.app_template_filter("number")
def number(value):
    return "—" if value is None else format_decimal(value)


@bp.app_template_filter("euros")
def euros(value):
    return "—" if value is None else format_decimal(Decimal(value), format="#,##0.00") + "\u00a0€"


@bp.app_template_filter("month")
def month(value):
    """ "2027-03" as the user's month ("mars 2027")."""
    year, number = value.split("-")
    return format_date(date(int(year), int(number), 1), "MMMM yyyy")


def _arg(name):
    return (request.args.get(name) or "").strip() or None


def portfolio_choices():
    """The portfolio's filter and sort as the page's query names them (checked by the service)."""
    return {"phase": _arg("phase"), "lateness": _arg("retard"), "sort": _arg("tri") or "territoire",
            "order": _arg("ordre") or "asc"}


@bp.get("/tableau-de-bord")
@login_required
def index():
    actor = current_actor()
    territory = _arg("territoire")
    figures = dashboard(conventio(), actor, territory=territory)
    choices = portfolio_choices()
    chains = page_of(portfolio(figures, **choices), _arg("page") or 1, size=SHOWN)
    known = list_territories(conventio(), actor)
    codes = {line["territory"] for line in figures["territories"] if line["territory"]} | {t["code"] for t in known}
    return render_template("dashboard/index.html", figures=figures, stages=FUNNEL_STAGES, chosen=territory,
                           chains=chains, choices=choices, shown=SHOWN, phases=phases_of(figures), sorts=SORTS,
                           lateness=LATENESS, compared=comparison(conventio(), actor) if territory is None else [],
                           territories=sorted(codes), names=names_for(
                               conventio(), territories=codes,
                               processes={c.get("process_id") for c in [*chains["items"], *figures["errors"]]}),
                           groupings=sorted({g for t in known for g in (t["operator"], *t["hubs"])
                                             if g and actor.sees_territory(g)}))


@bp.get("/tableau-de-bord/territoire/<code>")
@login_required
def territory(code):
    figures = territory_dashboard(conventio(), current_actor(), code)
    return render_template("dashboard/territory.html", t=figures, stages=FUNNEL_STAGES)


@bp.get("/tableau-de-bord/export/<table>.<fmt>")
@login_required
def export(table, fmt):
    choices = portfolio_choices() if table == "chaines" else {}
    content, mimetype, name = export_table(conventio(), current_actor(), table, fmt, _arg("territoire"), **choices)
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/tableau-de-bord/analyse")
@login_required
def analytics():
    process_id = _arg("processus")
    times = element_times(conventio(), current_actor(), process_id) if process_id else None
    return render_template("dashboard/analytics.html", times=times,
                           processes=sorted({d["process_id"]: d["name"] for d in list_definitions(conventio())}.items()))


@bp.get("/tableau-de-bord/analyse/<process_id>.json")
@login_required
def analytics_diagram(process_id):
    """The diagram in the shape diagram.js draws, each element with its heat level and label."""
    times = element_times(conventio(), current_actor(), process_id)
    heat = {e["bpmn_id"]: {"level": e["heat"], "hours": e["wait_hours"], "p90_hours": e["p90_hours"]}
            for e in times["elements"]}
    return jsonify({"diagrams": [{"process_id": process_id, "name": times["name"], "file": process_id,
                                  "xml": times["xml"], "done": [], "active": [], "waiting": [], "heat": heat}]})
