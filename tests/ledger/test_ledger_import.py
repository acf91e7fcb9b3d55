"""Bulk imports of a campaign on SQLite and PostgreSQL: the prescribers' handout spreadsheets and
the issuer's monthly statements, all or nothing, UTF-8 or Windows-1252, « ; » or « , »."""
from datetime import date

import pytest
from sqlalchemy import func, select

from ledger_helpers import AGENT, DIRECTOR, FINANCE, OTHER_AGENT, serials, small_campaign
from workflows.errors import Forbidden, InvalidData
from workflows.services import ledger
from workflows.services.ledger_import import import_handouts, import_statements
from workflows.store.models import AuditEntry, LedgerBeneficiary, LedgerMove, LedgerStatement

SPRING = date(2027, 3, 1)


def endowed(app):
    campaign = small_campaign(app)
    ledger.endow(app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 8))
    ledger.endow(app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN05", 1, 4))
    return campaign


def counts(app):
    with app.db.sessions() as session:
        return tuple(session.execute(select(func.count()).select_from(model)).scalar()
                     for model in (LedgerMove, LedgerBeneficiary, LedgerStatement, AuditEntry))


HANDOUTS = ("prescripteur;identifiant;public;tranche d’âge;commune;QPV;date;carnets\n"
            "CCAS;PLIE-1;plie_demandeur_emploi;26-44;Trinité;oui;10/03/2027;CAPN10-000001 CAPN10-000002\n"
            "CCAS;;senior;60-74;Le Robert;non;2027-03-11;CAPN05-000001\n"
            "\n"
            "CCAS;PLIE-2;plie_demandeur_emploi;;Sainte-Marie;;12/03/2027;CAPN10-000003|CAPN10-000004\n"
            "CCAS;SEN-9;senior;75+;Trinité;x;13/03/2027;CAPN05-000002\n"
            "CCAS;SEN-9;senior;75+;Trinité;x;14/04/2027;CAPN05-000003\n")


@pytest.mark.parametrize("encoding,delimiter", [("utf-8-sig", ";"), ("cp1252", ","), ("utf-8", ",")])
def test_a_handout_spreadsheet_is_recorded_line_by_line_in_one_go(any_app, encoding, delimiter):
    campaign = endowed(any_app)
    content = HANDOUTS.replace(";", delimiter).encode(encoding)
    done = import_handouts(any_app, campaign, AGENT, content)
    assert done == {"handouts": 5, "booklets": 7, "passes": 55, "beneficiaries_created": 4}
    figures = ledger.campaign_figures(any_app, campaign, DIRECTOR)
    assert figures["par_prescripteur"]["CCAS"] == {"detenus": 5, "remis": 7}
    assert figures["par_public"] == {"plie_demandeur_emploi": {"beneficiaires": 2, "carnets": 4},
                                     "senior": {"beneficiaires": 2, "carnets": 3}}
    assert figures["remises_par_mois"] == {"2027-03": {"remises": 4, "carnets": 6, "passes": 50},
                                           "2027-04": {"remises": 1, "carnets": 1, "passes": 5}}
    with any_app.db.sessions() as session:
        person = session.execute(select(LedgerBeneficiary).where(LedgerBeneficiary.identifier == "PLIE-1")).scalar_one()
        assert (person.age_band, person.commune, person.priority_area, person.booklets) == ("26-44", "Trinité", True, 2)
        nine = session.execute(select(LedgerBeneficiary).where(LedgerBeneficiary.identifier == "SEN-9")).scalar_one()
        assert nine.booklets == 2
    # the ledger goes on from the import: a booklet handed by the file is no longer the CCAS's
    with pytest.raises(InvalidData, match="remis au bénéficiaire PLIE-1 le 10 mars 2027"):
        ledger.return_to_stock(any_app, campaign, AGENT, prescriber="CCAS", on=SPRING.replace(month=5),
                               serials=["CAPN10-000001"])
    with pytest.raises(InvalidData) as refused:   # the person's count goes on from the import's
        ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                        on=date(2027, 5, 2), serials=serials("CAPN10", 5, 6), identifier="PLIE-1")
    assert "2 carnet(s) déjà remis, 2 de plus dépasseraient les 3" in refused.value.message


def test_a_refused_spreadsheet_names_every_line_and_column_and_writes_nothing(any_app):
    campaign = endowed(any_app)
    before = counts(any_app)
    content = ("prescripteur,identifiant,public,date,carnets\n"
               "CCAS,A-1,plie_demandeur_emploi,10/03/2027,CAPN10-000001\n"
               "CCAS,A-2,plie_demandeur_emploi,31/02/2027,CAPN10-000002\n"
               "CCAS,A-3,plie_demandeur_emploi,10/03/2027,CAPN10-000001\n"
               "Mairie,A-4,senior,10/03/2027,CAPN05-000001\n"
               "CCAS,Jean Dupont,senior,10/03/2027,CAPN05-000001\n"
               "CCAS,A-5,senior,10/03/2027,CAPN10-999999\n").encode()
    with pytest.raises(InvalidData) as refused:
        import_handouts(any_app, campaign, AGENT, content)
    assert list(refused.value.details) == [
        "ligne 3, colonne « date »", "ligne 6, colonne « identifiant »", "ligne 4, colonne « carnets »",
        "ligne 5, colonne « prescripteur »", "ligne 7, colonne « carnets »"]
    assert "remis au bénéficiaire A-1 le 10 mars 2027" in refused.value.details["ligne 4, colonne « carnets »"]
    assert refused.value.message.startswith("Import refusé, rien n’a été enregistré. ligne 3, colonne « date » :")
    assert counts(any_app) == before


