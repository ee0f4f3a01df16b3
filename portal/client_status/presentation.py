"""What the status page shows the client, and the labels of the consultant's client page.

The client's read model is built from an allow-list: the stage on the cycle, the audits and
their dates, the chosen body's name, the certificate's facts, the consultant's name and the
document requests. Nothing else of the engagement (notes, quotes, prices, other bodies, staff
e-mail addresses, the certificate state's internal reason) reaches the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from portal.client_status.queries import LinkProblem
from portal.domain import certificate, lifecycle
from portal.domain.schedule import outstanding_audits
from portal.engagements.presentation import AUDIT_LABELS
from portal.engagements.queries import schedule_of
from portal.models import DocumentRequest, DocumentStatus, Engagement, StatusLink
from portal.web.languages import LANGUAGE_NAMES
from portal.web.status import CERTIFICATE_STATE_LABELS, STAGE_LABELS, TONES

# What each audit is (DOMAIN.md: ISO/IEC 17021-1), in words for the client.
AUDIT_EXPLANATIONS = {
    lifecycle.STAGE1_AUDIT: _l(
        "The certification body reviews your documentation and your readiness for certification, often on site."
    ),
    lifecycle.STAGE2_AUDIT: _l(
        "The certification audit itself. A positive certification decision after it starts a three-year certificate."
    ),
    "surveillance_1": _l(
        "Checks that your management system keeps working. The first is due no later than 12 months after the "
        "certification decision."
    ),
    "surveillance_2": _l("The yearly surveillance audit of the certificate's second year."),
    "recertification": _l(
        "Renews the certificate for another three years; it must be complete before the certificate expires."
    ),
}

CLIENT_DOCUMENT_LABELS = {
    DocumentStatus.REQUESTED: lazy_pgettext("document status", "Waiting for your file"),
    DocumentStatus.SUBMITTED: lazy_pgettext("document status", "Received, being reviewed"),
    DocumentStatus.ACCEPTED: lazy_pgettext("document status", "Accepted"),
    DocumentStatus.RETURNED: lazy_pgettext("document status", "Returned: please send a new file"),
}
STAFF_DOCUMENT_LABELS = {
    DocumentStatus.REQUESTED: lazy_pgettext("document status", "Requested"),
    DocumentStatus.SUBMITTED: lazy_pgettext("document status", "Sent by the client: to review"),
    DocumentStatus.ACCEPTED: lazy_pgettext("document status", "Accepted"),
    DocumentStatus.RETURNED: lazy_pgettext("document status", "Returned to the client"),
}
DOCUMENT_TONES = {
    DocumentStatus.REQUESTED: "pending",
    DocumentStatus.SUBMITTED: "working",
    DocumentStatus.ACCEPTED: "good",
    DocumentStatus.RETURNED: "warning",
}


def link_problem_message(problem: LinkProblem) -> str:
    messages = {
        LinkProblem.INVALID: _("This link is not valid. Check that you copied the whole address from the e-mail."),
        LinkProblem.EXPIRED: _("This link has expired. Ask your consultant to send you a new one."),
        LinkProblem.REVOKED: _(
            "This link is no longer valid: a newer link was sent to you, or it was withdrawn. Use the latest "
            "e-mail, or ask your consultant for a new link."
        ),
        LinkProblem.CLOSED: _("This engagement is closed; its status page is no longer available."),
    }
    return messages[problem]


@dataclass(frozen=True)
class Step:
    """One stage of the cycle on the client's timeline."""

    label: str
    state: str  # done | current | ahead
    explanation: str | None


@dataclass(frozen=True)
class AuditAhead:
    label: str
    explanation: str
    due: date | None  # None: the dates are agreed with the certification body
    overdue: bool


@dataclass(frozen=True)
class CertificateFacts:
    number: str
    decision_date: date | None
    expiry_date: date
    state_label: str
    valid: bool


@dataclass(frozen=True)
class DocumentView:
    request: DocumentRequest
    label: str
    badge: str
    overdue: bool
    can_upload: bool
    comment: str  # the consultant's words, shown when returned


@dataclass(frozen=True)
class StatusView:
    """Everything the status page shows."""

    client_name: str
    standards: list[str]
    on_hold: bool
    steps: list[Step]
    audits_ahead: list[AuditAhead]
    body_name: str | None
    certificate: CertificateFacts | None
    consultant_name: str | None
    documents: list[DocumentView]


