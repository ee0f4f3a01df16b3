"""Every status the portal shows, once: its label and its tone, per kind of record.

Kinds: "lead" (lead status), "stage" (engagement stage), "quote" (quote status),
"accreditation" (a certification body's accreditation) and "certificate" (a client's
certificate, portal.domain.certificate). Templates draw a status with
`status_badge(kind, status)` from templates/_macros/status.html, which reads this
registry through the `status_style` template global, so a status looks the same on every
page. A tone is a meaning with one look: the same tone is the same colour everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from portal.core.clock import today_in_oman
from portal.domain import lead_status, lifecycle
from portal.domain.certificate import State
from portal.models import Quote, QuoteStatus

# Tone -> Bootstrap badge classes: one look per meaning.
TONES = {
    "fresh": "text-bg-primary",  # just arrived, nobody has acted yet
    "working": "text-bg-info",  # in progress
    "pending": "text-bg-light border",  # waiting for someone outside
    "good": "text-bg-success",  # the outcome one hopes for
    "done": "text-bg-dark",  # finished and handed on
    "warning": "text-bg-warning",  # needs attention soon
    "closed": "text-bg-secondary",  # no longer in play
    "bad": "text-bg-danger",  # refused or broken
}

LEAD_STATUS_LABELS = {
    lead_status.NEW: _l("New"),
    lead_status.CONTACTED: _l("Contacted"),
    lead_status.QUALIFIED: _l("Qualified"),
    lead_status.CONVERTED: _l("Converted"),
    lead_status.UNQUALIFIED: _l("Unqualified"),
    lead_status.SPAM: _l("Spam"),
}

STAGE_LABELS = {
    lifecycle.GAP_ANALYSIS: _l("Gap analysis"),
    lifecycle.IMPLEMENTATION: _l("Implementation"),
    lifecycle.INTERNAL_AUDIT: _l("Internal audit"),
    lifecycle.REGISTRAR_SELECTION: _l("Registrar selection"),
    lifecycle.STAGE1_AUDIT: _l("Stage 1 audit"),
    lifecycle.STAGE2_AUDIT: _l("Stage 2 audit"),
    lifecycle.CERTIFIED: _l("Certified"),
    lifecycle.SURVEILLANCE_1: _l("Surveillance 1"),
    lifecycle.SURVEILLANCE_2: _l("Surveillance 2"),
    lifecycle.RECERTIFICATION: _l("Recertification"),
    lifecycle.ON_HOLD: _l("On hold"),
    lifecycle.CLOSED: _l("Closed"),
}

# One English word, several Arabic ones: a status agrees with what it describes (a quote,
# an accreditation, a certificate), so each kind has its own gettext context.
QUOTE_STATUS_LABELS = {
    QuoteStatus.REQUESTED: lazy_pgettext("quote status", "Requested"),
    QuoteStatus.RECEIVED: lazy_pgettext("quote status", "Received"),
    QuoteStatus.ACCEPTED: lazy_pgettext("quote status", "Accepted"),
    QuoteStatus.DECLINED: lazy_pgettext("quote status", "Declined"),
    QuoteStatus.EXPIRED: lazy_pgettext("quote status", "Expired"),
    QuoteStatus.WITHDRAWN: lazy_pgettext("quote status", "Withdrawn"),
}

ACCREDITATION_STATUS_LABELS = {
    "active": lazy_pgettext("accreditation status", "Active"),
    "suspended": lazy_pgettext("accreditation status", "Suspended"),
    "withdrawn": lazy_pgettext("accreditation status", "Withdrawn"),
}

CERTIFICATE_STATE_LABELS = {
    State.ACTIVE: lazy_pgettext("certificate state", "Valid"),
    State.SUSPENDED: lazy_pgettext("certificate state", "Suspended"),
    State.WITHDRAWN: lazy_pgettext("certificate state", "Withdrawn"),
    State.RESTORED: lazy_pgettext("certificate state", "Restored"),
    State.EXPIRED: lazy_pgettext("certificate state", "Expired"),
}

_CERTIFIED_STAGES = (lifecycle.CERTIFIED, lifecycle.SURVEILLANCE_1, lifecycle.SURVEILLANCE_2, lifecycle.RECERTIFICATION)

_TONES_BY_KIND: dict[str, dict[str, str]] = {
    "lead": {
        lead_status.NEW: "fresh",
        lead_status.CONTACTED: "working",
        lead_status.QUALIFIED: "good",
        lead_status.CONVERTED: "done",
        lead_status.UNQUALIFIED: "closed",
        lead_status.SPAM: "bad",
    },
    "stage": {
        **{stage: "working" for stage in lifecycle.CYCLE},
        **{stage: "good" for stage in _CERTIFIED_STAGES},
        lifecycle.ON_HOLD: "warning",
        lifecycle.CLOSED: "closed",
    },
    "quote": {
        QuoteStatus.REQUESTED: "pending",
        QuoteStatus.RECEIVED: "working",
        QuoteStatus.ACCEPTED: "good",
        QuoteStatus.DECLINED: "closed",
        QuoteStatus.EXPIRED: "warning",
        QuoteStatus.WITHDRAWN: "closed",
    },
    "accreditation": {"active": "good", "suspended": "warning", "withdrawn": "bad"},
    "certificate": {
        State.ACTIVE: "good",
        State.RESTORED: "good",
        State.SUSPENDED: "warning",
        State.WITHDRAWN: "bad",
        State.EXPIRED: "closed",
    },
}

_LABELS_BY_KIND: dict[str, dict[Any, Any]] = {
    "lead": LEAD_STATUS_LABELS,
    "stage": STAGE_LABELS,
    "quote": QUOTE_STATUS_LABELS,
    "accreditation": ACCREDITATION_STATUS_LABELS,
    "certificate": CERTIFICATE_STATE_LABELS,
}


@dataclass(frozen=True)
class StatusStyle:
    """How one status is drawn: its words and its badge classes."""

    label: str
    css: str


def status_style(kind: str, status: str) -> StatusStyle:
    """The label and look of `status` of `kind`; an unknown status is shown as stored, in a plain badge."""
    label = _LABELS_BY_KIND[kind].get(status, status)
    tone = _TONES_BY_KIND[kind].get(status)
    return StatusStyle(str(label), TONES[tone] if tone else "text-bg-light border")


def quote_status_label(quote: Quote, today: date | None = None) -> str:
    """The quote's status for people (the engagement page, the comparison), as of `today` in Oman:
    an open quote past its validity reads Expired before the reminders run stores it."""
    return status_style("quote", quote.status_on(today or today_in_oman())).label
