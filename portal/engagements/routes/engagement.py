"""The engagement page (/app/engagements/<id>) and its POST actions: move the stage,
adjust the schedule, record the certificate's state, correct the edition it is to, add a note.

Each action: load or 404 -> staff only -> `run_action` (validate, call one service,
commit once, flash, redirect). A refused action shows the page again with the person's
input kept: 400 for bad input, 409 when someone else changed the engagement meanwhile.
A move sent from a board card that needs more (a note, a reason, the certificate)
lands here too, with the message next to the missing field.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.domain.calendar import next_audit
from portal.engagements import bp, services
from portal.engagements.forms import (
    CertificateStateForm,
    EditionForm,
    InitialAuditsForm,
    NoteForm,
    ScheduleForm,
    StageForm,
    configure_edition_form,
    configure_stage_form,
    fresh_forms,
)
from portal.engagements.presentation import (
    AUDIT_LABELS,
    CLOSE_REASON_LABELS,
    REVIEW_OUTCOME_LABELS,
    STAGE_LABELS,
    card,
    certificate_view,
    certified_editions,
    stage_note,
    stale_message,
    timeline_entries,
)
from portal.engagements.queries import engagement_or_404, schedule_of
from portal.engagements.services import (
    CertificateStateInput,
    EditionInput,
    InitialAuditsInput,
    ScheduleInput,
    StageMoveInput,
)
from portal.extensions import db
from portal.models import (
    AWAITING_CLIENT,
    Activity,
    DocumentRequest,
    DocumentStatus,
    Engagement,
    Quote,
    StageChange,
    Standard,
)
from portal.models.types import utcnow
from portal.web.actions import PageRenderer, run_action
from portal.web.status import quote_status_label


def _load(engagement_id: int) -> Engagement:
    return engagement_or_404(
        engagement_id,
        joinedload(Engagement.client),
        joinedload(Engagement.owner),
        joinedload(Engagement.lead),
        joinedload(Engagement.certification_body),
        joinedload(Engagement.transfer),
        selectinload(Engagement.standards).selectinload(Standard.editions),
    )


def _history(engagement: Engagement) -> dict[str, Any]:
    """The stage changes, the timeline and the quotes, newest first."""
    return {
        "history": db.session.scalars(
            select(StageChange)
            .where(StageChange.engagement_id == engagement.id)
            .options(joinedload(StageChange.actor))
            .order_by(StageChange.at.desc(), StageChange.id.desc())
        ).all(),
        "timeline": timeline_entries(
            db.session.scalars(
                select(Activity)
                .where(Activity.engagement_id == engagement.id)
                .options(joinedload(Activity.author))
                .order_by(Activity.created_at.desc(), Activity.id.desc())
            )
        ),
        "quotes": db.session.scalars(
            select(Quote)
            .where(Quote.engagement_id == engagement.id)
            .options(joinedload(Quote.certification_body))
            .order_by(Quote.requested_at.desc())
        ).all(),
    }


def _documents(engagement: Engagement) -> dict[str, int]:
    """How many of the documents asked of the client wait for them, for review, or were accepted
    (the list and its actions are on the client page, portal.client_status)."""
    counts = dict(
        db.session.execute(
            select(DocumentRequest.status, func.count())
            .where(DocumentRequest.engagement_id == engagement.id)
            .group_by(DocumentRequest.status)
        ).all()
    )
    return {
        "awaiting_client": sum(counts.get(status, 0) for status in AWAITING_CLIENT),
        "to_review": counts.get(DocumentStatus.SUBMITTED.value, 0),
        "accepted": counts.get(DocumentStatus.ACCEPTED.value, 0),
    }


def _page(
    engagement: Engagement, status: int = 200, conflict: str | None = None, error: str | None = None, **bound: FlaskForm
) -> ResponseReturnValue:
    """Render the engagement page; `bound` forms (the one just sent) keep what the person typed."""
    return render_template(
        "engagements/detail.html",
        engagement=engagement,
        card=card(engagement, today_in_oman(), utcnow()),
        schedule=schedule_of(engagement),
        next_audit=next_audit(engagement.calendar_dates(), today_in_oman()),
        certificate=certificate_view(engagement, today_in_oman()),
        editions=certified_editions(engagement, today_in_oman()),
        review_outcome_labels=REVIEW_OUTCOME_LABELS,
        quote_status_label=quote_status_label,
        stage_labels=STAGE_LABELS,
        close_reason_labels=CLOSE_REASON_LABELS,
        audit_labels=AUDIT_LABELS,
        stage_note=stage_note(engagement),
        match_url=url_for("matching.match", id=engagement.id),
        documents=_documents(engagement),
        conflict=conflict,
        page_error=error,
        **_history(engagement),
        **{**fresh_forms(engagement), **bound},
    ), status


def _again(engagement: Engagement, form_name: str, form: FlaskForm) -> PageRenderer:
    """The page with the sent form kept; on a conflict it carries the version the engagement has now."""

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        if isinstance(form, StageForm):
            configure_stage_form(form, engagement)  # the stage may differ after the rollback
        if conflict is not None:
            form.version.data = engagement.version
            form.version.raw_data = [str(engagement.version)]
        return _page(engagement, status, conflict=conflict, error=error, **{form_name: form})

    return page


def _board_url() -> str | None:
    """Back to the board with its filters when the move came from a card (the path is fixed, only the query varies)."""
    if request.form.get("from") != "board":
        return None
    query = urlencode(parse_qsl(request.form.get("return_to", "")[:1000]))
    return url_for("engagements.board") + (f"?{query}" if query else "")


@bp.get("/<int:id>")
@staff_required
def detail(id: int) -> ResponseReturnValue:
    return _page(_load(id))


@bp.post("/<int:id>/stage")
@staff_required
def move(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = configure_stage_form(StageForm(), engagement)

    def action() -> str:
        data = StageMoveInput(
            to_stage=form.to_stage.data,
            note=form.note.data or "",
            reason=form.reason.data or "",
            certificate_number=form.certificate_number.data or "",
            decision_date=form.decision_date.data,
            version=form.version.data,
        )
        services.move_stage(engagement, data, current_user)
        return _("%(client)s moved to %(stage)s.", client=engagement.client.name, stage=STAGE_LABELS[engagement.stage])

    done = _board_url() or url_for("engagements.detail", id=id)
    page = _again(engagement, "stage_form", form)
    return run_action(form, action, done=done, page=page, conflict_message=stale_message)


@bp.post("/<int:id>/schedule")
@staff_required
def adjust_schedule(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = ScheduleForm()

    def action() -> str:
        data = ScheduleInput(
            expiry_date=form.expiry_date.data,
            surveillance_1_due=form.surveillance_1_due.data,
            surveillance_2_due=form.surveillance_2_due.data,
            recertification_due=form.recertification_due.data,
            note=form.schedule_note.data,
            version=form.version.data,
        )
        services.adjust_schedule(engagement, data, current_user)
        return _("Schedule updated.")

    page = _again(engagement, "schedule_form", form)
    done = url_for("engagements.detail", id=id)
    # The schedule's note is `schedule_note` on the page: the note form has a `body`, the stage form a `note`.
    return run_action(
        form, action, done=done, page=page, field_names={"note": "schedule_note"}, conflict_message=stale_message
    )


@bp.post("/<int:id>/initial-audits")
@staff_required
def plan_initial_audits(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = InitialAuditsForm()

    def action() -> str:
        data = InitialAuditsInput(form.stage1_audit_on.data, form.stage2_audit_on.data, form.version.data)
        services.plan_initial_audits(engagement, data, current_user)
        return _("Stage 1 and stage 2 audit dates saved.")

    page = _again(engagement, "initial_audits_form", form)
    done = url_for("engagements.detail", id=id)
    return run_action(form, action, done=done, page=page, conflict_message=stale_message)


@bp.post("/<int:id>/certificate")
@staff_required
def record_certificate_state(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = CertificateStateForm()

    def action() -> str:
        data = CertificateStateInput(
            state=form.state.data,
            on=form.state_date.data,
            reason=form.state_reason.data,
            version=form.version.data,
        )
        services.record_certificate_state(engagement, data, current_user)
        return _("Certificate state recorded.")

    page = _again(engagement, "certificate_form", form)
    done = url_for("engagements.detail", id=id)
    return run_action(form, action, done=done, page=page, conflict_message=stale_message)


@bp.post("/<int:id>/edition")
@staff_required
def correct_edition(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = configure_edition_form(EditionForm(), engagement)

    def action() -> str:
        data = EditionInput(edition_id=form.edition.data, version=form.version.data)
        edition = services.correct_certified_edition(engagement, data, current_user)
        return _("Certificate recorded as to %(edition)s.", edition=edition.edition)

    page = _again(engagement, "edition_form", form)
    done = url_for("engagements.detail", id=id)
    return run_action(form, action, done=done, page=page, conflict_message=stale_message)


@bp.post("/<int:id>/note")
@staff_required
def add_note(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = NoteForm()

    def action() -> str:
        services.add_note(engagement, current_user, form.body.data)
        return _("Note added.")

    page = _again(engagement, "note_form", form)
    return run_action(
        form, action, done=url_for("engagements.detail", id=id), page=page, conflict_message=stale_message
    )
