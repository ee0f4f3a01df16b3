"""Benchmark of the lead inbox (and the dashboard) at 1,000 and 100,000 leads, on SQLite and PostgreSQL.

Seeds leads (with their standards and two activities each) straight through SQL
Core, then asks the real app (Flask test client, logged in as a consultant) for
three views and reports, per view, the median and p95 server time and the number
of SQL statements. The aim: under 50 ms at the median on PostgreSQL with 100,000
leads, and the same statement count at every size.

    .venv/bin/python bench/leads_inbox.py                       # both databases, 1k and 100k
    .venv/bin/python bench/leads_inbox.py --databases sqlite --sizes 1000,20000 --runs 20
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/leads_inbox.py

The PostgreSQL database must exist (createdb); its tables are dropped and created. Without
a reachable PostgreSQL the script says so and measures SQLite. The table is also written
to bench/results/leads_inbox.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from bench.common import PASSWORD, make_app, reset  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Activity, Lead, Region, Sector, Standard, lead_standards  # noqa: E402

VIEWS = {
    "first page": "/app/leads/",
    "filtered page": "/app/leads/?status=all&standard=iso-9001&location=muscat-governorate&score_min=40&sort=-score",
    "search": "/app/leads/?q=noor",
    "dashboard": "/app/",
}
STATUSES = ["new", "contacted", "qualified", "converted", "unqualified", "spam"]
PLACES = ["Al Noor", "Sohar", "Dhofar", "Majan", "Nizwa", "Barka", "Sur", "Ibri", "Duqm", "Muttrah", "Seeb", "Rustaq"]
TRADES = ["Trading", "Steel", "Fisheries", "IT Solutions", "Construction", "Hotels", "Academy", "Oilfield Services"]
BATCH = 5_000
RESULTS = Path(__file__).resolve().parent / "results"


def seed(app, start: int, stop: int, user_id: int) -> None:
    """Insert leads start..stop-1 (spread over a year) with standards and two activities each."""
    rng = random.Random(start)
    now = datetime.now(UTC)
    with app.app_context():
        standard_ids = list(db.session.scalars(select(Standard.id)))
        region_ids = list(db.session.scalars(select(Region.id)))
        sector_ids = list(db.session.scalars(select(Sector.id)))
        for offset in range(start, stop, BATCH):
            ids = range(offset + 1, min(offset + BATCH, stop) + 1)
            leads, links, activities = [], [], []
            for n in ids:
                company = f"{rng.choice(PLACES)} {rng.choice(TRADES)} {n}"
                email = f"contact{n}@company{n}.example.om"
                created = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
                leads.append(
                    {
                        "id": n,
                        "reference": f"ENQ-B-{n:08d}",
                        "created_at": created,
                        "updated_at": created,
                        "contact_name": f"Contact {n}",
                        "email": email,
                        "email_normalised": email,
                        "phone": f"+9689{n:07d}",
                        "company": company,
                        "company_normalised": company.lower(),
                        "sector_id": rng.choice(sector_ids),
                        "employees": rng.randrange(1, 800),
                        "sites": 1,
                        "region_id": rng.choice(region_ids),
                        "message": "We would like to know the steps and the cost of certification.",
                        "source": "form",
                        "status": rng.choice(STATUSES),
                        "score": rng.randrange(0, 101),
                        "assigned_to_id": user_id if rng.random() < 0.4 else None,
                        "version": 1,
                    }
                )
                for standard_id in rng.sample(standard_ids, rng.choice((1, 1, 2))):
                    links.append({"lead_id": n, "standard_id": standard_id})
                for kind in ("status_change", "note"):
                    activities.append({"lead_id": n, "author_id": user_id, "kind": kind, "created_at": created})
            db.session.execute(insert(Lead.__table__), leads)
            db.session.execute(insert(lead_standards), links)
            db.session.execute(insert(Activity.__table__), activities)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SELECT setval('leads_id_seq', (SELECT max(id) FROM leads))"))
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def measure(app, runs: int) -> dict[str, tuple[float, float, int]]:
    """(median ms, p95 ms, SQL statements) per view, logged in as the consultant."""
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "bench@example.om", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    results = {}
    for name, url in VIEWS.items():
        client.get(url)  # warm caches and compiled statements
        timings, counts = [], set()
        for _ in range(runs):
            statements.clear()
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            counts.add(len(statements))
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results[name] = (statistics.median(timings), p95, max(counts))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    urls = {
        "sqlite": "sqlite:///" + os.path.join(tempfile.gettempdir(), "portal_bench.sqlite3"),
        "postgresql": os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench"),
    }
    lines = ["| database | leads | view | median ms | p95 ms | SQL statements |", "|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    for database in args.databases.split(","):
        app = make_app(urls[database])
        try:
            user_id = reset(app)
        except OperationalError as error:  # e.g. no PostgreSQL here: say so, measure the rest
            print(f"<!-- {database} skipped: {str(error.orig).strip()} -->", flush=True)
            continue
        seeded = 0
        for size in sizes:
            started = time.perf_counter()
            seed(app, seeded, size, user_id)
            seeded = size
            print(f"<!-- {database}: seeded {size} leads in {time.perf_counter() - started:.0f} s -->", flush=True)
            for view, (median, p95, count) in measure(app, args.runs).items():
                lines.append(f"| {database} | {size:,} | {view} | {median:.1f} | {p95:.1f} | {count} |")
                print(lines[-1], flush=True)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "leads_inbox.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
