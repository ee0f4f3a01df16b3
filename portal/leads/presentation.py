"""Labels and ready-to-show values for the inbox and the lead page, so templates hold no lookups."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import get_template_attribute
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.core.enquiry_answers import HEARD_FROM_LABELS, SOURCE_LABELS, TIMELINE_LABELS, answer_label
from portal.core.formats import format_number, short_duration
from portal.core.readiness_questions import ANSWER_OPTIONS, GROUP_TITLES, QUESTIONS
from portal.core.reference_names import local_name, sector_label
from portal.domain import lead_status
from portal.domain.duplicates import MatchReason
from portal.domain.normalise import slugify
from portal.leads.queries.filters import ALL_STATUSES
from portal.leads.response import ResponseSettings, ResponseState, deadlines, is_awaiting
from portal.models import Activity, Engagement, Lead, LeadAttachment
from portal.web.languages import LANGUAGE_NAMES
from portal.web.status import LEAD_STATUS_LABELS

if TYPE_CHECKING:
    from markupsafe import Markup

    from portal.leads.queries.inbox import InboxRow

DUPLICATE_REASON_LABELS = {
    MatchReason.EMAIL: _l("same e-mail"),
    MatchReason.PHONE: _l("same phone"),
    MatchReason.COMPANY: _l("same company"),
}

# A lead still awaiting its first answer, close to or past the response target.
RESPONSE_BADGES = {ResponseState.DUE_SOON: _l("Answer due soon"), ResponseState.OVERDUE: _l("Response overdue")}

CALL_OUTCOMES = {
    "reached": _l("Reached the contact"),
    "no_answer": _l("No answer"),
    "voicemail": _l("Left a voicemail"),
    "wrong_number": _l("Wrong number"),
}


@dataclass(frozen=True)
class EmailTemplate:
    """An e-mail a consultant can send to a lead; the body lives in templates/emails/."""

    label: str
    subject: str
    template: str


# Labels and subjects are lazy: rendered in the consultant's or the lead's language.
LEAD_EMAIL_TEMPLATES = {
    "follow_up": EmailTemplate(
        _l("Thank you / first contact"), _l("Your ISO certification enquiry"), "emails/lead_follow_up.txt"
    ),
    "request_info": EmailTemplate(
        _l("Ask for more information"),
        _l("A few questions about your ISO certification enquiry"),
        "emails/lead_request_info.txt",
    ),
    "meeting": EmailTemplate(
        _l("Propose a meeting"), _l("Meeting about your ISO certification project"), "emails/lead_meeting.txt"
    ),
}

_QUESTION_TEXT = {question.id: question.text for question in QUESTIONS}
_ANSWER_LABEL = {option.key: option.label for option in ANSWER_OPTIONS}


@dataclass(frozen=True)
class ReadinessView:
    overall: Any
    groups: list[tuple[str, Any]]
    answers: list[tuple[str, str]]


def readiness_view(data: dict[str, Any] | None) -> ReadinessView | None:
    """The readiness check attached to an enquiry, with question texts and answer labels.

    Keys the questionnaire no longer knows are shown as stored rather than dropped.
    """
    if not isinstance(data, dict):
        return None
    groups = data.get("groups") if isinstance(data.get("groups"), dict) else {}
    answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
    return ReadinessView(
        overall=data.get("overall"),
        groups=[(str(GROUP_TITLES.get(key, key)), score) for key, score in groups.items()],
        answers=[
            (str(_QUESTION_TEXT.get(key, key)), str(_ANSWER_LABEL.get(answer, answer)))
            for key, answer in answers.items()
        ],
    )


FACTOR_LABELS = {
    "size": _l("Size"),
    "standards": _l("Standards"),
    "sites": _l("Sites"),
    "timeline": _l("Timeline"),
    "sector": _l("Sector"),
    "existing_certifications": _l("Existing certifications"),
    "completeness": _l("Completeness"),
    "prepared": _l("Prepared"),
    "company_address": _l("Company address"),
}

# One wording per domain `detail` code (portal/domain/lead_scoring.py), given its values.
_FACTOR_DETAILS: dict[str, Callable[[dict[str, int]], str]] = {
    "employees": lambda v: ngettext("%(num)s employee", "%(num)s employees", v["count"]),
    "standards": lambda v: ngettext("%(num)s standard wanted", "%(num)s standards wanted", v["count"]),
    "sites": lambda v: ngettext("%(num)s site", "%(num)s sites", v["count"]),
    "no_target": lambda v: _("no target date yet"),
    "target_within": lambda v: _("target within %(months)s months", months=v["months"]),
    "target_later": lambda v: _("target more than a year away"),
    "sector_unknown": lambda v: _("sector not given"),
    "employees_unknown": lambda v: _("employees not given"),
    "sites_unknown": lambda v: _("sites not given"),
    "target_unknown": lambda v: _("timeline not given"),
    "sector_high": lambda v: _("IAF sector %(code)s: high complexity", code=v["code"]),
    "sector_medium": lambda v: _("IAF sector %(code)s: medium complexity", code=v["code"]),
    "sector_other": lambda v: _("IAF sector %(code)s", code=v["code"]),
    "certified": lambda v: _("already holds certifications"),
    "not_certified": lambda v: _("no certifications named"),
    "completeness": lambda v: _("phone, message and job title given count 2, 2 and 1"),
    "company_address": lambda v: _("company e-mail address"),
    "free_mail": lambda v: _("free-mail address"),
    "disposable_mail": lambda v: _("disposable e-mail address"),
    "prepared": lambda v: _("readiness check (6) or estimate (4) attached"),
}


@dataclass(frozen=True)
class ScoreLine:
    label: str
    why: str
    points: Any


def score_lines(factors: list[dict[str, Any]] | None) -> list[ScoreLine]:
    """The stored score factors in the reader's language.

    Factors stored before they carried a `detail` code keep their English explanation.
    """
    lines = []
    for factor in factors or []:
        name = str(factor.get("name", ""))
        label = FACTOR_LABELS.get(name, name.replace("_", " ").capitalize())
        word = _FACTOR_DETAILS.get(str(factor.get("detail", "")))
        try:
            why = word(factor.get("values") or {}) if word else str(factor.get("explanation", ""))
        except (KeyError, TypeError):  # values missing or of another shape: show what was stored
            why = str(factor.get("explanation", ""))
        lines.append(ScoreLine(str(label), why, factor.get("points", "")))
    return lines


ESTIMATE_LABELS = {
    "standards": _l("Standards"),
    "employees": _l("Employees"),
    "part_time_staff": _l("Part-time staff"),
    "effective_personnel": _l("Effective personnel (IAF MD 5)"),
    "sites": _l("Sites"),
    "sites_differ": _l("Sites do different work or carry high risks"),
    "sector": _l("IAF sector"),
    "location": _l("Location"),
    "initial_audit_days": _l("Initial audit (auditor-days)"),
    "stage_1_days": _l("Stage 1 (auditor-days)"),
    "stage_2_days": _l("Stage 2 (auditor-days)"),
    "surveillance_days_each": _l("Each surveillance audit (auditor-days)"),
    "recertification_days": _l("Recertification audit (auditor-days)"),
    "no_table_for": _l("No IAF MD 5 table for"),
}


def estimate_rows(estimate: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """The audit-time estimate attached to an enquiry, with labels in the reader's language.

    Keys this list does not know (from an older estimate page) are shown as stored.
    """
    return [
        (str(ESTIMATE_LABELS.get(key, key.replace("_", " ").capitalize())), value)
        for key, value in (estimate or {}).items()
    ]


def not_given(lead: Lead) -> list[str]:
    """The optional answers the visitor left out, named for the lead page ("Not given: …")."""
    answers = (
        (_l("phone"), not lead.phone),
        (_l("timeline"), not lead.timeline and lead.wanted_by is None),
        (_l("employees"), lead.employees is None),
        (_l("sites"), lead.sites is None),
        (_l("sector"), lead.sector_id is None),
        (_l("location"), lead.region_id is None),
        (_l("how they heard of us"), not lead.heard_from),
        (_l("message"), not lead.message),
    )
    return [str(label) for label, missing in answers if missing]


def sent_words(lead: Lead) -> dict[str, str]:
    """The lead's coded answers in words: its timeline, where they heard of us, where the enquiry
    came from and the language it was written in."""
    return {
        "timeline": answer_label(TIMELINE_LABELS, lead.timeline),
        "heard_from": answer_label(HEARD_FROM_LABELS, lead.heard_from),
        "source": answer_label(SOURCE_LABELS, lead.source),
        "language": LANGUAGE_NAMES.get(lead.language, lead.language),
    }


def lead_page_flags(lead: Lead, engagement: Engagement | None, viewer_id: int) -> dict[str, Any]:
    """What the lead page shows to `viewer_id`, decided here so the templates compare no status strings or ids.
    An erased lead offers only what `services.ensure_not_erased` still allows: status, owner, tags."""
    erased = lead.erased_at is not None
    return {
        "erased": erased,
        "readiness": readiness_view(lead.readiness),
        "score_lines": score_lines(lead.score_factors),
        "estimate_rows": estimate_rows(lead.estimate),
        "not_given": not_given(lead),
        "sent_words": sent_words(lead),
        "show_convert": lead.status == lead_status.QUALIFIED and engagement is None and not erased,
        "show_email": lead.status != lead_status.SPAM and not erased,
        "show_merge": lead.duplicate_of_id is None and lead.status != lead_status.CONVERTED and not erased,
        "show_notes": not erased,
        "show_assignment": lead.duplicate_of_id is None,
        "show_attach": lead.duplicate_of_id is None and not erased,
        "show_tagging": lead.duplicate_of_id is None,
        "show_assign_to_me": lead.assigned_to_id != viewer_id,
    }


@dataclass(frozen=True)
class RowBadges:
    """The badges a page of inbox rows shows, each drawn once a page by its macro
    (templates/_macros/) rather than once a row: a row looks its own up by its status,
    e-mail kind, response state or tag."""

    status: dict[str, Markup]
    email_kind: dict[str, Markup]
    response: dict[ResponseState, Markup]
    tag: dict[int, Markup]


def row_badges(rows: list[InboxRow]) -> RowBadges:
    """The badges of these rows' statuses, e-mail kinds, response states and tags."""
    status_badge = get_template_attribute("_macros/status.html", "status_badge")
    email_kind_badge = get_template_attribute("_macros/badges.html", "email_kind_badge")
    response_badge = get_template_attribute("_macros/badges.html", "response_badge")
    tag_badge = get_template_attribute("_macros/badges.html", "tag_badge")
    tags = {tag.id: tag for row in rows for tag in row.tags}
    return RowBadges(
        status={status: status_badge("lead", status) for status in {row.lead.status for row in rows}},
        email_kind={kind: email_kind_badge(kind) for kind in {row.lead.email_kind for row in rows}},
        response={
            state: response_badge(state, str(RESPONSE_BADGES[state]))
            for state in {row.response for row in rows} - {None}
        },
        tag={tag_id: tag_badge(tag) for tag_id, tag in tags.items()},
    )


