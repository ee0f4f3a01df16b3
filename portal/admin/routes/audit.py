"""The audit log: who did what, filtered and paged."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from wtforms.fields import SelectChoice

from portal.admin import bp, services
from portal.admin.forms import AuditFilterForm
from portal.admin.routes.users import page_arg
from portal.auth.session import admin_required
from portal.extensions import db
from portal.web.listing import known_args, parse_int

AUDIT_PER_PAGE = 50


@bp.get("/audit")
@admin_required
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", _("All actions"))] + [SelectChoice(a) for a in services.audit_actions()]
    form.validate()
    filters = services.AuditFilters(
        action=form.action.data or "",
        actor=(form.actor.data or "").strip(),
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    per_page = parse_int(request.args.get("per_page", "")) or AUDIT_PER_PAGE
    page = db.paginate(
        services.audit_query(filters),
        page=page_arg(),
        per_page=per_page,
        max_per_page=services.MAX_PER_PAGE,
        error_out=False,
    )
    args = known_args(request.args, [*form.data, "per_page"])
    return render_template(
        "admin/audit_log.html", form=form, page=page, args=args, format_details=services.format_details
    )
