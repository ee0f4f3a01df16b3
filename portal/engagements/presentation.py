"""Labels, messages and ready-made values for the engagement pages, so templates hold no rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.reference import EditionTransition, transition_of
from portal.domain import certificate, lifecycle
from portal.domain.certificate import State
from portal.domain.editions import TransitionState, transition_ending_soon, transition_state
from portal.domain.lifecycle import Problem
from portal.domain.schedule import next_due
from portal.engagements.queries import schedule_of
from portal.models import Activity, Engagement, StandardEdition
from portal.models.types import utcnow
from portal.web.status import CERTIFICATE_STATE_LABELS, STAGE_LABELS

CLOSE_REASON_LABELS = {
    "won_elsewhere": _l("Won by another consultancy"),
    "no_budget": _l("No budget"),
    "no_response": _l("No response from the client"),
    "certificate_withdrawn": _l("Certificate withdrawn"),
    "client_cancelled": _l("Client cancelled"),
    "other": _l("Other (explain in the note)"),
}

AUDIT_LABELS = {
    "surveillance_1": _l("Surveillance audit 1"),
    "surveillance_2": _l("Surveillance audit 2"),
    "recertification": _l("Recertification audit"),
}


SCHEDULE_LABELS = {
    "surveillance_1_due": _l("Surveillance audit 1 due"),
    "surveillance_2_due": _l("Surveillance audit 2 due"),
    "recertification_due": _l("Recertification audit due"),
    "expiry_date": _l("Certificate expiry"),
}


INITIAL_AUDIT_LABELS = {
    "stage1_audit_on": _l("Stage 1 audit on"),
    "stage2_audit_on": _l("Stage 2 audit on"),
}


def stale_message() -> str:
    return _(
        "This engagement was changed by someone else while you were working on it. Reload the page to see the changes."
    )


def problem_message(problem: Problem, current: str, target: str) -> str:
    """Why the stage machine refuses a move, in the words of the stage form."""
    labels = {"current": STAGE_LABELS.get(current, current), "target": STAGE_LABELS.get(target, target)}
    messages = {
        Problem.UNKNOWN_STAGE: _("Choose a stage from the list."),
        Problem.SAME_STAGE: _("The engagement is already at %(current)s.", **labels),
        Problem.ALREADY_CLOSED: _("This engagement is closed; it cannot move any more."),
        Problem.NOT_FROM_HOLD: _("An engagement on hold resumes where it was, or is closed."),
        Problem.NOTE_REQUIRED: _(
            "Moving from %(current)s to %(target)s skips or goes back: say why in a note.", **labels
        ),
        Problem.REASON_REQUIRED: _("Choose why the engagement is closed."),
        Problem.UNKNOWN_REASON: _("Choose a reason from the list."),
        Problem.QUOTE_REQUIRED: _("Stage 1 needs an accepted quote from a certification body; accept one first."),
        Problem.CERTIFICATE_NUMBER_REQUIRED: _("Enter the certificate number."),
        Problem.DECISION_DATE_REQUIRED: _("Enter the date of the certification decision."),
        Problem.DECISION_DATE_IN_FUTURE: _("The certification decision date cannot be in the future."),
    }
    return messages[problem]


# What a person may record on a certificate, worded as the action.
CERTIFICATE_ACTION_LABELS = {
    State.SUSPENDED: _l("Suspended by the certification body"),
    State.WITHDRAWN: _l("Withdrawn by the certification body"),
    State.RESTORED: _l("Suspension lifted (restored)"),
}
REVIEW_OUTCOME_LABELS = {
    "accepted": _l("Accepted on the documents"),
    "accepted_after_visit": _l("Accepted after a visit to the client"),
}


def certificate_problem_message(problem: certificate.Problem) -> str:
    """Why recording a certificate state or a transfer is refused, in the words of its form."""
    messages = {
        certificate.Problem.NO_CERTIFICATE: _("There is no certificate yet; certify the engagement first."),
        certificate.Problem.UNKNOWN_STATE: _("Choose what happened from the list."),
        certificate.Problem.NOT_FROM_STATE: _(
            "That does not follow from the certificate's present state: only a valid certificate can be suspended, "
            "only a suspended one restored, and an expired one is renewed by recertification."
        ),
        certificate.Problem.REASON_REQUIRED: _("Give the certification body's reason."),
        certificate.Problem.DATE_IN_FUTURE: _("The date cannot be in the future."),
        certificate.Problem.DATE_BEFORE_DECISION: _("The date cannot be before the certification decision."),
        certificate.Problem.EXPIRED_CERTIFICATE: _(
            "Only a valid certificate can be transferred; an expired one means a new certification."
        ),
        certificate.Problem.NOT_ELIGIBLE: _(
            "Only a certificate issued under accreditation by an accreditation body recognised under the IAF MLA "
            "for that standard, and not suspended, can be transferred (IAF MD 2). Otherwise start a new engagement."
        ),
        certificate.Problem.REVIEW_IN_FUTURE: _("The pre-transfer review date cannot be in the future."),
        certificate.Problem.UNKNOWN_OUTCOME: _("Choose the review's outcome from the list."),
        certificate.Problem.REVIEWER_REQUIRED: _("Enter who did the pre-transfer review."),
    }
    return messages[problem]


@dataclass(frozen=True)
class CertificateView:
    """The certificate as the engagement page shows it: its state today, since when, why, and any gap."""

    state: State
    label: str
    since: date | None
    reason: str
    not_certified_from: date | None
    not_certified_until: date | None
    actions: dict[str, str]


def certificate_view(engagement: Engagement, today: date) -> CertificateView | None:
    """None before the first certificate; expired is read from the expiry date, never stored."""
    if engagement.expiry_date is None:
        return None
    state = certificate.current_state(engagement.certificate_state, engagement.expiry_date, today)
    since = engagement.expiry_date + timedelta(days=1) if state == State.EXPIRED else engagement.certificate_state_date
    actions = (
        {}
        if state == State.EXPIRED
        else {
            target: str(label)
            for target, label in CERTIFICATE_ACTION_LABELS.items()
            if engagement.certificate_state in certificate.RECORDED_FROM[target]
        }
    )
    return CertificateView(
        state=state,
        label=str(CERTIFICATE_STATE_LABELS[state]),
        since=since,
        reason=engagement.certificate_state_reason if state != State.EXPIRED else "",
        not_certified_from=engagement.not_certified_from,
        not_certified_until=engagement.not_certified_until,
        actions=actions,
    )


@dataclass(frozen=True)
class Target:
    """A stage the engagement may move to, whether the move needs a note, and whether it closes the engagement."""

    stage: str
    label: str
    needs_note: bool
    closes: bool


@dataclass(frozen=True)
class NextDue:
    label: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class Card:
    """One engagement as the board and the list show it."""

    engagement: Engagement
    days_in_stage: int
    next_due: NextDue | None
    targets: list[Target]
    certificate: CertificateView | None = None

    @property
    def certificate_alert(self) -> bool:
        """The card shows the certificate's state when it is anything but valid."""
        return self.certificate is not None and self.certificate.state != State.ACTIVE

    @property
    def asks_certificate(self) -> bool:
        """The stage form asks for the certificate number and decision date when certifying is offered."""
        return any(target.stage == lifecycle.CERTIFIED for target in self.targets)

    @property
    def asks_reason(self) -> bool:
        """The stage form asks why when closing is offered."""
        return any(target.closes for target in self.targets)


