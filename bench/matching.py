"""Benchmark of registrar matching: one engagement against 2,000 bodies with 20,000 accreditations.

Seeds the directory straight through SQL Core, in a process of its own (each body: 10
accreditations over the main standards, 6 sectors each, a few regions and languages,
some quote history) and vacuums it (as autovacuum would a live database), then times,
per run, loading the whole directory from the database into the values a process keeps
per content version (and the memory they take), picking out of them what this match
needs (plus the quote history, from the database), the pure match, then all the match
page computes (load, match, and the reasons against the bodies it shows), each as the
page runs them: the cycle collector paused, and every value freed before it resumes.
Then the same with the collector running, and the whole match page through the app
(logged in as a consultant). Each run's values are freed within its time. Each line
gives the wall-clock median and p95, the median CPU time of this process (steadier than
wall time on a busy machine) and the SQL statements of one run. Two baselines measured
in the same run put the figures in proportion: the kept directory's statements replayed
on the bare DB-API cursor (rows fetched and looped over, nothing built), and a bare
endpoint of the same app behind the same login (the page's fixed cost: session, user,
headers).

    .venv/bin/python bench/matching.py                              # SQLite and PostgreSQL
    .venv/bin/python bench/matching.py --databases sqlite --bodies 500 --runs 5
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/portal_j_bench .venv/bin/python bench/matching.py

The PostgreSQL database must exist (createdb); its tables are dropped and created.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, event, insert, select, text  # noqa: E402

from bench.common import PASSWORD, bench_user  # noqa: E402
from bench.common import make_app as bench_app  # noqa: E402
from portal.auth.session import staff_required  # noqa: E402
from portal.core.reference_data import load_reference_data  # noqa: E402
from portal.domain.matching_types import EngagementNeeds, MatchResult  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.matching.loader import (  # noqa: E402
    NeedsInput,
    collector_paused,
    load_directory,
    load_kept_directory,
    match_directory,
    match_needs,
    needs_for,
)
from portal.matching.presentation import SHOWN_ELIGIBLE, SHOWN_EXCLUDED  # noqa: E402
from portal.models import (  # noqa: E402
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    Client,
    Engagement,
    Lead,
    Quote,
    Region,
    Sector,
    Standard,
    accreditation_sectors,
    certification_body_regions,
    engagement_standards,
)
from portal.models.types import utcnow  # noqa: E402

ACCREDITATIONS_PER_BODY = 10
TODAY = date(2026, 11, 25)


def make_app(url: str):
    """The portal, plus a bare page behind the same login: the baseline for the whole request."""
    app = bench_app(url)
    app.add_url_rule("/bench/bare", "bench_bare", staff_required(lambda: "ok"))
    return app


def _ids(model, column) -> dict:
    return dict(db.session.execute(select(column, model.id)).all())


def seed(bodies: int, rng: random.Random) -> int:
    """The directory, one consultant and one engagement (ISO 9001 + 14001 + 45001); returns the engagement id."""
    load_reference_data()
    db.session.commit()
    standards = _ids(Standard, Standard.slug)
    wanted = [standards[s] for s in ("iso-9001", "iso-14001", "iso-45001", "iso-27001", "iso-22000")]
    sectors = _ids(Sector, Sector.code)
    regions = list(_ids(Region, Region.slug).values())
    abs_ = list(_ids(AccreditationBody, AccreditationBody.code).values())

    db.session.execute(
        insert(CertificationBody),
        [
            {
                "id": n,
                "name": f"Body {n:05d}",
                "slug": f"body-{n}",
                "day_rate": Decimal(rng.randrange(150, 600)),
                "serves_all_oman": rng.random() < 0.4,
                "travel_charged": rng.random() < 0.5,
                "travel_fee": Decimal(rng.randrange(50, 300)),
                "lead_time_days": rng.choice([None, 14, 30, 45, 60, 90]),
                "active": rng.random() < 0.95,
                "created_at": utcnow(),
                "updated_at": utcnow(),
                "version": 1,
            }
            for n in range(1, bodies + 1)
        ],
    )
    db.session.execute(
        insert(certification_body_regions),
        [
            {"certification_body_id": n, "region_id": region}
            for n in range(1, bodies + 1)
            for region in rng.sample(regions, 3)
        ],
    )
    db.session.execute(
        insert(CertificationBodyLanguage),
        [
            {"certification_body_id": n, "code": code}
            for n in range(1, bodies + 1)
            for code in ("en", "ar")[: rng.randint(1, 2)]
        ],
    )
    accreditation_rows, sector_rows = [], []
    for n in range(1, bodies + 1):
        for k in range(ACCREDITATIONS_PER_BODY):
            acc_id = (n - 1) * ACCREDITATIONS_PER_BODY + k + 1
            start = TODAY - timedelta(days=rng.randrange(100, 1500))
            accreditation_rows.append(
                {
                    "id": acc_id,
                    "certification_body_id": n,
                    "accreditation_body_id": rng.choice(abs_),
                    "standard_id": wanted[k % len(wanted)],
                    "number": f"ACC-{acc_id}",
                    "valid_from": start,
                    "valid_until": start + timedelta(days=rng.randrange(400, 2200)),
                    "status": rng.choice(["active"] * 8 + ["suspended", "withdrawn"]),
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                    "version": 1,
                }
            )
            sector_rows += [{"accreditation_id": acc_id, "sector_id": sectors[c]} for c in rng.sample(range(1, 40), 6)]
    db.session.execute(insert(Accreditation), accreditation_rows)
    db.session.execute(insert(accreditation_sectors), sector_rows)

    user = bench_user()
    lead = Lead(
        contact_name="Bench",
        email="lead@example.om",
        email_normalised="lead@example.om",
        company="Bench LLC",
        company_normalised="bench llc",
        employees=300,
        sites=4,
        language="ar",
        wanted_by=TODAY + timedelta(days=200),
        sector_id=sectors[28],
        region_id=db.session.scalar(select(Region.id).where(Region.slug == "sohar")),
        status="converted",
    )
    engagement = Engagement(client=Client(name="Bench LLC", name_normalised="bench llc"), lead=lead)
    db.session.add_all([user, engagement])
    db.session.flush()
    db.session.execute(
        insert(engagement_standards),
        [{"engagement_id": engagement.id, "standard_id": standards[s]} for s in ("iso-9001", "iso-14001", "iso-45001")],
    )
    db.session.execute(
        insert(Quote),
        [
            {
                "engagement_id": engagement.id,
                "certification_body_id": rng.randrange(1, bodies + 1),
                "status": "received",
                "token_nonce": f"{q:032x}",
                "requested_at": utcnow() - timedelta(days=20),
                "received_at": utcnow() - timedelta(days=rng.randrange(1, 19)),
                "updated_at": utcnow(),
                "version": 1,
            }
            for q in range(bodies // 4)
        ],
    )
    db.session.commit()
    return engagement.id


def seed_database(url: str, bodies: int) -> int:
    """Fresh tables, seeded and vacuumed (as autovacuum keeps a live database); the engagement id.

    Run in a process of its own: the tens of thousands of values a seed builds and
    frees would otherwise scatter the measuring process's heap, which a worker serving
    pages never has, and slow every figure after it."""
    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        engagement_id = seed(bodies, random.Random(6))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))
        return engagement_id


@dataclass
class Timing:
    """Per run: wall-clock and CPU milliseconds; the SQL statements (with parameters) of the last run."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    statements: list[tuple[str, object]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def p95(self) -> float:
        return sorted(self.wall)[max(0, round(len(self.wall) * 0.95) - 1)]


