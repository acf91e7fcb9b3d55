"""The ledger service on SQLite and PostgreSQL: each record checked by the domain's rules
against the facts it reads, written with who and when, journaled."""
from datetime import date

import pytest
from sqlalchemy import func, select

from helpers import ADMIN
from ledger_helpers import (
    AGENT, DIRECTOR, FINANCE, OTHER_AGENT, OUTSIDER, RECEIVED, serials, small_campaign,
)
from workflows.errors import Conflict, Forbidden, InvalidData, NotFound
from workflows.services import ledger
from workflows.store.audit import verify
from workflows.store.models import AuditEntry, LedgerMove

SPRING = date(2027, 3, 1)


def test_a_campaign_from_reception_to_handout_and_its_figures(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, count=6, booklet_size=10)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=["CAPN05-000003"])
    given = ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                            on=date(2027, 3, 10), serials=serials("CAPN10", 1, 3), commune="Trinité",
                            age_band="26-44", priority_area=True)
    assert given["beneficiary"].startswith("B-") and given["passes"] == 30
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="senior", on=date(2027, 4, 2),
                    serials=["CAPN05-000003"], identifier="SEN-0001")

    figures = ledger.campaign_figures(any_app, campaign, DIRECTOR)
    assert figures["carnets"]["recus"] == {"10": 20, "5": 10}
    assert figures["carnets"]["stock"] == {"10": 14, "5": 9}
    assert figures["carnets"]["prescripteur"] == {"10": 3}
    assert figures["carnets"]["beneficiaire"] == {"10": 3, "5": 1}
    assert figures["passes_remis"] == 35
    assert figures["par_prescripteur"] == {"CCAS": {"detenus": 3, "remis": 4}, "Pôle emploi": {"detenus": 0, "remis": 0}}
    assert figures["par_public"] == {"plie_demandeur_emploi": {"beneficiaires": 1, "carnets": 3},
                                     "senior": {"beneficiaires": 1, "carnets": 1}}
    assert figures["remises_par_mois"] == {"2027-03": {"remises": 1, "carnets": 3, "passes": 30},
                                           "2027-04": {"remises": 1, "carnets": 1, "passes": 5}}
    with any_app.db.sessions() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "registre_carnets")
                                  .order_by(AuditEntry.id)).scalars().all()
        assert [e.actor for e in entries][-2:] == ["agent-ccas", "agent-ccas"]
        assert "Remise de 3 carnet(s) par CCAS" in entries[-2].summary
        assert verify(session).ok


def test_the_refusals_are_the_registers_french_messages(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 4))
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="Pôle emploi", on=SPRING, serials=serials("CAPN10", 5, 5))

    def refused(call, **kwargs):
        with pytest.raises(InvalidData) as caught:
            call(any_app, campaign, kwargs.pop("by", AGENT), **kwargs)
        return caught.value.message

    assert refused(ledger.hand_out, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                   serials=["CAPN10-000005"]) == ("Le carnet CAPN10-000005 n'est pas chez CCAS : il est chez le "
                                                  "prescripteur Pôle emploi depuis le 1er mars 2027.")
    assert refused(ledger.hand_out, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                   serials=serials("CAPN10", 1, 4)).endswith("4 carnets remis, 3 au plus par dotation.")
    assert refused(ledger.hand_out, prescriber="CCAS", public="plie_demandeur_emploi", on=date(2028, 2, 1),
                   serials=["CAPN10-000001"]) == ("Le carnet CAPN10-000001 a expiré le 31 janvier 2028 : il ne peut "
                                                  "plus être remis.")
    assert refused(ledger.hand_out, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                   serials=["CAPN10-999999"]) == "Le carnet CAPN10-999999 est inconnu du registre."
    assert refused(ledger.endow, by=DIRECTOR, prescriber="CCAS", on=date(2027, 2, 10), serials=["CAPN10-000009"]) \
        == ("CCAS : carnets remis le 10 février 2027, avant que sa convention de mandat soit exécutoire (15 février 2027) : "
            "datez la remise à partir du 15 février 2027.")
    assert refused(ledger.endow, by=DIRECTOR, prescriber="Pôle emploi", on=SPRING, serials=["CAPN05-000001"]) \
        == ("Pôle emploi : carnets de 5 pass, que sa convention de mandat ne lui confie pas ; un avenant est "
            "nécessaire.")
    assert refused(ledger.endow, by=DIRECTOR, prescriber="CCAS", on=SPRING, count=9, booklet_size=10) \
        == ("CCAS : dotation de 13 carnets de 10 pass, sa convention de mandat en confie 12 ; au-delà, un avenant "
            "est nécessaire.")
    assert refused(ledger.endow, by=DIRECTOR, prescriber="CCAS", on=SPRING, serials=["CAPN10-000001"]).startswith(
        "Le carnet CAPN10-000001 n'est pas en stock : il est chez le prescripteur CCAS")
    assert refused(ledger.endow, by=DIRECTOR, prescriber="CCAS", on=SPRING, count=11, booklet_size=5) \
        == "Stock insuffisant : 11 carnet(s) de 5 pass demandé(s), 10 en stock."
    assert "déjà enregistré : un carnet ne peut pas être reçu deux fois" in refused(
        ledger.receive_range, by=DIRECTOR, booklet_size=10, first="CAPN10-000020", last="CAPN10-000021",
        issuer="APTIC", validity_year=2027, order="BC-2", received_on=RECEIVED)
    with any_app.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(LedgerMove)).scalar() == 2   # nothing half-written


