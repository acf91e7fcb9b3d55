"""Which figures fill each table of the dashboard an export asks for: the page, the API and the
exports read the same services, so that an export repeats what the page shows."""
from ..errors import InvalidData
from .dashboard import dashboard
from .dashboard_exports import check_export, export
from .dashboard_portfolio import portfolio
from .dashboard_territory import comparison, follow_up, territory_dashboard

PORTFOLIO_TABLES = {"territoires": "territories", "retards": "late_tasks", "echeances": "deadlines",
                    "parcours": "funnel"}
TERRITORY_TABLES = {"formats": "by_format", "prescripteurs": "by_prescriber", "publics": "by_public",
                    "mois": "by_month", "campagnes": "by_campaign"}


def table_rows(app, actor, table, territory=None, **choices):
    """The rows of `table` for the actor (one territory, or a grouping for the ANCT follow-up)."""
    if table in TERRITORY_TABLES:
        if territory is None:
            raise InvalidData("« territoire » : ce tableau porte sur un territoire ; choisissez-le.",
                              {"territoire": "obligatoire pour ce tableau"})
        return territory_dashboard(app, actor, territory)[TERRITORY_TABLES[table]]
    if table == "suivi_anct":
        return follow_up(app, actor, territory)["lines"] if territory else comparison(app, actor)
    if table == "chaines":
        return portfolio(dashboard(app, actor, territory=territory, ledger=False), **choices)
    figures = dashboard(app, actor, territory=territory)
    if table in PORTFOLIO_TABLES:
        return figures[PORTFOLIO_TABLES[table]]
    check_export(table, "csv")   # an unknown table: refused, naming the tables
    return []


def export_table(app, actor, table, fmt, territory=None, **choices):
    """(bytes, mimetype, file name) of one table of the dashboard."""
    check_export(table, fmt)   # before computing anything
    rows = table_rows(app, actor, table, territory, **choices)
    return export(table, rows, fmt, f"tableau-de-bord-{territory or 'tous'}")