def as_the_page(needs: EngagementNeeds) -> MatchResult:
    """Load, match, and the reasons against the bodies the page shows."""
    result = match_needs(needs, TODAY)
    eligible, excluded = result.eligible[:SHOWN_ELIGIBLE], result.excluded[:SHOWN_EXCLUDED]
    reasons = [candidate.not_covered for candidate in eligible] + [body.reasons for body in excluded]
    assert all(reasons[len(eligible) :]), "every excluded body has a reason"
    return result


def as_served(action: Callable[[], object]) -> Callable[[], None]:
    """`action` as the match page runs it: the cycle collector paused until its values are freed."""

    def run() -> None:
        with collector_paused():
            action()

    return run


def timed(engine: Engine, action: Callable[[], object], runs: int) -> Timing:
    """Time `action` `runs` times after one warm-up run, each freeing what it returns."""
    timing = Timing()
    action()

    def record(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        timing.statements.append((statement, parameters))

    for _run in range(runs):
        timing.statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        timing.cpu.append((time.process_time() - cpu) * 1000)
        timing.wall.append((time.perf_counter() - wall) * 1000)
        event.remove(engine, "before_cursor_execute", record)
    return timing


def replay(statements: list[tuple[str, object]]) -> Callable[[], None]:
    """The same statements on the bare DB-API cursor: rows fetched and looped over, no values built."""

    def run() -> None:
        cursor = db.session.connection().connection.cursor()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            for _row in cursor.fetchall():
                pass
        cursor.close()

    return run


def report(label: str, timing: Timing, baseline: Timing | None = None, statements: bool = True) -> None:
    sql = f"{len(timing.statements):2d} SQL" if statements else "  -    "
    ratio = f"   x{timing.median / baseline.median:5.1f} baseline" if baseline else ""
    print(
        f"  {label:<34} median {timing.median:7.1f} ms   p95 {timing.p95:7.1f} ms   "
        f"cpu {statistics.median(timing.cpu):7.1f} ms   {sql}{ratio}"
    )


def keeping(url: str, runs: int) -> tuple[Timing, Timing, float]:
    """Building the directory a process keeps per content version: its timing, the same SQL on
    the bare cursor, and the megabytes it holds (tracemalloc). In a process of its own, like the
    seed: a worker builds it once per directory edit, and the bench's many would scatter the heap."""
    app = make_app(url)
    with app.app_context():
        keep = timed(db.engine, as_served(load_kept_directory), runs)
        bare_fetch = timed(db.engine, replay(keep.statements), runs)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = load_kept_directory()
        megabytes = (tracemalloc.get_traced_memory()[0] - before) / 1_000_000
        tracemalloc.stop()
        del kept
        db.session.remove()
    return keep, bare_fetch, megabytes


def bench(name: str, url: str, bodies: int, runs: int) -> None:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        engagement_id = pool.submit(seed_database, url, bodies).result()
        print(
            f"{name}: {bodies:,} bodies, {bodies * ACCREDITATIONS_PER_BODY:,} accreditations "
            f"(seeded in {time.perf_counter() - start:.1f} s), {runs} runs each"
        )
        keep, bare_fetch, megabytes = pool.submit(keeping, url, runs).result()
    report("baseline: same SQL, bare cursor", bare_fetch, statements=False)
    report("keep directory (DB -> kept values)", keep, bare_fetch)
    print(f"  {'':<34} once per content version; {megabytes:.1f} MB kept")
    app = make_app(url)
    with app.app_context():
        engine = db.engine
        engagement = db.session.get(Engagement, engagement_id)
        needs = needs_for(engagement, NeedsInput())
        load = timed(engine, as_served(lambda: load_directory(needs, TODAY)), runs)
        report("load directory (kept -> values)", load)
        directory = load_directory(needs, TODAY)
        print(f"  {'':<34} {len(directory.bodies)} bodies, {len(directory.accreditations)} accreditations may count")
        report("match (pure)", timed(engine, as_served(lambda: match_directory(needs, directory, TODAY)), runs))
        result = match_directory(needs, directory, TODAY)
        print(f"  {'':<34} {len(result.eligible)} eligible, {len(result.excluded)} excluded")
        report("load + match + reasons shown", timed(engine, as_served(lambda: as_the_page(needs)), runs))
        running = timed(engine, lambda: match_directory(needs, load_directory(needs, TODAY), TODAY), runs)
        report("load + match, collector running", running)
        db.session.remove()

    # Outside the bench's app context, so each request has its own context and session, as when served.
    client = app.test_client()
    client.post("/auth/login", data={"email": "bench@example.om", "password": PASSWORD})
    for path in ("/bench/bare", f"/app/engagements/{engagement_id}/match"):
        assert client.get(path).status_code == 200, path
    bare_page = timed(engine, lambda: client.get("/bench/bare"), runs)
    report("baseline: bare page, same login", bare_page)
    page = timed(engine, lambda: client.get(f"/app/engagements/{engagement_id}/match"), runs)
    report("match page (whole request)", page, bare_page)
    with app.app_context():
        db.drop_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--bodies", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    pg_url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/portal_j_bench")
    with tempfile.TemporaryDirectory() as folder:
        urls = {"sqlite": f"sqlite:///{folder}/bench.sqlite3", "postgresql": pg_url}
        for name in args.databases.split(","):
            bench(name, urls[name], args.bodies, args.runs)


if __name__ == "__main__":
    main()
