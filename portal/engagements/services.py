"""Use cases on one engagement: move it between stages, adjust its schedule, record its
certificate's state and the edition it is to, note on it; and start an engagement as a
transfer of a certificate.

Each function checks the version the person saw (optimistic locking), applies the
rules of portal.domain.lifecycle / schedule, writes the StageChange, timeline and
audit rows, and flushes. None commits: the request (or CLI command) does, once.
Refused actions raise `ServiceError` with a message and the form field it belongs to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.core import audit, webhook_events
from portal.core.clock import today_in_oman
from portal.core.errors import ServiceError
from portal.core.reference import editions_in_force
from portal.domain import certificate, lifecycle
from portal.domain.certificate import State
from portal.domain.schedule import (
    RenewalKind,
    Schedule,
    ScheduleError,
    check_adjusted,
    initial_schedule,
    renewal,
)
from portal.domain.versions import is_stale
from portal.engagements.presentation import (
    INITIAL_AUDIT_LABELS,
    SCHEDULE_LABELS,
    certificate_problem_message,
    problem_message,
    stale_message,
)
from portal.engagements.queries import schedule_of, schedule_rules
from portal.extensions import db
from portal.models import (
    Activity,
    CertificateTransfer,
    CertificationBody,
    Client,
    Engagement,
    Quote,
    QuoteStatus,
    StageChange,
    Standard,
    StandardEdition,
    User,
)
from portal.models.types import utcnow

logger = logging.getLogger(__name__)


def check_version(engagement: Engagement, expected_version: int | None) -> None:
    """Refuse when the engagement changed since the person's form was rendered (None: no check)."""
    if is_stale(engagement.version, expected_version):
        raise ServiceError.conflict(stale_message())


def has_accepted_quote(engagement: Engagement) -> bool:
    """The stage 1 guard: a certification body's quote for this engagement was accepted."""
    return (
        db.session.scalar(
            select(Quote.id).where(Quote.engagement_id == engagement.id, Quote.status == QuoteStatus.ACCEPTED.value)
        )
        is not None
    )


def record_activity(engagement: Engagement, actor: User | None, kind: str, body: str = "", **details) -> Activity:
    """Add a timeline entry to the engagement (flushed with the caller's changes)."""
    activity = Activity(engagement_id=engagement.id, author=actor, kind=kind, body=body, details=details)
    db.session.add(activity)
    return activity


@dataclass(frozen=True)
class StageMoveInput:
    """What the stage form sends: the target stage and what its guards may need."""

    to_stage: str
    note: str = ""
    reason: str = ""
    certificate_number: str = ""
    decision_date: date | None = None
    version: int | None = None


def move_stage(engagement: Engagement, data: StageMoveInput, actor: User) -> StageChange:
    """Move the engagement to `data.to_stage` if the stage machine allows it, and record why."""
    check_version(engagement, data.version)
    current = engagement.stage
    note = data.note.strip()
    move = lifecycle.Move(
        current=current,
        target=data.to_stage,
        today=today_in_oman(),
        stage_before_hold=engagement.stage_before_hold,
        note=note,
        reason=data.reason,
        has_accepted_quote=data.to_stage == lifecycle.STAGE1_AUDIT and has_accepted_quote(engagement),
        certificate_number=data.certificate_number,
        decision_date=data.decision_date,
    )
    problem = lifecycle.problem(move)
    if problem is not None:
        raise ServiceError(problem_message(problem, current, data.to_stage), field=lifecycle.FIELDS[problem])

    target = data.to_stage
    details: dict = {"from": current, "to": target}
    if target == lifecycle.ON_HOLD:
        engagement.stage_before_hold = current
    elif current == lifecycle.ON_HOLD:
        engagement.stage_before_hold = None
    if target == lifecycle.CLOSED:
        engagement.closed_reason = data.reason
        details["reason"] = data.reason
    if target == lifecycle.CERTIFIED:
        _certify(engagement, data, renew=lifecycle.starts_new_cycle(current, target))
        details.update(
            certificate_number=engagement.certificate_number,
            decision_date=engagement.decision_date.isoformat(),
            expiry_date=engagement.expiry_date.isoformat(),
            certificate_state=engagement.certificate_state,
            editions=[edition.edition for edition in engagement.certified_editions],
        )
        if engagement.not_certified_from is not None:
            details["not_certified"] = [
                engagement.not_certified_from.isoformat(),
                engagement.not_certified_until.isoformat(),
            ]
    engagement.stage = target
    engagement.stage_entered_at = utcnow()
    change = StageChange(
        engagement_id=engagement.id,
        from_stage=current,
        to_stage=target,
        note=note,
        reason=data.reason if target == lifecycle.CLOSED else "",
        actor=actor,
    )
    db.session.add(change)
    record_activity(engagement, actor, "stage_change", note, **details)
    audit.record("engagement.stage", actor, engagement, details)
    db.session.flush()
    webhook_events.stage_changed(engagement, change)
    logger.info("engagement %s stage %s -> %s by %s", engagement.id, current, target, actor.email)
    return change


