"""Saved inbox views: a consultant saves the current filters and sort under a name, for
themself or shared with the team, and picks the view the inbox opens with.

Anyone may share a view; only its owner or an admin deletes it. Flush, never commit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal.core.errors import ServiceError
from portal.extensions import db
from portal.leads.queries.filters import LeadFilter, view_query
from portal.leads.queries.views import is_visible
from portal.models import SavedView, User

MAX_VIEWS = 20  # a user's own views: more tabs than this no longer fit above the list


def may_change(view: SavedView, user: User) -> bool:
    return view.owner_id == user.id or user.is_admin


def save_view(name: str, shared: bool, flt: LeadFilter, owner: User) -> SavedView:
    """Keep `flt` (normalised, without the page) as a new tab after the owner's others."""
    own = select(SavedView).where(SavedView.owner_id == owner.id)
    if db.session.scalar(own.where(func.lower(SavedView.name) == name.lower()).with_only_columns(SavedView.id)):
        raise ServiceError(_("You already have a view with this name."), field="view_name")
    count, last = db.session.execute(
        own.with_only_columns(func.count(SavedView.id), func.max(SavedView.position))
    ).one()
    if count >= MAX_VIEWS:
        raise ServiceError(_("You have %(count)s views already: delete one first.", count=MAX_VIEWS), field="view_name")
    view = SavedView(name=name, shared=shared, query=view_query(flt), owner=owner, position=(last or 0) + 1)
    db.session.add(view)
    db.session.flush()
    return view


def delete_view(view: SavedView, actor: User) -> None:
    """Only the owner or an admin; whoever had it as their default opens the open leads again."""
    if not may_change(view, actor):
        raise ServiceError(_("Only the person who saved this view or an admin may delete it."), status=403)
    # Said here, not left to the foreign key's ON DELETE SET NULL, which SQLite does not enforce.
    db.session.execute(update(User).where(User.default_view_id == view.id).values(default_view_id=None))
    db.session.delete(view)
    db.session.flush()


def set_default_view(user: User, view: SavedView | None) -> None:
    """The view /app/leads/ opens with for `user` (None: the open leads); one they can see."""
    if view is not None and not is_visible(view, user):
        raise ServiceError(_("This view is not shared with you."), status=403)
    user.default_view_id = view.id if view is not None else None
    db.session.flush()
