"""No file lives on one app server's disk: two gunicorn servers, each started in its own working
folder with its own (old-style) upload folder, serve each other's uploads and confirm each
other's staged imports; and `flask storage import-files` moves old on-disk PDFs into storage.
"""

from __future__ import annotations

import http.cookiejar
import io
import re
import urllib.request
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal import create_app
from portal.config import ConfigError
from portal.extensions import db
from portal.models import CertificationBody, Quote, Role, StoredFile
from tests.fixtures.auth import TEST_PASSWORD, code_for, csrf_token_from
from tests.fixtures.quotes import PDF, body_taking_quotes, engagement_for_quotes, link
from tests.fixtures.registrars import csv_bytes, row
from tests.fixtures.servers import gunicorn_server, server_env


class Visitor:
    """One person's browser: a cookie jar shared by every server, as behind one load balancer."""

    def __init__(self) -> None:
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar)

    def get(self, url: str):
        return self.opener.open(url, timeout=60)

    def page(self, url: str) -> str:
        with self.get(url) as response:
            return response.read().decode()

    def post(self, url: str, fields: dict[str, str], files: dict[str, FileStorage] | None = None) -> str:
        """Post a form (multipart when it carries files); return the page it ends on."""
        if files:
            boundary, body = encode_multipart(MultiDict({**fields, **files}))
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})  # noqa: S310 (loopback)
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()

    def log_in(self, server: str, email: str) -> None:
        """The password, then (for an admin) the second step with the app's current code."""
        token = csrf_token_from(self.page(server + "/auth/login"))
        page = self.post(server + "/auth/login", {"email": email, "password": TEST_PASSWORD, "csrf_token": token})
        code = code_for(email)
        if code is not None:
            self.post(server + "/auth/login/code", {"code": code, "csrf_token": csrf_token_from(page)})


@pytest.fixture()
def two_servers(app, reference, database_url, tmp_path):
    """Two gunicorn servers on the test database, started in different folders with different
    UPLOAD_FOLDERs (the old on-disk setting): whatever one stores, the other must find."""
    db.session.remove()
    servers = []
    for name in ("a", "b"):
        folder = tmp_path / name
        (folder / "uploads").mkdir(parents=True)
        env = server_env(database_url, SECRET_KEY=app.config["SECRET_KEY"], UPLOAD_FOLDER=str(folder / "uploads"))
        servers.append(gunicorn_server(env, tmp_path / f"{name}.log", cwd=folder))
    with servers[0] as first, servers[1] as second:
        yield first, second


@pytest.mark.clean_tables
def test_two_app_servers_serve_each_others_uploads_and_confirm_each_others_imports(
    two_servers, make_user, make_quote, tmp_path
):
    first, second = two_servers
    consultant = make_user(Role.CONSULTANT)
    admin = make_user(Role.ADMIN)
    quote = make_quote(
        engagement_for_quotes(consultant), status="requested", certification_body=body_taking_quotes("Gulf Assurance")
    )
    path = link(quote)
    db.session.commit()

    body = Visitor()  # the body answers on the first server, with its PDF
    figures = {
        "csrf_token": csrf_token_from(body.page(first + path)),
        "initial_fee": "2400",
        "surveillance_fee": "900",
        "recertification_fee": "1800",
        "initial_audit_days": "4.5",
        "valid_until": "2099-12-31",
    }
    pdf = FileStorage(io.BytesIO(PDF), filename="offer.pdf", content_type="application/pdf")
    assert "your quotation was received" in body.post(first + path, figures, {"file": pdf})

    staff = Visitor()  # the consultant downloads it from the second
    staff.log_in(second, consultant.email)
    with staff.get(f"{second}/app/quotes/{quote.id}/file") as download:
        assert download.read() == PDF
        assert (
            download.headers["Content-Disposition"]
            == f"attachment; filename=quote-{quote.engagement_id}-gulf-assurance.pdf"
        )
    assert not any(p.is_file() for p in tmp_path.rglob("*.pdf"))  # on no server's disk

    director = Visitor()  # an admin's dry run on the first server, confirmed on the second
    director.log_in(first, admin.email)
    dry_run = director.post(
        first + "/app/registrars/import",
        {"csrf_token": csrf_token_from(director.page(first + "/app/registrars/import"))},
        {"file": FileStorage(io.BytesIO(csv_bytes([row()])), filename="directory.csv")},
    )
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', dry_run)
    assert token, dry_run
    applied = director.post(
        second + "/app/registrars/import/confirm", {"csrf_token": csrf_token_from(dry_run), "token": token.group(1)}
    )
    assert "Import applied: 1 rows created" in applied
    db.session.expire_all()
    assert (
        db.session.scalar(select(CertificationBody.name).where(CertificationBody.slug == "oman-cert"))
        == "Oman Cert LLC"
    )
    assert db.session.scalars(select(StoredFile.key)).all() == [f"quotes/{db.session.get(Quote, quote.id).file_name}"]


def test_import_files_moves_the_old_on_disk_pdfs_into_storage_once(runner, tmp_path, make_quote, reference):
    quote = make_quote(engagement_for_quotes(), status="received", file_name="0" * 32 + ".pdf")
    old = tmp_path / "uploads" / "quotes"
    old.mkdir(parents=True)
    (old / quote.file_name).write_bytes(PDF)
    (old / "notes.txt").write_text("not one of ours")

    result = runner.invoke(args=["storage", "import-files", "--from", str(tmp_path / "uploads")])
    assert result.exit_code == 0, result.output
    assert "1 files copied" in result.output
    assert db.session.get(StoredFile, f"quotes/{quote.file_name}").content == PDF

    again = runner.invoke(args=["storage", "import-files", "--from", str(tmp_path / "uploads")])
    assert "0 files copied" in again.output and "1 already in storage" in again.output
    assert db.session.scalars(select(StoredFile.key)).all() == [f"quotes/{quote.file_name}"]


def test_an_unknown_file_storage_refuses_to_start() -> None:
    with pytest.raises(ConfigError, match="FILE_STORAGE must be one of: database"):
        create_app({"FILE_STORAGE": "s3"})
