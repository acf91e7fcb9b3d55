"""The pass ledger at a territory's scale: handouts recorded one by one through the service.

Builds one territory's campaign on a fresh database (PostgreSQL by default, SQLite with
`--sqlite`): prescribers with their conventions de mandat, booklets of 10 and of 5 received
by range, endowed to the prescribers; then each beneficiary's handout is recorded through
services/ledger.hand_out by the prescriber's agent, as a page would, and timed; the PLIE
job seekers receive 2 booklets of 10 at once, the seniors 1 booklet of 5 twice (a renewal),
so every booklet is handed out. Then the issuer's monthly statements (one per place and
month) and the campaign's figures.

Prints a few lines, then as its last line the JSON of issue 12:
{"handout_ms_p50", "handout_ms_p99", "csv_rows_per_s", "step_before_ms", "step_after_ms",
 "instance_data_kb", "db_mb"}. csv_rows_per_s: the lines of the spreadsheets imported (the
handouts of one prescriber in 5, the issuer's statements) per second of import. Not measured yet
(null): step_before_ms / step_after_ms and instance_data_kb (the processes do not refer to the
campaign yet).

usage: python bench/ledger.py [--sqlite] [--beneficiaries 2000] [--prescribers 20]
                              [--places 4] [--months 12]
The issue's full size: --beneficiaries 36000 --prescribers 100 (72,000 booklets).
(CONVENTIO_BENCH_POSTGRES_URL to point elsewhere.)
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import text  # noqa: E402

from workflows.config import Settings  # noqa: E402
from workflows.services import ledger, open_conventio  # noqa: E402
from workflows.services.actors import Actor  # noqa: E402
from workflows.services.ledger_import import import_handouts, import_statements  # noqa: E402

POSTGRES_URL = os.environ.get("CONVENTIO_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TERRITORY = "SYN"
DIRECTOR = Actor("bench-direction", frozenset({"director"}), frozenset({TERRITORY}))
FINANCE = Actor("bench-finances", frozenset({"finance"}), frozenset({TERRITORY}))
OPENING = date(2027, 3, 1)
CSV_EVERY = 5   # one prescriber in 5 imports its handouts as a spreadsheet instead


class ThrowAwayPostgres:
    def __enter__(self):
        self.admin = psycopg.connect(POSTGRES_URL, autocommit=True)
        self.name = f"conventio_bench_{uuid.uuid4().hex[:10]}"
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        return f"{POSTGRES_URL.rsplit('/', 1)[0]}/{self.name}"

    def __exit__(self, *exc):
        self.admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.name,))
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        self.admin.close()


def agent(number):
    return Actor(f"agent-{number:03d}", frozenset({"prescriber"}), frozenset({TERRITORY}))


def build(app, prescribers, people):
    """The campaign, its prescribers endowed with the booklets their people will receive."""
    campaign = ledger.open_campaign(app, TERRITORY, DIRECTOR)["id"]
    plie, seniors = (people + 1) // 2, people // 2
    tens, fives = 2 * plie, 2 * seniors
    for size, count in ((10, tens), (5, fives)):
        if count:
            ledger.receive_range(app, campaign, DIRECTOR, booklet_size=size, first=f"SYN{size:02d}-{1:06d}",
                                 last=f"SYN{size:02d}-{count:06d}", issuer="Émetteur", validity_year=2027,
                                 order="BC-2027-01", received_on=OPENING - timedelta(days=20))
    plan = []   # (prescriber number, public, booklets per handout, handouts)
    for n in range(prescribers):
        mine_plie = plie // prescribers + (n < plie % prescribers)
        mine_seniors = seniors // prescribers + (n < seniors % prescribers)
        ledger.add_prescriber(app, campaign, DIRECTOR, name=f"Prescripteur {n:03d}",
                              formats={10: 2 * mine_plie, 5: 2 * mine_seniors},
                              executory_on=OPENING - timedelta(days=10), agents=[agent(n).username])
        for size, count in ((10, 2 * mine_plie), (5, 2 * mine_seniors)):
            if count:
                ledger.endow(app, campaign, DIRECTOR, prescriber=f"Prescripteur {n:03d}", on=OPENING,
                             count=count, booklet_size=size)
        plan.append((n, mine_plie, mine_seniors))
    return campaign, plan


def handouts(app, campaign, plan):
    """Every handout, spread over the campaign's months: one service call each, timed, except those
    of one prescriber in CSV_EVERY, which import them as a spreadsheet (rows per second)."""
    held = {n: {10: [], 5: []} for n, _, _ in plan}
    with app.db.sessions() as session:
        for name, size, serial in session.execute(text(
                "SELECT p.name, b.size, b.serial FROM ledger_booklet b JOIN ledger_prescriber p "
                "ON p.id = b.prescriber_id WHERE b.campaign_id = :c ORDER BY b.serial"), {"c": campaign}):
            held[int(name.split()[-1])][size].append(serial)
    calls = []
    for n, mine_plie, mine_seniors in plan:
        for i in range(mine_plie):
            calls.append((n, "plie_demandeur_emploi", held[n][10][2 * i:2 * i + 2], f"P{n:03d}-{i:05d}"))
        for i in range(mine_seniors):
            for renewal in range(2):
                calls.append((n, "senior", [held[n][5][2 * i + renewal]], f"S{n:03d}-{i:05d}"))
    days = (date(2027, 12, 31) - OPENING).days
    times, sheets = [], {}
    for k, (n, public, serials, person) in enumerate(calls):
        on = OPENING + timedelta(days=k * days // max(1, len(calls)))
        band = "60-74" if public == "senior" else "26-44"
        if n % CSV_EVERY == CSV_EVERY - 1:
            sheets.setdefault(n, []).append(f"Prescripteur {n:03d};{person};{public};{band};Versailles;non;"
                                            f"{on:%d/%m/%Y};{' '.join(serials)}")
            continue
        started = time.perf_counter()
        ledger.hand_out(app, campaign, agent(n), prescriber=f"Prescripteur {n:03d}", public=public, on=on,
                        serials=serials, identifier=person, age_band=band, commune="Versailles")
        times.append((time.perf_counter() - started) * 1000)
    rows, started = 0, time.perf_counter()
    for n, lines in sheets.items():
        content = ("prescripteur;identifiant;public;tranche_age;commune;qpv;date;carnets\n" + "\n".join(lines)).encode()
        rows += import_handouts(app, campaign, agent(n), content)["handouts"]
    return times, rows, time.perf_counter() - started


def statements(app, campaign, places, months, handed_passes):
    """The issuer's statements of every place and month, imported as one CSV file: (rows, seconds)."""
    per_statement = handed_passes // (2 * places * months)   # about half the passes are used
    month, lines = OPENING, ["lieu;mois;passes"]
    for _ in range(months):
        lines += [f"Lieu {place:02d};{month:%Y-%m};{per_statement}" for place in range(places)]
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    started = time.perf_counter()
    done = import_statements(app, campaign, FINANCE, "\n".join(lines).encode("cp1252"))
    return done["statements"], time.perf_counter() - started


