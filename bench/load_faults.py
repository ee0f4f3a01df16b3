"""Load and fault run (issue 14): many enquiries at once, the database cut and restored, SMTP down then up.

    .venv/bin/python bench/load_faults.py [--clients 200] [--wave 100] [--cut-seconds 4] [--workers 4]

Needs PostgreSQL and Redis on this machine (nothing else is touched):

- BENCH_PG_URL: a PostgreSQL server the script may create a database on, default
  postgresql+psycopg://postgres@127.0.0.1:5432/postgres. It creates portal_load_faults_<pid>,
  migrates it (`flask db upgrade`), loads the reference data, and drops it at the end.
- BENCH_REDIS_URL: the Redis database for the rate-limit counters, default
  redis://127.0.0.1:6379/9. It is emptied at the start (FLUSHDB) and at the end.

What it runs, as production does: gunicorn (`--workers`, PORTAL_ENV=production) behind one
trusted proxy (TRUSTED_PROXIES=1; each client sends its own X-Forwarded-For address and
X-Forwarded-Proto: https, as the proxy would), talking to PostgreSQL through a TCP proxy
the script can cut (tests/fixtures/tcp_proxy.py); rate limits in Redis.

1. **Burst**: `--clients` visitors, each from its own address, open the enquiry form, wait
   the form's minimum fill-in time, then all send it at the same moment. Expected: every
   answer a redirect to the thank-you page (no 5xx), one lead per visitor, each with its
   own reference.
2. **Database cut mid-run**: `--wave` more visitors send the form one after another while
   the database is cut for `--cut-seconds` and restored. Expected: never a 500; while
   the database is away the answer is 503 with Retry-After and /healthz (over plain HTTP)
   is 503; the visitor sends again after a second, as a person would, and once the
   database is back every enquiry is stored exactly once (the form token makes a resent
   form idempotent) and the workers recover by themselves.
3. **SMTP down, then up, two outbox workers**: two `flask outbox send --loop` processes
   start while nothing listens on the mail port; after a few seconds an SMTP server
   (aiosmtpd) starts there. Expected: every queued message delivered exactly once.

Prints its figures and exits 1 when any expectation fails. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import collections
import email
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from tests.fixtures.tcp_proxy import TcpProxy  # noqa: E402

BIN = ROOT / ".venv" / "bin"
SECRET = "load-faults-bench-only-secret-not-for-production"  # noqa: S105  (a throw-away server on 127.0.0.1)
ENCRYPTION_KEY = Fernet.generate_key().decode()  # one throw-away key for every process of the run
MIN_SECONDS = 3  # ENQUIRY_MIN_SECONDS: the form is sent no sooner than a person could fill it in
RESEND_AFTER = 1.0  # seconds a visitor waits before sending the form again after a 503
MAX_SENDS = 30


# ----- the pieces: processes, HTTP, the mail server -----


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_request(
    port: int, method: str, path: str, *, body: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """One request on a new connection: status, headers (lower-case names) and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        names = {name.lower(): value for name, value in response.getheaders()}
        cookies = [value.split(";", 1)[0] for name, value in response.getheaders() if name.lower() == "set-cookie"]
        names["set-cookie"] = "; ".join(cookies)
        return response.status, names, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll `check` until true; return how long it took, or fail after `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"timed out after {seconds:g} s waiting for {what}")


class MailCatcher:
    """An SMTP server (aiosmtpd) that records the outbox id of every message it receives."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.received: list[str] = []
        catcher = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
                message = email.message_from_bytes(envelope.content)
                catcher.received.append(message.get("X-Portal-Outbox-Id", "?"))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


# ----- one visitor -----


@dataclass
class Visitor:
    """A person at their own address: the form opened once, then sent (again after a 503)."""

    number: int
    port: int
    address: str = ""
    cookie: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)
    seconds: float = 0.0
    retry_after_missing: int = 0

    def __post_init__(self) -> None:
        self.address = f"10.{20 + self.number // 250}.{self.number % 250}.{7 + self.number % 3}"

    def headers(self, **extra: str) -> dict[str, str]:
        base = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https"}
        if self.cookie:
            base["Cookie"] = self.cookie
        return {**base, **extra}

    def open_form(self) -> None:
        status, headers, html = http_request(self.port, "GET", "/enquire", headers=self.headers())
        if status != 200:
            raise RuntimeError(f"visitor {self.number}: GET /enquire answered {status}")
        self.cookie = headers["set-cookie"]

        def hidden(name: str) -> str:
            match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or re.search(
                rf'name="{name}"[^>]*value="([^"]*)"', html
            )
            if not match:
                raise RuntimeError(f"no {name} in the enquiry form")
            return match.group(1)

        def first_option(name: str) -> str:
            select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.DOTALL)
            values = re.findall(r'<option[^>]*value="([^"]+)"', select.group(0) if select else "")
            if not values:
                raise RuntimeError(f"no choice for {name} in the enquiry form")
            return values[0]

        self.fields = {
            "csrf_token": hidden("csrf_token"),
            "form_token": hidden("form_token"),
            "sector": first_option("sector"),
            "region": first_option("region"),
            "standards": re.search(r'name="standards"[^>]*value="([^"]+)"', html).group(1),
            "contact_name": f"Load Visitor {self.number}",
            "email": f"visitor{self.number}@load.example.om",
            "phone": "9123 4567",
            "company": f"Load Trading LLC {self.number}",
            "employees": "40",
            "sites": "1",
            "timeline": "3_6_months",
            "heard_from": "search",
            "message": "Sent by bench/load_faults.py.",
            "consent": "y",
            "website": "",
        }

    def send(self) -> None:
        """POST the form; after a 503, wait a second and send the same form again."""
        referer = f"https://127.0.0.1:{self.port}/enquire"
        headers = self.headers(**{"Content-Type": "application/x-www-form-urlencoded", "Referer": referer})
        start = time.monotonic()
        for _ in range(MAX_SENDS):
            status, answer, _body = http_request(
                self.port, "POST", "/enquire", body=urlencode(self.fields), headers=headers
            )
            self.statuses.append(status)
            if status != 503:
                break
            self.retry_after_missing += "retry-after" not in answer
            time.sleep(RESEND_AFTER)
        self.seconds = time.monotonic() - start

    @property
    def stored(self) -> bool:
        return self.statuses[-1:] == [302]


def open_forms(visitors: list[Visitor]) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(Visitor.open_form, visitors))


# ----- the run -----


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.failures: list[str] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="portal-load-faults-"))
        server = make_url(os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
        self.server = server
        self.database = f"portal_load_faults_{os.getpid()}"
        self.direct_url = server.set(database=self.database).render_as_string(hide_password=False)
        self.redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
        self.processes: list[subprocess.Popen] = []
        self.proxy: TcpProxy | None = None

    def expect(self, ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)

    # -- set-up and tear-down --

    def check_services(self) -> None:
        try:
            engine = create_engine(self.server, isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as error:
            sys.exit(
                f"bench/load_faults.py needs PostgreSQL: could not connect to {self.server.render_as_string()} "
                f"({type(error).__name__}). Set BENCH_PG_URL to a server where it may create a database."
            )
        import redis

        try:
            redis.Redis.from_url(self.redis_url).ping()
        except redis.RedisError as error:
            sys.exit(
                f"bench/load_faults.py needs Redis for the rate-limit counters: {self.redis_url} did not answer "
                f"({type(error).__name__}). Set BENCH_REDIS_URL (a database nobody else uses)."
            )

    def environment(self, database_url: str, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "FLASK_APP": "wsgi",
            "PYTHONPATH": str(ROOT),
            "PORTAL_ENV": "production",
            "SECRET_KEY": SECRET,
            "DATA_ENCRYPTION_KEYS": ENCRYPTION_KEY,
            "DATABASE_URL": database_url,
            "RATELIMIT_STORAGE_URI": self.redis_url,
            "TRUSTED_PROXIES": "1",
            "ENQUIRY_MIN_SECONDS": str(MIN_SECONDS),
            "PUBLIC_BASE_URL": "https://portal.example.om",
            # Production answers only its own host names: this script (the proxy and the load
            # balancer's health check) reaches the app by address, so that name is added.
            "TRUSTED_HOSTS": "127.0.0.1",
            "NOTIFY_EMAILS": "consultants@load.example.om",
            **extra,
        }

    def flask(self, *command: str) -> None:
        subprocess.run(
            [str(BIN / "flask"), *command],
            cwd=ROOT,
            env=self.environment(self.direct_url),
            check=True,
            capture_output=True,
        )

    def set_up(self) -> None:
        engine = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.database}"'))
        engine.dispose()
        self.flask("db", "upgrade")
        self.flask("seed", "reference")
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def tear_down(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.proxy:
            self.proxy.close()
        engine = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        engine.dispose()
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def start_gunicorn(self) -> int:
        self.proxy = TcpProxy(self.server.host or "127.0.0.1", self.server.port or 5432)
        proxied = self.server.set(host="127.0.0.1", port=self.proxy.port, database=self.database)
        port = free_port()
        log = (self.workdir / "gunicorn.log").open("w")
        command = [str(BIN / "gunicorn"), "-w", str(self.args.workers), "-b", f"127.0.0.1:{port}"]
        command += ["--backlog", "2048", "--timeout", "120", "wsgi:app"]
        environment = self.environment(proxied.render_as_string(hide_password=False))
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log))
        # Every worker loaded: 4 healthy answers per worker in a row, over plain HTTP.
        wait_for(
            lambda: all(http_request(port, "GET", "/healthz")[0] == 200 for _ in range(self.args.workers * 4)),
            120,
            "gunicorn's workers",
        )
        return port

    def leads(self) -> tuple[int, int, int]:
        """Leads, distinct references, distinct e-mail addresses."""
        engine = create_engine(self.direct_url)
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT count(*), count(DISTINCT reference), count(DISTINCT email) FROM leads")
            ).one()
        engine.dispose()
        return row[0], row[1], row[2]

    # -- the three phases --

    def burst(self, port: int) -> None:
        count = self.args.clients
        print(f"\n1. Burst: {count} visitors from {count} addresses send the enquiry form at the same moment")
        visitors = [Visitor(number, port) for number in range(count)]
        open_forms(visitors)
        time.sleep(MIN_SECONDS + 0.5)
        start_together = threading.Barrier(count)

        def go(visitor: Visitor) -> None:
            start_together.wait()
            visitor.send()

        started = time.monotonic()
        threads = [threading.Thread(target=go, args=(visitor,)) for visitor in visitors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        statuses = collections.Counter(status for visitor in visitors for status in visitor.statuses)
        seconds = sorted(visitor.seconds for visitor in visitors)
        leads, references, emails = self.leads()
        print(f"  answers: {dict(statuses)}; all answered in {elapsed:.1f} s")
        print(
            f"  time to answer: median {statistics.median(seconds):.2f} s, "
            f"p95 {seconds[int(len(seconds) * 0.95) - 1]:.2f} s, slowest {seconds[-1]:.2f} s"
        )
        print(f"  stored: {leads} leads, {references} distinct references, {emails} distinct e-mail addresses")
        self.expect(not any(status >= 500 for status in statuses), "no 5xx answer")
        self.expect(statuses == {302: count}, f"all {count} answered with the redirect to the thank-you page")
        self.expect(leads == references == emails == count, f"{count} leads stored, each with its own reference")

    def cut_database(self, port: int, after: float, health: list[int]) -> None:
        """After `after` seconds, cut the database for --cut-seconds, asking /healthz (plain
        HTTP, as a load balancer does) every half second meanwhile; then restore it."""
        assert self.proxy is not None
        time.sleep(after)
        self.proxy.cut()
        cut_until = time.monotonic() + self.args.cut_seconds
        while time.monotonic() < cut_until:
            health.append(http_request(port, "GET", "/healthz")[0])
            time.sleep(0.5)
        self.proxy.restore()

    def cut_mid_run(self, port: int) -> None:
        count, cut = self.args.wave, self.args.cut_seconds
        print(f"\n2. Database cut: {count} more visitors, one every 0.1 s; the database is cut for {cut:g} s mid-run")
        before, _refs, _emails = self.leads()
        visitors = [Visitor(self.args.clients + number, port) for number in range(count)]
        open_forms(visitors)
        time.sleep(MIN_SECONDS + 0.5)
        health: list[int] = []
        fault = threading.Thread(target=self.cut_database, args=(port, count * 0.1 / 4, health))
        started = time.monotonic()
        fault.start()
        threads = []
        for visitor in visitors:
            threads.append(threading.Thread(target=visitor.send))
            threads[-1].start()
            time.sleep(0.1)
        fault.join()
        recovery = wait_for(lambda: http_request(port, "GET", "/healthz")[0] == 200, 120, "/healthz after restore")
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        statuses = collections.Counter(status for visitor in visitors for status in visitor.statuses)
        resent = sum(len(visitor.statuses) - 1 for visitor in visitors)
        missing_retry_after = sum(visitor.retry_after_missing for visitor in visitors)
        after, references, emails = self.leads()
        print(f"  answers: {dict(statuses)} ({resent} forms sent again after a 503); run took {elapsed:.1f} s")
        print(f"  /healthz over plain HTTP while cut: {dict(collections.Counter(health))}")
        print(f"  /healthz answered 200 again {recovery:.1f} s after the database came back")
        print(f"  stored: {after - before} new leads for {count} visitors; {references} references for {after} leads")
        self.expect(not any(status >= 500 and status != 503 for status in statuses), "no 5xx but 503 while cut")
        self.expect(statuses[503] > 0, "the cut was seen: some answers were 503")
        self.expect(missing_retry_after == 0, "every 503 carried Retry-After")
        self.expect(bool(health) and set(health) == {503}, "/healthz said 503 while the database was cut")
        self.expect(all(visitor.stored for visitor in visitors), "every visitor got the thank-you redirect in the end")
        self.expect(after - before == count and references == emails == after, "each enquiry stored exactly once")

    def smtp_down_then_up(self) -> None:
        print("\n3. Outbox: SMTP down, then up, two `flask outbox send --loop` workers at once")
        mail_port = free_port()
        environment = self.environment(
            self.direct_url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(mail_port),
            MAIL_TIMEOUT="5",
            OUTBOX_BACKOFF_SECONDS="1",
            OUTBOX_MAX_ATTEMPTS="100",
            OUTBOX_BATCH_SIZE="50",
        )
        engine = create_engine(self.direct_url)

        def outbox(sql: str) -> int:
            with engine.connect() as connection:
                return connection.execute(text(sql)).scalar_one()

        queued = outbox("SELECT count(*) FROM outbox_messages")
        for number in (1, 2):
            log = (self.workdir / f"outbox-{number}.log").open("w")
            command = [str(BIN / "flask"), "outbox", "send", "--loop", "--interval", "0.5"]
            self.processes.append(subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log))
        wait_for(lambda: outbox("SELECT count(*) FROM outbox_messages WHERE attempts > 0") >= 2, 120, "failed sends")
        time.sleep(3)
        failed_attempts = outbox("SELECT coalesce(sum(attempts), 0) FROM outbox_messages")
        catcher = MailCatcher(mail_port)
        catcher.start()
        try:
            drained = wait_for(
                lambda: outbox("SELECT count(*) FROM outbox_messages WHERE status <> 'sent'") == 0, 600, "the outbox"
            )
            time.sleep(2)  # a duplicate would arrive now, if a second worker had taken the same row
        finally:
            catcher.stop()
        ids = list(catcher.received)
        with engine.connect() as connection:
            sent_ids = {
                str(row[0]) for row in connection.execute(text("SELECT id FROM outbox_messages WHERE status = 'sent'"))
            }
        engine.dispose()
        duplicates = len(ids) - len(set(ids))
        print(f"  {queued} messages queued; {failed_attempts} send attempts failed while nothing listened")
        print(f"  SMTP up: {len(ids)} messages received in {drained:.1f} s, {duplicates} duplicates")
        self.expect(failed_attempts > 0, "the workers met the outage (failed attempts recorded)")
        self.expect(set(ids) == sent_ids and len(sent_ids) == queued, "every queued message delivered")
        self.expect(duplicates == 0, "no message delivered twice")

    def server_log_is_clean(self) -> None:
        log = (self.workdir / "gunicorn.log").read_text()
        unhandled = log.count("unhandled error on")
        print(f"\n  gunicorn log: {unhandled} unhandled errors, {log.count('database unavailable on')} 503s logged")
        self.expect(unhandled == 0, "no unhandled error (500) in the server log")

    def main(self) -> int:
        self.check_services()
        print(
            f"PostgreSQL database {self.database} on {self.server.host}:{self.server.port}; "
            f"gunicorn -w {self.args.workers}, TRUSTED_PROXIES=1, rate limits in {self.redis_url}; "
            f"logs in {self.workdir}"
        )
        self.set_up()
        try:
            port = self.start_gunicorn()
            self.burst(port)
            self.cut_mid_run(port)
            self.smtp_down_then_up()
            self.server_log_is_clean()
        finally:
            self.tear_down()
        print(f"\n{'ALL EXPECTATIONS MET' if not self.failures else 'FAILED: ' + '; '.join(self.failures)}")
        return 1 if self.failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="visitors in the burst, each from its own address")
    parser.add_argument("--wave", type=int, default=100, help="visitors sending while the database is cut")
    parser.add_argument("--cut-seconds", type=float, default=4.0, help="how long the database stays cut")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    return Run(parser.parse_args()).main()


if __name__ == "__main__":
    sys.exit(main())