def _certify(engagement: Engagement, data: StageMoveInput, renew: bool) -> None:
    """Record the certificate and compute its cycle.

    A renewal continues from the old expiry; decided within six months after expiry it
    restores the certificate on the prior cycle and keeps the days without certification
    (ISO/IEC 17021-1 9.6.3.2.5); later, a new cycle starts from the decision.
    """
    assert data.decision_date is not None  # the stage machine's guard
    rules = schedule_rules()
    if renew:
        outcome = renewal(data.decision_date, engagement.expiry_date, rules)
        schedule = outcome.schedule
        engagement.not_certified_from = outcome.not_certified_from
        engagement.not_certified_until = outcome.not_certified_until
        restored = outcome.kind == RenewalKind.RESTORED
    else:
        schedule = initial_schedule(data.decision_date, rules)
        restored = False
    engagement.certificate_number = data.certificate_number.strip()[:80]
    engagement.decision_date = data.decision_date
    engagement.certificate_state = (State.RESTORED if restored else State.ACTIVE).value
    engagement.certificate_state_date = data.decision_date if restored else None
    engagement.certificate_state_reason = ""
    # The certificate is to the editions current on the decision (a recertification moves it on).
    engagement.certified_editions = editions_in_force(engagement.standards, data.decision_date)
    apply_schedule(engagement, schedule)


def apply_schedule(engagement: Engagement, schedule: Schedule) -> None:
    """Store a cycle's dates on the engagement (a certification, and the demo data)."""
    engagement.cycle_start = schedule.cycle_start
    engagement.expiry_date = schedule.expiry
    engagement.surveillance_1_due = schedule.surveillance_1_due
    engagement.surveillance_2_due = schedule.surveillance_2_due
    engagement.recertification_due = schedule.recertification_due


SCHEDULE_FIELDS = tuple(SCHEDULE_LABELS)
_DOMAIN_FIELD = {
    "expiry": "expiry_date",
    "surveillance_1_due": "surveillance_1_due",
    "surveillance_2_due": "surveillance_2_due",
    "recertification_due": "recertification_due",
}


@dataclass(frozen=True)
class ScheduleInput:
    """Hand-adjusted due dates (e.g. the body moved an audit) and the note saying why."""

    expiry_date: date
    surveillance_1_due: date
    surveillance_2_due: date
    recertification_due: date
    note: str
    version: int | None = None


def adjust_schedule(engagement: Engagement, data: ScheduleInput, actor: User) -> None:
    """Change the schedule's dates by hand; the note and the old dates go on the timeline."""
    check_version(engagement, data.version)
    current = schedule_of(engagement)
    if current is None:
        raise ServiceError(_("The schedule starts with the first certificate; certify the engagement first."))
    note = data.note.strip()
    if not note:
        raise ServiceError(_("Say why the schedule changes."), field="note")
    adjusted = Schedule(
        cycle_start=current.cycle_start,
        expiry=data.expiry_date,
        surveillance_1_due=data.surveillance_1_due,
        surveillance_2_due=data.surveillance_2_due,
        recertification_start=current.recertification_start,
        recertification_due=data.recertification_due,
    )
    try:
        check_adjusted(adjusted)
    except ScheduleError as error:
        raise ServiceError(
            _("The dates must run in order: surveillance 1, surveillance 2, recertification audit, expiry."),
            field=_DOMAIN_FIELD[error.field],
        ) from error
    changes = _change_dates(engagement, data, SCHEDULE_FIELDS, unchanged_field="expiry_date")
    record_activity(engagement, actor, "schedule_adjusted", note, changes=changes)
    audit.record("engagement.schedule", actor, engagement, changes)
    db.session.flush()
    logger.info("engagement %s schedule adjusted by %s: %s", engagement.id, actor.email, sorted(changes))


