"""The one way the portal signs values it hands out (links, hidden form fields).

Every signer is keyed with SECRET_KEY and a salt naming its purpose, so a value signed for
one purpose (a reset link) is never accepted for another (a quote link).
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import URLSafeTimedSerializer


def signer(purpose: str) -> URLSafeTimedSerializer:
    """A serializer for `purpose`; `loads(..., max_age=...)` enforces a lifetime where one applies."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)
