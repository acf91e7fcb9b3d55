"""The dashboard at the scale of a national installation, on PostgreSQL.

Generates 1,000 territories in 20 groupings (10 operators, 10 hubs of 50 territories each),
three chain instances per territory (two Pass numérique chains in their first phase, one ANCT
convention at the director's review; some in error, some completed, ready tasks of various ages
so that some are blocked) cloned with SQL from instances really started through the engine; and
per territory a campaign: 2 prescribers, 300 booklets (200 of 10, 100 of 5), 150 beneficiaries
(a varying share of them PIC), 1,000 ledger moves (1,000,000 in all) and 24 monthly statements,
bulk-loaded with COPY. Then measures, through the Flask application in process (the server's
time, without the network), the median of 10 requests of an administrator (and, on a line of its own, not a target, the
pages /tableau-de-bord and /tableau-de-bord/territoire/{code}):
- territory: GET /api/v1/dashboard/territories/{code} (funnel by format, prescriber, public and
  month, money, ANCT commitments) plus GET /api/v1/dashboard?territory={code} (its portfolio);
- all: GET /api/v1/dashboard (the portfolio across the 1,000 territories);
- export_xlsx: GET /api/v1/dashboard/exports/chaines?format=xlsx (the portfolio's 3,000 chains).

Prints a few lines, then as its last line {"territory_ms": .., "all_ms": .., "export_xlsx_ms": ..}.
usage: python bench/dashboard.py [--territories 1000] [--moves-per-territory 1000]
(CONVENTIO_BENCH_POSTGRES_URL to point elsewhere.)
"""
import argparse
import io
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "web"))

from sqlalchemy import text  # noqa: E402

from ledger import ThrowAwayPostgres  # noqa: E402  (bench/ledger.py)
from workflows.config import Settings  # noqa: E402
from workflows.services import open_conventio  # noqa: E402
from workflows.services.actors import Actor  # noqa: E402

