"""The inbox's tabs: the saved views a user sees (their own, then the team's shared ones) with
the number of leads in each, in a fixed number of queries (one for the views, one for all counts)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, or_, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.leads.queries.filters import LeadFilter, capped_counts, filter_from_query, view_query
from portal.models import SavedView, User


def is_visible(view: SavedView, user: User) -> bool:
    return view.owner_id == user.id or view.shared


def visible_views(user: User) -> list[SavedView]:
    """The user's own views in their order, then the views others shared, oldest first."""
    return list(
        db.session.scalars(
            select(SavedView)
            .options(joinedload(SavedView.owner))
            .where(or_(SavedView.owner_id == user.id, SavedView.shared.is_(True)))
            .order_by(case((SavedView.owner_id == user.id, 0), else_=1), SavedView.position, SavedView.id)
        )
    )


def visible_view(view_id: int, user: User) -> SavedView | None:
    view = db.session.get(SavedView, view_id)
    return view if view is not None and is_visible(view, user) else None


@dataclass(frozen=True)
class Tab:
    """One tab above the inbox: a saved view (None: the built-in open leads) and its lead count."""

    view: SavedView | None
    query: str
    count: int
    active: bool
    default: bool
    first: bool = False  # first of its group (the user's own views, or the ones others shared)
    last: bool = False


def inbox_tabs(user: User, current: LeadFilter) -> list[Tab]:
    """The open leads, then each visible view; the tab whose filters are the page's is active."""
    views = visible_views(user)
    queries = [""] + [view.query for view in views]
    counts = capped_counts([filter_from_query(query) for query in queries], user.id)
    now = view_query(current)
    active = queries.index(now) if now in queries else None  # two views alike: the first is the open one
    groups = [None, *(view.owner_id == user.id for view in views)]
    return [
        Tab(
            view=view,
            query=query,
            count=count,
            active=index == active,
            default=(view.id if view else None) == user.default_view_id,
            first=index == 0 or groups[index - 1] != groups[index],
            last=index + 1 == len(groups) or groups[index + 1] != groups[index],
        )
        for index, (view, query, count) in enumerate(zip([None, *views], queries, counts, strict=True))
    ]
