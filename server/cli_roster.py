"""`conventio territories members list|import`: the members of a territory's assemblies."""
import click

from workflows.cli_support import conventio_of, fails_in_french

from .cli_ledger import _content
from .cli_shared import _as_option, _json_option, _print, acting


@click.group()
def members():
    """Membres des assemblées d’un territoire (conseil, comité syndical…)."""


@members.command("list")
@click.argument("territory")
@click.option("--assembly", default=None, help="Code de l’assemblée (conseil_communautaire…) ; toutes sinon.")
@click.option("--on", "on", default=None, help="Membres en exercice ce jour-là (AAAA-MM-JJ).")
@_json_option
@_as_option("Utilisateur qui consulte (par défaut : la console, qui voit tout).")
@click.pass_context
@fails_in_french
def members_list(ctx, territory, assembly, on, as_json, username):
    from workflows.services.ledger_input import day
    from workflows.services.roster import list_members
    app = conventio_of(ctx)
    when = day({"--on": on}, "--on") if on else None
    rows = list_members(app, acting(app, username), territory, assembly, when)
    _print(rows, as_json, [("name", "NOM"), ("function", "FONCTION"), ("assembly_label", "ASSEMBLÉE"),
                           ("start_on", "DÉBUT"), ("end_on", "FIN")])


@members.command("import")
@click.argument("territory")
@click.argument("path")
@_as_option("Administrateur qui agit (par défaut : la console).")
@click.pass_context
@fails_in_french
def members_import(ctx, territory, path, username):
    """Remplace la liste des membres du territoire par celle du fichier CSV (colonnes nom ;
    fonction ; assemblee ; debut ; fin — UTF-8 ou Windows-1252, « ; » ou « , » ; - pour l’entrée
    standard) : tout ou rien."""
    from workflows.services.roster import import_members
    app = conventio_of(ctx)
    done = import_members(app, acting(app, username), territory, _content(path))
    click.echo(f"Liste des membres de « {territory} » importée : {done['members']} membre(s) ("
               + ", ".join(f"{assembly} : {n}" for assembly, n in done["assemblies"].items()) + ").")
