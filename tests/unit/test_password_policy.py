"""The password rule: length first, then zxcvbn's estimate, with the person's own words counted as guessable."""

from __future__ import annotations

import pytest

from portal.domain.passwords import MAX_LENGTH, PasswordProblem, password_problem

AMAL = ("amal.harthi@example.om", "Amal Al Harthi")


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "saffron camel dune 7", "Harthi Muscat 1", "x7#Qm2!vLp9@Zr4k"],
)
def test_long_unpredictable_passwords_are_accepted(password: str) -> None:
    assert password_problem(password, 12, AMAL) is None


def test_length_is_checked_before_guessability() -> None:
    assert password_problem("x7#Qm2!vLp9", 12) is PasswordProblem.TOO_SHORT  # strong, but 11 characters
    assert password_problem("x7#Qm2!vLp9@", 12) is None
    assert password_problem("a" * (MAX_LENGTH + 1), 12) is PasswordProblem.TOO_LONG


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("password12345", PasswordProblem.COMMON),
        ("qwertyuiop12", PasswordProblem.COMMON),
        ("aaaaaaaaaaaa", PasswordProblem.REPEATS),
        ("19871987198719", PasswordProblem.REPEATS),
        ("abcdefghijklmn", PasswordProblem.SEQUENCE),
        ("mohammedahmed", PasswordProblem.NAMES),
        ("marketingmanager", PasswordProblem.GUESSABLE),
    ],
)
def test_guessable_passwords_are_refused_with_zxcvbns_reason(password: str, problem: PasswordProblem) -> None:
    assert password_problem(password, 12) is problem


@pytest.mark.parametrize("password", ["amalharthi2026", "Amal.Harthi1987", "AmalAlHarthi!!"])
def test_passwords_built_on_the_persons_name_or_e_mail_are_refused(password: str) -> None:
    assert password_problem(password, 12, AMAL) is PasswordProblem.PERSONAL
    assert password_problem(password, 12) is None  # the same password is fine for someone else


def test_capitals_do_not_make_the_persons_own_name_strong() -> None:
    noor = ("noor@example.om", "Noor Al-Test")
    assert password_problem("Noor Al-Test 2026", 12, noor) is PasswordProblem.PERSONAL