ADMIN = Actor("bench", frozenset({"admin"}))
PASSWORD = "bench-password-1234"
NOW = datetime(2027, 6, 15, 12, 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--territories", type=int, default=1000)
    parser.add_argument("--moves-per-territory", type=int, default=1000)
    args = parser.parse_args()
    with ThrowAwayPostgres() as url, tempfile.TemporaryDirectory() as data_dir:
        app = open_conventio(Settings.from_env(env={}, data_dir=Path(data_dir), database_url=url))
        try:
            codes = [f"t{n:04d}" for n in range(args.territories)]
            started = time.perf_counter()
            templates = real_instances(app)
            load_territories(app, codes)
            clone_instances(app, templates, codes)
            moves = load_ledger(app, codes, args.moves_per_territory)
            with app.db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
            print(f"generated {len(codes)} territories, {3 * len(codes)} instances, {moves} ledger moves "
                  f"in {time.perf_counter() - started:.0f} s")
            figures = measure(app, codes)
            print(json.dumps(figures))
        finally:
            app.close()


def real_instances(app):
    """One Pass numérique chain and one ANCT convention at review, started through the engine."""
    from start_data import CAP_NORD
    from web_helpers import CONVENTION_DRAFT
    from workflows.services.deploy import deploy_paths
    from workflows.services.instances import start_instance
    from workflows.services.tasks import complete_task, list_tasks
    from workflows.services.users import add_user
    deploy_paths(app, [str(ROOT / "bpmn")], ADMIN)
    add_user(app, "bench", ["admin"], [], password=PASSWORD)
    chain = start_instance(app, "pass_numerique", dict(CAP_NORD), ADMIN, territory=None, title="Pass numérique")
    convention = start_instance(app, "convention_anct", dict(CAP_NORD), ADMIN, territory=None, title="Convention ANCT")
    [draft] = list_tasks(app, ADMIN, instance_id=convention["id"])
    complete_task(app, draft["id"], CONVENTION_DRAFT, ADMIN)
    return [chain["id"], chain["id"], convention["id"]]


def copy(connection, table, columns, rows):
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


def raw(app):
    return app.db.engine.raw_connection()


def load_territories(app, codes):
    connection = raw(app)
    groups = [(f"op{g}", "syndicat mixte", "operator") for g in range(10)] + [(f"hub{g}", "association", "hub")
                                                                             for g in range(10)]
    copy(connection.driver_connection, "territory",
         ("code", "name", "kind", "population", "population_year", "time_zone", "updated_by", "updated_at"),
         [(c, f"Territoire {c}", "EPCI", 10000 + n, 2021, "Europe/Paris", "bench", NOW) for n, c in enumerate(codes)]
         + [(g, f"Regroupement {g}", kind, None, None, "Europe/Paris", "bench", NOW) for g, kind, _ in groups])
    copy(connection.driver_connection, "territory_link", ("group_code", "member_code", "relation"),
         [(groups[n // 50 % 20][0], c, groups[n // 50 % 20][2]) for n, c in enumerate(codes)])
    connection.commit()
    connection.close()


def clone_instances(app, templates, codes):
    """Three instances per territory, copies of the real ones; statuses and task ages vary."""
    with app.db.engine.begin() as connection:
        connection.execute(text("CREATE TEMP TABLE codes (n int, code text)"))
        connection.execute(text("INSERT INTO codes VALUES (:n, :code)"), [{"n": n, "code": c} for n, c in enumerate(codes)])
        for k, template in enumerate(templates):
            connection.execute(text("""
                INSERT INTO process_instance (definition_id, process_id, territory, title, status, version, error,
                    next_timer_at, started_by, started_at, updated_at, completed_at)
                SELECT p.definition_id, p.process_id, c.code, p.title || ' ' || c.code,
                       CASE WHEN (c.n + :k) % 50 = 0 THEN 'error' WHEN (c.n + :k) % 9 = 0 THEN 'completed'
                            ELSE 'running' END,
                       p.version, CASE WHEN (c.n + :k) % 50 = 0 THEN 'Expression invalide' END, p.next_timer_at,
                       p.started_by, p.started_at, p.updated_at, NULL
                FROM process_instance p, codes c WHERE p.id = :template"""), {"template": template, "k": k})
            connection.execute(text("""
                INSERT INTO task_record (id, instance_id, workflow_key, seq, state, manual, process_id, spec_name,
                    bpmn_id, name, lane, role, created_at, due_at, body)
                SELECT left(md5(t.id || ':' || i.id), 36), i.id, t.workflow_key, t.seq, t.state, t.manual,
                       t.process_id, t.spec_name, t.bpmn_id, t.name, t.lane, t.role,
                       t.created_at - ((i.id % 40) * interval '1 day'), t.due_at, t.body
                FROM task_record t JOIN process_instance i ON i.process_id = (
                    SELECT process_id FROM process_instance WHERE id = :template)
                WHERE t.instance_id = :template AND i.territory IS NOT NULL
                  AND i.id > (SELECT max(id) FROM process_instance) - :count"""),
                {"template": template, "count": len(codes)})


def load_ledger(app, codes, moves_per_territory):
    connection = raw(app)
    pg = connection.driver_connection
    campaigns, prescribers, receptions, beneficiaries, booklets, moves, statements = [], [], [], [], [], [], []
    opened = datetime(2027, 1, 10)
    booklet_id = beneficiary_id = move_id = 0
    for n, code in enumerate(codes):
        cid = n + 1
        pic = 60 + (n % 5) * 10          # PLIE job seekers (PIC), a booklet of 10 each; the rest seniors, of 5
        statements_passes = 15 + n % 10
        campaigns.append((cid, code, f"Campagne {code}", 24 * statements_passes, "bench", opened))
        prescribers += [(2 * n + 1, cid, "CCAS", date(2027, 1, 5), "bench", opened),
                        (2 * n + 2, cid, "France Travail", date(2027, 1, 5), "bench", opened)]
        receptions += [(2 * n + 1, cid, 10, f"{code}10-000001", f"{code}10-000200", 200, "APTIC", 2027, "BC-1",
                        "10.00", date(2027, 1, 20), "bench", opened),
                       (2 * n + 2, cid, 5, f"{code}05-000001", f"{code}05-000100", 100, "APTIC", 2027, "BC-1",
                        "10.00", date(2027, 1, 20), "bench", opened)]
        people = []
        for b in range(150):
            beneficiary_id += 1
            public = "plie_demandeur_emploi" if b < pic else "senior"
            beneficiaries.append((beneficiary_id, cid, f"B{b:05d}", public, None, None, False, 1, "bench", opened))
            people.append((beneficiary_id, public))
        tens = [p for p in people if p[1] == "plie_demandeur_emploi"]
        fives = [p for p in people if p[1] == "senior"]
        for size, count, holders in ((10, 200, tens), (5, 100, fives)):
            for b in range(count):
                booklet_id += 1
                prescriber = 2 * n + 1 + b % 2
                if b < len(holders):
                    place, owner, who = "beneficiaire", prescriber, holders[b][0]
                elif b < len(holders) + count // 3:
                    place, owner, who = "prescripteur", prescriber, None
                else:
                    place, owner, who = "stock", None, None
                booklets.append((booklet_id, cid, 2 * n + 1 + (size == 5), f"{code}{size:02d}-{b + 1:06d}", size, 2027,
                                 place, owner, who, date(2027, 3, 1), 2 if who else (1 if owner else 0)))
        for m in range(moves_per_territory):
            move_id += 1
            day = date(2027, 2, 1) + timedelta(days=m % 300)
            if m < 150:
                size = 10 if m < pic else 5
                moves.append((move_id, cid, "remise_beneficiaire", day, 2 * n + 1 + m % 2, None, people[m][0], 1, size,
                              None, None, "bench", opened))
            else:
                kind = "dotation_prescripteur" if m % 3 else "transfert_prescripteur"
                moves.append((move_id, cid, kind, day, None if kind.startswith("dot") else 2 * n + 1,
                              2 * n + 1 + m % 2, None, 1, 10, None, None, "bench", opened))
        statements += [(24 * n + 2 * month + place + 1, cid, f"Lieu {place + 1}", f"2027-{month + 1:02d}",
                        statements_passes // 2 + (place and statements_passes % 2), None, "bench", opened)
                       for month in range(12) for place in range(2)]
    copy(pg, "ledger_campaign", ("id", "territory", "title", "redeemed_passes", "opened_by", "opened_at"), campaigns)
    copy(pg, "ledger_prescriber", ("id", "campaign_id", "name", "executory_on", "recorded_by", "recorded_at"), prescribers)
    copy(pg, "ledger_reception", ("id", "campaign_id", "booklet_size", "first_serial", "last_serial", "booklets",
                                  "issuer", "validity_year", "order_reference", "face_value", "received_on",
                                  "recorded_by", "recorded_at"), receptions)
    copy(pg, "ledger_beneficiary", ("id", "campaign_id", "identifier", "public", "age_band", "commune",
                                    "priority_area", "booklets", "created_by", "created_at"), beneficiaries)
    copy(pg, "ledger_booklet", ("id", "campaign_id", "reception_id", "serial", "size", "validity_year", "place",
                                "prescriber_id", "beneficiary_id", "since", "seq"), booklets)
    copy(pg, "ledger_move", ("id", "campaign_id", "kind", "happened_on", "from_prescriber_id", "to_prescriber_id",
                             "beneficiary_id", "booklets", "passes", "reason", "corrects_move_id", "recorded_by",
                             "recorded_at"), moves)
    copy(pg, "ledger_statement", ("id", "campaign_id", "place", "month", "passes", "workshops", "recorded_by",
                                  "recorded_at"), statements)
    connection.commit()
    connection.close()
    return len(moves)


def measure(app, codes):
    from server import create_app
    from server.config import WebSettings
    web = create_app(conventio=app, test_config={"WEB_SETTINGS": WebSettings(secret_key="bench-" + "x" * 40)})
    client = web.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "bench", "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def median_ms(*paths):
        times = []
        for i in range(10):
            started = time.perf_counter()
            for path in paths:
                response = client.get(path.format(code=codes[(37 * i) % len(codes)]), headers=headers)
                assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
            times.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(times), 1)

    figures = {"territory_ms": median_ms("/api/v1/dashboard/territories/{code}", "/api/v1/dashboard?territory={code}"),
               "all_ms": median_ms("/api/v1/dashboard"),
               "export_xlsx_ms": median_ms("/api/v1/dashboard/exports/chaines?format=xlsx")}
    page = client.get("/api/v1/dashboard", headers=headers).get_json()
    print(f"portfolio: {len(page['chains'])} chains, {len(page['late_tasks'])} late tasks, "
          f"{len(page['funnel'])} funnels")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": csrf})
    headers.clear()   # the pages, with the session just opened
    print(f"pages (not a target): /tableau-de-bord {median_ms('/tableau-de-bord')} ms, "
          f"/tableau-de-bord/territoire/… {median_ms('/tableau-de-bord/territoire/{code}')} ms")
    return figures


if __name__ == "__main__":
    main()
