"""Signed links that let one certification body answer one quote request, without an account.

The token carries the quote id and that quote's random nonce, signed by the portal's
signer for the purpose "quote-link" and stamped with its time: a link opens only its own
quote, stops working after QUOTE_LINK_MAX_AGE_DAYS (30 by default), and any change to it
breaks the signature.
"""

from __future__ import annotations

import enum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired

from portal.core.signing import signer

PURPOSE = "quote-link"
MAX_TOKEN_LENGTH = 400


class LinkProblem(enum.StrEnum):
    """Why a link opens nothing; the link page says so with 400 (invalid) or 410 (gone)."""

    INVALID = "invalid"  # tampered, garbage, or the nonce of another quote
    EXPIRED = "expired"  # older than the maximum age, or the quote is past its valid-until date
    DECIDED = "decided"  # the quote was accepted, declined or withdrawn: nothing left to answer
    CLOSED = "closed"  # the engagement was closed or the body taken out of the directory

    @property
    def status(self) -> int:
        return 400 if self is LinkProblem.INVALID else 410


def max_age_seconds() -> int:
    return int(current_app.config["QUOTE_LINK_MAX_AGE_DAYS"]) * 24 * 3600


def make_token(quote_id: int, nonce: str) -> str:
    """The token of one quote's link."""
    return signer(PURPOSE).dumps({"q": quote_id, "n": nonce})


def read_token(token: str) -> tuple[int, str] | LinkProblem:
    """(quote id, nonce) from a valid, unexpired token; otherwise what is wrong with it."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkProblem.INVALID
    try:
        payload = signer(PURPOSE).loads(token, max_age=max_age_seconds())
    except SignatureExpired:
        return LinkProblem.EXPIRED
    except (BadSignature, UnicodeError, ValueError):
        return LinkProblem.INVALID
    if not isinstance(payload, dict) or not isinstance(payload.get("q"), int) or not isinstance(payload.get("n"), str):
        return LinkProblem.INVALID
    return payload["q"], payload["n"]