def days_since(moment: datetime | None, now: datetime | None = None) -> int:
    if moment is None:
        return 0
    return max(((now or utcnow()) - moment).days, 0)


def targets_for(engagement: Engagement) -> list[Target]:
    """The moves offered on the card and the page, forward step first."""
    return [
        Target(
            stage,
            _target_label(engagement.stage, stage),
            lifecycle.needs_note(engagement.stage, stage),
            closes=stage == lifecycle.CLOSED,
        )
        for stage in lifecycle.reachable(engagement.stage, engagement.stage_before_hold)
    ]


def _target_label(current: str, stage: str) -> str:
    if current == lifecycle.ON_HOLD and stage != lifecycle.CLOSED:
        return _("Resume at %(stage)s", stage=STAGE_LABELS[stage])
    if current == lifecycle.RECERTIFICATION and stage == lifecycle.CERTIFIED:
        return _("Recertified")
    return str(STAGE_LABELS[stage])


def next_due_of(engagement: Engagement, today: date) -> NextDue | None:
    found = next_due(engagement.stage, schedule_of(engagement))
    if found is None:
        return None
    audit, due = found
    return NextDue(str(AUDIT_LABELS[audit]), due, (due - today).days)


def card(engagement: Engagement, today: date, now: datetime | None = None) -> Card:
    return Card(
        engagement=engagement,
        days_in_stage=days_since(engagement.stage_entered_at, now),
        next_due=next_due_of(engagement, today),
        targets=targets_for(engagement),
        certificate=certificate_view(engagement, today),
    )


def stage_note(engagement: Engagement) -> str | None:
    """Beside the stage: where an engagement on hold was, or why a closed one closed."""
    if engagement.stage == lifecycle.ON_HOLD and engagement.stage_before_hold:
        return _("was at %(stage)s", stage=STAGE_LABELS[engagement.stage_before_hold])
    if engagement.stage == lifecycle.CLOSED and engagement.closed_reason:
        return str(CLOSE_REASON_LABELS.get(engagement.closed_reason, engagement.closed_reason))
    return None


