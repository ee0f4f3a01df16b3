"""Reads of the reference data every area needs, written once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.domain.editions import TransitionState, transition_state
from portal.extensions import db
from portal.models import Standard, StandardEdition


def active_standards(slugs: Iterable[str] | None = None) -> list[Standard]:
    """The standards the portal offers, in display order; only those `slugs` when given.

    Withdrawn standards stay in the table for old records but are never offered again.
    """
    stmt = select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)
    if slugs is not None:
        stmt = stmt.where(Standard.slug.in_(list(slugs)))
    return list(db.session.scalars(stmt))


def _published(edition: StandardEdition) -> date:
    """When an edition came out; one whose day is not sourced counts from the day it was recorded."""
    return edition.published_on or edition.recorded_on


def current_edition(standard: Standard, today: date) -> StandardEdition | None:
    """The latest edition published by `today`, or None while none is recorded."""
    published = [e for e in standard.editions if _published(e) <= today]
    return max(published, key=_published, default=None)


def previous_edition(standard: Standard, edition: StandardEdition) -> StandardEdition | None:
    """The edition `edition` replaced, when it is recorded (its certificates end at the transition)."""
    older = [e for e in standard.editions if _published(e) < _published(edition)]
    return max(older, key=_published, default=None)


@dataclass(frozen=True)
class EditionSummary:
    """What a standard's page says about editions: the one in force and any transition worth mentioning."""

    current: StandardEdition
    previous_label: str | None  # the superseded edition, when recorded
    transition_ends_on: date | None  # only while running or recently ended
    transition: TransitionState | None


def edition_summary(standard: Standard, today: date) -> EditionSummary | None:
    current = current_edition(standard, today)
    if current is None:
        return None
    previous = previous_edition(standard, current)
    state = transition_state(current.previous_edition_ends_on, today)
    return EditionSummary(
        current=current,
        previous_label=previous.edition if previous else None,
        transition_ends_on=current.previous_edition_ends_on if state else None,
        transition=state,
    )


def editions_in_force(standards: Iterable[Standard], on: date) -> list[StandardEdition]:
    """The edition of each standard current on `on`: what a certificate issued that day is to."""
    return [edition for standard in standards if (edition := current_edition(standard, on)) is not None]


@dataclass(frozen=True)
class EditionTransition:
    """A certified edition superseded by a newer one whose IAF transition has an end date."""

    edition: StandardEdition
    successor: StandardEdition
    ends_on: date


def transition_of(edition: StandardEdition, today: date) -> EditionTransition | None:
    """The published edition that replaced `edition` with a transition end recorded, if any."""
    newer = [
        e
        for e in edition.standard.editions
        if _published(edition) < _published(e) <= today and e.previous_edition_ends_on is not None
    ]
    successor = min(newer, key=_published, default=None)
    if successor is None:
        return None
    return EditionTransition(edition, successor, successor.previous_edition_ends_on)
