"""The campaign's counters (ledger_tally, ledger_public_tally), which the process steps read their
figures from, equal what the booklets and people say after every kind of record, on SQLite and
PostgreSQL, with writers in separate processes at the same time, and across its migration (0016)."""
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import inspect, select

from helpers import ROOT, downgrade
from ledger_helpers import AGENT, DIRECTOR, OTHER_AGENT, serials, small_campaign
from workflows.domain.ledger_rules import Place
from workflows.services import ledger
from workflows.services.ledger_import import import_handouts
from workflows.services.ledger_process import step_figures
from workflows.store.audit import verify
from workflows.store.migrate import upgrade
from workflows.store.models import LedgerBeneficiary, LedgerBooklet, LedgerPublicTally, LedgerTally

SPRING = date(2027, 3, 1)
WORKER = Path(__file__).with_name("ledger_tally_worker.py")


def from_rows(app, campaign):
    """The counters as the booklets and people say, counted one row at a time in Python."""
    booklets, people, received, priority = Counter(), {}, Counter(), Counter()
    with app.db.sessions() as session:
        publics = dict(session.execute(select(LedgerBeneficiary.id, LedgerBeneficiary.public)
                                       .where(LedgerBeneficiary.campaign_id == campaign)).all())
        for place, prescriber, beneficiary, size in session.execute(
                select(LedgerBooklet.place, LedgerBooklet.prescriber_id, LedgerBooklet.beneficiary_id,
                       LedgerBooklet.size).where(LedgerBooklet.campaign_id == campaign)):
            public = publics[beneficiary] if place == Place.BENEFICIARY.value else ""
            key = (place, prescriber if place in (Place.PRESCRIBER.value, Place.BENEFICIARY.value) else 0, public, size)
            booklets[key] += 1
            if place == Place.BENEFICIARY.value:
                people.setdefault(key, set()).add(beneficiary)
        for public, count, qpv in session.execute(
                select(LedgerBeneficiary.public, LedgerBeneficiary.booklets, LedgerBeneficiary.priority_area)
                .where(LedgerBeneficiary.campaign_id == campaign)):
            received[public] += count > 0
            priority[public] += count > 0 and qpv
    return ({key: (n, len(people.get(key, ()))) for key, n in booklets.items()},
            {public: (n, priority[public]) for public, n in received.items() if n})


def counters(app, campaign):
    with app.db.sessions() as session:
        tally = {(t.place, t.prescriber_id, t.public, t.size): (t.booklets, t.people)
                 for t in session.execute(select(LedgerTally).where(LedgerTally.campaign_id == campaign)).scalars()
                 if t.booklets or t.people}
        publics = {t.public: (t.people, t.priority_people) for t in session.execute(
            select(LedgerPublicTally).where(LedgerPublicTally.campaign_id == campaign)).scalars() if t.people}
    return tally, publics


def assert_counted(app, campaign):
    expected = from_rows(app, campaign)
    assert counters(app, campaign) == expected
    return expected


