"""A separate OS process recording a list of handouts and corrections, for the counters' race test.

usage: python ledger_tally_worker.py DATABASE_URL BARRIER_DIR CAMPAIGN_ID PLAN_JSON
PLAN_JSON: [{"kind": "handout", "prescriber", "serial", "person"} | {"kind": "correct", "move"}].
Waits for the barrier, records each in turn, and prints one JSON line: a list of
{"kind", "ok": true} or {"kind", "ok": false, "error": code}.
"""
import json
import sys
import time
from datetime import date
from pathlib import Path

from workflows.config import Settings
from workflows.errors import ConventioError
from workflows.services import ledger, open_conventio
from workflows.services.actors import Actor

ADMIN = Actor("admin-course", frozenset({"admin"}))
ON = date(2027, 3, 10)


def record(app, campaign, step):
    if step["kind"] == "correct":
        ledger.correct(app, campaign, step["move"], ADMIN, reason="erreur de saisie", on=ON)
    else:
        ledger.hand_out(app, campaign, ADMIN, prescriber=step["prescriber"], public="plie_demandeur_emploi", on=ON,
                        serials=[step["serial"]], identifier=step["person"])


def main():
    url, barrier, campaign, plan = sys.argv[1:5]
    barrier, campaign = Path(barrier), int(campaign)
    app = open_conventio(Settings.from_env(env={}, data_dir=barrier, database_url=url), migrate=False)
    (barrier / f"ready-{time.monotonic_ns()}").touch()
    while not (barrier / "go").exists():
        time.sleep(0.001)
    results = []
    try:
        for step in json.loads(plan):
            try:
                record(app, campaign, step)
                results.append({"kind": step["kind"], "ok": True})
            except ConventioError as exc:
                results.append({"kind": step["kind"], "ok": False, "error": exc.code})
    finally:
        app.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
