"""Two-factor sign-in through the real pages: enrolment, the code step, recovery codes, wrong codes,
an admin's forced enrolment, an admin resetting a colleague, and remember-me on a new device."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from portal.auth import pending, throttle
from portal.auth.services import login_refused_message
from portal.extensions import db
from portal.models import AuditLog, RecoveryCode, Role, User
from portal.models.types import utcnow
from tests.fixtures.auth import (
    TEST_PASSWORD,
    TEST_TOTP_SECRET,
    code_for,
    csrf_token_from,
    enrol,
    enter_code,
    log_in,
    press,
    readable_session,
    setup_key_from,
)

WRONG = "That code is not right, or it was already used."


def password_step(client, email: str, next_url: str | None = None, **extra: str):
    """Only the password step of the login form."""
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    return client.post(url, data={"email": email, "password": TEST_PASSWORD, "csrf_token": token, **extra})


def is_signed_in(client) -> bool:
    return client.get("/app/").status_code == 200


def audit_actions(user: User) -> list[str]:
    rows = select(AuditLog.action).where(AuditLog.subject_id == user.id, AuditLog.subject_type == "users")
    return list(db.session.scalars(rows.order_by(AuditLog.id)))


def recovery_codes_in(html: str) -> list[str]:
    return re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", html)


def enrol_and_read_codes(client) -> list[str]:
    response = enrol(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/two-factor/recovery-codes")
    return recovery_codes_in(client.get("/auth/two-factor/recovery-codes").get_data(as_text=True))


# --- enrolment -------------------------------------------------------------------------------


def test_enrolment_page_shows_a_local_svg_qr_code_and_the_setup_key_as_text(client, login_as):
    login_as(Role.CONSULTANT)
    response = client.get("/auth/two-factor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "style=" not in svg and "data:" not in html  # the strict CSP allows neither
    key = setup_key_from(html)
    assert len(key) == 32 and re.fullmatch(r"[A-Z2-7]+", key)
    assert re.search(r'data-testid="setup-key">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<', html)  # grouped to be typed


def test_confirming_with_a_current_code_turns_it_on_and_shows_ten_recovery_codes_once(client, login_as):
    user = login_as(Role.CONSULTANT)
    codes = enrol_and_read_codes(client)

    assert len(set(codes)) == 10
    db.session.refresh(user)
    assert user.two_factor_enabled and user.totp_last_step is not None
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only digests are kept
    again = client.get("/auth/two-factor/recovery-codes")
    assert again.status_code == 302 and again.headers["Location"].endswith("/auth/two-factor")
    assert "two_factor.enable" in audit_actions(user)


def test_a_wrong_code_keeps_the_same_key_and_says_so_next_to_the_field(client, login_as):
    user = login_as(Role.CONSULTANT)
    html = client.get("/auth/two-factor").get_data(as_text=True)
    setup = re.search(r'name="setup"[^>]*value="([^"]+)"', html).group(1)
    data = {"setup": setup, "code": "000000", "csrf_token": csrf_token_from(html)}
    if pyotp.TOTP(setup_key_from(html)).verify("000000", valid_window=1):
        data["code"] = "111111"

    again = client.post("/auth/two-factor", data=data)

    page = again.get_data(as_text=True)
    assert WRONG in page and 'aria-invalid="true"' in page
    assert setup_key_from(page) == setup_key_from(html)
    db.session.refresh(user)
    assert not user.two_factor_enabled


def test_a_setup_key_signed_for_someone_else_is_refused(client, app, login_as, make_user):
    other = make_user()
    login_as(Role.CONSULTANT)
    from portal.auth.two_factor import setup_token

    foreign = setup_token(other, TEST_TOTP_SECRET)
    token = csrf_token_from(client.get("/auth/two-factor").get_data(as_text=True))
    response = client.post(
        "/auth/two-factor", data={"setup": foreign, "code": pyotp.TOTP(TEST_TOTP_SECRET).now(), "csrf_token": token}
    )
    assert "This setup page has expired" in response.get_data(as_text=True)


# --- signing in with the second factor -------------------------------------------------------


def test_the_password_alone_does_not_sign_in_a_user_with_two_factor(client, make_user):
    user = make_user(two_factor=True)
    response = password_step(client, user.email, next_url="/app/leads/")
    assert response.headers["Location"].endswith("/auth/login/code")
    assert not is_signed_in(client)

    done = enter_code(client, code_for(user.email))

    assert done.status_code == 302 and done.headers["Location"].endswith("/app/leads/")
    assert is_signed_in(client)
    assert audit_actions(user)[-2:] == ["two_factor.success", "login.success"]


def test_a_code_is_accepted_once(client, make_user):
    user = make_user(two_factor=True)
    code = pyotp.TOTP(TEST_TOTP_SECRET).now()
    password_step(client, user.email)
    assert enter_code(client, code).status_code == 302
    token = csrf_token_from(client.get("/app/").get_data(as_text=True))
    client.post("/auth/logout", data={"csrf_token": token})

    password_step(client, user.email)
    replay = enter_code(client, code)

    assert WRONG in replay.get_data(as_text=True)
    assert not is_signed_in(client)
    assert audit_actions(user)[-1] == "two_factor.failure"


def test_a_recovery_code_signs_in_once(client, app, login_as):
    user = login_as(Role.CONSULTANT)
    codes = enrol_and_read_codes(client)
    token = csrf_token_from(client.get("/app/").get_data(as_text=True))
    client.post("/auth/logout", data={"csrf_token": token})

    password_step(client, user.email)
    assert enter_code(client, " " + codes[3].upper() + " ").status_code == 302  # as copied from paper
    assert "two_factor.recovery_code" in audit_actions(user)

    other = app.test_client()
    password_step(other, user.email)
    assert WRONG in enter_code(other, codes[3]).get_data(as_text=True)
    assert not is_signed_in(other)


def test_five_wrong_codes_drop_the_pending_sign_in(client, make_user):
    user = make_user(two_factor=True)
    password_step(client, user.email)
    right = code_for(user.email)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(pending.MAX_WRONG_CODES - 1):
        page = enter_code(client, wrong)
        assert page.status_code == 200 and WRONG in page.get_data(as_text=True)

    last = enter_code(client, wrong)

    assert last.status_code == 302 and last.headers["Location"].endswith("/auth/login")
    assert "Too many wrong codes" in client.get("/auth/login").get_data(as_text=True)
    gone = client.get("/auth/login/code")
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/auth/login")
    assert audit_actions(user).count("two_factor.failure") == pending.MAX_WRONG_CODES
    assert not is_signed_in(client)


def test_wrong_codes_count_towards_the_pause_across_restarted_sign_ins(client, make_user):
    """Starting again with the password does not buy more guesses: five wrong in a row pause signing in."""
    user = make_user(two_factor=True)
    right = code_for(user.email)
    wrong = "123456" if right != "123456" else "654321"
    password_step(client, user.email)
    for _ in range(3):
        enter_code(client, wrong)
    password_step(client, user.email)
    enter_code(client, wrong)

    last = enter_code(client, wrong)

    assert last.status_code == 302 and last.headers["Location"].endswith("/auth/login")
    assert throttle.pause_end(user, "127.0.0.1", utcnow()) is not None
    assert login_refused_message() in password_step(client, user.email).get_data(as_text=True)
    assert not is_signed_in(client)


def test_a_pending_sign_in_expires(client, make_user):
    user = make_user(two_factor=True)
    password_step(client, user.email)
    with client.session_transaction() as session:
        session[pending.KEY] = {**session[pending.KEY], "at": session[pending.KEY]["at"] - pending.PENDING_MAX_AGE - 1}

    response = client.get("/auth/login/code")

    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert not is_signed_in(client)


def test_the_code_step_is_not_reachable_without_the_password(client, make_user):
    user = make_user(two_factor=True)
    response = client.get("/auth/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    posted = client.post("/auth/login/code", data={"code": code_for(user.email), "csrf_token": token})
    assert posted.status_code == 302 and posted.headers["Location"].endswith("/auth/login")
    assert not is_signed_in(client)


# --- remember-me -----------------------------------------------------------------------------


def remember_cookie_set(response) -> bool:
    """A remember-me cookie with a value (Flask-Login also sends an empty one to clear it)."""
    return any(re.match(r"remember_token=[^;]+", value) for value in response.headers.getlist("Set-Cookie"))


def test_remember_me_is_set_only_after_both_steps_and_a_new_device_gets_both(client, app, make_user):
    user = make_user(two_factor=True)
    after_password = password_step(client, user.email, remember="y")
    assert not remember_cookie_set(after_password)

    after_code = enter_code(client, code_for(user.email))
    assert remember_cookie_set(after_code)

    new_device = app.test_client()
    assert not is_signed_in(new_device)
    assert password_step(new_device, user.email, remember="y").headers["Location"].endswith("/auth/login/code")
    assert not is_signed_in(new_device)


# --- admins ----------------------------------------------------------------------------------


def test_an_admin_without_two_factor_enrols_before_being_signed_in(client, make_user):
    admin = make_user(role=Role.ADMIN, two_factor=False)
    response = password_step(client, admin.email, next_url="/app/admin/users", remember="y")
    assert response.headers["Location"].endswith("/auth/two-factor")
    assert not is_signed_in(client)
    assert "Your role requires a second step" in client.get("/auth/two-factor").get_data(as_text=True)

    enrolled = enrol(client)

    assert remember_cookie_set(enrolled)
    codes_page = client.get("/auth/two-factor/recovery-codes").get_data(as_text=True)
    assert len(recovery_codes_in(codes_page)) == 10
    assert 'href="/app/admin/users"' in codes_page  # then on to the page first asked for
    assert client.get("/app/admin/users").status_code == 200


def test_a_signed_in_user_whose_role_requires_it_is_sent_to_enrol(client, login_as):
    user = login_as(Role.CONSULTANT)
    user.role = Role.ADMIN.value  # promoted while signed in
    db.session.commit()

    response = client.get("/app/")

    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/two-factor")
    enrol(client)
    assert is_signed_in(client)


def test_an_admin_cannot_turn_it_off(client, login_as):
    admin = login_as(Role.ADMIN)
    page = client.get("/auth/two-factor").get_data(as_text=True)
    assert "cannot be turned off" in page and "/auth/two-factor/disable" not in page

    response = press(client, "/auth/two-factor/disable", "/auth/two-factor", password=TEST_PASSWORD)

    assert "Your role requires two-factor sign-in" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.two_factor_enabled


def test_a_consultant_turns_it_off_with_the_password(client, login_as):
    user = login_as(Role.CONSULTANT, two_factor=True)
    wrong = press(client, "/auth/two-factor/disable", "/auth/two-factor", password="not my password")
    assert "The password is not right." in wrong.get_data(as_text=True)

    right = press(client, "/auth/two-factor/disable", "/auth/two-factor", password=TEST_PASSWORD)

    assert right.status_code == 302
    db.session.refresh(user)
    assert not user.two_factor_enabled and user.totp_secret is None
    assert "two_factor.disable" in audit_actions(user)


def test_new_recovery_codes_replace_the_old_ones(client, login_as, app):
    user = login_as(Role.CONSULTANT)
    old = enrol_and_read_codes(client)

    press(client, "/auth/two-factor/recovery-codes", "/auth/two-factor")
    carried = readable_session(client)
    new = recovery_codes_in(client.get("/auth/two-factor/recovery-codes").get_data(as_text=True))

    assert len(new) == 10 and not set(new) & set(old)
    assert "two_factor_new_codes" in carried and not any(code in carried for code in new)  # carried encrypted
    other = app.test_client()
    password_step(other, user.email)
    assert WRONG in enter_code(other, old[0]).get_data(as_text=True)
    assert enter_code(other, new[0]).status_code == 302


@pytest.mark.parametrize(("role", "enrols_next_time"), [(Role.ADMIN, True), (Role.CONSULTANT, False)])
def test_an_admin_resets_a_colleagues_second_factor(client, app, login_as, make_user, role, enrols_next_time):
    admin = login_as(Role.ADMIN)
    colleague = make_user(role=role, two_factor=True)
    db.session.add(RecoveryCode(user_id=colleague.id, code_hash="0" * 64))
    db.session.commit()
    edit_page = f"/app/admin/users/{colleague.id}/edit"
    assert "Reset two-factor sign-in" in client.get(edit_page).get_data(as_text=True)

    response = press(client, f"/app/admin/users/{colleague.id}/reset-two-factor", edit_page)

    assert response.status_code == 302
    db.session.refresh(colleague)
    assert not colleague.two_factor_enabled and colleague.totp_secret is None
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == colleague.id)).all() == []
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "two_factor.reset")).one()
    assert (row.actor_id, row.subject_id) == (admin.id, colleague.id)
    next_time = password_step(app.test_client(), colleague.email)
    assert next_time.headers["Location"].endswith("/auth/two-factor" if enrols_next_time else "/app/")


def test_resetting_without_a_csrf_token_is_refused(client, login_as, make_user):
    login_as(Role.ADMIN)
    colleague = make_user(role=Role.ADMIN)
    response = client.post(f"/app/admin/users/{colleague.id}/reset-two-factor")
    assert response.status_code == 400
    db.session.refresh(colleague)
    assert colleague.two_factor_enabled


def test_log_in_helper_answers_the_code_step_for_admins(client, make_user):
    """The helper every admin test relies on really goes through both steps."""
    admin = make_user(role=Role.ADMIN)
    assert log_in(client, admin.email).status_code == 302
    assert audit_actions(admin)[-2:] == ["two_factor.success", "login.success"]
