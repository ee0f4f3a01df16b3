"""The tags consultants put on leads: admins add, rename, recolour and delete them (audited)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.forms import TAG_COLOUR_LABELS, TagForm
from portal.auth.session import admin_required
from portal.extensions import db
from portal.leads.services.tags import all_tags, create_tag, delete_tag, update_tag
from portal.models import Tag
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm


def _page(form: TagForm, editing: Tag | None = None):
    """The tag list with the add (or edit) form as the admin filled it."""
    return lambda status, **messages: (
        render_template(
            "admin/tags.html", form=form, tags=all_tags(), editing=editing, colour_labels=TAG_COLOUR_LABELS
        ),
        status,
    )


def _tag_or_404(tag_id: int) -> Tag:
    return db.session.get(Tag, tag_id) or abort(404)


@bp.route("/tags", methods=["GET", "POST"])
@admin_required
def tags():
    form = TagForm()
    if request.method == "GET":
        return _page(form)(200)

    def action() -> str:
        tag = create_tag(form.name.data, form.colour.data, current_user)
        return _("Tag %(name)s added.", name=tag.name)

    return run_action(form, action, done=url_for("admin.tags"), page=_page(form))


@bp.route("/tags/<int:tag_id>/edit", methods=["GET", "POST"])
@admin_required
def tag_edit(tag_id: int):
    tag = _tag_or_404(tag_id)
    form = TagForm(obj=tag) if request.method == "GET" else TagForm()
    if request.method == "GET":
        return _page(form, tag)(200)

    def action() -> str:
        update_tag(tag, form.name.data, form.colour.data, current_user)
        return _("Tag %(name)s saved.", name=tag.name)

    return run_action(form, action, done=url_for("admin.tags"), page=_page(form, tag))


@bp.post("/tags/<int:tag_id>/delete")
@admin_required
def tag_delete(tag_id: int):
    """Deleting a tag takes it off every lead."""
    tag = _tag_or_404(tag_id)
    name = tag.name

    def action() -> str:
        delete_tag(tag, current_user)
        return _("Tag %(name)s deleted.", name=name)

    return run_action(ActionForm(), action, done=url_for("admin.tags"), page=_page(TagForm(formdata=None)))