@dataclass(frozen=True)
class TimelineEntry:
    """One timeline entry as the page shows it: its title and, for a schedule change, each date changed."""

    activity: Activity
    title: str
    changes: list[str]


def _stage_label(stage: str | None) -> str:
    return str(STAGE_LABELS.get(stage, stage))


def _title(kind: str, details: dict[str, Any]) -> str:
    body = details.get("certification_body")
    titles: dict[str, Callable[[], str]] = {
        "stage_change": lambda: (
            # Translators: the arrow points from the old stage to the new; in Arabic write ← instead.
            _("Stage: %(old)s → %(new)s", old=_stage_label(details.get("from")), new=_stage_label(details.get("to")))
            + (
                " · " + _("certificate restored on the prior cycle")
                if details.get("certificate_state") == State.RESTORED
                else ""
            )
        ),
        "schedule_adjusted": lambda: _("Schedule adjusted"),
        "initial_audits_planned": lambda: _("Stage 1 and stage 2 audit dates planned"),
        "certificate_state": lambda: _(
            "Certificate: %(state)s from %(date)s",
            state=CERTIFICATE_STATE_LABELS.get(details.get("to"), details.get("to")),
            date=details.get("on"),
        ),
        "edition_corrected": lambda: _(
            "Edition on the certificate: %(old)s → %(new)s", old=details.get("from") or "—", new=details.get("to")
        ),
        "editions_recorded": lambda: _(
            "Certified editions recorded as those in force on %(date)s: %(editions)s",
            date=details.get("on"),
            editions=", ".join(details.get("editions") or ()),
        ),
        "transfer_started": lambda: _(
            "Started as a transfer of the certificate issued by %(body)s", body=details.get("issuing_body")
        ),
        "note": lambda: _("Note"),
        "quote_requested": lambda: _("Quote requested from %(body)s", body=body),
        "quote_received": lambda: _("Quote received from %(body)s", body=body),
        "quote_revised": lambda: _("Quote revised by %(body)s", body=body),
        "quote_entered": lambda: _("Quote from %(body)s entered by hand", body=body),
        "quote_accepted": lambda: _("Quote from %(body)s accepted", body=body),
        "quote_withdrawn": lambda: _("Quote request to %(body)s withdrawn", body=body),
        "status_link_sent": lambda: _("Status page link sent to the client"),
        "status_link_revoked": lambda: _("Status page link revoked"),
        "status_viewed": lambda: _("The client viewed the status page"),
        "document_requested": lambda: _("Document requested from the client: %(title)s", title=details.get("title")),
        "document_uploaded": lambda: _(
            "The client sent a file for %(title)s: %(name)s", title=details.get("title"), name=details.get("name")
        ),
        "document_accepted": lambda: _("Document accepted: %(title)s", title=details.get("title")),
        "document_returned": lambda: _("Document returned to the client: %(title)s", title=details.get("title")),
        "shortlist:added": lambda: _("Added to the shortlist"),
        "shortlist:removed": lambda: _("Removed from the shortlist"),
    }
    key = f"{kind}:{details.get('action')}" if kind == "shortlist" else kind
    return titles[key]() if key in titles else kind.replace("_", " ").capitalize()


def timeline_entries(activities: Iterable[Activity]) -> list[TimelineEntry]:
    """The engagement's timeline, worded."""
    entries = []
    for activity in activities:
        details = activity.details or {}
        changes = [
            f"{(SCHEDULE_LABELS | INITIAL_AUDIT_LABELS).get(name, name)}: {change['old']} → {change['new']}"
            for name, change in (details.get("changes") or {}).items()
        ]
        entries.append(TimelineEntry(activity, _title(activity.kind, details), changes))
    return entries


@dataclass(frozen=True)
class CertifiedEdition:
    """An edition the certificate is to, with the transition away from it when one is set."""

    edition: StandardEdition
    transition: EditionTransition | None
    state: TransitionState | None  # running or recently ended; None: nothing to say
    ending_soon: bool  # within the reminder window: the owner has been reminded


def certified_editions(engagement: Engagement, today: date) -> list[CertifiedEdition]:
    views = []
    for edition in engagement.certified_editions:
        transition = transition_of(edition, today)
        ends_on = transition.ends_on if transition else None
        views.append(
            CertifiedEdition(
                edition, transition, transition_state(ends_on, today), transition_ending_soon(ends_on, today)
            )
        )
    return views