def test_a_non_renewable_dotation_counts_what_the_person_already_received(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 4))
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                    serials=serials("CAPN10", 1, 2), identifier="PLIE-7")
    with pytest.raises(InvalidData) as caught:
        ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                        serials=serials("CAPN10", 3, 4), identifier="PLIE-7")
    assert "2 carnet(s) déjà remis, 2 de plus dépasseraient les 3 de la dotation" in caught.value.message
    with pytest.raises(InvalidData, match="enregistrée au public « plie_demandeur_emploi »"):
        ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="senior", on=SPRING,
                        serials=["CAPN10-000003"], identifier="PLIE-7")
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                    serials=["CAPN10-000003"], identifier="PLIE-7")


def test_returns_transfers_losses_and_a_correction_are_new_moves(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 6))
    ledger.return_to_stock(any_app, campaign, AGENT, prescriber="CCAS", on=SPRING, serials=["CAPN10-000001"])
    ledger.transfer(any_app, campaign, AGENT, source="CCAS", destination="Pôle emploi", on=SPRING,
                    serials=["CAPN10-000002"])
    with pytest.raises(InvalidData, match="Indiquez le motif"):
        ledger.declare_loss(any_app, campaign, AGENT, on=SPRING, reason=" ", serials=["CAPN10-000003"])
    ledger.declare_loss(any_app, campaign, AGENT, on=SPRING, reason="dégât des eaux", serials=["CAPN10-000003"])
    handout = ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                              on=SPRING, serials=["CAPN10-000004"], identifier="ERREUR-1")
    with pytest.raises(InvalidData, match="il a été déclaré perdu le 1er mars 2027"):
        ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                        on=SPRING, serials=["CAPN10-000003"])

    ledger.correct(any_app, campaign, handout["move"], DIRECTOR, reason="mauvaise personne", on=SPRING)
    with pytest.raises(InvalidData, match="a déjà été corrigé"):
        ledger.correct(any_app, campaign, handout["move"], DIRECTOR, reason="encore", on=SPRING)
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                    serials=["CAPN10-000004"], identifier="BONNE-1")
    figures = ledger.campaign_figures(any_app, campaign, DIRECTOR)
    assert figures["par_prescripteur"] == {"CCAS": {"detenus": 2, "remis": 1}, "Pôle emploi": {"detenus": 1, "remis": 0}}
    assert figures["carnets"]["perdu"] == {"10": 1}
    assert figures["remises_par_mois"] == {"2027-03": {"remises": 1, "carnets": 1, "passes": 10}}
    assert figures["par_public"] == {"plie_demandeur_emploi": {"beneficiaires": 1, "carnets": 1}}
    with any_app.db.sessions() as session:
        kinds = session.execute(select(LedgerMove.kind, LedgerMove.recorded_by).order_by(LedgerMove.id)).all()
    assert [k for k, _ in kinds] == ["dotation_prescripteur", "retour_stock", "transfert_prescripteur", "perte",
                                     "remise_beneficiaire", "correction", "remise_beneficiaire"]
    assert kinds[5].recorded_by == "directrice"