def _steps(engagement: Engagement) -> list[Step]:
    stage = engagement.stage_before_hold if engagement.stage == lifecycle.ON_HOLD else engagement.stage
    reached = lifecycle.CYCLE.index(stage) if stage in lifecycle.CYCLE else -1
    steps = []
    for index, cycle_stage in enumerate(lifecycle.CYCLE):
        state = "done" if index < reached else "current" if index == reached else "ahead"
        explanation = AUDIT_EXPLANATIONS.get(cycle_stage)
        steps.append(Step(str(STAGE_LABELS[cycle_stage]), state, str(explanation) if explanation else None))
    return steps


def _audits_ahead(engagement: Engagement, today: date) -> list[AuditAhead]:
    """Stage 1 and 2 while still to come (on the dates agreed with the body, once the consultant has
    entered them), then the scheduled audits."""
    stage = engagement.stage_before_hold if engagement.stage == lifecycle.ON_HOLD else engagement.stage
    ahead: list[AuditAhead] = []
    if stage in lifecycle.CYCLE and lifecycle.CYCLE.index(stage) <= lifecycle.CYCLE.index(lifecycle.STAGE2_AUDIT):
        initial = (lifecycle.STAGE1_AUDIT, lifecycle.STAGE2_AUDIT)
        if stage == lifecycle.STAGE2_AUDIT:
            initial = (lifecycle.STAGE2_AUDIT,)
        agreed = {
            lifecycle.STAGE1_AUDIT: engagement.stage1_audit_on,
            lifecycle.STAGE2_AUDIT: engagement.stage2_audit_on,
        }
        ahead += [AuditAhead(str(STAGE_LABELS[s]), str(AUDIT_EXPLANATIONS[s]), agreed[s], False) for s in initial]
    for audit, due in outstanding_audits(stage, schedule_of(engagement)):
        ahead.append(AuditAhead(str(AUDIT_LABELS[audit]), str(AUDIT_EXPLANATIONS[audit]), due, due < today))
    return ahead


def _certificate(engagement: Engagement, today: date) -> CertificateFacts | None:
    if engagement.expiry_date is None:
        return None
    state = certificate.current_state(engagement.certificate_state, engagement.expiry_date, today)
    return CertificateFacts(
        number=engagement.certificate_number,
        decision_date=engagement.decision_date,
        expiry_date=engagement.expiry_date,
        state_label=str(CERTIFICATE_STATE_LABELS[state]),
        valid=state in certificate.VALID_STATES,
    )


def document_views(requests: list[DocumentRequest], today: date, *, for_client: bool) -> list[DocumentView]:
    labels = CLIENT_DOCUMENT_LABELS if for_client else STAFF_DOCUMENT_LABELS
    return [
        DocumentView(
            request=request,
            label=str(labels[DocumentStatus(request.status)]),
            badge=TONES[DOCUMENT_TONES[DocumentStatus(request.status)]],
            overdue=request.awaits_client and request.due_date < today,
            can_upload=request.awaits_client,
            comment=request.review_comment if request.status == DocumentStatus.RETURNED else "",
        )
        for request in requests
    ]


def status_view(engagement: Engagement, requests: list[DocumentRequest], today: date) -> StatusView:
    """The client's page, from the allow-list above."""
    body = engagement.certification_body
    return StatusView(
        client_name=engagement.client.name,
        standards=[standard.code for standard in engagement.standards],
        on_hold=engagement.stage == lifecycle.ON_HOLD,
        steps=_steps(engagement),
        audits_ahead=_audits_ahead(engagement, today),
        body_name=body.name if body is not None else None,
        certificate=_certificate(engagement, today),
        consultant_name=engagement.owner.name if engagement.owner else None,
        documents=document_views(requests, today, for_client=True),
    )


@dataclass(frozen=True)
class LinkView:
    """The last link sent, as the consultant's page shows it."""

    link: StatusLink
    language_name: str
    state_label: str
    live: bool


def link_view(link: StatusLink | None, now: datetime) -> LinkView | None:
    if link is None:
        return None
    if link.revoked_at is not None:
        label = _("Revoked")
    elif not link.is_live(now):
        label = _("Expired")
    else:
        label = _("Working")
    return LinkView(link, LANGUAGE_NAMES.get(link.language, link.language), label, link.is_live(now))


def download_name(request: DocumentRequest, upload_id: int, extension: str) -> str:
    """A name the server makes for a client's file: engagement, request and file numbers."""
    return f"engagement-{request.engagement_id}-document-{request.id}-file-{upload_id}.{extension}"
