"""Two processes recording the same booklet at the same moment: exactly one wins, by the
database's unique index on (booklet, move number), on SQLite and PostgreSQL."""
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpers import ROOT
from ledger_helpers import DIRECTOR, small_campaign
from workflows.services import ledger
from workflows.store.audit import verify
from workflows.store.models import LedgerBeneficiary, LedgerMove, LedgerMoveBooklet

WORKER = Path(__file__).with_name("ledger_race_worker.py")


def race(url, barrier, campaign, prescriber, serial, same_facts):
    barrier.mkdir(parents=True)
    if same_facts:
        (barrier / "read-barrier").touch()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests" / "ledger")]))
    workers = [subprocess.Popen([sys.executable, str(WORKER), url, str(barrier), str(campaign), prescriber, serial],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(barrier.glob("ready-*"))) < 2:
        assert time.monotonic() < deadline, "les processus ne sont pas prêts"
        time.sleep(0.01)
    (barrier / "go").touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=90)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.mark.parametrize("same_facts", [True, False], ids=["same-facts", "free-race"])
def test_two_processes_handing_out_one_booklet_exactly_one_wins(any_app, any_db_settings, tmp_path, same_facts):
    campaign = small_campaign(any_app)
    ledger.endow(any_app, campaign, DIRECTOR, prescriber="CCAS", on=date(2027, 3, 1), serials=["CAPN10-000001"])
    results = race(any_db_settings.database_url, tmp_path / "barrier", campaign, "CCAS", "CAPN10-000001", same_facts)

    assert sorted(r["ok"] for r in results) == [False, True], results
    lost = [r for r in results if not r["ok"]][0]
    if same_facts:   # both passed every rule of the domain: the unique index refused the second
        assert lost["error"] == "conflit", lost
    else:            # the loser read either the same facts (index) or the winner's move (rule)
        assert lost["error"] in ("conflit", "donnees_invalides"), lost
    with any_app.db.sessions() as session:
        count = lambda model: session.execute(select(func.count()).select_from(model)).scalar()  # noqa: E731
        assert count(LedgerMove) == 2 and count(LedgerMoveBooklet) == 2   # the dotation and one handout
        assert count(LedgerBeneficiary) == 1
        assert verify(session).ok
    assert ledger.campaign_figures(any_app, campaign, DIRECTOR)["carnets"]["beneficiaire"] == {"10": 1}
