"""The office's settings: lead auto-assignment, and the way to the reference data."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.forms import AutoAssignForm
from portal.auth.session import admin_required
from portal.leads.services.assignment import AutoAssignSettings, load_settings, save_settings
from portal.web.actions import run_action


@bp.route("/settings/", methods=["GET", "POST"])
@admin_required
def settings():
    """Lead auto-assignment: on or off, and the most open leads a consultant may hold."""
    current = load_settings()
    form = AutoAssignForm(data={"auto_assign": current.enabled, "max_open": current.max_open})
    if request.method == "GET":
        return render_template("admin/settings.html", form=form)

    def action() -> str:
        save_settings(AutoAssignSettings(enabled=form.auto_assign.data, max_open=form.max_open.data), current_user)
        return _("Settings saved.")

    return run_action(
        form,
        action,
        done=url_for("admin.settings"),
        page=lambda status, **messages: (render_template("admin/settings.html", form=form), status),
    )
