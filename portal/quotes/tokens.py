"""Signed links that let one certification body answer one quote request, without an account.

The token carries the quote id and that quote's random nonce, signed with the app's
secret (salt "quote-link") and stamped with its time: a link opens only its own
quote, stops working after QUOTE_LINK_MAX_AGE_DAYS (30 by default), and any change
to it breaks the signature.
"""

from __future__ import annotations

import enum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "quote-link"
MAX_TOKEN_LENGTH = 400


class LinkProblem(enum.StrEnum):
    INVALID = "invalid"  # tampered, garbage, or the nonce of another quote
    EXPIRED = "expired"  # older than the maximum age, or the quote is past its valid-until date
    DECIDED = "decided"  # the quote was accepted, declined or withdrawn: nothing left to answer


class QuoteLinkError(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def max_age_seconds() -> int:
    return int(current_app.config["QUOTE_LINK_MAX_AGE_DAYS"]) * 24 * 3600


def make_token(quote_id: int, nonce: str) -> str:
    """The token of one quote's link."""
    return _serializer().dumps({"q": quote_id, "n": nonce})


def read_token(token: str) -> tuple[int, str]:
    """(quote id, nonce) from a valid, unexpired token; QuoteLinkError otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise QuoteLinkError(LinkProblem.INVALID)
    try:
        payload = _serializer().loads(token, max_age=max_age_seconds())
    except SignatureExpired as error:
        raise QuoteLinkError(LinkProblem.EXPIRED) from error
    except (BadSignature, UnicodeError, ValueError) as error:
        raise QuoteLinkError(LinkProblem.INVALID) from error
    if not isinstance(payload, dict) or not isinstance(payload.get("q"), int) or not isinstance(payload.get("n"), str):
        raise QuoteLinkError(LinkProblem.INVALID)
    return payload["q"], payload["n"]
