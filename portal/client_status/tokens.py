"""The signed token of a status link: the link's id and its random nonce.

Signed for the purpose "client-status-link" (so no other kind of link opens the page), it is
checked against the StatusLink row, which keeps only the nonce's SHA-256: a leaked database
yields no working link, and revoking or replacing the row ends the link whatever its age.
The signature's own age limit (STATUS_LINK_MAX_DAYS) is a second lock behind the row's expiry.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

from portal.core.signing import SignedProblem, load_signed, signer

PURPOSE = "client-status-link"


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def nonce_hash(nonce: str) -> str:
    """What the database keeps of a nonce."""
    return hashlib.sha256(nonce.encode()).hexdigest()


def matches(nonce: str, stored_hash: str) -> bool:
    return hmac.compare_digest(nonce_hash(nonce), stored_hash)


def make_token(link_id: int, nonce: str) -> str:
    return signer(PURPOSE).dumps({"l": link_id, "n": nonce})


def read_token(token: str) -> tuple[int, str] | SignedProblem:
    """(link id, nonce) from a well-signed token; otherwise why not."""
    max_age = int(current_app.config["STATUS_LINK_MAX_DAYS"]) * 24 * 3600
    payload = load_signed(PURPOSE, token, max_age, {"l": int, "n": str})
    return payload if isinstance(payload, SignedProblem) else (payload["l"], payload["n"])