def test_a_correction_waits_for_the_later_moves_to_be_corrected_first(any_app):
    campaign = small_campaign(any_app)
    dotation = ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=["CAPN10-000001"])
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                    serials=["CAPN10-000001"])
    with pytest.raises(InvalidData, match="a changé de main depuis ce mouvement"):
        ledger.correct(any_app, campaign, dotation["move"], DIRECTOR, reason="erreur", on=SPRING)


def test_rights_territory_role_and_the_prescribers_agents(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=["CAPN10-000001"])
    with pytest.raises(Forbidden, match="agent du prescripteur « CCAS »"):
        ledger.hand_out(any_app, campaign, OTHER_AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                        on=SPRING, serials=["CAPN10-000001"])
    with pytest.raises(Forbidden, match="territoire « CAPN »"):
        ledger.campaign_figures(any_app, campaign, OUTSIDER)
    with pytest.raises(Forbidden, match="Direction"):
        ledger.endow(any_app, campaign, AGENT, prescriber="CCAS", on=SPRING, serials=["CAPN10-000002"])
    with pytest.raises(NotFound):
        ledger.campaign_figures(any_app, campaign + 99, ADMIN)
    ledger.hand_out(any_app, campaign, ADMIN, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                    serials=["CAPN10-000001"])


def test_statements_are_bounded_by_the_passes_handed_out_and_a_pass_is_redeemed_once(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 2))
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi",
                    on=date(2027, 3, 10), serials=serials("CAPN10", 1, 2))
    ledger.record_statement(any_app, campaign, FINANCE, place="Cyber-base du Robert", month="2027-03", passes=2,
                            pass_ids=["CAPN10-000001-01", "CAPN10-000001-02"])
    with pytest.raises(Conflict):
        ledger.record_statement(any_app, campaign, FINANCE, place="Cyber-base du Robert", month="2027-03", passes=1)
    with pytest.raises(InvalidData, match="a déjà été encaissé le 1er mars 2027 par Cyber-base du Robert"):
        ledger.record_statement(any_app, campaign, FINANCE, place="Médiathèque", month="2027-04", passes=1,
                                pass_ids=["CAPN10-000001-02"])
    with pytest.raises(InvalidData) as caught:
        ledger.record_statement(any_app, campaign, FINANCE, place="Médiathèque", month="2027-04", passes=19)
    assert caught.value.message == ("Médiathèque : 19 passes déclarés pour avril 2027 portent le total des passes "
                                    "encaissés à 21, au-delà des 20 passes remis aux bénéficiaires selon le "
                                    "registre. Corrigez la déclaration du lieu.")
    with pytest.raises(InvalidData, match="n'a pas été remis à un bénéficiaire"):
        ledger.record_statement(any_app, campaign, FINANCE, place="Médiathèque", month="2027-04", passes=1,
                                pass_ids=["CAPN10-000003-01"])
    ledger.record_statement(any_app, campaign, FINANCE, place="Médiathèque", month="2027-04", passes=18)
    figures = ledger.campaign_figures(any_app, campaign, DIRECTOR)
    assert figures["passes_encaisses"] == 20
    assert figures["encaissements_par_mois"] == {"2027-03": 2, "2027-04": 18}

    with pytest.raises(InvalidData, match="acceptés jusqu’au 31/01/2028"):
        ledger.record_credit(any_app, campaign, DIRECTOR, validity_year=2027, as_of=date(2028, 1, 31))
    credit = ledger.record_credit(any_app, campaign, DIRECTOR, validity_year=2027, as_of=date(2028, 2, 1))
    assert credit == {"validity_year": 2027, "unused_passes": 248, "amount": "2480.00"}
