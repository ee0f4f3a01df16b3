"""The security baseline every page relies on: headers, cookies, CSRF, upload size."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from portal.models import Role
from tests.fixtures.auth import csrf_token_from, press

HTML_PAGES = ["/", "/auth/login", "/no-such-page"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_responses_carry_a_strict_content_security_policy(client, path: str) -> None:
    response = client.get(path)

    assert response.mimetype == "text/html"
    csp = csp_directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp.get(directive, csp["default-src"])
        assert "'unsafe-eval'" not in csp.get(directive, csp["default-src"])


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_have_no_inline_script_or_style_the_policy_would_block(client, path: str) -> None:
    html = client.get(path).get_data(as_text=True)

    executable_inline = r'<script(?![^>]*\s(?:src=|type="application/(?:ld\+)?json"))[^>]*>'
    assert re.findall(executable_inline, html) == []
    assert "<style" not in html
    assert re.search(r"\sstyle=", html) is None


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_responses_forbid_sniffing_framing_and_leaky_referrers(client, path: str) -> None:
    headers = client.get(path).headers

    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_after_login_is_http_only_and_same_site_lax(client, login_as) -> None:
    login_as()

    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_a_form_posted_without_csrf_token_is_refused_with_the_branded_page(client, login_as) -> None:
    login_as()

    response = client.post("/auth/logout")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Your form expired or was sent from elsewhere" in html
    assert "<h1>Bad request</h1>" in html
    assert client.get("/app/").status_code == 200, "the refused logout must not have logged the user out"


def test_the_same_form_with_its_token_is_accepted(client, login_as) -> None:
    login_as()
    token = csrf_token_from(client.get("/app/").get_data(as_text=True))

    response = client.post("/auth/logout", data={"csrf_token": token})

    assert response.status_code == 302


def test_an_oversized_post_gets_the_branded_413_page(app: Flask, client) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 12 * 1024 * 1024

    response = client.post("/auth/login", data=b"x" * (limit + 1), content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "<h1>Too large</h1>" in html
    assert "Request Entity Too Large" not in html


def test_every_workspace_page_and_export_is_never_stored_by_a_cache(app: Flask, client, login_as, reference) -> None:
    """Walks the URL map: each GET page under /app answers `Cache-Control: no-store`, and so does an export."""

    login_as(Role.ADMIN)
    checked = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/app/") or "GET" not in rule.methods or rule.arguments:
            continue
        response = client.get(rule.rule)
        response.close()
        assert response.headers.get("Cache-Control") == "no-store", rule.rule
        checked.append(rule.rule)
    assert "/app/" in checked and "/app/leads/" in checked and "/app/admin/users" in checked
    export = press(client, "/app/leads/export.csv", page="/app/leads/")
    export.close()
    assert export.headers["Cache-Control"] == "no-store"
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"


def test_public_pages_stay_cacheable(client, reference) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/standards").headers.get("Cache-Control", "")
