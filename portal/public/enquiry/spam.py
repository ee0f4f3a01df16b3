"""Spam defence for the enquiry form that a human never notices.

The form carries a signed token made when the page was rendered: a random
submission token (so a second POST of the same page finds the first lead) and the
render time. A submission is spam when the hidden honeypot field is filled, the
token is missing or forged, or the form came back faster than a person can type
or older than a day. Spam is still stored (status spam), only without e-mails.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature

from portal.core.signing import signer

SALT = "enquiry-form"
DEFAULT_MIN_SECONDS = 3
DEFAULT_MAX_AGE_SECONDS = 24 * 3600
MAX_TOKEN_LENGTH = 500


@dataclass(frozen=True)
class FormToken:
    submission_token: str
    rendered_at: float


def make_form_token(now: float | None = None) -> str:
    """A signed token for a freshly rendered form: new submission token + render time."""
    rendered_at = time.time() if now is None else now
    return signer(SALT).dumps({"s": secrets.token_urlsafe(24), "t": int(rendered_at)})


def read_form_token(token: str | None) -> FormToken | None:
    """The token's content if the signature holds, else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        payload = signer(SALT).loads(token)
    except (BadSignature, UnicodeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    submission, rendered_at = payload.get("s"), payload.get("t")
    if not isinstance(submission, str) or not isinstance(rendered_at, int) or not 0 < len(submission) <= 64:
        return None
    return FormToken(submission_token=submission, rendered_at=float(rendered_at))


def spam_reason(honeypot: str | None, token: FormToken | None, now: float | None = None) -> str | None:
    """Why this (otherwise valid) submission looks automated, or None for a person."""
    if honeypot:
        return "honeypot filled"
    if token is None:
        return "form token missing or forged"
    elapsed = (time.time() if now is None else now) - token.rendered_at
    min_seconds = current_app.config.get("ENQUIRY_MIN_SECONDS", DEFAULT_MIN_SECONDS)
    max_age = current_app.config.get("ENQUIRY_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)
    if elapsed < min_seconds:
        return f"sent {max(elapsed, 0):.0f} s after the form was shown"
    if elapsed > max_age:
        return "form older than allowed"
    return None
