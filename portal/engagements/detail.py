"""The engagement page (/app/engagements/<id>) and its POST actions: move the stage,
adjust the schedule, add a note.

Each action: load or 404 -> staff only -> validate its form -> call one service ->
commit -> flash -> redirect. A refused action shows the page again with the person's
input kept: 400 for bad input, 409 when someone else changed the engagement meanwhile.
A move sent from a board card that needs more (a note, a reason, the certificate)
lands here too, with the message next to the missing field.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.engagements import bp, services
from portal.engagements.forms import NoteForm, ScheduleForm, StageForm, configure_stage_form, fresh_forms
from portal.engagements.presentation import card
from portal.engagements.services import (
    AUDIT_LABELS,
    CLOSE_REASON_LABELS,
    SCHEDULE_LABELS,
    STAGE_LABELS,
    EngagementError,
    ScheduleInput,
    StageMoveInput,
)
from portal.extensions import db
from portal.models import Activity, Engagement, Quote, StageChange
from portal.models.types import utcnow
from portal.web.status import quote_status_label

# Form field names differ from the service's where two forms on the page share a name.
FIELD_NAMES = {"schedule_form": {"note": "schedule_note"}}


def _load(engagement_id: int) -> Engagement:
    engagement = db.session.scalar(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .options(
            joinedload(Engagement.client),
            joinedload(Engagement.owner),
            joinedload(Engagement.lead),
            joinedload(Engagement.certification_body),
            selectinload(Engagement.standards),
        )
    )
    if engagement is None:
        abort(404)
    return engagement


def _page(engagement: Engagement, status: int = 200, conflict: str | None = None, error: str | None = None, **bound):
    """Render the engagement page; `bound` forms (the one just sent) keep what the person typed."""
    forms = {**fresh_forms(engagement), **bound}
    history = db.session.scalars(
        select(StageChange)
        .where(StageChange.engagement_id == engagement.id)
        .options(joinedload(StageChange.actor))
        .order_by(StageChange.at.desc(), StageChange.id.desc())
    ).all()
    timeline = db.session.scalars(
        select(Activity)
        .where(Activity.engagement_id == engagement.id)
        .options(joinedload(Activity.author))
        .order_by(Activity.created_at.desc(), Activity.id.desc())
    ).all()
    quotes = db.session.scalars(
        select(Quote)
        .where(Quote.engagement_id == engagement.id)
        .options(joinedload(Quote.certification_body))
        .order_by(Quote.requested_at.desc())
    ).all()
    today = today_in_oman()
    views = current_app.view_functions
    context = {
        "engagement": engagement,
        "card": card(engagement, today, utcnow()),
        "schedule": services.schedule_of(engagement),
        "history": history,
        "timeline": timeline,
        "quotes": quotes,
        "quote_status_label": quote_status_label,
        "stage_labels": STAGE_LABELS,
        "close_reason_labels": CLOSE_REASON_LABELS,
        "audit_labels": AUDIT_LABELS,
        "schedule_labels": SCHEDULE_LABELS,
        "match_url": url_for("engagements.match", id=engagement.id) if "engagements.match" in views else None,
        "conflict": conflict,
        "page_error": error,
        **forms,
    }
    return render_template("engagements/detail.html", **context), status


@bp.get("/<int:id>")
@staff_required
def detail(id: int):
    return _page(_load(id))


def _act(engagement_id: int, form_name: str, form: FlaskForm, action: Callable[[Engagement], str], done_url=None):
    """Validate `form`, run `action` (which returns the success message), commit once."""
    engagement = _load(engagement_id)
    if isinstance(form, StageForm):
        configure_stage_form(form, engagement)
    if not form.validate_on_submit():
        hidden = [f for f in form if getattr(f.widget, "input_type", None) == "hidden" and f.errors]
        incomplete = _("The form was incomplete. Reload the page and try again.") if hidden else None
        return _page(engagement, 400, error=incomplete, **{form_name: form})
    try:
        message = action(engagement)
        db.session.commit()
    except EngagementError as error:
        db.session.rollback()
        if error.conflict:
            return _conflict(engagement_id, form_name, form)
        engagement = _load(engagement_id)
        if isinstance(form, StageForm):
            configure_stage_form(form, engagement)
        name = FIELD_NAMES.get(form_name, {}).get(error.field or "", error.field)
        field = getattr(form, name, None) if name else None
        if field is not None and getattr(field.widget, "input_type", None) != "hidden":
            field.errors = [*field.errors, error.message]
            return _page(engagement, 400, **{form_name: form})
        return _page(engagement, 400, error=error.message, **{form_name: form})
    except StaleDataError:
        db.session.rollback()
        return _conflict(engagement_id, form_name, form)
    flash(message, "success")
    return redirect(done_url or url_for("engagements.detail", id=engagement_id))


def _conflict(engagement_id: int, form_name: str, form: FlaskForm):
    """Show the engagement as it is now, keep the person's input, and let them send it again knowingly."""
    engagement = _load(engagement_id)
    if isinstance(form, StageForm):
        configure_stage_form(form, engagement)
    form.version.data = engagement.version
    form.version.raw_data = [str(engagement.version)]
    return _page(engagement, 409, conflict=services.stale_message(), **{form_name: form})


def _board_url() -> str | None:
    """Back to the board with its filters when the move came from a card (the path is fixed, only the query varies)."""
    if request.form.get("from") != "board":
        return None
    args = parse_qsl(request.form.get("return_to", "")[:1000])
    query = urlencode(args)
    return url_for("engagements.board") + (f"?{query}" if query else "")


@bp.post("/<int:id>/stage")
@staff_required
def move(id: int):
    form = StageForm()

    def action(engagement: Engagement) -> str:
        services.move_stage(
            engagement,
            StageMoveInput(
                to_stage=form.to_stage.data,
                note=form.note.data or "",
                reason=form.reason.data or "",
                certificate_number=form.certificate_number.data or "",
                decision_date=form.decision_date.data,
                version=form.version.data,
            ),
            current_user,
        )
        return _("%(client)s moved to %(stage)s.", client=engagement.client.name, stage=STAGE_LABELS[engagement.stage])

    return _act(id, "stage_form", form, action, done_url=_board_url())


@bp.post("/<int:id>/schedule")
@staff_required
def adjust_schedule(id: int):
    form = ScheduleForm()

    def action(engagement: Engagement) -> str:
        services.adjust_schedule(
            engagement,
            ScheduleInput(
                expiry_date=form.expiry_date.data,
                surveillance_1_due=form.surveillance_1_due.data,
                surveillance_2_due=form.surveillance_2_due.data,
                recertification_due=form.recertification_due.data,
                note=form.schedule_note.data,
                version=form.version.data,
            ),
            current_user,
        )
        return _("Schedule updated.")

    return _act(id, "schedule_form", form, action)


@bp.post("/<int:id>/note")
@staff_required
def add_note(id: int):
    form = NoteForm()

    def action(engagement: Engagement) -> str:
        services.add_note(engagement, current_user, form.body.data)
        return _("Note added.")

    return _act(id, "note_form", form, action)