def test_the_file_s_form_is_refused_in_french(any_app):
    campaign = endowed(any_app)
    for content, message in ((b"", "Fichier vide"), (b"\x81\x8d\x8f\x90\x9d", "ni UTF-8 ni Windows-1252"),
                             (b"prescripteur;public;date\nCCAS;senior;10/03/2027\n", r"obligatoire\(s\) absente\(s\) : carnets"),
                             (b"prescripteur;public;date;carnets;nom\n", r"colonne\(s\) inconnue\(s\) « nom »"),
                             (b"prescripteur;public;date;carnets\n\n", "Aucune ligne de remises")):
        with pytest.raises(InvalidData, match=message):
            import_handouts(any_app, campaign, AGENT, content)


def test_an_agent_imports_only_for_its_prescriber(any_app):
    campaign = endowed(any_app)
    before = counts(any_app)
    content = b"prescripteur;public;date;carnets\nCCAS;senior;10/03/2027;CAPN05-000001\n"
    with pytest.raises(Forbidden, match="agent du prescripteur « CCAS »"):
        import_handouts(any_app, campaign, OTHER_AGENT, content)
    assert counts(any_app) == before


def test_a_statement_file_of_several_places_and_months(any_app):
    campaign = endowed(any_app)
    import_handouts(any_app, campaign, AGENT, HANDOUTS.encode())
    content = ("Lieu de médiation;Mois;Passes encaissés;Ateliers;Détail des pass\n"
               "Cyber-base du Robert;2027-03;3;2;CAPN10-000001-01 CAPN10-000001-02 CAPN05-000001-05\n"
               "Médiathèque;03/2027;10;;\n"
               "Cyber-base du Robert;2027-04;2;1;CAPN10-000001-03|CAPN10-000002-01\n").encode("cp1252")
    assert import_statements(any_app, campaign, FINANCE, content) == {"statements": 3, "passes": 15}
    figures = ledger.campaign_figures(any_app, campaign, DIRECTOR)
    assert figures["passes_encaisses"] == 15
    assert figures["encaissements_par_mois"] == {"2027-03": 13, "2027-04": 2}
    with pytest.raises(InvalidData, match="a déjà été encaissé"):
        ledger.record_statement(any_app, campaign, FINANCE, place="Médiathèque", month="2027-05", passes=1,
                                pass_ids=["CAPN10-000002-01"])


def test_a_refused_statement_file_writes_nothing(any_app):
    campaign = endowed(any_app)
    import_handouts(any_app, campaign, AGENT, HANDOUTS.encode())
    ledger.record_statement(any_app, campaign, FINANCE, place="Médiathèque", month="2027-03", passes=1)
    before = counts(any_app)
    content = ("lieu;mois;passes;detail\n"
               "Médiathèque;2027-03;1;\n"                                # stated already
               "Cyber-base;2027-13;1;\n"                                 # no such month
               "Cyber-base;2027-04;deux;\n"                              # not a number
               "Cyber-base;2027-04;2;CAPN10-000001-01 CAPN10-000001-01\n"  # a pass twice
               "Cyber-base;2027-05;1;CAPN10-000008-01\n"                 # not handed out
               "Cyber-base;2027-06;1;CAPN10-000001-04\n"
               "Maison France services;2027-06;1;CAPN10-000001-04\n"     # the line before redeemed it
               "Cyber-base;2027-07;60;\n").encode()                      # beyond the 55 handed out
    with pytest.raises(InvalidData) as refused:
        import_statements(any_app, campaign, FINANCE, content)
    assert refused.value.details == {
        "ligne 3, colonne « mois »": "Mois invalide : '2027-13' (format AAAA-MM attendu).",
        "ligne 4, colonne « passes »": "« passes » : un nombre entier positif est attendu, non « deux ».",
        "ligne 5, colonne « detail »": "Un même pass figure deux fois dans le relevé.",
        "ligne 2, colonne « mois »": "relevé de Médiathèque pour mars 2027 déjà enregistré",
        "ligne 6, colonne « detail »": "Le pass CAPN10-000008-01 n'a pas été remis à un bénéficiaire : il ne peut "
                                       "pas être encaissé.",
        "ligne 8, colonne « detail »": "Le pass CAPN10-000001-04 a déjà été encaissé le 1er juin 2027 par Cyber-base.",
        "ligne 9, colonne « passes »": "Cyber-base : 60 passes déclarés pour juillet 2027 portent le total des passes "
                                       "encaissés à 62, au-delà des 55 passes remis aux bénéficiaires selon le "
                                       "registre. Corrigez la déclaration du lieu."}
    assert counts(any_app) == before
    with pytest.raises(Forbidden):
        import_statements(any_app, campaign, AGENT, b"lieu;mois;passes\nX;2027-03;1\n")
