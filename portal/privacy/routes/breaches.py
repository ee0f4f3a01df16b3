"""The breach register: list, record, a breach's page with its notification clock, edit."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import admin_required
from portal.extensions import db
from portal.models import PersonalDataBreach
from portal.privacy import bp
from portal.privacy.breaches import (
    BreachData,
    all_breaches,
    clock_for,
    notification_hours,
    record_breach,
    update_breach,
)
from portal.privacy.forms import BreachForm, as_typed, in_oman
from portal.privacy.presentation import BreachRow, clock_view
from portal.web.actions import run_action

MOMENTS = ("occurred_at", "discovered_at", "authority_notified_at", "people_notified_at")


def _breach_or_404(breach_id: int) -> PersonalDataBreach:
    return db.session.get(PersonalDataBreach, breach_id) or abort(404)


def _row(breach: PersonalDataBreach) -> BreachRow:
    return BreachRow(breach, clock_view(clock_for(breach), notification_hours()))


def _data(form: BreachForm) -> BreachData:
    """Explicit mapping from the form (Oman times) to the service's values."""
    return BreachData(
        title=form.title.data,
        description=form.description.data,
        occurred_at=in_oman(form.occurred_at.data),
        discovered_at=in_oman(form.discovered_at.data),
        data_categories=form.data_categories.data,
        people_categories=form.people_categories.data,
        people_affected=form.people_affected.data,
        measures=form.measures.data,
        authority_notified_at=in_oman(form.authority_notified_at.data),
        people_notified_at=in_oman(form.people_notified_at.data),
    )


def _form_for(breach: PersonalDataBreach) -> BreachForm:
    form = BreachForm(obj=breach)
    for name in MOMENTS:
        getattr(form, name).data = as_typed(getattr(breach, name))
    return form


def _edit_page(form: BreachForm, breach: PersonalDataBreach | None = None):
    return lambda status, **messages: (
        render_template("privacy/breach_form.html", form=form, breach=breach, hours=notification_hours(), **messages),
        status,
    )


@bp.get("/breaches")
@admin_required
def breaches():
    return render_template("privacy/breaches.html", rows=[_row(b) for b in all_breaches()], hours=notification_hours())


@bp.route("/breaches/new", methods=["GET", "POST"])
@admin_required
def breach_new():
    form = BreachForm()
    if request.method == "GET":
        return _edit_page(form)(200)
    created: list[PersonalDataBreach] = []  # the new breach, whose page comes next

    def action() -> str:
        created.append(record_breach(_data(form), current_user))
        return _("Breach recorded. Watch the notification deadline on its page.")

    def done() -> str:
        return url_for("privacy.breach_detail", breach_id=created[0].id)

    return run_action(form, action, done=done, page=_edit_page(form))


@bp.get("/breaches/<int:breach_id>")
@admin_required
def breach_detail(breach_id: int):
    return render_template("privacy/breach.html", row=_row(_breach_or_404(breach_id)), hours=notification_hours())


@bp.route("/breaches/<int:breach_id>/edit", methods=["GET", "POST"])
@admin_required
def breach_edit(breach_id: int):
    breach = _breach_or_404(breach_id)
    form = _form_for(breach) if request.method == "GET" else BreachForm()
    if request.method == "GET":
        return _edit_page(form, breach)(200)

    def action() -> str:
        update_breach(breach, _data(form), current_user)
        return _("Breach record saved.")

    done = url_for("privacy.breach_detail", breach_id=breach_id)
    return run_action(form, action, done=done, page=_edit_page(form, breach))