def database_mb(app, url):
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    with app.db.engine.connect() as connection:
        return connection.execute(text("SELECT pg_database_size(current_database())")).scalar() / 1e6


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share / 100 * (len(ordered) - 1))))]


def run(url, data_dir, args):
    app = open_conventio(Settings.from_env(env={}, data_dir=data_dir, database_url=url))
    try:
        started = time.perf_counter()
        campaign, plan = build(app, args.prescribers, args.beneficiaries)
        print(f"campagne construite en {time.perf_counter() - started:.1f} s", file=sys.stderr)
        times, csv_rows, csv_seconds = handouts(app, campaign, plan)
        print(f"{len(times)} remises une à une en {sum(times) / 1000:.1f} s ; {csv_rows} remises importées "
              f"(CSV) en {csv_seconds:.1f} s", file=sys.stderr)
        handed = ledger.campaign_figures(app, campaign, DIRECTOR)["passes_remis"]
        statement_rows, statement_seconds = statements(app, campaign, args.places, args.months, handed)
        print(f"{statement_rows} relevés importés (CSV) en {statement_seconds:.2f} s", file=sys.stderr)
        rows_per_s = (csv_rows + statement_rows) / (csv_seconds + statement_seconds)
        started = time.perf_counter()
        figures = ledger.campaign_figures(app, campaign, DIRECTOR)
        figures_ms = (time.perf_counter() - started) * 1000
        print(f"chiffres de la campagne en {figures_ms:.0f} ms, {len(json.dumps(figures)) / 1000:.1f} Ko ; "
              f"{figures['passes_remis']} pass remis, {figures['passes_encaisses']} encaissés", file=sys.stderr)
        return {"handout_ms_p50": round(statistics.median(times), 2), "handout_ms_p99": round(percentile(times, 99), 2),
                "csv_rows_per_s": round(rows_per_s), "step_before_ms": None, "step_after_ms": None, "instance_data_kb": None,
                "db_mb": round(database_mb(app, url), 1)}
    finally:
        app.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite au lieu de PostgreSQL")
    parser.add_argument("--beneficiaries", type=int, default=2000)
    parser.add_argument("--prescribers", type=int, default=20)
    parser.add_argument("--places", type=int, default=4)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.sqlite:
            result = run(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp), args)
        else:
            with ThrowAwayPostgres() as url:
                result = run(url, Path(tmp), args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
