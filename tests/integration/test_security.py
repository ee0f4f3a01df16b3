"""The security baseline every page relies on: headers, cookies, CSRF, upload size, host names,
sessions that end on the server when they should, decisions and downloads."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import AuditLog, Engagement, LoginSession, OutboxMessage, Quote, Role
from tests.fixtures.auth import NEW_PASSWORD, TEST_PASSWORD, choose_password, csrf_token_from, log_in, press
from tests.fixtures.quotes import PDF, body_taking_quotes, engagement_for_quotes, link, received_quote

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
        assert response.headers.get("Cache-Control") == "private, no-store", rule.rule
        checked.append(rule.rule)
    assert "/app/" in checked and "/app/leads/" in checked and "/app/admin/users" in checked
    export = press(client, "/app/leads/export.csv", page="/app/leads/")
    export.close()
    assert export.headers["Cache-Control"] == "private, no-store"
    assert client.get("/auth/login").headers["Cache-Control"] == "private, no-store"


def test_public_pages_stay_cacheable(client, reference) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/standards").headers.get("Cache-Control", "")


# --- Quotes and files (issue 14): a decision binds what was seen; a download's name is the server's ---


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', html).group(1)


def test_a_quote_revised_after_the_page_was_shown_is_not_accepted(client, login_as, reference) -> None:
    """A body cannot raise 100 to 99,999 between the consultant's look and the click on Accept."""
    consultant = login_as(Role.CONSULTANT)
    engagement = engagement_for_quotes(consultant)
    quote = received_quote(engagement, body_taking_quotes("Gulf Assurance"), initial_fee=Decimal("100.000"))
    compare = f"/app/engagements/{engagement.id}/quotes"
    shown = client.get(compare).get_data(as_text=True)
    assert "OMR 100.000" in shown

    revision = client.get(link(quote)).get_data(as_text=True)
    revised = {
        "csrf_token": csrf_token_from(revision),
        "initial_fee": "99999",
        "surveillance_fee": "900",
        "recertification_fee": "1800",
        "initial_audit_days": "4",
        "valid_until": (today_in_oman() + timedelta(days=60)).isoformat(),
    }
    assert client.post(link(quote), data=revised).status_code == 302

    accepting = {"csrf_token": csrf_token_from(shown), f"q{quote.id}-seen": hidden_value(shown, f"q{quote.id}-seen")}
    response = client.post(f"{compare}/{quote.id}/accept", data=accepting)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This quote changed: review it." in html
    assert "OMR 99,999.000" in html  # the fresh figures, next to the message
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).status == "received"
    assert db.session.get(Engagement, engagement.id).certification_body_id is None

    fresh = {"csrf_token": csrf_token_from(html), f"q{quote.id}-seen": hidden_value(html, f"q{quote.id}-seen")}
    assert client.post(f"{compare}/{quote.id}/accept", data=fresh).status_code == 302  # accepted once reviewed
    assert db.session.get(Quote, quote.id).status == "accepted"


