"""Consultants' quote pages: compare, request, enter by hand, accept, and the quotation PDF."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.core.uploads import UploadError, stored_path
from portal.domain import lifecycle
from portal.extensions import db
from portal.matching.services import shortlisted_ids
from portal.models import Engagement, Lead, Quote, QuoteStatus
from portal.quotes import bp, services
from portal.quotes import compare as compare_model
from portal.quotes.forms import AcceptQuoteForm, ManualQuoteForm, RequestQuotesForm
from portal.quotes.submission import UPLOAD_FOLDER, save_quote_form


def _engagement_or_404(engagement_id: int) -> Engagement:
    engagement = db.session.scalar(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .options(
            selectinload(Engagement.standards),
            selectinload(Engagement.client),
            selectinload(Engagement.lead).selectinload(Lead.sector),
        )
    )
    if engagement is None:
        abort(404)
    return engagement


def _quote_or_404(engagement: Engagement, quote_id: int) -> Quote:
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.engagement_id != engagement.id:
        abort(404)
    return quote


def _compare_url(engagement: Engagement) -> str:
    return url_for("quotes.compare", id=engagement.id)


@bp.get("/app/engagements/<int:id>/quotes")
@staff_required
def compare(id: int):
    engagement = _engagement_or_404(id)
    today = today_in_oman()
    if services.expire_due_quotes(today, engagement.id):
        db.session.commit()
    quotes = compare_model.engagement_quotes(engagement)
    md5 = compare_model.md5_figures(engagement)
    shortlisted = shortlisted_ids(engagement.id)
    bodies = compare_model.requestable_bodies(engagement, quotes, shortlisted, today)
    request_form = RequestQuotesForm()
    request_form.certification_body_ids.choices = [
        (b.id, _("%(name)s (shortlisted)", name=b.name) if b.id in shortlisted else b.name) for b in bodies
    ]
    request_form.certification_body_ids.data = [b.id for b in bodies if b.id in shortlisted]
    columns = compare_model.columns(quotes, engagement, md5, today)
    return render_template(
        "quotes/compare.html",
        engagement=engagement,
        quotes=quotes,
        columns=columns,
        md5=md5,
        request_form=request_form,
        accept_forms={c.quote.id: AcceptQuoteForm(prefix=f"q{c.quote.id}") for c in columns},
        can_accept=not any(q.status == QuoteStatus.ACCEPTED for q in quotes),
        stage1_possible=engagement.stage == lifecycle.REGISTRAR_SELECTION,
        status_label=services.status_label,
    )


@bp.post("/app/engagements/<int:id>/quotes/request")
@staff_required
def request_quotes(id: int):
    engagement = _engagement_or_404(id)
    form = RequestQuotesForm()
    form.certification_body_ids.choices = []
    if not form.validate_on_submit():
        flash(_("Choose at least one certification body."), "danger")
        return redirect(_compare_url(engagement))
    try:
        result = services.request_quotes(
            engagement, form.certification_body_ids.data or [], current_user, send_email=not form.without_email.data
        )
    except services.QuoteError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(_compare_url(engagement))
    db.session.commit()
    created = ", ".join(q.certification_body.name for q in result.created)
    if result.created and not form.without_email.data:
        flash(_("Quote requested from %(bodies)s. Each body received its own link.", bodies=created), "success")
    elif result.created:
        flash(_("Added without e-mail, ready to enter by hand: %(bodies)s.", bodies=created), "success")
    if result.already_open:
        flash(
            _(
                "Not requested again (a request is still open): %(bodies)s.",
                bodies=", ".join(b.name for b in result.already_open),
            ),
            "info",
        )
    if result.without_email:
        flash(
            _(
                "No e-mail address in the directory, so no request sent: %(bodies)s.",
                bodies=", ".join(b.name for b in result.without_email),
            ),
            "warning",
        )
    return redirect(_compare_url(engagement))


@bp.route("/app/engagements/<int:id>/quotes/<int:quote_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(id: int, quote_id: int):
    engagement = _engagement_or_404(id)
    quote = _quote_or_404(engagement, quote_id)
    form = ManualQuoteForm(obj=quote if request.method == "GET" and quote.status == QuoteStatus.RECEIVED else None)
    if request.method == "GET":
        form.version.data = quote.version
    if form.validate_on_submit():
        error = save_quote_form(
            form,
            lambda figures, stored: services.record_by_hand(
                quote, figures, stored, current_user, form.version.data, today_in_oman()
            ),
        )
        if error is not None:
            flash(error.message, "danger")
        elif not form.errors:
            flash(_("Quote from %(body)s saved.", body=quote.certification_body.name), "success")
            return redirect(_compare_url(engagement))
    status = 400 if form.errors else 200
    return render_template("quotes/edit.html", engagement=engagement, quote=quote, form=form), status


@bp.post("/app/engagements/<int:id>/quotes/<int:quote_id>/accept")
@staff_required
def accept(id: int, quote_id: int):
    engagement = _engagement_or_404(id)
    _quote_or_404(engagement, quote_id)
    form = AcceptQuoteForm(prefix=f"q{quote_id}")
    if not form.validate_on_submit():
        abort(400)
    try:
        quote = services.accept_quote(
            engagement,
            quote_id,
            current_user,
            today_in_oman(),
            notify_declined=form.notify_declined.data,
            move_to_stage1=form.move_to_stage1.data,
        )
    except services.QuoteError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(_compare_url(engagement))
    db.session.commit()
    flash(_("Quote from %(body)s accepted.", body=quote.certification_body.name), "success")
    return redirect(_compare_url(engagement))


@bp.post("/app/engagements/<int:id>/quotes/<int:quote_id>/withdraw")
@staff_required
def withdraw(id: int, quote_id: int):
    engagement = _engagement_or_404(id)
    quote = _quote_or_404(engagement, quote_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_quote(quote, current_user)
    except services.QuoteError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(_compare_url(engagement))
    db.session.commit()
    flash(_("Request to %(body)s withdrawn.", body=quote.certification_body.name), "success")
    return redirect(_compare_url(engagement))


@bp.get("/app/quotes/<int:quote_id>/file")
@staff_required
def quote_file(quote_id: int):
    quote = db.session.get(Quote, quote_id)
    if quote is None or not quote.file_name:
        abort(404)
    try:
        path = stored_path(UPLOAD_FOLDER, quote.file_name)
    except UploadError:
        abort(404)
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=quote.original_name or f"quote-{quote.id}.pdf",
        max_age=0,
    )
