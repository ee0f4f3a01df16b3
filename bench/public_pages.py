"""Benchmark of the public side: server time per page, and requests per second under gunicorn.

    .venv/bin/python bench/public_pages.py [--workers 2] [--clients 4] [--seconds 5]
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench \
      .venv/bin/python bench/public_pages.py --database postgresql   # the data in PostgreSQL

1. Server time: each page rendered in-process (the page cache keeping nothing) (Flask test client, SQLite, reference data
   loaded) many times; prints the median and 95th percentile in milliseconds. The target
   is a median under 20 ms.
1b. Languages: each page in English and in Arabic (`/ar/...` where it exists, else the
   Arabic locale through Accept-Language), each with the portal's per-request catalogue
   (portal.web.catalogue) and with Flask-Babel's own per-message lookup, rounds of the
   four interleaved so that the machine's load falls on all alike. Prints the medians,
   Arabic / English and bound / per-message.
2. Throughput: the portal and a bare Flask app ("hello" in 30 bytes) are each served by
   gunicorn with the same workers; client processes send requests for a fixed time and
   the script prints requests per second and the ratio portal / bare for GET /,
   /standards/iso-9001, /locations/muscat and /ar/ (alternating rounds: bare, then each
   page, repeated, ratios over the sums; the aim is 0.7 or more, pages coming from the
   page cache), then POST /enquire (a complete, valid enquiry that creates a lead) and the
   resident memory of each portal worker. The ratio is what to watch: absolute numbers
   depend on the machine, and the client processes share its CPUs with the server.

The enquiry POST is measured only when the enquiry form exists, next to the same POST served
by the portal with the lead's writing left out ("validation only", `validation_only_app`): what
the request, its CSRF check and the form's validation cost before a row is written, the most
any saving in the writing could give. With `--enquiry-only`, the same rounds also serve the
fixed stack's own floor for this POST (`flask_wtf_floor_app`): Flask and Flask-WTF alone
validating a form of the same 26 fields, and the same with one row inserted and committed
through the database driver, nothing of the portal in either. Each client process opens
the form once (session cookie, CSRF token, valid choices) and sends every POST with a fresh
signed form token, as a visitor sending the form for the first time would, so every POST
makes a new lead. Rate limits are switched off for the run.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["/", "/iso-certification", "/process", "/standards", "/standards/iso-9001", "/locations/muscat", "/contact"]
THROUGHPUT_PAGES = ["/", "/standards/iso-9001", "/locations/muscat", "/ar/"]
SECRET = "bench-only-secret"  # noqa: S105  (a throw-away server on 127.0.0.1)


# ----- the two apps gunicorn serves ("bench.public_pages:portal_app()") -----


def portal_app():
    from portal import create_app

    app = create_app("development")
    app.config.update(ENQUIRY_MIN_SECONDS=0)
    logging.getLogger().setLevel(logging.WARNING)  # no INFO line per enquiry in the measurement
    return app


def validation_only_app():
    """The portal with the enquiry's writing left out: `submit_enquiry` answers a lead it does not
    save. The same POST then runs through the same request, session, CSRF check, form, choices and
    validation, and stops before the first row: the ceiling the POST could reach if writing the
    lead, its standards, consents, activity and e-mails cost nothing."""
    from types import SimpleNamespace

    from portal.public.enquiry import routes

    routes.submit_enquiry = lambda _data, rows=None: SimpleNamespace(id=0)
    return portal_app()


def flask_wtf_floor_app(write: bool = False):
    """Flask and Flask-WTF alone, with nothing of the portal: CSRF, a signed session and a form of
    the enquiry form's 26 fields (the same kinds, stock validators, choices as many as the
    reference data's) validated, then a redirect. The floor of the fixed stack for this POST.
    With `write`, each valid POST also inserts one row (the form's data as JSON) and commits,
    through the driver itself with no ORM: the cheapest durable trace an enquiry could leave."""
    import json

    from flask import Flask, redirect, render_template_string, request
    from flask_wtf import CSRFProtect, FlaskForm
    from wtforms import (
        BooleanField,
        DateField,
        EmailField,
        HiddenField,
        IntegerField,
        SelectField,
        SelectMultipleField,
        StringField,
        TelField,
        TextAreaField,
    )
    from wtforms.validators import DataRequired, Length, Optional
    from wtforms.widgets import CheckboxInput, ListWidget

    def choices(prefix: str, count: int) -> list[tuple[str, str]]:
        return [(f"{prefix}{n}", f"{prefix} {n}") for n in range(1, count + 1)]

    class Checkboxes(SelectMultipleField):
        widget = ListWidget(prefix_label=False)
        option_widget = CheckboxInput()

    class FloorEnquiryForm(FlaskForm):
        contact_name = StringField(validators=[DataRequired(), Length(max=120)])
        email = EmailField(validators=[DataRequired(), Length(max=254)])
        phone = TelField(validators=[Optional()])
        company = StringField(validators=[DataRequired(), Length(max=200)])
        job_title = StringField(validators=[Optional(), Length(max=120)])
        sector = SelectField(choices=[("", "")] + choices("", 40), validators=[Optional()])
        employees = IntegerField(validators=[Optional()])
        sites = IntegerField(validators=[Optional()])
        region = SelectField(choices=[("", "")] + choices("region-", 60), validators=[Optional()])
        standards = Checkboxes(choices=choices("iso-", 20), validators=[DataRequired()])
        existing_certifications = StringField(validators=[Optional(), Length(max=300)])
        timeline = SelectField(choices=[("", ""), ("3_6_months", "3-6")], validators=[Optional()])
        wanted_by = DateField(validators=[Optional()])
        heard_from = SelectField(choices=[("", ""), ("search", "search")], validators=[Optional()])
        message = TextAreaField(validators=[Optional(), Length(max=5000)])
        consent = BooleanField(validators=[DataRequired()])
        marketing_consent = BooleanField()
        form_token = HiddenField()
        attachment = HiddenField()
        utm_source = HiddenField()
        utm_medium = HiddenField()
        utm_campaign = HiddenField()
        utm_term = HiddenField()
        utm_content = HiddenField()
        website = StringField()

    page = "<!doctype html><title>x</title><form>{{ form.csrf_token }}{{ form.sector }}{{ form.region }}{{ form.standards }}</form>"
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET
    CSRFProtect(app)
    store = _floor_store() if write else None

    @app.get("/")
    def hello():
        return "<!doctype html><title>x</title>"

    @app.route("/enquire", methods=["GET", "POST"])
    def enquire():
        form = FloorEnquiryForm()
        if form.validate_on_submit():
            if store:
                store(json.dumps(form.data, default=str))
            return redirect("/thanks")
        if request.method == "POST":
            return str(form.errors), 400
        return render_template_string(page, form=form)

    return app


def _floor_store():
    """A function that inserts one text row and commits, on DATABASE_URL's database (its driver alone)."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
        placeholder = "?"
    else:
        import psycopg

        connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        placeholder = "%s"
    connection.execute("CREATE TABLE IF NOT EXISTS bench_floor_enquiry (payload TEXT NOT NULL)")
    connection.commit()

    def store(payload: str) -> None:
        connection.execute(f"INSERT INTO bench_floor_enquiry (payload) VALUES ({placeholder})", (payload,))  # noqa: S608
        connection.commit()

    return store


def bare_app():
    from flask import Flask

    app = Flask(__name__)

    @app.get("/")
    def hello():
        return "<!doctype html><title>x</title>"

    return app


# ----- setup -----


def prepare_database(url: str) -> None:
    """Fresh tables (a new SQLite file, or BENCH_PG_URL's emptied) and the reference data."""
    from portal import create_app
    from portal.core.reference_data import load_reference_data
    from portal.extensions import db

    app = create_app("development")
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_reference_data()
        db.session.commit()


def rendering_app():
    """The portal with its page cache keeping nothing: the in-process timings measure rendering."""
    from portal import create_app

    app = create_app("development")
    app.extensions["page_cache"].memory.max_entries = 0
    return app


def server_times(rounds: int) -> dict[str, tuple[float, float]]:
    """Median and 95th percentile in-process time (ms) per page."""
    app = rendering_app()
    client = app.test_client()
    results = {}
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            client.get(path, headers={"Accept-Encoding": "gzip"})
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        results[path] = (statistics.median(samples), samples[int(len(samples) * 0.95) - 1])
    return results


def _stock_lookup(app) -> dict:
    """Flask-Babel's own per-message lookup, as before portal.web.catalogue: its Domain and
    template callables, and Jinja's `_` alias (taken from a bare i18n environment)."""
    from flask_babel import Domain, get_translations
    from jinja2 import Environment

    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
    )
    names = ("_", "gettext", "ngettext")
    return {"domain": Domain(domain="messages"), "globals": {name: env.globals[name] for name in names}}


