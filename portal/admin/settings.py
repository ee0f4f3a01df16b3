"""Admin settings page (/app/admin/settings): lead auto-assignment on/off and its limit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from portal.auth.session import admin_required
from portal.extensions import db
from portal.leads.assignment import AutoAssignSettings, load_settings, save_settings

bp = Blueprint("settings", __name__, url_prefix="/app/admin/settings")


class AutoAssignForm(FlaskForm):
    auto_assign = BooleanField(_l("Assign new leads automatically (round-robin over active consultants)"))
    max_open = IntegerField(
        _l("Skip consultants who already have this many open leads"),
        validators=[InputRequired(), NumberRange(min=1, max=1000)],
    )


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    current = load_settings()
    form = AutoAssignForm(data={"auto_assign": current.enabled, "max_open": current.max_open})
    if form.validate_on_submit():
        chosen = AutoAssignSettings(enabled=form.auto_assign.data, max_open=form.max_open.data)
        save_settings(chosen, current_user)
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("settings.index"))
    return render_template("leads/auto_assign_settings.html", form=form), 400 if form.errors else 200
