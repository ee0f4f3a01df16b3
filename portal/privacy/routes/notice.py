"""The privacy notice: admins change its text, which publishes the next version."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import admin_required
from portal.privacy import bp
from portal.privacy.forms import NoticeForm
from portal.privacy.notices import all_notices, notice_for_page, publish_notice, texts_in_force
from portal.web.actions import run_action


def _page(form: NoticeForm):
    return lambda status, **messages: (
        render_template(
            "privacy/notice.html", form=form, versions=all_notices(), current=notice_for_page("en"), **messages
        ),
        status,
    )


@bp.route("/notice", methods=["GET", "POST"])
@admin_required
def notice():
    form = NoticeForm(data=texts_in_force()) if request.method == "GET" else NoticeForm()
    if request.method == "GET":
        return _page(form)(200)

    def action() -> str:
        published = publish_notice(form.body_en.data, form.body_ar.data, current_user)
        return _("Version %(number)s of the privacy notice is published.", number=published.number)

    return run_action(form, action, done=url_for("privacy.notice"), page=_page(form))
