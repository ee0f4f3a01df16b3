"""The password rule: long enough, not too long, and not easy to guess.

Guessability is zxcvbn's estimate (offline, the Dropbox estimator), fed with the
person's own e-mail and name so that a password built from them counts as weak.
The rule answers with a reason code, never with text: the auth layer turns the code
into a sentence in the reader's language.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

# zxcvbn's scores run 0-4; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
# Long enough for any passphrase; the cap also keeps zxcvbn's estimate quick.
MAX_LENGTH = 128


class PasswordProblem(enum.StrEnum):
    """Why a password is refused."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    PERSONAL = "personal"
    COMMON = "common"
    WORD = "word"
    NAMES = "names"
    KEYBOARD = "keyboard"
    REPEATS = "repeats"
    SEQUENCE = "sequence"
    DATES = "dates"
    GUESSABLE = "guessable"


# zxcvbn 4.5's warnings (its feedback.py), each mapped to our reason.
_WARNINGS = {
    "This is a top-10 common password.": PasswordProblem.COMMON,
    "This is a top-100 common password.": PasswordProblem.COMMON,
    "This is a very common password.": PasswordProblem.COMMON,
    "This is similar to a commonly used password.": PasswordProblem.COMMON,
    "A word by itself is easy to guess.": PasswordProblem.WORD,
    "Names and surnames by themselves are easy to guess.": PasswordProblem.NAMES,
    "Common names and surnames are easy to guess.": PasswordProblem.NAMES,
    "Straight rows of keys are easy to guess.": PasswordProblem.KEYBOARD,
    "Short keyboard patterns are easy to guess.": PasswordProblem.KEYBOARD,
    'Repeats like "aaa" are easy to guess.': PasswordProblem.REPEATS,
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': PasswordProblem.REPEATS,
    'Sequences like "abc" or "6543" are easy to guess.': PasswordProblem.SEQUENCE,
    "Recent years are easy to guess.": PasswordProblem.DATES,
    "Dates are often easy to guess.": PasswordProblem.DATES,
}


def _estimate(password: str, inputs: list[str]) -> dict:
    """zxcvbn's estimate. Imported here, not at the top: its dictionaries take some 14 MB,
    which only a process that checks a password should carry (not every app worker)."""
    from zxcvbn import zxcvbn

    return zxcvbn(password, user_inputs=inputs, max_length=MAX_LENGTH)


def password_problem(password: str, min_length: int, user_inputs: Iterable[str] = ()) -> PasswordProblem | None:
    """The first reason to refuse `password`, or None when it may be used.

    `user_inputs` are the person's own words (e-mail, name): a password that leans on
    them is refused as PERSONAL, since zxcvbn gives no warning of its own for that.
    """
    if len(password) < min_length:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    inputs = [word for value in user_inputs for word in _words(value)]
    estimate = _estimate(password, inputs)
    if estimate["score"] < MIN_SCORE:
        return (
            PasswordProblem.PERSONAL
            if _leans_on(estimate)
            else _WARNINGS.get(estimate["feedback"]["warning"], PasswordProblem.GUESSABLE)
        )
    # Capitals earn zxcvbn's credit, but not when they only spell the person's own name ("Noor Al-Test 2026").
    lowered = _estimate(password.lower(), inputs)
    if lowered["score"] < MIN_SCORE and _leans_on(lowered):
        return PasswordProblem.PERSONAL
    return None


def _leans_on(estimate: dict) -> bool:
    """Whether zxcvbn's cheapest way to guess the password goes through the person's own words."""
    return any(match.get("dictionary_name") == "user_inputs" for match in estimate["sequence"])


def _words(value: str) -> list[str]:
    """The value, its parts and its parts run together: "amal.harthi@example.om" also gives
    "amal.harthi", "amalharthi", "amal", "harthi" and "example" (a password may drop the separators)."""
    lowered = value.lower()
    local = lowered.split("@")[0]
    parts = [part for part in re.split(r"[^a-z0-9]+", lowered) if len(part) >= 3]
    return [lowered, local, re.sub(r"[^a-z0-9]", "", local), *parts]