def region_options(regions: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(slug, label) of the location filter: cities indented under their governorate."""
    return [(slug, f"— {local_name(name)}" if kind == "city" else local_name(name)) for slug, name, kind in regions]


def filter_options(choices: dict[str, Any]) -> dict[str, list[tuple[Any, str]]]:
    """(value, label) pairs of the inbox's filter selects (from filter_choices), each list drawn in
    one loop by the `options` macro: statuses in their order, consultants, standards, locations (cities
    indented under their governorate), sectors by IAF code, tags."""
    return {
        "status_options": [(status, str(LEAD_STATUS_LABELS[status])) for status in ALL_STATUSES],
        "consultant_options": [(user.id, user.name) for user in choices["consultants"]],
        "standard_options": [(slug, code) for slug, code in choices["standards"]],
        "region_options": region_options(choices["regions"]),
        "sector_options": [(code, sector_label(code, name)) for code, name in choices["sectors"]],
        "tag_options": [(tag.id, tag.name) for tag in choices["tags"]],
    }


@dataclass(frozen=True)
class TimelineEntry:
    """One lead timeline entry as the page shows it: its title, whether its body is an e-mail to fold
    away, and the attached file it records while that file is still there (to download it)."""

    activity: Activity
    title: str
    fold_body: bool
    attachment: LeadAttachment | None = None


def _status_label(status: Any) -> Any:
    return LEAD_STATUS_LABELS.get(status, status)


def _lead_title(kind: str, details: dict[str, Any]) -> str:
    titles: dict[str, Callable[[], str]] = {
        "note": lambda: _("Note"),
        "call": lambda: _(
            "Call: %(outcome)s", outcome=CALL_OUTCOMES.get(details.get("outcome"), details.get("outcome", ""))
        ),
        "email": lambda: _("E-mail sent: %(subject)s", subject=details.get("subject", "")),
        # Translators: the arrow points from the old status to the new; in Arabic write ← instead.
        "status_change": lambda: _(
            "Status: %(old)s → %(new)s",
            old=_status_label(details.get("old", "")),
            new=_status_label(details.get("new", "")),
        ),
        "assignment": lambda: (
            _("Assigned to %(name)s", name=details["to_name"])
            if details.get("to_name")
            else _("Unassigned (was %(name)s)", name=details.get("from_name", ""))
        ),
        "merge": lambda: (
            _("Merged %(reference)s into this lead", reference=details["merged"])
            if details.get("merged")
            else _("Merged into %(reference)s", reference=details.get("into", ""))
        ),
        "conversion": lambda: _(
            "Converted: client %(client)s, engagement #%(number)s",
            client=details.get("client", ""),
            number=details.get("engagement_id", ""),
        ),
        "created": lambda: _("Enquiry received"),
        "attachment": lambda: _("File attached: %(name)s", name=details.get("name", "")),
        "attachment_deleted": lambda: _("File deleted: %(name)s", name=details.get("name", "")),
        "tagged": lambda: _("Tagged %(name)s", name=details.get("tag", "")),
        "untagged": lambda: _("Tag removed: %(name)s", name=details.get("tag", "")),
    }
    return titles[kind]() if kind in titles else kind.replace("_", " ").capitalize()


def lead_timeline_entries(
    activities: Iterable[Activity], attachments: Iterable[LeadAttachment] = ()
) -> list[TimelineEntry]:
    """The lead's timeline, worded; an e-mail's body is folded behind "Show the e-mail", and an
    attached file that is still there can be downloaded from its entry."""
    by_id = {attachment.id: attachment for attachment in attachments}
    return [
        TimelineEntry(
            activity,
            _lead_title(activity.kind, activity.details or {}),
            activity.kind == "email",
            by_id.get((activity.details or {}).get("attachment_id")) if activity.kind == "attachment" else None,
        )
        for activity in activities
    ]


@dataclass(frozen=True)
class AttachmentRow:
    """One attached file in the lead page's list, with its size worded."""

    attachment: LeadAttachment
    size: str


def attachment_rows(attachments: Iterable[LeadAttachment]) -> list[AttachmentRow]:
    return [AttachmentRow(attachment, file_size_label(attachment.size)) for attachment in attachments]


def file_size_label(size: int) -> str:
    """A file's size as people read it: kB under a megabyte, MB with one decimal above."""
    if size < 1024 * 1024:
        return _("%(num)s kB", num=format_number(max(1, round(size / 1024))))
    return _("%(num)s MB", num=format_number(round(size / (1024 * 1024), 1)))


def attachment_download_name(lead: Lead, attachment: LeadAttachment) -> str:
    """`lead-<reference>-<id>-<name>.<ext>`: made by the server, whatever the uploader called the file."""
    stem = attachment.original_name.rsplit(".", 1)[0]
    words = slugify(stem)[:40].strip("-") or "file"
    return f"lead-{slugify(lead.reference or str(lead.id))}-{attachment.id}-{words}.{attachment.extension}"


def working_duration(amount: timedelta) -> str:
    """A working time as people say it: "2 h 15 min", "3 h", "45 min" (whole minutes, rounded down)."""
    hours, minutes = divmod(int(amount.total_seconds() // 60), 60)
    if hours and minutes:
        return _("%(hours)s %(minutes)s", hours=short_duration(hours, "h"), minutes=short_duration(minutes, "min"))
    return short_duration(hours, "h") if hours else short_duration(minutes, "min")


@dataclass(frozen=True)
class ResponseLine:
    """The lead page's first-response line and, while it waits close to or past the target, its badge."""

    text: str
    state: ResponseState | None = None
    badge: str = ""


def response_line(lead: Lead, settings: ResponseSettings, now: datetime) -> ResponseLine | None:
    """How fast the lead was answered, or how long it has waited against the target, in Oman
    working hours; None for a lead closed or merged without an answer (nothing to measure)."""
    office = settings.working_hours()
    if lead.first_response_at is not None:
        taken = working_duration(office.between(lead.created_at, lead.first_response_at))
        return ResponseLine(_("Answered in %(time)s (working hours)", time=taken))
    if not is_awaiting(lead):
        return None
    state = deadlines(settings, now).state(lead)
    waited = working_duration(office.between(lead.created_at, now))
    text = _("Waiting %(time)s — target %(target)s", time=waited, target=working_duration(settings.target))
    return ResponseLine(text, state, str(RESPONSE_BADGES[state]) if state else "")
