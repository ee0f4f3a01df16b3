"""Wording of the enquiry page that depends on how the visitor arrived."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.public.seo import PageMeta, page_meta

# What the form says is attached, by attachment kind (portal.public.attachments.KINDS).
ATTACHMENT_NOTES = {
    "readiness": _l("Your readiness check results will be attached to this enquiry."),
    "estimate": _l("Your audit-time estimate will be attached to this enquiry."),
}


def form_meta() -> PageMeta:
    """The form's head: a canonical address without the prefill query, and its other languages."""
    return page_meta(
        _("Send an enquiry"),
        _(
            "Ask an ISO consultant in Oman about certification for your organisation: the standard, your people "
            "and sites, and when you need the certificate. We reply within two working days."
        ),
        "enquiry.form",
    )
