"""PDF uploads: recognised by content, capped in size, stored under random names only.

Storage itself (the database) is replaced by a dict here: these tests are about the checks.
"""

from datetime import datetime
from io import BytesIO

import pytest
from flask import Flask
from flask_babel import Babel

from portal.core import uploads
from portal.core.errors import ServiceError
from portal.core.uploads import delete_stored, open_stored, store_pdf, stored_key
from portal.domain.file_kinds import looks_like_pdf

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class MemoryStorage(dict):
    """portal.core.storage.FileStorage over a dict."""

    def put(self, key: str, content: bytes) -> None:
        self[key] = content

    def open(self, key: str) -> bytes | None:
        return self.get(key)

    def delete(self, key: str) -> None:
        self.pop(key, None)

    def purge(self, prefix: str, older_than: datetime) -> int:
        raise NotImplementedError


@pytest.fixture()
def upload_app(monkeypatch):
    app = Flask(__name__)
    Babel(app)
    stored = MemoryStorage()
    monkeypatch.setattr(uploads, "storage", lambda: stored)
    with app.test_request_context():
        yield stored


def test_a_pdf_is_stored_under_a_random_name(upload_app):
    first = store_pdf(BytesIO(PDF), "quotes", max_bytes=1024)
    second = store_pdf(BytesIO(PDF), "quotes", max_bytes=1024)
    assert first != second
    assert upload_app == {f"quotes/{first}": PDF, f"quotes/{second}": PDF}
    assert open_stored("quotes", first) == PDF


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable renamed to quote.pdf",
        b"%PDF-1.4 but cut off before its end",
        b"<html>%PDF-1.4 %%EOF</html>",
    ],
)
def test_files_that_are_not_pdfs_are_refused_and_leave_nothing(upload_app, content):
    with pytest.raises(ServiceError, match="not a PDF"):
        store_pdf(BytesIO(content), "quotes", max_bytes=1024)
    assert upload_app == {}


def test_an_empty_file_is_refused(upload_app):
    with pytest.raises(ServiceError, match="empty"):
        store_pdf(BytesIO(b""), "quotes", max_bytes=1024)


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(upload_app):
    big = PDF[:9] + b"x" * (3 * 1024 * 1024) + PDF[9:]
    with pytest.raises(ServiceError, match="larger than 2 MB"):
        store_pdf(BytesIO(big), "quotes", max_bytes=2 * 1024 * 1024)
    assert upload_app == {}


def test_a_file_exactly_at_the_limit_is_accepted(upload_app):
    assert store_pdf(BytesIO(PDF), "quotes", max_bytes=len(PDF))


def test_trailing_bytes_after_the_end_marker_are_tolerated():
    assert looks_like_pdf(PDF + b"\r\n" * 20)
    assert not looks_like_pdf(PDF + b" " * 2000)


@pytest.mark.parametrize("name", ["../secret.pdf", "abc.pdf", "0" * 32 + ".exe", "/etc/passwd"])
def test_only_names_made_here_resolve_to_a_key(upload_app, name):
    assert stored_key("quotes", name) is None
    assert open_stored("quotes", name) is None


def test_delete_removes_the_file(upload_app):
    name = store_pdf(BytesIO(PDF), "quotes", max_bytes=1024)
    delete_stored("quotes", name)
    assert upload_app == {}
