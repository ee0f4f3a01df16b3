"""Public pages are served like static ones: no cookie, strong validators and 304s, a shared-cache
policy, a page cache that serves the same bytes until an edit, and a workspace never stored."""

from __future__ import annotations

import gzip

import brotli
import pytest
from sqlalchemy import delete, select, update

from portal.extensions import db
from portal.models import Role, Setting, Standard
from tests.integration.test_public_languages import ARABIC, arabic
from tests.integration.test_public_pages import CONTENT_PAGES, PAGES_WITH_A_FORM

PUBLIC = "public, max-age=300, stale-while-revalidate=86400"
FORM_PAGES = ["/enquire", "/readiness", *PAGES_WITH_A_FORM]


@pytest.mark.parametrize("path", [path for path in CONTENT_PAGES if path not in FORM_PAGES])
def test_a_content_page_sets_no_cookie_and_may_be_kept_by_a_shared_cache(client, reference, path):
    for url in (path, arabic(path)):
        for _round in range(2):  # rendered, then from the page cache
            response = client.get(url, headers={**ARABIC, "Accept-Encoding": "gzip"})
            assert response.status_code == 200, url
            assert response.headers.getlist("Set-Cookie") == [], url
            assert response.headers["Cache-Control"] == PUBLIC, url
            assert response.headers["ETag"].startswith('"') and response.headers["Last-Modified"], url
            assert "Accept-Encoding" in response.headers["Vary"], url


@pytest.mark.parametrize("path", FORM_PAGES)
def test_a_form_page_sets_only_the_session_cookie_its_csrf_token_needs(app, reference, path):
    for url in (path, arabic(path)):
        client = app.test_client()  # a first visit each time
        cookies = client.get(url).headers.getlist("Set-Cookie")
        assert [cookie.split("=")[0] for cookie in cookies] == ["session"], url
        assert "remember" not in " ".join(cookies)
        assert "public" not in client.get(url).headers.get("Cache-Control", "")


def test_a_repeated_request_gets_the_same_bytes_and_a_conditional_one_a_304(client, reference):
    first = client.get("/standards/iso-9001", headers={"Accept-Encoding": "gzip"})
    second = client.get("/standards/iso-9001", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.get_data() == second.get_data() and first.headers["ETag"] == second.headers["ETag"]
    assert b"ISO 9001" in gzip.decompress(first.get_data())

    by_etag = client.get(
        "/standards/iso-9001", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert by_etag.status_code == 304 and by_etag.get_data() == b""
    assert by_etag.headers["Cache-Control"] == PUBLIC
    by_date = client.get("/standards/iso-9001", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    stale = client.get("/standards/iso-9001", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_each_encoding_has_its_own_strong_etag_and_brotli_is_served_when_accepted(client, reference):
    plain = client.get("/process", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/process", headers={"Accept-Encoding": "gzip"})
    broken = client.get("/process", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain.headers and broken.headers["Content-Encoding"] == "br"
    assert brotli.decompress(broken.get_data()) == gzip.decompress(zipped.get_data()) == plain.get_data()
    etags = {plain.headers["ETag"], zipped.headers["ETag"], broken.headers["ETag"]}
    assert len(etags) == 3 and not any(etag.startswith("W/") for etag in etags)


def test_an_edit_to_a_standard_shows_at_once_with_a_new_etag(client, reference):
    before = client.get("/standards/iso-9001")
    assert client.get("/standards/iso-9001").headers["ETag"] == before.headers["ETag"]  # cached
    standard = db.session.scalars(select(Standard).where(Standard.slug == "iso-9001")).one()
    standard.title = "Quality management systems, as edited"
    db.session.commit()

    after = client.get("/standards/iso-9001", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "as edited" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "as edited" in client.get("/standards").get_data(as_text=True)  # every page, not only the one


def test_a_bulk_update_statement_shows_at_once_too(client, reference):
    before = client.get("/standards").get_data(as_text=True)
    db.session.execute(update(Standard).where(Standard.slug == "iso-14001").values(title="Environment, bulk-edited"))
    db.session.commit()
    after = client.get("/standards").get_data(as_text=True)
    assert "bulk-edited" not in before and "bulk-edited" in after


def test_several_edits_before_the_first_version_exists_make_one_version_row(client, reference):
    db.session.execute(delete(Setting).where(Setting.key == "content_version"))
    db.session.commit()
    for title in ("first", "second", "third"):  # bulk statements: each bumps before any flush
        db.session.execute(update(Standard).where(Standard.slug == "iso-14001").values(title=title))
    db.session.commit()
    rows = db.session.scalars(select(Setting).where(Setting.key == "content_version")).all()
    assert len(rows) == 1
    assert "third" in client.get("/standards").get_data(as_text=True)


def _token() -> str | None:
    return db.session.scalar(select(Setting.value).where(Setting.key == "content_version"))


def test_a_change_no_public_page_shows_leaves_the_version_alone(client, reference, make_user):
    client.get("/")
    token = _token()
    make_user(Role.CONSULTANT)
    db.session.add(Setting(key="leads.auto_assign_last_user_id", value="7"))  # moves with every enquiry
    db.session.commit()
    assert _token() == token


def test_the_english_home_page_is_kept_once_per_language_offer(client, reference):
    offered = client.get("/", headers=ARABIC)
    plain = client.get("/", headers={"Accept-Language": "en-GB"})
    assert "language-offer" in offered.get_data(as_text=True)
    assert "language-offer" not in plain.get_data(as_text=True)
    assert "language-offer" in client.get("/", headers=ARABIC).get_data(as_text=True)
    assert "Accept-Language" in plain.headers["Vary"]


def test_a_signed_in_user_is_never_served_or_stored_as_a_visitor(client, reference, login_as):
    anonymous = client.get("/process").get_data(as_text=True)
    login_as(Role.CONSULTANT)
    signed_in = client.get("/process")
    assert signed_in.get_data(as_text=True) != anonymous
    assert "public" not in signed_in.headers.get("Cache-Control", "")


def test_an_unread_query_argument_is_rendered_not_cached(client, reference):
    response = client.get("/process?utm_source=mail")
    assert response.status_code == 200
    assert "public" not in response.headers.get("Cache-Control", "")


def test_with_redis_unreachable_pages_are_rendered_as_usual(app, client, reference, caplog):
    from portal.web.page_cache import RedisStore

    cache = app.extensions["page_cache"]
    cache.shared = RedisStore("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        first, second = client.get("/process"), client.get("/process")
    finally:
        cache.shared = None
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert "Redis unavailable" in caplog.text


def test_the_memory_cache_is_bounded_in_entries_and_bytes():
    from datetime import UTC, datetime

    from portal.web.page_cache import CachedPage, MemoryStore

    store = MemoryStore(max_entries=3, max_bytes=250)
    for index in range(5):
        store.set(str(index), CachedPage("e", datetime.now(UTC), [], {"identity": b"x" * 100}))
    assert list(store.entries) == ["3", "4"] and store.bytes == 200
    store.get("3")
    store.set("5", CachedPage("e", datetime.now(UTC), [], {"identity": b"x" * 100}))
    assert list(store.entries) == ["3", "5"]


def test_workspace_pages_are_private_and_never_stored(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/app/").headers["Cache-Control"] == "private, no-store"


def test_a_cached_page_keeps_the_security_headers_and_hides_the_cache_key(client, reference):
    first, second = client.get("/contact"), client.get("/contact")  # rendered, then from the front of the app
    for response in (first, second):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Page-Cache-Key" not in response.headers
    assert first.get_data() == second.get_data()
