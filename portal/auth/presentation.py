"""What the two-factor pages show: the QR code as inline SVG, the setup key in groups."""

from __future__ import annotations

import segno
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from portal.auth import two_factor
from portal.domain import totp
from portal.models import User


def qr_svg(uri: str) -> Markup:
    """The QR code drawn locally by segno as an inline <svg>: no image request, no data: URL,
    and no style attribute, so the strict CSP has nothing to refuse."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, light="#fff", title=_("QR code of the setup key"))
    return Markup(svg)  # noqa: S704  (segno writes only paths; it escapes the title)


def setup_details(user: User, token: str) -> dict[str, object]:
    """The QR code and the grouped key of the secret carried by `token` (assumed valid)."""
    secret = two_factor.secret_from_setup_token(user, token) or ""
    uri = totp.provisioning_uri(secret, user.email, current_app.config["TWO_FACTOR_ISSUER"])
    return {"qr": qr_svg(uri), "setup_key": totp.grouped(secret)}


def fresh_setup_token(user: User, token: str | None) -> str:
    """`token` while it is still good (the page shown again keeps its key), else one for a new secret."""
    if token and two_factor.secret_from_setup_token(user, token):
        return token
    return two_factor.setup_token(user, totp.new_secret())
