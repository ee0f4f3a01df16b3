"""Saved inbox views: a consultant saves the current filters and sort under a name, for
themself or shared with the team, and picks the view the inbox opens with.

Anyone may share a view; only its owner or an admin renames, moves or deletes it. A view
moves among the tabs it sits with for the person moving it (their own, or the ones others
shared), and that group is numbered again in its new order. Flush, never commit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal.core.errors import ServiceError
from portal.extensions import db
from portal.leads.queries.filters import LeadFilter, view_query
from portal.leads.queries.views import is_visible, visible_views
from portal.models import SavedView, User

MAX_VIEWS = 20  # a user's own views: more tabs than this no longer fit above the list


def may_change(view: SavedView, user: User) -> bool:
    return view.owner_id == user.id or user.is_admin


def _ensure_name_free(name: str, owner_id: int, field: str, view: SavedView | None = None) -> None:
    """Names are unique among one owner's views, whatever the letter case."""
    taken = select(SavedView.id).where(SavedView.owner_id == owner_id, func.lower(SavedView.name) == name.lower())
    if view is not None:
        taken = taken.where(SavedView.id != view.id)
    if db.session.scalar(taken) is not None:
        raise ServiceError(_("You already have a view with this name."), field=field)


def _ensure_may_change(view: SavedView, actor: User) -> None:
    if not may_change(view, actor):
        raise ServiceError(_("Only the person who saved this view or an admin may change it."), status=403)


def save_view(name: str, shared: bool, flt: LeadFilter, owner: User) -> SavedView:
    """Keep `flt` (normalised, without the page) as a new tab after the owner's others."""
    own = select(SavedView).where(SavedView.owner_id == owner.id)
    _ensure_name_free(name, owner.id, "view_name")
    count, last = db.session.execute(
        own.with_only_columns(func.count(SavedView.id), func.max(SavedView.position))
    ).one()
    if count >= MAX_VIEWS:
        raise ServiceError(_("You have %(count)s views already: delete one first.", count=MAX_VIEWS), field="view_name")
    view = SavedView(name=name, shared=shared, query=view_query(flt), owner=owner, position=(last or 0) + 1)
    db.session.add(view)
    db.session.flush()
    return view


def rename_view(view: SavedView, name: str, actor: User) -> SavedView:
    """Give the view a new name, still unique among its owner's views (an admin renames for the owner)."""
    _ensure_may_change(view, actor)
    if not name:
        raise ServiceError(_("Give the view a name."), field="new_name")
    _ensure_name_free(name, view.owner_id, "new_name", view)
    view.name = name
    db.session.flush()
    return view


def move_view(view: SavedView, step: int, actor: User) -> None:
    """Move the view one tab earlier (-1) or later (+1) among the tabs it sits with for `actor`;
    at either end it stays where it is."""
    _ensure_may_change(view, actor)
    group = [tab for tab in visible_views(actor) if (tab.owner_id == actor.id) == (view.owner_id == actor.id)]
    index = group.index(view)
    other = index + step
    if 0 <= other < len(group):
        group[index], group[other] = group[other], group[index]
        for position, tab in enumerate(group, start=1):
            tab.position = position
    db.session.flush()


def delete_view(view: SavedView, actor: User) -> None:
    """Only the owner or an admin; whoever had it as their default opens the open leads again."""
    _ensure_may_change(view, actor)
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