def test_the_counters_follow_handouts_returns_transfers_losses_corrections_and_imports(any_app):
    campaign = small_campaign(any_app)
    assert_counted(any_app, campaign)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 10))
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN05", 1, 4))
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="Pôle emploi", on=SPRING, count=6, booklet_size=10)
    assert_counted(any_app, campaign)
    first = ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                            identifier="PLIE-1", serials=["CAPN10-000001"])
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                    identifier="PLIE-1", serials=["CAPN10-000002"])        # the same person again
    ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="senior", on=SPRING,
                    identifier="SEN-1", serials=["CAPN05-000001"], priority_area=True)
    ledger.hand_out(any_app, campaign, OTHER_AGENT, prescriber="Pôle emploi", public="plie_demandeur_emploi",
                    on=SPRING, identifier="PLIE-2", serials=["CAPN10-000011"])
    tally, publics = assert_counted(any_app, campaign)
    assert publics == {"plie_demandeur_emploi": (2, 0), "senior": (1, 1)}
    assert [v for k, v in tally.items() if k[0] == Place.BENEFICIARY.value and k[3] == 10] == [(2, 1), (1, 1)]

    ledger.return_to_stock(any_app, campaign, AGENT, prescriber="CCAS", on=SPRING, serials=["CAPN10-000003"])
    ledger.transfer(any_app, campaign, AGENT, source="CCAS", destination="Pôle emploi", on=SPRING,
                    serials=["CAPN10-000004"])
    loss = ledger.declare_loss(any_app, campaign, AGENT, on=SPRING, reason="dégât des eaux", serials=["CAPN10-000005"])
    ledger.declare_loss(any_app, campaign, DIRECTOR, on=SPRING, reason="pilon", destroyed=True,
                        serials=["CAPN10-000020"])
    assert_counted(any_app, campaign)
    ledger.correct(any_app, campaign, first["move"] + 1, DIRECTOR, reason="mauvais carnet", on=SPRING)
    ledger.correct(any_app, campaign, loss["move"], DIRECTOR, reason="retrouvé", on=SPRING)
    assert_counted(any_app, campaign)
    ledger.correct(any_app, campaign, first["move"], DIRECTOR, reason="mauvaise personne", on=SPRING)
    _, publics = assert_counted(any_app, campaign)
    assert publics == {"plie_demandeur_emploi": (1, 0), "senior": (1, 1)}   # PLIE-1 holds nothing now

    import_handouts(any_app, campaign, AGENT, (
        "prescripteur;identifiant;public;tranche_age;commune;qpv;date;carnets\n"
        "CCAS;PLIE-1;plie_demandeur_emploi;26-44;Trinité;oui;10/03/2027;CAPN10-000001 CAPN10-000002\n"
        "CCAS;SEN-1;senior;60-74;Le Robert;non;2027-03-11;CAPN05-000002\n"
        "CCAS;SEN-2;senior;75+;Trinité;oui;13/03/2027;CAPN05-000003\n"
        "CCAS;SEN-2;senior;75+;Trinité;non;14/04/2027;CAPN05-000004\n").encode())
    tally, publics = assert_counted(any_app, campaign)
    assert publics == {"plie_demandeur_emploi": (2, 0), "senior": (2, 2)}   # PLIE-1 was not in a QPV
    with any_app.db.sessions() as session:   # what a step reads: the figures of the counters
        figures = step_figures(session, campaign, 0)
    assert figures["passes_remis_par_public"] == {"plie_demandeur_emploi": 30, "senior": 20}
    assert figures["prescripteurs"]["CCAS"]["beneficiaires"] == 3
    assert figures["beneficiaires_par_public"] == {"plie_demandeur_emploi": 2, "senior": 2}
    assert figures["beneficiaires_qpv"] == 2


def test_migration_0016_fills_the_counters_of_a_campaign_recorded_before_and_goes_down_again(any_app):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 4))
    for n, person in ((1, "A"), (2, "A"), (3, "B")):
        ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                        identifier=person, serials=[f"CAPN10-{n:06d}"])
    kept = assert_counted(any_app, campaign)
    downgrade(any_app.db, "0015_regen_attachments")
    assert not {"ledger_tally", "ledger_public_tally"} & set(inspect(any_app.db.engine).get_table_names())
    upgrade(any_app.db)
    assert counters(any_app, campaign) == kept


def race(app, url, barrier, campaign, plans):
    barrier.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests" / "ledger")]))
    workers = [subprocess.Popen([sys.executable, str(WORKER), url, str(barrier), str(campaign), json.dumps(plan)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for plan in plans]
    deadline = time.monotonic() + 60
    while len(list(barrier.glob("ready-*"))) < len(plans):
        assert time.monotonic() < deadline, "les processus ne sont pas prêts"
        time.sleep(0.01)
    (barrier / "go").touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results += json.loads(out.strip().splitlines()[-1])
    return results


def test_writers_in_separate_processes_at_the_same_time_keep_the_counters_right(any_app, any_db_settings, tmp_path):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=SPRING, serials=serials("CAPN10", 1, 10))
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="Pôle emploi", on=SPRING, serials=serials("CAPN10", 11, 20))
    first = ledger.hand_out(any_app, campaign, AGENT, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                            identifier="P-3", serials=["CAPN10-000010"])
    # Each process hands its prescriber's booklets one by one, P-3 … P-6 receiving from both, while
    # a third corrects P-3's first handout.
    ccas = [{"kind": "handout", "prescriber": "CCAS", "serial": f"CAPN10-{n:06d}", "person": f"P-{n}"}
            for n in range(1, 7)]
    employment = [{"kind": "handout", "prescriber": "Pôle emploi", "serial": f"CAPN10-{n + 10:06d}",
                   "person": f"P-{n + 2}"} for n in range(1, 7)]
    fix = [{"kind": "correct", "move": first["move"]}]
    results = race(any_app, any_db_settings.database_url, tmp_path / "barrier", campaign, [ccas, employment, fix])
    assert all(r["ok"] for r in results[:2] + results[10:12]), results   # P-1, P-2, P-7, P-8: nobody else's
    assert {r["error"] for r in results if not r["ok"]} <= {"conflit", "donnees_invalides"}, results
    tally, publics = assert_counted(any_app, campaign)
    handed = sum(n for (place, *_), (n, _people) in tally.items() if place == Place.BENEFICIARY.value)
    corrected = results[-1]["ok"]
    assert handed == 1 - corrected + sum(r["ok"] for r in results if r["kind"] == "handout")
    with any_app.db.sessions() as session:
        assert verify(session).ok
