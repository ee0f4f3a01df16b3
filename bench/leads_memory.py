"""Resident memory of a real app worker serving the lead pages at 100,000 leads, SQLite and PostgreSQL.

The standard: an app worker stays under 150 MB resident at 100,000 leads, and exports
stream rows instead of holding whole files. This script seeds the leads the way
bench/leads_inbox.py does (skipped when the database already holds that many), starts
gunicorn with one sync worker, logs in as an admin over HTTP and asks, in order, for the
inbox first page, filtered pages, a search, the dashboard, a lead page and the full CSV
export of every lead (read in 64 KB pieces and thrown away, as a client streaming it to
/dev/null would). Before each step the worker's peak is reset (`echo 5 >
/proc/<pid>/clear_refs`), so the VmHWM read after it is that step's own peak; VmRSS is
what stays resident. A bare Flask app in the same gunicorn set-up is the baseline.

    .venv/bin/python bench/leads_memory.py                          # both databases, 100,000 leads
    .venv/bin/python bench/leads_memory.py --databases sqlite --leads 20000
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/leads_memory.py

The table is also written to bench/results/leads_memory.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyotp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.common import PASSWORD, make_app, reset  # noqa: E402
from bench.leads_inbox import RESULTS, VIEWS, seed  # noqa: E402
from bench.public_pages import free_port, stop  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Lead, Role, User  # noqa: E402
from portal.models.types import utcnow  # noqa: E402

LIMIT_MB = 150
ADMIN_EMAIL = "bench-admin@example.om"
ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (the bench admin signs in with a second factor)
STEPS = {
    "inbox first page": [VIEWS["first page"]],
    "filtered pages": [
        VIEWS["filtered page"],
        "/app/leads/?status=all&sort=company&per_page=100&page=40",
        "/app/leads/?assigned=me&standard=iso-14001&sort=-score&per_page=100",
        "/app/leads/?duplicates=1&status=all",
    ],
    "search": [VIEWS["search"], "/app/leads/?q=steel+muscat&status=all"],
    "dashboard": [VIEWS["dashboard"]],
    "lead page": ["/app/leads/{lead_id}"],
    "CSV export (all leads)": ["POST /app/leads/export.csv?status=all"],
}


# ----- the app gunicorn serves ("bench.leads_memory:portal_app()") -----


def portal_app():
    return make_app(os.environ["BENCH_DATABASE_URL"])


# ----- setup -----


def prepare(url: str, leads: int) -> int:
    """A database with `leads` leads (seeded only if it holds another number) and an admin; a lead id."""
    app = make_app(url)
    with app.app_context():
        try:
            present = db.session.scalar(select(func.count()).select_from(Lead))
        except Exception:  # noqa: BLE001  (no tables yet)
            db.session.rollback()
            present = None
    if present != leads:
        user_id = reset(app)
        started = time.perf_counter()
        seed(app, 0, leads, user_id)
        print(f"<!-- seeded {leads:,} leads in {time.perf_counter() - started:.0f} s -->", flush=True)
    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is None:
            hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
            admin = User(email=ADMIN_EMAIL, name="Bench Admin", role=Role.ADMIN.value, password_hash=hashed)
            admin.totp_secret, admin.totp_enabled_at = ADMIN_TOTP_SECRET, utcnow()
            db.session.add(admin)
            db.session.commit()
        lead_id = db.session.scalar(select(func.max(Lead.id)))
        db.session.remove()
        db.engine.dispose()
    return lead_id


# ----- the worker and its memory -----


def start_worker(target: str, env: dict[str, str]):
    """gunicorn with one sync worker; (process, port, worker pid) once the worker answers."""
    import subprocess

    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    root = str(Path(__file__).resolve().parent.parent)
    process = subprocess.Popen(
        [gunicorn, "--chdir", root, "-w", "1", "-k", "sync", "-t", "300", "-b", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", target],
        env={**os.environ, **env},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        if children:
            try:
                get(port, "/", "")
                return process, port, int(children[0])
            except OSError:
                pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not start for {target}")


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of the process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def reset_peak(pid: int) -> None:
    """Set VmHWM back to the current RSS (Linux 4.0+), so the next reading is one step's peak."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def get(port: int, path: str, cookie: str) -> tuple[int, int]:
    """(status, bytes) of a request ("POST /path" for a POST, else a GET), the body read in 64 KB pieces and dropped."""
    method, _, path = path.rpartition(" ")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request(method or "GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        size = 0
        while piece := response.read(65536):
            size += len(piece)
        return response.status, size
    finally:
        connection.close()


def _post(port: int, path: str, fields: dict[str, str], cookie: str = "") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    connection.request("POST", path, body=urllib.parse.urlencode(fields), headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 302, (path, response.status)
    return response


def _cookies(response: http.client.HTTPResponse) -> str:
    return "; ".join(h.split(";", 1)[0] for h in response.msg.get_all("Set-Cookie") or [])


def login(port: int) -> str:
    """The admin's password, then the second step with the code an authenticator shows now."""
    pending = _cookies(_post(port, "/auth/login", {"email": ADMIN_EMAIL, "password": PASSWORD}))
    code = pyotp.TOTP(ADMIN_TOTP_SECRET).now()
    return _cookies(_post(port, "/auth/login/code", {"code": code}, pending))


def measure_portal(url: str, lead_id: int) -> list[tuple[str, float, float, int]]:
    """(step, peak MB during the step, RSS MB after it, bytes received) per step."""
    process, port, pid = start_worker("bench.leads_memory:portal_app()", {"BENCH_DATABASE_URL": url})
    try:
        cookie = login(port)
        rss, _ = memory_mb(pid)
        rows = [("after start and login", rss, rss, 0)]
        for step, paths in STEPS.items():
            reset_peak(pid)
            received = 0
            for path in paths:
                status, size = get(port, path.format(lead_id=lead_id), cookie)
                assert status == 200, (path, status)
                received += size
            rss, peak = memory_mb(pid)
            rows.append((step, peak, rss, received))
        return rows
    finally:
        stop(process)


def measure_bare() -> float:
    # public_pages imports only the standard library at the top: the bare app loads Flask alone.
    process, port, pid = start_worker("bench.public_pages:bare_app()", {})
    try:
        get(port, "/", "")
        return memory_mb(pid)[1]
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--leads", type=int, default=100_000)
    args = parser.parse_args()
    urls = {
        "sqlite": "sqlite:///" + os.path.join(tempfile.gettempdir(), "portal_bench_memory.sqlite3"),
        "postgresql": os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench"),
    }
    bare = measure_bare()
    lines = [
        f"Baseline: a bare Flask app in the same gunicorn worker peaks at {bare:.1f} MB.",
        "",
        "| database | leads | step | peak MB (VmHWM) | RSS after MB | over bare MB | KB sent | under 150 MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    failed = False
    for database in args.databases.split(","):
        try:
            lead_id = prepare(urls[database], args.leads)
        except OperationalError as error:  # e.g. no PostgreSQL here: say so, measure the rest
            print(f"<!-- {database} skipped: {str(error.orig).strip()} -->", flush=True)
            continue
        for step, peak, rss, received in measure_portal(urls[database], lead_id):
            ok = peak < LIMIT_MB
            failed |= not ok
            lines.append(
                f"| {database} | {args.leads:,} | {step} | {peak:.1f} | {rss:.1f} | {peak - bare:+.1f} "
                f"| {received // 1024:,} | {'yes' if ok else 'NO'} |"
            )
            print(lines[-1], flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "leads_memory.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
