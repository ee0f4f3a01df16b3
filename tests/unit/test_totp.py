"""The one-time code rules: a valid code, a wrong one, a replay, and the drift window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from portal.domain import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 12, 6, 4, 0, 10, tzinfo=UTC)
STEP = pyotp.TOTP(SECRET).timecode(NOW)


def code_at(step: int) -> str:
    return pyotp.TOTP(SECRET).generate_otp(step)


def test_the_current_code_is_accepted_and_names_its_step():
    assert totp.matching_step(SECRET, code_at(STEP), NOW, None) == STEP


def test_spaces_inside_a_code_do_not_matter():
    code = code_at(STEP)
    assert totp.matching_step(SECRET, f" {code[:3]} {code[3:]} ", NOW, None) == STEP


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12345a"])
def test_malformed_codes_are_refused(code):
    assert totp.matching_step(SECRET, code, NOW, None) is None


def test_a_wrong_code_is_refused():
    wrong = next(c for c in ("000000", "111111") if c not in {code_at(s) for s in range(STEP - 1, STEP + 2)})
    assert totp.matching_step(SECRET, wrong, NOW, None) is None


def test_a_code_already_used_is_refused_and_so_is_an_older_one():
    assert totp.matching_step(SECRET, code_at(STEP), NOW, last_step=STEP) is None
    assert totp.matching_step(SECRET, code_at(STEP - 1), NOW, last_step=STEP) is None


def test_after_a_code_is_used_the_next_steps_code_still_works():
    assert totp.matching_step(SECRET, code_at(STEP + 1), NOW, last_step=STEP) == STEP + 1


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_one_step_of_clock_drift_either_way_is_accepted(offset, accepted):
    step = STEP + offset
    assert (totp.matching_step(SECRET, code_at(step), NOW, None) == step) is accepted


def test_a_code_stops_working_two_steps_later():
    later = NOW + timedelta(seconds=2 * totp.STEP_SECONDS)
    assert totp.matching_step(SECRET, code_at(STEP), later, None) is None


def test_the_provisioning_uri_names_issuer_account_and_secret():
    uri = totp.provisioning_uri(SECRET, "amal@example.om", "Qurum Assurance Partners")
    assert uri.startswith("otpauth://totp/Qurum%20Assurance%20Partners:amal%40example.om?")
    assert f"secret={SECRET}" in uri


def test_the_setup_key_is_shown_in_groups_of_four():
    assert totp.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"


def test_new_secrets_are_random_base32():
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and len(first) == 32 and set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_ten_distinct_recovery_codes_that_read_as_recovery_codes():
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)
    assert all(totp.looks_like_recovery_code(code) for code in codes)
    assert not totp.looks_like_recovery_code("123 456")


def test_a_recovery_code_matches_whatever_its_case_spaces_or_dashes():
    assert totp.recovery_code_hash("abcd-efgh-jkmn") == totp.recovery_code_hash(" ABCD EFGH JKMN ")
    assert totp.recovery_code_hash("abcd-efgh-jkmn") != totp.recovery_code_hash("abcd-efgh-jkmp")
