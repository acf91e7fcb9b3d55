"""`conventio ledger …`: the pass ledger from the shell, as the page and the API record it (the
same services, the same French keys: --data takes the API's body, inline, @file.json or - for
the standard input)."""
import json
import sys
from datetime import date
from pathlib import Path

import click

from workflows.cli_support import conventio_of, fails_in_french
from workflows.errors import InvalidData

from .cli_shared import _as_option, _data_argument, _json_option, _print, acting


@click.group()
def ledger():
    """Registre des carnets de Pass numériques : remises, retours, transferts, imports CSV."""


def _data(text):
    if text == "-":
        return _data_argument(sys.stdin.read())
    return _data_argument(text)


def _content(path):
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InvalidData(f"Fichier illisible : {path} ({error.strerror}).", {"fichier": "illisible"}) from None


@ledger.command("campaigns")
@_json_option
@_as_option("Utilisateur qui consulte (par défaut : la console, qui voit tout).")
@click.pass_context
@fails_in_french
def ledger_campaigns(ctx, as_json, username):
    """Campagnes de distribution et leurs prescripteurs."""
    from workflows.services.ledger import campaigns
    app = conventio_of(ctx)
    rows = campaigns(app, acting(app, username))
    if not as_json:
        rows = [dict(c, prescribers=", ".join(c["prescribers"]), mine=", ".join(c["mine"])) for c in rows]
    _print(rows, as_json, [("id", "N°"), ("territory", "TERRITOIRE"), ("title", "CAMPAGNE"),
                           ("prescribers", "PRESCRIPTEURS"), ("mine", "POUR QUI VOUS ENREGISTREZ")])


@ledger.command("holdings")
@click.argument("campaign_id", type=int)
@click.argument("prescriber")
@_json_option
@_as_option("Utilisateur qui consulte (par défaut : la console, qui voit tout).")
@click.pass_context
@fails_in_french
def ledger_holdings(ctx, campaign_id, prescriber, as_json, username):
    """Ce que détient un prescripteur, et ses dernières remises."""
    from workflows.services.ledger import holdings
    app = conventio_of(ctx)
    held = holdings(app, campaign_id, acting(app, username), prescriber)
    if as_json:
        click.echo(json.dumps(held, ensure_ascii=False, indent=2))
        return
    for size, entrusted in held["confies"].items():
        click.echo(f"{held['prescripteur']} : {held['carnets'].get(size, 0)} carnet(s) de {size} pass détenu(s) "
                   f"({entrusted} confié(s) par la convention de mandat)")
    for move in held["remises"]:
        click.echo(f"  remise n° {move['mouvement']} du {move['date']} à {move['beneficiaire']} ({move['public']}) : "
                   f"{move['carnets']} carnet(s), {move['passes']} pass")


def _record(name, read_name, service_name, summary):
    @ledger.command(name, help=summary)
    @click.argument("campaign_id", type=int)
    @click.option("--data", "data_text", required=True,
                  help="Objet JSON (comme le corps de l’API), @fichier.json, ou - pour l’entrée standard.")
    @_as_option("Utilisateur qui enregistre (agent du prescripteur ; par défaut : la console).")
    @click.pass_context
    @fails_in_french
    def command(ctx, campaign_id, data_text, username):
        from workflows.services import ledger as service, ledger_input
        app = conventio_of(ctx)
        arguments = getattr(ledger_input, read_name)(_data(data_text), today=date.today())
        done = getattr(service, service_name)(app, campaign_id, acting(app, username), **arguments)
        to = f" à {done['beneficiary']} ({done['public']})" if "beneficiary" in done else ""
        click.echo(f"Mouvement n° {done['move']} ({done['kind']}, {done['on']}) : {len(done['booklets'])} carnet(s), "
                   f"{done['passes']} pass{to}.")
    return command


_record("handout", "handout", "hand_out", "Remet des carnets à une personne : {prescripteur, public, carnets, "
        "date, identifiant, tranche_age, commune, qpv}.")
_record("return", "giving_back", "return_to_stock", "Rend des carnets au stock : {prescripteur, carnets, date}.")
_record("transfer", "transfer", "transfer", "Transfère des carnets : {source, destination, carnets, date}.")


@ledger.command("import-handouts")
@click.argument("campaign_id", type=int)
@click.argument("path")
@_as_option("Agent du prescripteur qui importe (par défaut : la console).")
@click.pass_context
@fails_in_french
def ledger_import_handouts(ctx, campaign_id, path, username):
    """Importe le tableau CSV des remises d’un prescripteur (ou - : l’entrée standard) : tout ou rien."""
    from workflows.services.ledger_import import import_handouts
    app = conventio_of(ctx)
    done = import_handouts(app, campaign_id, acting(app, username), _content(path))
    click.echo(f"{done['handouts']} remise(s) importée(s) : {done['booklets']} carnet(s), {done['passes']} pass, "
               f"{done['beneficiaries_created']} nouveau(x) bénéficiaire(s).")


@ledger.command("import-statements")
@click.argument("campaign_id", type=int)
@click.argument("path")
@_as_option("Utilisateur (finances, médiation) qui importe (par défaut : la console).")
@click.pass_context
@fails_in_french
def ledger_import_statements(ctx, campaign_id, path, username):
    """Importe le relevé mensuel CSV de l’émetteur (ou - : l’entrée standard) : tout ou rien."""
    from workflows.services.ledger_import import import_statements
    app = conventio_of(ctx)
    done = import_statements(app, campaign_id, acting(app, username), _content(path))
    click.echo(f"{done['statements']} relevé(s) importé(s) : {done['passes']} pass encaissé(s).")


@ledger.command("letter")
@click.argument("campaign_id", type=int)
@click.argument("move_id", type=int)
@click.option("--out", required=True, type=click.Path(), help="Fichier .docx produit.")
@_as_option("Agent du prescripteur ou direction (par défaut : la console).")
@click.pass_context
@fails_in_french
def ledger_letter(ctx, campaign_id, move_id, out, username):
    """Écrit la lettre au bénéficiaire d’une remise (.docx)."""
    from workflows.services.ledger_letter import handout_letter
    app = conventio_of(ctx)
    content, _ = handout_letter(app, campaign_id, move_id, acting(app, username))
    Path(out).write_bytes(content)
    click.echo(f"Lettre écrite : {out}")