@dataclass(frozen=True)
class InitialAuditsInput:
    """The agreed stage 1 and stage 2 audit dates (None: not agreed yet)."""

    stage1_audit_on: date | None
    stage2_audit_on: date | None
    version: int | None = None


def plan_initial_audits(engagement: Engagement, data: InitialAuditsInput, actor: User) -> None:
    """Record (or clear) the dates the body holds the stage 1 and stage 2 audits; the old dates go
    on the timeline, and calendar feeds move the events."""
    check_version(engagement, data.version)
    if data.stage1_audit_on and data.stage2_audit_on and data.stage2_audit_on < data.stage1_audit_on:
        raise ServiceError(_("The stage 2 audit comes after the stage 1 audit."), field="stage2_audit_on")
    changes = _change_dates(engagement, data, tuple(INITIAL_AUDIT_LABELS), unchanged_field="stage1_audit_on")
    record_activity(engagement, actor, "initial_audits_planned", changes=changes)
    audit.record("engagement.initial_audits", actor, engagement, changes)
    db.session.flush()
    logger.info("engagement %s initial audits planned by %s: %s", engagement.id, actor.email, changes)


def _change_dates(
    engagement: Engagement, data: object, names: tuple[str, ...], unchanged_field: str
) -> dict[str, dict[str, str]]:
    """Set each date of `names` that `data` changes; return the old and new of each (for the
    timeline and the audit log), or refuse when none changed."""
    changes = {
        name: {"old": _iso(getattr(engagement, name)), "new": _iso(getattr(data, name))}
        for name in names
        if getattr(engagement, name) != getattr(data, name)
    }
    if not changes:
        raise ServiceError(_("No date changed."), field=unchanged_field)
    for name in changes:
        setattr(engagement, name, getattr(data, name))
    return changes


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "—"


@dataclass(frozen=True)
class CertificateStateInput:
    """A state a person records on the certificate (suspended, withdrawn, restored), since when and why."""

    state: str
    on: date
    reason: str
    version: int | None = None


def record_certificate_state(engagement: Engagement, data: CertificateStateInput, actor: User) -> None:
    """Record that the certification body suspended, withdrew or restored the certificate (17021-1 9.6)."""
    check_version(engagement, data.version)
    reason = data.reason.strip()
    change = certificate.StateChange(
        stored=engagement.certificate_state,
        target=data.state,
        on=data.on,
        reason=reason,
        today=today_in_oman(),
        expiry=engagement.expiry_date,
        decision_date=engagement.decision_date,
    )
    problem = certificate.state_problem(change)
    if problem is not None:
        raise ServiceError(certificate_problem_message(problem), field=certificate.FIELDS[problem])
    details = {"from": engagement.certificate_state, "to": data.state, "on": data.on.isoformat()}
    engagement.certificate_state = data.state
    engagement.certificate_state_date = data.on
    engagement.certificate_state_reason = reason
    record_activity(engagement, actor, "certificate_state", reason, **details)
    audit.record("engagement.certificate_state", actor, engagement, {**details, "reason": reason})
    db.session.flush()
    logger.info("engagement %s certificate %s -> %s by %s", engagement.id, details["from"], data.state, actor.email)


@dataclass(frozen=True)
class EditionInput:
    """The edition a person says one standard's certificate is to."""

    edition_id: int
    version: int | None = None


def correct_certified_edition(engagement: Engagement, data: EditionInput, actor: User) -> StandardEdition:
    """Record the edition printed on the certificate for one standard, replacing what was recorded.

    The decision records the edition current that day; a certificate issued before editions
    were kept, or to the older edition during a transition, is corrected here by hand.
    """
    check_version(engagement, data.version)
    if engagement.decision_date is None and engagement.transfer is None:
        raise ServiceError(_("The engagement has no certificate yet."))
    edition = db.session.get(StandardEdition, data.edition_id)
    if edition is None or edition.standard not in engagement.standards:
        raise ServiceError(_("Choose an edition of one of the engagement's standards."), field="edition")
    if edition in engagement.certified_editions:
        raise ServiceError(
            _("The certificate is already recorded as to %(edition)s.", edition=edition.edition), field="edition"
        )
    replaced = [e for e in engagement.certified_editions if e.standard_id == edition.standard_id]
    engagement.certified_editions = [e for e in engagement.certified_editions if e not in replaced] + [edition]
    details = {"from": replaced[0].edition if replaced else None, "to": edition.edition}
    record_activity(engagement, actor, "edition_corrected", **details)
    audit.record("engagement.edition", actor, engagement, details)
    db.session.flush()
    logger.info("engagement %s edition %s -> %s by %s", engagement.id, details["from"], details["to"], actor.email)
    return edition


