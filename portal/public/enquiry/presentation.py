"""Wording of the enquiry page that depends on how the visitor arrived."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# What the form says is attached, by attachment kind (portal.public.attachments.KINDS).
ATTACHMENT_NOTES = {
    "readiness": _l("Your readiness check results will be attached to this enquiry."),
    "estimate": _l("Your audit-time estimate will be attached to this enquiry."),
}