def _use(app, lookup: dict) -> None:
    from portal.extensions import babel

    babel.__dict__["domain_instance"] = lookup["domain"]
    app.jinja_env.globals.update(lookup["globals"])


def _arabic(client, path: str) -> tuple[str, dict]:
    """The Arabic page: under /ar/ once the portal has those addresses, else by Accept-Language."""
    if client.get("/ar/").status_code == 200:
        return "/ar" + path, {}
    return path, {"Accept-Language": "ar"}


def language_times(rounds: int) -> dict[str, dict[tuple[str, str], float]]:
    """Median in-process time (ms) per page, language (en, ar) and lookup (bound, stock)."""
    from portal.extensions import babel

    app = rendering_app()
    bound = {
        "domain": babel.__dict__["domain_instance"],
        "globals": {n: app.jinja_env.globals[n] for n in ("_", "gettext", "ngettext")},
    }
    lookups = {"bound": bound, "stock": _stock_lookup(app)}
    client = app.test_client()
    results = {}
    for path in PAGES:
        arabic_path, arabic_headers = _arabic(client, path)
        variants = {"en": (path, {}), "ar": (arabic_path, arabic_headers)}
        for language, (url, headers) in variants.items():
            page = client.get(url, headers=headers).get_data(as_text=True)
            assert f'lang="{language}"' in page, f"{url} is not in {language}"
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(rounds):
            for kind, lookup in lookups.items():
                _use(app, lookup)
                for language, (url, headers) in variants.items():
                    start = time.perf_counter()
                    client.get(url, headers={"Accept-Encoding": "gzip", **headers})
                    samples.setdefault((language, kind), []).append((time.perf_counter() - start) * 1000)
        results[path] = {key: statistics.median(values) for key, values in samples.items()}
    _use(app, bound)
    return results