@pytest.mark.parametrize("uploaded_as", ["offer\r\nSet-Cookie: x=1.pdf", "invoice.pdf.hta", "عرض السعر.pdf"])
def test_a_quote_pdf_downloads_under_the_name_the_server_chose(client, login_as, reference, uploaded_as) -> None:
    """The uploader's file name never reaches a header (a line break was a permanent 500, `.hta` was kept);
    it is only shown, escaped, on the page."""
    consultant = login_as(Role.CONSULTANT)
    engagement = engagement_for_quotes(consultant)
    quote = received_quote(engagement, body_taking_quotes("Gulf Assurance Co."), status="requested")
    form = client.get(link(quote)).get_data(as_text=True)
    answer = {
        "csrf_token": csrf_token_from(form),
        "initial_fee": "2400",
        "surveillance_fee": "900",
        "recertification_fee": "1800",
        "initial_audit_days": "4",
        "valid_until": (today_in_oman() + timedelta(days=60)).isoformat(),
        "file": (io.BytesIO(PDF), "offer.pdf", "application/pdf"),
    }
    assert client.post(link(quote), data=answer, content_type="multipart/form-data").status_code == 302
    db.session.refresh(quote)
    quote.original_name = uploaded_as  # as another client can send it (a browser escapes a line break)
    db.session.commit()

    download = client.get(f"/app/quotes/{quote.id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert (
        download.headers["Content-Disposition"] == f"attachment; filename=quote-{engagement.id}-gulf-assurance-co.pdf"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "application/pdf"
    download.close()
    edit = client.get(f"/app/engagements/{engagement.id}/quotes/{quote.id}/edit").get_data(as_text=True)
    assert str(escape(uploaded_as)) in edit  # the uploader's name: text on the page, nothing more


# --- Host names, and sessions that end on the server (issue 14) ---------------------------


@pytest.mark.parametrize(
    ("base_url", "status"),
    [("https://portal.example.om", 200), ("https://health.internal", 200), ("https://evil.example", 400)],
)
def test_production_answers_only_its_own_host_names(production_app: Flask, base_url: str, status: int) -> None:
    response = production_app.test_client().get("/auth/login", base_url=base_url)

    assert response.status_code == status
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.clean_tables  # the production app has its own engine: it must see the committed user
def test_production_session_and_remember_cookies_carry_the_host_prefix(production_app: Flask, make_user) -> None:
    user = make_user()
    browser = production_app.test_client()
    page = browser.get("/auth/login", base_url="https://portal.example.om")
    data = {"email": user.email, "password": TEST_PASSWORD, "remember": "y", "csrf_token": csrf_token_from(page.text)}
    response = browser.post(
        "/auth/login",
        data=data,
        base_url="https://portal.example.om",
        headers={"Referer": "https://portal.example.om/auth/login"},
    )

    assert response.status_code == 302
    cookies = {c.split("=")[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) == {"__Host-session", "__Host-remember"}
    for cookie in cookies.values():
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie


def log_out(client) -> None:
    token = csrf_token_from(client.get("/app/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def signed_in(client) -> bool:
    return client.get("/app/").status_code == 200


def client_with_cookie(app: Flask, name: str, value: str):
    """Another browser holding a copy of one cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def test_a_session_cookie_copied_before_logout_stops_working_after_it(app: Flask, client, login_as) -> None:
    login_as()
    copied = client.get_cookie("session").value
    assert signed_in(client_with_cookie(app, "session", copied))

    log_out(client)

    assert not signed_in(client_with_cookie(app, "session", copied))


def test_a_remember_cookie_copied_before_logout_stops_working_after_it(app: Flask, client, make_user) -> None:
    user = make_user()
    assert log_in(client, user.email, remember="y").status_code == 302
    copied = client.get_cookie("remember_token").value
    assert signed_in(client_with_cookie(app, "remember_token", copied))

    log_out(client)

    assert not signed_in(client_with_cookie(app, "remember_token", copied))


def test_logout_ends_only_this_session(app: Flask, client, make_user) -> None:
    user = make_user()
    other = app.test_client()
    log_in(client, user.email)
    log_in(other, user.email)

    log_out(client)

    assert signed_in(other)


def test_log_out_everywhere_ends_every_session_of_the_user(app: Flask, client, make_user) -> None:
    user = make_user()
    bystander = make_user()
    phone, colleague = app.test_client(), app.test_client()
    assert log_in(phone, user.email, remember="y").status_code == 302
    remember = phone.get_cookie("remember_token").value
    log_in(client, user.email)
    log_in(colleague, bystander.email)

    response = press(client, "/auth/account/logout-everywhere", page="/auth/account")

    assert response.headers["Location"].endswith("/auth/login")
    assert not signed_in(client)
    assert not signed_in(phone)
    assert not signed_in(client_with_cookie(app, "remember_token", remember))
    assert signed_in(colleague)


def test_a_password_change_ends_every_session(app: Flask, client, make_user) -> None:
    user = make_user(email="amal@example.om")
    assert log_in(client, user.email, remember="y").status_code == 302
    remember = client.get_cookie("remember_token").value
    visitor = app.test_client()
    token = csrf_token_from(visitor.get("/auth/reset").get_data(as_text=True))
    visitor.post("/auth/reset", data={"email": user.email, "csrf_token": token})
    body = db.session.scalars(select(OutboxMessage.body_text)).one()
    assert choose_password(visitor, re.search(r"(/auth/reset/\S+)", body).group(1), NEW_PASSWORD).status_code == 302

    assert not signed_in(client)
    assert not signed_in(client_with_cookie(app, "remember_token", remember))


def test_an_admin_ends_all_sessions_of_a_user_and_it_is_audited(app: Flask, client, make_user) -> None:
    user = make_user()
    user_browser = app.test_client()
    log_in(user_browser, user.email)
    admin = make_user(Role.ADMIN)
    log_in(client, admin.email)

    response = press(client, f"/app/admin/users/{user.id}/end-sessions", page=f"/app/admin/users/{user.id}/edit")

    assert response.status_code == 302
    assert not signed_in(user_browser)
    assert signed_in(client)
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.sessions_ended")).one()
    assert (row.actor_id, row.subject_id, row.details) == (admin.id, user.id, {"sessions": 1})


def test_a_deactivated_account_stays_signed_out_after_reactivation(app: Flask, client, make_user) -> None:
    user = make_user()
    user_browser = app.test_client()
    log_in(user_browser, user.email)
    log_in(client, make_user(Role.ADMIN).email)

    press(client, f"/app/admin/users/{user.id}/deactivate", page="/app/admin/users")
    press(client, f"/app/admin/users/{user.id}/reactivate", page="/app/admin/users")

    assert not signed_in(user_browser)


def test_the_account_page_lists_the_sessions_and_ends_another_one(app: Flask, client, make_user) -> None:
    user = make_user()
    laptop = app.test_client()
    log_in(laptop, user.email)
    log_in(client, user.email)
    html = client.get("/auth/account").get_data(as_text=True)
    assert html.count('data-testid="session-row"') == 2
    assert "This browser" in html
    [other_id] = re.findall(r'action="/auth/account/sessions/(\d+)/end"', html)

    response = press(client, f"/auth/account/sessions/{other_id}/end", page="/auth/account")

    assert response.status_code == 302
    assert not signed_in(laptop)
    assert signed_in(client)
    again = press(client, f"/auth/account/sessions/{other_id}/end", page="/auth/account")
    assert again.status_code == 302
    assert "That session has already ended." in client.get("/auth/account").get_data(as_text=True)


def test_nobody_can_end_a_session_of_someone_else(app: Flask, client, make_user) -> None:
    victim = make_user()
    victim_browser = app.test_client()
    log_in(victim_browser, victim.email)
    victim_session = db.session.scalars(select(LoginSession.id).where(LoginSession.user_id == victim.id)).one()
    log_in(client, make_user(Role.ADMIN).email)

    press(client, f"/auth/account/sessions/{victim_session}/end", page="/auth/account")

    assert signed_in(victim_browser)


def test_login_issues_a_new_csrf_token_and_drops_what_was_in_the_session(client, make_user) -> None:
    user = make_user()
    before = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        raw_before = session["csrf_token"]
    client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": before})
    after = csrf_token_from(client.get("/app/").get_data(as_text=True))

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["csrf_token"] != raw_before
    assert client.post("/auth/logout", data={"csrf_token": before}).status_code == 400
    assert client.post("/auth/logout", data={"csrf_token": after}).status_code == 302


def test_last_seen_is_written_every_few_minutes_not_on_every_request(client, login_as) -> None:
    login_as()
    row = db.session.scalars(select(LoginSession)).one()
    signed_in_at = row.last_seen_at
    client.get("/app/")
    assert row.last_seen_at == signed_in_at

    row.last_seen_at = signed_in_at - timedelta(minutes=6)
    db.session.commit()
    client.get("/app/")

    assert row.last_seen_at > signed_in_at


def test_a_session_unused_for_longer_than_a_remember_cookie_lives_has_ended(app: Flask, client, login_as) -> None:
    login_as()
    row = db.session.scalars(select(LoginSession)).one()
    row.last_seen_at -= app.config["REMEMBER_COOKIE_DURATION"] + timedelta(minutes=1)
    db.session.commit()

    assert not signed_in(client)
