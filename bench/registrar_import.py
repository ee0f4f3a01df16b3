"""Benchmark of the registrar CSV import (10,000 rows) and of the directory list at 2,000 bodies.

Generates a CSV in the import format (2,000 fictional bodies x 5 accreditations),
then on each database: a dry run, the import applied and committed, and a re-import
dry run (every row unchanged); each timed. Then asks the real app (test client,
logged in as a consultant) for the directory list and reports the median time and
the number of SQL statements, at 10 bodies and at 2,000: the count must not grow.
The aim: the import under 10 s on SQLite and PostgreSQL.

    .venv/bin/python bench/registrar_import.py
    .venv/bin/python bench/registrar_import.py --databases sqlite --rows 2000
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/registrar_import.py

The PostgreSQL database must exist (createdb); its tables are dropped and created.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench.common import PASSWORD, make_app, reset  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.registrars.csv_format import COLUMNS  # noqa: E402
from portal.registrars.importer import run_import  # noqa: E402

PER_BODY = (
    ("GAC", "ISO 9001", "28|29|35"),
    ("UKAS", "ISO 14001", "28"),
    ("ANAB", "ISO 45001", "16|17|28"),
    ("EIAC", "ISO/IEC 27001", "33"),
    ("DAkkS", "ISO 22000", ""),
)
GOVERNORATES = ("muscat-governorate", "dhofar", "north-al-batinah", "al-wusta", "ad-dakhiliyah")
LIST_URL = "/app/registrars/?active=all&per_page=25"


def generate_csv(rows: int) -> bytes:
    """`rows` rows: rows/5 bodies, each with one accreditation per standard of PER_BODY."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for n in range(rows):
        body, index = divmod(n, len(PER_BODY))
        ab, standard, sectors = PER_BODY[index]
        writer.writerow(
            [
                f"bench-body-{body:05d}",
                f"Bench Certification {body:05d} (fictional)",
                f"https://bench{body}.example.com",
                "Bench Contact",
                f"audits@bench{body}.example.com",
                "+96824123456",
                "Oman",
                "all" if body % 3 == 0 else "|".join(GOVERNORATES[: 1 + body % 5]),
                "ar|en" if body % 2 else "en",
                f"{200 + body % 300}.500",
                "yes" if body % 2 else "no",
                "50.000" if body % 2 else "0.000",
                str(7 + body % 40),
                "yes",
                "",
                ab,
                standard,
                sectors,
                f"BENCH-{body:05d}-{index}",
                "2025-01-01",
                "2028-12-31",
                "active",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def timed_import(app, data: bytes, apply: bool) -> tuple[float, dict[str, int]]:
    with app.app_context():
        start = time.perf_counter()
        report = run_import(io.BytesIO(data), None, apply=apply, source="bench.csv")
        if apply:
            db.session.commit()
        else:
            db.session.rollback()
        elapsed = time.perf_counter() - start
        assert report.file_error is None and not report.rejected, report.rejected[:3]
        return elapsed, dict(report.counts)


def measure_list(app, runs: int) -> tuple[float, int]:
    """Median milliseconds and SQL statements of one directory page."""
    client = app.test_client()
    client.post("/auth/login", data={"email": "bench@example.om", "password": PASSWORD})
    client.get(LIST_URL)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get(LIST_URL).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    statements: list[str] = []

    def count(*_args) -> None:
        statements.append("")

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        client.get(LIST_URL)
        event.remove(db.engine, "before_cursor_execute", count)
    return statistics.median(times), len(statements)


def run(name: str, url: str, rows: int, runs: int) -> None:
    app = make_app(url)
    reset(app)
    timed_import(app, generate_csv(50), apply=True)
    small_ms, small_queries = measure_list(app, runs)
    reset(app)
    data = generate_csv(rows)
    dry, counts = timed_import(app, data, apply=False)
    applied, _ = timed_import(app, data, apply=True)
    again, again_counts = timed_import(app, data, apply=False)
    big_ms, big_queries = measure_list(app, runs)
    bodies = rows // len(PER_BODY)
    print(f"{name}: {rows} rows, {bodies} bodies, {len(data) / 1e6:.1f} MB")
    print(f"  dry run            {dry:6.2f} s   {counts}")
    print(f"  import (commit)    {applied:6.2f} s   {'under' if applied < 10 else 'OVER'} the 10 s aim")
    print(f"  re-import dry run  {again:6.2f} s   {again_counts}")
    print(f"  list, 10 bodies    {small_ms:6.1f} ms median, {small_queries} SQL statements")
    print(f"  list, {bodies} bodies {big_ms:6.1f} ms median, {big_queries} SQL statements", end="  ")
    print("(constant)" if big_queries == small_queries else "(GROWS)")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    for name in args.databases.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args.rows, args.runs)
        else:
            url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/portal_i_bench")
            run("PostgreSQL", url, args.rows, args.runs)


if __name__ == "__main__":
    main()