def print_language_times(rounds: int) -> None:
    print(f"\nServer time by language ({rounds} renders each, median ms; bound = per-request catalogue,")
    print("per-message = Flask-Babel's own lookup, as before):")
    print(
        f"  {'page':<24} {'en bound':>9} {'ar bound':>9} {'en per-msg':>11} {'ar per-msg':>11} {'ar/en':>6} {'bound/per-msg (ar)':>19}"
    )
    for path, t in language_times(rounds).items():
        en, ar = t[("en", "bound")], t[("ar", "bound")]
        en_stock, ar_stock = t[("en", "stock")], t[("ar", "stock")]
        print(
            f"  {path:<24} {en:9.2f} {ar:9.2f} {en_stock:11.2f} {ar_stock:11.2f} {ar / en:6.2f} {ar / ar_stock:19.2f}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(target: str, workers: int, root: Path = ROOT) -> tuple[subprocess.Popen, int]:
    """`target` served from the checkout at `root` (another one: the code before a change, for --baseline)."""
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [
            gunicorn,
            "--chdir",
            str(root),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        env=os.environ | {"PYTHONPATH": str(root)},
    )
    deadline = time.time() + 60
    while time.time() < deadline:  # the master binds first; workers load the app afterwards
        try:
            ready = [request(port, "GET", "/")[0] for _ in range(workers * 4)]
        except OSError:
            time.sleep(0.2)
            continue
        if all(status == 200 for status in ready):
            return process, port
    process.kill()
    raise RuntimeError(f"gunicorn did not start for {target}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


# ----- load generation (one process per client) -----


def request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        cookies = [header.split(";", 1)[0] for header in response.msg.get_all("Set-Cookie") or []]
        cookie = "; ".join(pair for pair in cookies if not pair.endswith("="))  # skip cookies being cleared
        return response.status, cookie, response.read()
    finally:
        connection.close()


def _first_option(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.DOTALL)
    values = re.findall(r'<option[^>]*value="([^"]+)"', select.group(0) if select else "")
    if not values:
        raise RuntimeError(f"no choice for {name} in the enquiry form")
    return values[0]


class EnquirySender:
    """One visitor session: the form opened once, then valid submissions with fresh form tokens."""

    def __init__(self, port: int, client_number: int) -> None:
        from portal import create_app

        self.port = port
        self.client_number = client_number
        self.count = 0
        self.app = create_app("development")
        status, cookie, body = request(port, "GET", "/enquire")
        html = body.decode()
        if status != 200 or not cookie:
            raise RuntimeError(f"GET /enquire answered {status}")
        self.cookie = cookie
        self.fields = form_fields(html)

    def send(self) -> int:
        self.count += 1
        data = enquiry(self.app, self.fields, f"{self.client_number}-{self.count}")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        status, _cookie, _body = request(self.port, "POST", "/enquire", urlencode(data), headers)
        return status


def form_fields(html: str) -> dict[str, str]:
    """What a visitor's browser sends back from the form page: its CSRF token and valid choices."""
    return {
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1),
        "sector": _first_option(html, "sector"),
        "region": _first_option(html, "region"),
        "standards": re.search(r'name="standards"[^>]*value="([^"]+)"', html).group(1),
    }


def enquiry(app, fields: dict[str, str], number: str) -> dict[str, str]:
    """A complete, valid enquiry with a new e-mail address and a form token signed 30 s ago."""
    from portal.public.enquiry.spam import make_form_token

    with app.app_context():
        token = make_form_token(now=time.time() - 30)
    return {
        **fields,
        "form_token": token,
        "contact_name": "Bench Visitor",
        "email": f"bench{number}-{time.time_ns()}@example.om",
        "phone": "9123 4567",
        "company": f"Bench Trading LLC {number}",
        "employees": "40",
        "sites": "1",
        "timeline": "3_6_months",
        "heard_from": "search",
        "consent": "y",
        "website": "",
    }


def enquiry_server_time(rounds: int) -> tuple[float, float, float]:
    """In-process POST /enquire: median wall time and CPU time of this process per POST (ms),
    and SQL statements per POST. Each POST makes a real lead, as in the throughput run."""
    from sqlalchemy import event

    from portal.extensions import db

    app = portal_app()
    client = app.test_client()
    fields = form_fields(client.get("/enquire").get_data(as_text=True))
    posts = [enquiry(app, fields, f"in-process-{n}") for n in range(rounds + 10)]
    for data in posts[:10]:  # warm-up: compiled templates, kept choices, pooled connection
        assert client.post("/enquire", data=data).status_code == 302
    statements = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    walls = []
    cpu = time.process_time()
    for data in posts[10:]:
        start = time.perf_counter()
        assert client.post("/enquire", data=data).status_code == 302
        walls.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu) * 1000 / rounds
    return statistics.median(walls), cpu, len(statements) / rounds


