"""`conventio ledger …`: the same records and refusals as the page and the API, from the shell."""
import io
import json
from datetime import date

import docx
from click.testing import CliRunner
from sqlalchemy import func, select

from helpers import ADMIN
from ledger_helpers import DIRECTOR, serials, small_campaign
from server.cli import main
from workflows.services import ledger
from workflows.services.users import add_user
from workflows.store.models import LedgerMove

SPRING = date(2027, 3, 1)


def run(app, *args, input=None):
    return CliRunner().invoke(main, list(args), obj=app, input=input)


def campaign_with_agents(app):
    add_user(app, "agent-ccas", ["prescriber"], ["CAPN"], "mot-de-passe-assez-long", "Agent CCAS", by=ADMIN)
    add_user(app, "directrice", ["director"], ["CAPN"], "mot-de-passe-assez-long", "Directrice", by=ADMIN)
    campaign = small_campaign(app)
    ledger.endow(app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 6))
    return campaign


def moves(app):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(LedgerMove)).scalar()


def test_records_from_the_shell_with_data_inline_from_a_file_or_stdin(app, tmp_path):
    campaign = campaign_with_agents(app)
    body = tmp_path / "remise.json"
    body.write_text(json.dumps({"prescripteur": "CCAS", "public": "plie_demandeur_emploi", "identifiant": "PLIE-1",
                                "carnets": ["CAPN10-000001", "CAPN10-000002"], "date": "10/03/2027"}))
    given = run(app, "ledger", "handout", str(campaign), "--data", f"@{body}", "--as", "agent-ccas")
    assert (given.exit_code, given.output) == (0, "Mouvement n° 2 (remise_beneficiaire, 2027-03-10) : 2 carnet(s), "
                                                  "20 pass à PLIE-1 (plie_demandeur_emploi).\n")
    back = run(app, "ledger", "return", str(campaign), "--data", "-", "--as", "agent-ccas",
               input='{"prescripteur": "CCAS", "carnets": "CAPN10-000003", "date": "2027-03-11"}')
    assert back.exit_code == 0, back.output
    moved = run(app, "ledger", "transfer", str(campaign), "--as", "agent-ccas", "--data",
                '{"source": "CCAS", "destination": "Pôle emploi", "carnets": ["CAPN10-000004"], "date": "2027-03-12"}')
    assert moved.exit_code == 0, moved.output
    held = json.loads(run(app, "ledger", "holdings", str(campaign), "CCAS", "--json").output)
    assert held["carnets"] == {"10": 2} and held["remises"][0]["beneficiaire"] == "PLIE-1"
    table = run(app, "ledger", "holdings", str(campaign), "CCAS").output
    assert table.splitlines()[0] == "CCAS : 2 carnet(s) de 10 pass détenu(s) (12 confié(s) par la convention de mandat)"
    listed = json.loads(run(app, "ledger", "campaigns", "--json", "--as", "agent-ccas").output)
    assert [(c["id"], c["mine"]) for c in listed] == [(campaign, ["CCAS"])]


def test_imports_from_the_shell(app, tmp_path):
    campaign = campaign_with_agents(app)
    sheet = tmp_path / "remises.csv"
    sheet.write_bytes("prescripteur;public;date;carnets\nCCAS;plie_demandeur_emploi;10/03/2027;CAPN10-000001\n"
                      .encode("cp1252"))
    done = run(app, "ledger", "import-handouts", str(campaign), str(sheet), "--as", "agent-ccas")
    assert (done.exit_code, done.output) == (0, "1 remise(s) importée(s) : 1 carnet(s), 10 pass, 1 nouveau(x) "
                                                "bénéficiaire(s).\n")
    statements = run(app, "ledger", "import-statements", str(campaign), "-", input="lieu,mois,passes\nCyber-base,2027-03,4\n")
    assert (statements.exit_code, statements.output) == (0, "1 relevé(s) importé(s) : 4 pass encaissé(s).\n")


def test_refusals_are_one_french_line_and_change_nothing(app, tmp_path):
    campaign = campaign_with_agents(app)
    before = moves(app)
    cases = [
        (("handout", str(campaign), "--as", "directrice", "--data",
          '{"prescripteur": "CCAS", "public": "senior", "carnets": ["CAPN05-000001"]}'),
         "Erreur : Vous n’êtes pas enregistré(e) comme agent du prescripteur « CCAS »."),
        (("handout", str(campaign), "--as", "agent-ccas", "--data", '{"prescripteur": "CCAS", "carnets": "X"}'),
         "Erreur : Indiquez le public de la personne."),
        (("handout", str(campaign), "--as", "agent-ccas", "--data", "{pas du json"),
         "Erreur : --data : JSON invalide (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))."),
        (("import-handouts", str(campaign), str(tmp_path / "absent.csv")),
         f"Erreur : Fichier illisible : {tmp_path / 'absent.csv'} (No such file or directory)."),
        (("letter", str(campaign), "1", "--out", str(tmp_path / "l.docx")),
         "Erreur : Remise n° 1 introuvable dans cette campagne."),
    ]
    for args, line in cases:
        result = run(app, "ledger", *args)
        assert (result.exit_code, result.stderr.strip()) == (1, line), args
    assert moves(app) == before
