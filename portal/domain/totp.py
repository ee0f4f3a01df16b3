"""Time-based one-time codes (RFC 6238) and recovery codes: the pure rules of two-factor sign-in.

A code is accepted for the current 30-second step or one step either side (phones drift),
and only for a step later than the last one accepted, so a code seen over someone's
shoulder, or sent twice, cannot be used again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DIGITS = 6
# Steps either side of now that are still accepted (clock drift between phone and server).
WINDOW = 1
RECOVERY_CODE_COUNT = 10
# 12 characters of an unambiguous 32-letter alphabet: 60 random bits, printed as xxxx-xxxx-xxxx.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 12


def new_secret() -> str:
    """A fresh random base32 secret (160 bits), as authenticator apps expect."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=account, issuer_name=issuer)


def grouped(secret: str, size: int = 4) -> str:
    """The setup key in groups of four, easier to type from the screen into a phone."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def code_digits(code: str) -> str:
    """What was typed, without the spaces people put in the middle of a code."""
    return "".join(code.split())


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to, if it is valid now (within WINDOW) and newer than `last_step`.

    None means refused: wrong, too old, or already used (a replay). The caller stores the
    returned step as the new `last_step`.
    """
    code = code_digits(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Fresh single-use recovery codes, printed as xxxx-xxxx-xxxx."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)))
    return codes


def recovery_code_hash(code: str) -> str:
    """What is stored for a recovery code: sha256 of its letters (long random codes need no slow hash).

    Case, spaces and dashes do not matter, so a code copied from paper still matches.
    """
    letters = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(letters.encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    """A recovery code has twelve letters and digits; a one-time code has six digits."""
    return sum(ch.isalnum() for ch in code) > DIGITS