def client_loop(port: int, method: str, path: str, seconds: float, number: int, queue) -> None:
    sender = EnquirySender(port, number) if method == "POST" else None
    ok = failed = 0
    latencies = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        if sender:
            status = sender.send()
            good = status in (302, 303)
        else:
            status = request(port, "GET", path, headers={"Accept-Encoding": "gzip"})[0]
            good = status == 200
        latencies.append(time.perf_counter() - start)
        ok += good
        failed += not good
    queue.put((ok, failed, latencies))


def throughput(port: int, method: str, path: str, clients: int, seconds: float) -> tuple[float, int, float]:
    """Requests per second, failures and median latency (ms) with `clients` processes."""
    if method == "GET":
        for _ in range(20):  # compiled templates and gzipped static files in every worker
            request(port, method, path, headers={"Accept-Encoding": "gzip"})
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=client_loop, args=(port, method, path, seconds, n, queue))
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    latencies = [value for r in results for value in r[2]]
    return ok / seconds, failed, statistics.median(latencies) * 1000 if latencies else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both apps")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client processes")
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per target")
    parser.add_argument("--rounds", type=int, default=200, help="in-process renders per page for server time")
    parser.add_argument("--throughput-rounds", type=int, default=3, help="alternating rounds of bare and pages")
    parser.add_argument("--no-throughput", action="store_true", help="in-process server times only (no gunicorn)")
    parser.add_argument(
        "--enquiry-only", action="store_true", help="only the enquiry POST against the bare endpoint (no page figures)"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of the portal (the code before a change), whose POST is measured in the same rounds",
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="where the portal keeps its data (postgresql: BENCH_PG_URL, whose tables are dropped and created)",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    pg_url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench")
    os.environ.update(
        PORTAL_ENV="development",
        SECRET_KEY=SECRET,
        DATABASE_URL=pg_url if args.database == "postgresql" else "sqlite:///" + str(workdir / "bench.sqlite3"),
        RATELIMIT_ENABLED="false",
        PYTHONPATH=str(ROOT),
    )
    logging.basicConfig(level=logging.WARNING)
    prepare_database(os.environ["DATABASE_URL"])

    if not args.enquiry_only:
        print(f"Server time in-process on {args.database} ({args.rounds} renders each, gzip on):")
        for path, (median, p95) in server_times(args.rounds).items():
            verdict = "ok" if median < 20 else "OVER 20 ms"
            print(f"  {path:<24} median {median:6.2f} ms   p95 {p95:6.2f} ms   {verdict}")
        print_language_times(max(args.rounds // 4, 10))
    if args.enquiry_only:
        wall, cpu, statements = enquiry_server_time(args.rounds)
        print(
            f"POST /enquire in-process on {args.database} ({args.rounds} POSTs): median {wall:6.2f} ms, "
            f"CPU {cpu:6.2f} ms a POST, {statements:.1f} SQL statements a POST, load average {os.getloadavg()[0]:.1f}"
        )
    if args.no_throughput:
        shutil.rmtree(workdir, ignore_errors=True)
        return

    print(f"\nThroughput: gunicorn -w {args.workers}, {args.clients} client processes, {args.seconds:g} s a target")
    print(
        f"  {args.throughput_rounds} alternating rounds (bare, then each page), so load on the machine falls on all alike"
    )
    bare, bare_port = start_gunicorn("bench.public_pages:bare_app()", args.workers)
    portal, port = start_gunicorn("bench.public_pages:portal_app()", args.workers)
    baseline = start_gunicorn("bench.public_pages:portal_app()", args.workers, args.baseline) if args.baseline else None
    validation, validation_port = start_gunicorn("bench.public_pages:validation_only_app()", args.workers)
    floors = (
        [
            start_gunicorn("bench.public_pages:flask_wtf_floor_app()", args.workers),
            start_gunicorn("bench.public_pages:flask_wtf_floor_app(write=True)", args.workers),
        ]
        if args.enquiry_only
        else []
    )
    try:
        if not args.enquiry_only:
            measure_pages(bare_port, port, args)
        ports = {"portal": port, "validation only": validation_port}
        if floors:
            ports |= {"Flask-WTF alone": floors[0][1], "Flask-WTF + 1 row": floors[1][1]}
        measure_enquiry(bare_port, ports | ({"baseline": baseline[1]} if baseline else {}), args)
        print(f"  portal worker resident memory after the run: {worker_memory_mb(portal)}")
    finally:
        for process in (
            bare,
            portal,
            validation,
            *(floor[0] for floor in floors),
            *([baseline[0]] if baseline else []),
        ):
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def measure_pages(bare_port: int, port: int, args: argparse.Namespace) -> None:
    """Requests per second of each page over the bare app's, both summed over alternating rounds."""
    totals = dict.fromkeys(["bare", *THROUGHPUT_PAGES], 0.0)
    for _round in range(args.throughput_rounds):
        totals["bare"] += throughput(bare_port, "GET", "/", args.clients, args.seconds)[0]
        for path in THROUGHPUT_PAGES:
            totals[path] += throughput(port, "GET", path, args.clients, args.seconds)[0]
    rounds = args.throughput_rounds
    print(f"  {'bare Flask GET /':<32} {totals['bare'] / rounds:8.1f} req/s   ratio 1.00")
    for path in THROUGHPUT_PAGES:
        verdict = "ok" if totals[path] / totals["bare"] >= 0.7 else "UNDER 0.7"
        ratio = totals[path] / totals["bare"]
        print(f"  {'portal GET ' + path:<32} {totals[path] / rounds:8.1f} req/s   ratio {ratio:.2f}   {verdict}")


def measure_enquiry(bare_port: int, ports: dict[str, int], args: argparse.Namespace) -> None:
    """POST /enquire against the bare endpoint in alternating rounds, with the validation-only
    portal (and a --baseline checkout) in the same rounds: requests per second, ratio over the
    sums, median latency."""
    if request(ports["portal"], "GET", "/enquire")[0] != 200:
        print("  (no enquiry form at /enquire: POST not measured)")
        return
    totals = dict.fromkeys(["bare", *ports], 0.0)
    failures = dict.fromkeys(ports, 0)
    latencies: dict[str, list[float]] = {name: [] for name in ports}
    for _round in range(args.throughput_rounds):
        totals["bare"] += throughput(bare_port, "GET", "/", args.clients, args.seconds)[0]
        for name, port in ports.items():
            rps, failed, latency = throughput(port, "POST", "/enquire", args.clients, args.seconds)
            totals[name] += rps
            failures[name] += failed
            latencies[name].append(latency)
    rounds = args.throughput_rounds
    print(f"  enquiry: {rounds} alternating rounds, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"  {'bare Flask GET /':<32} {totals['bare'] / rounds:8.1f} req/s   ratio 1.00")
    for name in ports:
        ratio = totals[name] / totals["bare"]
        note = f"   {failures[name]} failed" if failures[name] else ""
        verdict = "ok" if ratio >= 0.25 else "UNDER 0.25"
        print(
            f"  {name + ' POST /enquire':<32} {totals[name] / rounds:8.1f} req/s   ratio {ratio:.3f}   {verdict}"
            f"   median {statistics.median(latencies[name]):6.1f} ms{note}"
        )


def worker_memory_mb(master: subprocess.Popen) -> str:
    """Resident memory of each gunicorn worker (children of the master), from /proc."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master.pid):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return ", ".join(f"{size:.0f} MB" for size in sorted(sizes)) or "unknown"


if __name__ == "__main__":
    main()
