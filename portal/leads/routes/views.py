"""The inbox's saved views: save the current filters as a tab, rename, move or delete a tab, choose the default."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import staff_required
from portal.leads import bp
from portal.leads.forms import BulkForm, RenameViewForm, SaveViewForm
from portal.leads.queries.filters import parse_lead_filter
from portal.leads.queries.views import visible_view
from portal.leads.routes.inbox import render_inbox
from portal.leads.services.views import delete_view, move_view, rename_view, save_view, set_default_view
from portal.models import SavedView
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm


def _inbox_page(form: SaveViewForm | None = None, rename_form: RenameViewForm | None = None):
    """The inbox as the query string asks, a refused view form's messages next to its fields."""
    parsed = parse_lead_filter(request.args)
    return lambda status, **messages: render_inbox(
        parsed, BulkForm(formdata=None), status, view_form=form, rename_form=rename_form, **messages
    )


def _view_page(view: SavedView) -> str:
    """The inbox showing `view` (its tab open)."""
    return f"{url_for('leads.inbox')}?{view.query}" if view.query else url_for("leads.inbox", tab="open")


def _view_or_404(view_id: int) -> SavedView:
    view = visible_view(view_id, current_user)
    if view is None:
        abort(404)
    return view


@bp.post("/views")
@staff_required
def save_view_route():
    """Save the filters and sort of the query string (the inbox's own) under a name."""
    form = SaveViewForm()
    flt = parse_lead_filter(request.args).filter

    def action() -> str:
        save_view(form.view_name.data, form.shared.data, flt, current_user)
        return _("View saved.")

    return run_action(form, action, done=url_for("leads.inbox", **flt.query_args()), page=_inbox_page(form))


@bp.post("/views/<int:view_id>/rename")
@staff_required
def rename_view_route(view_id: int):
    """Rename the view; the form is sent from the view's own tab (its filters in the query string)."""
    view = _view_or_404(view_id)
    form = RenameViewForm()

    def action() -> str:
        rename_view(view, form.new_name.data, current_user)
        return _("View renamed.")

    return run_action(form, action, done=_view_page(view), page=_inbox_page(rename_form=form))


@bp.post("/views/<int:view_id>/move-earlier", defaults={"step": -1})
@bp.post("/views/<int:view_id>/move-later", defaults={"step": 1})
@staff_required
def move_view_route(view_id: int, step: int):
    """Move the view's tab one place earlier (-1) or later (+1): buttons, no dragging needed."""
    view = _view_or_404(view_id)

    def action() -> str:
        move_view(view, step, current_user)
        return _("View moved.")

    return run_action(ActionForm(), action, done=_view_page(view), page=_inbox_page())


@bp.post("/views/<int:view_id>/delete")
@staff_required
def delete_view_route(view_id: int):
    view = _view_or_404(view_id)

    def action() -> str:
        delete_view(view, current_user)
        return _("View deleted.")

    return run_action(ActionForm(), action, done=url_for("leads.inbox", tab="open"), page=_inbox_page())


@bp.post("/views/<int:view_id>/default")
@staff_required
def default_view(view_id: int):
    """Open /app/leads/ with this view from now on; 0 stands for the open leads."""
    view = _view_or_404(view_id) if view_id else None

    def action() -> str:
        set_default_view(current_user, view)
        return _("The inbox opens with this view from now on.")

    done = _view_page(view) if view is not None else url_for("leads.inbox")
    return run_action(ActionForm(), action, done=done, page=_inbox_page())
