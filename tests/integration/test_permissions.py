"""Who may open what: anonymous visitors go to login, consultants are kept out of administration."""

from __future__ import annotations

import pytest

from portal.models import Role
from tests.fixtures.auth import csrf_token_from, log_in

# (method, url, admin only); {id} is replaced by an existing user's id.
PROTECTED = [
    ("GET", "/app/", False),
    ("GET", "/app/admin/users", True),
    ("GET", "/app/admin/users?page=2", True),
    ("GET", "/app/admin/users/new", True),
    ("POST", "/app/admin/users/new", True),
    ("GET", "/app/admin/users/{id}/edit", True),
    ("POST", "/app/admin/users/{id}/edit", True),
    ("POST", "/app/admin/users/{id}/deactivate", True),
    ("POST", "/app/admin/users/{id}/reactivate", True),
    ("POST", "/app/admin/users/{id}/reset-two-factor", True),
    ("POST", "/app/admin/users/{id}/end-sessions", True),
    ("GET", "/app/admin/audit", True),
    ("GET", "/app/admin/mla-recognition", True),
    ("GET", "/app/admin/standard-editions", True),
    ("GET", "/app/admin/tags", True),
    ("GET", "/app/privacy/", True),
    ("GET", "/app/leads/", False),
    ("GET", "/auth/account", False),
]

# The signed-in user's own pages live under /auth, not /app, and need an account all the same.
ACCOUNT_PREFIX = "/auth/account"


def send(client, method: str, url: str):
    """A request as the browser would send it, with a valid CSRF token on POST."""
    if method == "GET":
        return client.get(url)
    token = csrf_token_from(client.get("/auth/reset").get_data(as_text=True))  # a form open to everyone
    return client.post(url, data={"csrf_token": token})


@pytest.mark.parametrize(("method", "url", "admin_only"), PROTECTED)
def test_protected_urls(client, app, make_user, login_as, method, url, admin_only):
    target = make_user(name="Target User")
    url = url.format(id=target.id)

    anonymous = send(client, method, url)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].split("?")[0].endswith("/auth/login")

    login_as(Role.CONSULTANT)
    as_consultant = send(client, method, url)
    if admin_only:
        assert as_consultant.status_code == 403
        assert "Access denied" in as_consultant.get_data(as_text=True)
    else:
        assert as_consultant.status_code == 200

    admin_client = app.test_client()
    admin = make_user(role=Role.ADMIN)
    assert log_in(admin_client, admin.email).status_code == 302
    as_admin = send(admin_client, method, url)
    assert as_admin.status_code in (200, 302)
    assert "/auth/login" not in as_admin.headers.get("Location", "")


def test_every_workspace_route_sends_anonymous_visitors_to_login(app, client):
    """Covers routes other areas add under /app (and the account pages) too: none may be open without an account."""
    adapter = app.url_map.bind("localhost")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/app", ACCOUNT_PREFIX)):
            continue
        url = adapter.build(rule.endpoint, {arg: 1 for arg in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = send(client, method, url)
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].split("?")[0].endswith("/auth/login"), f"{method} {url}"
            checked += 1
    assert checked >= len(PROTECTED) - 1


def test_consultant_does_not_see_admin_links_but_an_admin_does(app, client, login_as, make_user):
    login_as(Role.CONSULTANT)
    consultant_page = client.get("/app/").get_data(as_text=True)
    assert "/app/admin/users" not in consultant_page
    assert "/app/admin/audit" not in consultant_page

    admin_client = app.test_client()
    admin = make_user(role=Role.ADMIN)
    assert log_in(admin_client, admin.email).status_code == 302
    admin_page = admin_client.get("/app/").get_data(as_text=True)
    assert 'href="/app/admin/users"' in admin_page
    assert 'href="/app/admin/audit"' in admin_page


# Endpoints only an admin may use (users, settings, the audit log, directory edits and
# imports, the lead export); every other /app endpoint is open to consultants.
ADMIN_ONLY_ENDPOINTS = {
    "admin.users",
    "admin.user_new",
    "admin.user_edit",
    "admin.user_deactivate",
    "admin.user_reactivate",
    "admin.user_send_reset",
    "admin.user_reset_two_factor",
    "admin.user_end_sessions",
    "admin.user_send_invitation",
    "admin.audit_log",
    "admin.settings",
    "admin.response_settings",
    "admin.status_link_settings",
    "admin.mla_signatures",
    "admin.mla_signature_remove",
    "admin.standard_editions",
    "admin.tags",
    "admin.tag_edit",
    "admin.tag_delete",
    "admin.api_keys",
    "admin.api_key_revoke",
    "registrars.new",
    "registrars.edit",
    "registrars.deactivate",
    "registrars.reactivate",
    "registrars.accreditation_new",
    "registrars.accreditation_edit",
    "registrars.import_csv",
    "registrars.import_confirm",
    "registrars.import_template",
    "leads.export",
    "privacy.index",
    "privacy.lookup",
    "privacy.export_download",
    "privacy.export_page",
    "privacy.correct",
    "privacy.erase",
    "privacy.retention",
    "webhooks.index",
    "webhooks.endpoint",
    "webhooks.disable",
    "webhooks.enable",
    "webhooks.redeliver",
}


def test_every_admin_only_route_refuses_a_consultant(app, client, login_as):
    """Walks the URL map, so an admin page renamed or added under /app/admin is checked too."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= ADMIN_ONLY_ENDPOINTS, ADMIN_ONLY_ENDPOINTS - endpoints

    login_as(Role.CONSULTANT)
    adapter = app.url_map.bind("localhost")
    checked = set()
    for rule in app.url_map.iter_rules():
        under_admin = rule.rule.startswith("/app/admin")
        if rule.endpoint not in ADMIN_ONLY_ENDPOINTS and not under_admin:
            continue
        url = adapter.build(rule.endpoint, {arg: 1 for arg in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = send(client, method, url)
            assert response.status_code == 403, f"{method} {url}"
            checked.add(rule.endpoint)
    assert checked == ADMIN_ONLY_ENDPOINTS, checked - ADMIN_ONLY_ENDPOINTS