def record_missing_editions() -> int:
    """Give certificates issued before editions were recorded the editions in force on their
    decision (a transfer: on its cycle start); return how many engagements changed.

    Idempotent, run by `flask seed reference` after the editions are loaded; a certificate
    older than every recorded edition stays without one (the consultant corrects it).
    """
    stmt = (
        select(Engagement)
        .where(
            or_(Engagement.decision_date.is_not(None), Engagement.cycle_start.is_not(None)),
            ~Engagement.certified_editions.any(),
        )
        .options(selectinload(Engagement.standards).selectinload(Standard.editions))
    )
    changed = 0
    for engagement in db.session.scalars(stmt):
        on = engagement.decision_date or engagement.cycle_start
        editions = editions_in_force(engagement.standards, on)
        if not editions:
            continue
        engagement.certified_editions = editions
        record_activity(
            engagement, None, "editions_recorded", editions=[e.edition for e in editions], on=on.isoformat()
        )
        changed += 1
    db.session.flush()
    return changed


@dataclass(frozen=True)
class TransferInput:
    """A certificate taken over from another body, and the accepting body's pre-transfer review."""

    standard_id: int
    issuing_body: str
    certificate_number: str
    expiry_date: date
    next_audit: str
    eligible: bool
    review_date: date
    reviewer: str
    review_outcome: str
    review_notes: str = ""
    certification_body_id: int | None = None


def start_transfer(client: Client, data: TransferInput, actor: User) -> Engagement:
    """Start an engagement as the transfer of a valid accredited certificate (IAF MD 2).

    It keeps the certificate's cycle (expiry, surveillance dates) and starts at the next
    audit the accepting body does: no gap analysis, no stage 1 or 2.
    """
    transfer = certificate.Transfer(
        expiry=data.expiry_date,
        eligible=data.eligible,
        review_date=data.review_date,
        reviewer=data.reviewer,
        review_outcome=data.review_outcome,
        today=today_in_oman(),
    )
    problem = certificate.transfer_problem(transfer)
    if problem is not None:
        raise ServiceError(certificate_problem_message(problem), field=certificate.FIELDS[problem])
    if data.next_audit not in certificate.NEXT_AUDITS:
        raise ServiceError(_("Choose the next audit from the list."), field="next_audit")
    standard = db.session.get(Standard, data.standard_id)
    if standard is None or not standard.active:
        raise ServiceError(_("Choose a standard from the list."), field="standard")
    body = db.session.get(CertificationBody, data.certification_body_id) if data.certification_body_id else None
    engagement = Engagement(
        client=client,
        owner=actor,
        stage=data.next_audit,
        certification_body=body,
        certificate_number=data.certificate_number.strip()[:80],
    )
    engagement.standards = [standard]
    # The edition current at the transfer, the usual case once a transition has ended.
    engagement.certified_editions = editions_in_force([standard], today_in_oman())
    apply_schedule(engagement, certificate.transferred_schedule(data.expiry_date, schedule_rules()))
    engagement.transfer = CertificateTransfer(
        issuing_body=data.issuing_body.strip()[:200],
        review_date=data.review_date,
        reviewer=data.reviewer.strip()[:120],
        review_outcome=data.review_outcome,
        review_notes=data.review_notes.strip(),
        recorded_by=actor,
    )
    db.session.add(engagement)
    db.session.flush()
    details = {"issuing_body": engagement.transfer.issuing_body, "expiry_date": data.expiry_date.isoformat()}
    record_activity(engagement, actor, "transfer_started", engagement.transfer.review_notes, **details)
    audit.record("engagement.transfer", actor, engagement, details)
    db.session.flush()
    logger.info(
        "engagement %s started as a transfer from %s by %s", engagement.id, details["issuing_body"], actor.email
    )
    return engagement


def add_note(engagement: Engagement, actor: User, text: str) -> Activity:
    """A free note on the engagement's timeline."""
    text = text.strip()
    if not text:
        raise ServiceError(_("Write the note first."), field="body")
    activity = record_activity(engagement, actor, "note", text)
    db.session.flush()
    return activity
