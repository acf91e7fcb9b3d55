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
handouts of one prescriber in 5, the issuer's statements) per second of import.
The steps are those of the territory's distribution process (bpmn/distribution.bpmn), tied to
the campaign: step_before_ms is the median of completing each prescriber's closing step while it
still holds its booklets, before any handout (the gate reads the ledger's figures and
sends the step back), step_after_ms the median of the same step once the whole campaign
is recorded, each prescriber's last handout corrected back so that the gate sends it back
again (then handed out once more, and the steps accepted); instance_data_kb the instance's
data (its variables, as JSON) at the end.

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
from workflows.services.deploy import deploy_paths  # noqa: E402
from workflows.services.instances import get_instance, start_instance  # noqa: E402
from workflows.services.tasks import complete_task, list_tasks  # noqa: E402
from workflows.services.ledger_import import import_handouts, import_statements  # noqa: E402

POSTGRES_URL = os.environ.get("CONVENTIO_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TERRITORY = "SYN"
DIRECTOR = Actor("bench-direction", frozenset({"director"}), frozenset({TERRITORY}))
FINANCE = Actor("bench-finances", frozenset({"finance"}), frozenset({TERRITORY}))
ADMIN = Actor("bench-admin", frozenset({"admin"}), display_name="Administrateur")
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


def build(app, prescribers, people, instance_id=None):
    """The campaign, its prescribers endowed with the booklets their people will receive."""
    campaign = ledger.open_campaign(app, TERRITORY, DIRECTOR, instance_id=instance_id)["id"]
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


# --- the territory's distribution process, tied to the campaign ----------------------------


def start_distribution(app, prescribers, people, places):
    """The distribution instance of the territory, as the chain starts it, with its conventions."""
    deploy_paths(app, [ROOT / "bpmn"], ADMIN)
    plie, seniors = (people + 1) // 2, people // 2
    names = [f"Prescripteur {n:03d}" for n in range(prescribers)]
    data = {"collectivite": "Territoire de banc d'essai", "collectivite_adresse": "1 place de la Mairie",
            "president": "Camille MARTIN", "tribunal_administratif": "le tribunal administratif de Versailles",
            "fait_a": "Versailles", "territoire": "FR", "valeur_cheque": 10,
            "date_fin_validite": "2027-12-31", "date_limite_acceptation": "2028-01-31",
            "jours_alerte_expiration": [30, 15], "lieux_mediation": [f"Lieu {p:02d}" for p in range(places)],
            "formats_en_stock": [{"cheques_par_carnet": 10, "nombre_carnets": 2 * plie},
                                 {"cheques_par_carnet": 5, "nombre_carnets": 2 * seniors}],
            "prescripteurs_conventionnes": names,
            "mandats": [{"nom": name, "formats": [{"cheques_par_carnet": 10, "nombre_carnets": 2 * plie},
                                                  {"cheques_par_carnet": 5, "nombre_carnets": 2 * seniors}]}
                        for name in names],
            "transmissions_conventions": [{"nom": name, "date_executoire": f"{OPENING - timedelta(days=10)}"}
                                          for name in names],
            "partenaires": []}
    return start_instance(app, "distribution", data, ADMIN)["id"]


def closing_tasks(app, instance_id):
    return [t["id"] for t in list_tasks(app, ADMIN, instance_id=instance_id)
            if t["bpmn_id"] == "remettre_carnets_beneficiaires"]


def timed_steps(app, task_ids):
    """The milliseconds each completion of a prescriber's closing step takes."""
    times = []
    for task_id in task_ids:
        started = time.perf_counter()
        complete_task(app, task_id, {"date_fin_remises": "2027-12-31"}, ADMIN)
        times.append((time.perf_counter() - started) * 1000)
    return times


def last_handouts(app, campaign):
    """[(move id, prescriber number, beneficiary, public, day, serials)]: each prescriber's last handout of
    each booklet size (each of its closing steps is the step of one format)."""
    with app.db.sessions() as session:
        moves = session.execute(text(
            "SELECT m.id, p.name, b.identifier, b.public, m.happened_on FROM ledger_move m "
            "JOIN ledger_prescriber p ON p.id = m.from_prescriber_id JOIN ledger_beneficiary b ON b.id = m.beneficiary_id "
            "WHERE m.id IN (SELECT max(id) FROM ledger_move WHERE campaign_id = :c AND kind = 'remise_beneficiaire' "
            "GROUP BY from_prescriber_id, passes / booklets)"), {"c": campaign}).all()
        return [(move, int(name.split()[-1]), person, public, on, session.execute(text(
            "SELECT b.serial FROM ledger_move_booklet mb JOIN ledger_booklet b ON b.id = mb.booklet_id "
            "WHERE mb.move_id = :m ORDER BY b.serial"), {"m": move}).scalars().all())
            for move, name, person, public, on in moves]


def held_back(app, campaign, last):
    """Each prescriber's last handout corrected: its booklets back with the prescriber."""
    for move, _n, _person, _public, on, _serials in last:
        ledger.correct(app, campaign, move, DIRECTOR, reason="Contrôle du bilan (banc d'essai)", on=_day(on))


def handed_again(app, campaign, last):
    for _move, n, person, public, on, serials in last:
        ledger.hand_out(app, campaign, agent(n), prescriber=f"Prescripteur {n:03d}", public=public, on=_day(on),
                        serials=serials, identifier=person)


def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def instance_data_kb(app, instance_id):
    return len(json.dumps(get_instance(app, instance_id, ADMIN)["data"], ensure_ascii=False).encode()) / 1024


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
        instance_id = start_distribution(app, args.prescribers, args.beneficiaries, args.places)
        campaign, plan = build(app, args.prescribers, args.beneficiaries, instance_id)
        [dotations] = [t["id"] for t in list_tasks(app, ADMIN, instance_id=instance_id)]
        complete_task(app, dotations, {"date_remise_prescripteurs": f"{OPENING}"}, ADMIN)
        print(f"campagne construite en {time.perf_counter() - started:.1f} s", file=sys.stderr)
        before = timed_steps(app, closing_tasks(app, instance_id))   # sent back: booklets still held
        times, csv_rows, csv_seconds = handouts(app, campaign, plan)
        print(f"{len(times)} remises une à une en {sum(times) / 1000:.1f} s ; {csv_rows} remises importées "
              f"(CSV) en {csv_seconds:.1f} s", file=sys.stderr)
        handed = ledger.campaign_figures(app, campaign, DIRECTOR)["passes_remis"]
        statement_rows, statement_seconds = statements(app, campaign, args.places, args.months, handed)
        print(f"{statement_rows} relevés importés (CSV) en {statement_seconds:.2f} s", file=sys.stderr)
        rows_per_s = (csv_rows + statement_rows) / (csv_seconds + statement_seconds)
        last = last_handouts(app, campaign)
        held_back(app, campaign, last)
        after = timed_steps(app, closing_tasks(app, instance_id))    # sent back again: the last booklets held
        handed_again(app, campaign, last)
        timed_steps(app, closing_tasks(app, instance_id))            # accepted: every booklet handed
        assert not closing_tasks(app, instance_id), "un bilan de prescripteur a été refusé"
        print(f"{len(before)} étapes avant la campagne, {len(after)} après", file=sys.stderr)
        started = time.perf_counter()
        figures = ledger.campaign_figures(app, campaign, DIRECTOR)
        figures_ms = (time.perf_counter() - started) * 1000
        print(f"chiffres de la campagne en {figures_ms:.0f} ms, {len(json.dumps(figures)) / 1000:.1f} Ko ; "
              f"{figures['passes_remis']} pass remis, {figures['passes_encaisses']} encaissés", file=sys.stderr)
        return {"handout_ms_p50": round(statistics.median(times), 2), "handout_ms_p99": round(percentile(times, 99), 2),
                "csv_rows_per_s": round(rows_per_s), "step_before_ms": round(statistics.median(before), 2),
                "step_after_ms": round(statistics.median(after), 2),
                "instance_data_kb": round(instance_data_kb(app, instance_id), 1),
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
