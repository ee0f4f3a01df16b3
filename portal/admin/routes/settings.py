"""The office's settings: lead auto-assignment, the first-response target with its business
hours and holidays, how long a client status link works, and the way to the reference data."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.forms import AutoAssignForm, ResponseSettingsForm
from portal.auth.session import admin_required
from portal.client_status.forms import LinkDaysForm
from portal.client_status.services import link_days, save_link_days
from portal.core.clock import today_in_oman
from portal.leads.response import load_response_settings, upcoming_holidays
from portal.leads.services.assignment import AutoAssignSettings, load_settings, save_settings
from portal.leads.services.response import ResponseSettingsInput, save_response_settings
from portal.web.actions import run_action


def _auto_assign_form(bound: bool) -> AutoAssignForm:
    current = load_settings()
    data = {"auto_assign": current.enabled, "max_open": current.max_open}
    return AutoAssignForm(data=data) if bound else AutoAssignForm(formdata=None, data=data)


def _response_form(bound: bool) -> ResponseSettingsForm:
    current = load_response_settings()
    data = {
        "opens": current.hours.opens,
        "closes": current.hours.closes,
        "target_hours": current.target_hours,
        "holidays_added": "\n".join(sorted(day.isoformat() for day in current.holidays_added)),
        "holidays_removed": "\n".join(sorted(day.isoformat() for day in current.holidays_removed)),
    }
    return ResponseSettingsForm(data=data) if bound else ResponseSettingsForm(formdata=None, data=data)


def _page(
    form: AutoAssignForm, response_form: ResponseSettingsForm, status: int = 200, link_form: LinkDaysForm | None = None
):
    """The settings page; the forms that were not sent show the stored values."""
    holidays = upcoming_holidays(load_response_settings(), today_in_oman())
    link_form = link_form or LinkDaysForm(formdata=None, data={"link_days": link_days()})
    html = render_template(
        "admin/settings.html", form=form, response_form=response_form, status_link_form=link_form, holidays=holidays
    )
    return html, status


@bp.route("/settings/", methods=["GET", "POST"])
@admin_required
def settings():
    """Lead auto-assignment: on or off, and the most open leads a consultant may hold."""
    form = _auto_assign_form(bound=request.method == "POST")
    if request.method == "GET":
        return _page(form, _response_form(bound=False))

    def action() -> str:
        save_settings(AutoAssignSettings(enabled=form.auto_assign.data, max_open=form.max_open.data), current_user)
        return _("Settings saved.")

    return run_action(
        form,
        action,
        done=url_for("admin.settings"),
        page=lambda status, **messages: _page(form, _response_form(bound=False), status),
    )


@bp.post("/settings/response")
@admin_required
def response_settings():
    """Business hours, the first-response target in working hours, and holiday corrections."""
    form = _response_form(bound=True)

    def action() -> str:
        data = ResponseSettingsInput(
            opens=form.opens.data,
            closes=form.closes.data,
            target_hours=form.target_hours.data,
            holidays_added=form.holidays_added.data or "",
            holidays_removed=form.holidays_removed.data or "",
        )
        save_response_settings(data, current_user)
        return _("Settings saved.")

    return run_action(
        form,
        action,
        done=url_for("admin.settings"),
        page=lambda status, **messages: _page(_auto_assign_form(bound=False), form, status),
    )


@bp.post("/settings/status-links")
@admin_required
def status_link_settings():
    """How many days a client status link works."""
    form = LinkDaysForm()

    def action() -> str:
        save_link_days(form.link_days.data, current_user)
        return _("Settings saved.")

    return run_action(
        form,
        action,
        done=url_for("admin.settings"),
        page=lambda status, **messages: _page(_auto_assign_form(False), _response_form(False), status, form),
    )
