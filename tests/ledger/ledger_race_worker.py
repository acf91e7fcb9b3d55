"""A separate OS process recording a handout of one booklet, for the ledger's race tests.

usage: python ledger_race_worker.py DATABASE_URL BARRIER_DIR CAMPAIGN_ID PRESCRIBER SERIAL
Waits for the barrier, then hands the booklet to a new person. With BARRIER_DIR/read-barrier
present, it also waits, after reading the facts, until every worker has read them: both
records are then made on the same facts, and only the database can refuse one.
Prints one JSON line: {"ok": true, ...} or {"ok": false, "error": code, "message": ...}.
"""
import json
import sys
import time
from datetime import date
from pathlib import Path

from workflows.config import Settings
from workflows.errors import ConventioError
from workflows.services import ledger, ledger_facts, open_conventio
from workflows.services.actors import Actor

ADMIN = Actor("admin-course", frozenset({"admin"}))


def wait_for(barrier, name, count):
    (barrier / f"{name}-{time.monotonic_ns()}").touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.glob(f"{name}-*"))) < count and time.monotonic() < deadline:
        time.sleep(0.001)


def main():
    url, barrier, campaign, prescriber, serial = sys.argv[1:6]
    barrier = Path(barrier)
    app = open_conventio(Settings.from_env(env={}, data_dir=barrier, database_url=url), migrate=False)
    if (barrier / "read-barrier").exists():
        read = ledger_facts.beneficiary

        def read_then_wait(*args):
            found = read(*args)   # the last fact a handout reads
            wait_for(barrier, "facts-read", 2)   # not "read-*": the read-barrier flag would count
            return found
        ledger_facts.beneficiary = read_then_wait
    (barrier / f"ready-{time.monotonic_ns()}").touch()
    while not (barrier / "go").exists():
        time.sleep(0.001)
    try:
        result = ledger.hand_out(app, int(campaign), ADMIN, prescriber=prescriber, public="plie_demandeur_emploi",
                                 on=date(2027, 3, 10), serials=[serial])
        print(json.dumps({"ok": True, "result": result}))
    except ConventioError as exc:
        print(json.dumps({"ok": False, "error": exc.code, "message": exc.message}))
    finally:
        app.close()


if __name__ == "__main__":
    main()
