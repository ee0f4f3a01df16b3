"""Tags: the list admins keep (audited) and the tagging of leads by consultants (on each
lead's timeline). Flush, never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.core import audit
from portal.core.errors import ServiceError
from portal.domain.normalise import clean_line
from portal.domain.tag_palette import TAG_PALETTE
from portal.extensions import db
from portal.leads.services import ActivityKind, ensure_not_merged, record_activity
from portal.models import Lead, Tag, User

MAX_TAG_NAME = 40


def all_tags() -> list[Tag]:
    return list(db.session.scalars(select(Tag).order_by(func.lower(Tag.name))))


def _checked(name: str, colour: str, tag: Tag | None = None) -> str:
    """The cleaned name; refuses an empty or taken name (any letter case) and a colour off the palette."""
    name = clean_line(name, MAX_TAG_NAME)
    if not name:
        raise ServiceError(_("Give the tag a name."), field="name")
    taken = select(Tag.id).where(func.lower(Tag.name) == name.lower())
    if tag is not None:
        taken = taken.where(Tag.id != tag.id)
    if db.session.scalar(taken) is not None:
        raise ServiceError(_("There is already a tag with this name."), field="name")
    if colour not in TAG_PALETTE:
        raise ServiceError(_("Choose a colour from the list."), field="colour")
    return name


def create_tag(name: str, colour: str, actor: User) -> Tag:
    tag = Tag(name=_checked(name, colour), colour=colour)
    db.session.add(tag)
    db.session.flush()
    audit.record("tag.created", actor, tag, {"name": tag.name, "colour": colour})
    return tag


def update_tag(tag: Tag, name: str, colour: str, actor: User) -> Tag:
    before = {"name": tag.name, "colour": tag.colour}
    tag.name, tag.colour = _checked(name, colour, tag), colour
    audit.record("tag.updated", actor, tag, {"before": before, "name": tag.name, "colour": colour})
    db.session.flush()
    return tag


def delete_tag(tag: Tag, actor: User) -> None:
    """Remove the tag from every lead too (the association rows cascade)."""
    audit.record("tag.deleted", actor, tag, {"name": tag.name})
    db.session.delete(tag)
    db.session.flush()


def tag_lead(lead: Lead, tag: Tag | None, actor: User) -> Tag:
    """Put `tag` on the lead, written on its timeline; refused when it is already there
    (or None: no tag of the list was chosen)."""
    ensure_not_merged(lead)
    if tag is None:
        raise ServiceError(_("Choose a tag from the list."), field="tag")
    if tag in lead.tags:
        raise ServiceError(_("Already tagged %(name)s.", name=tag.name))
    lead.tags.append(tag)
    record_activity(lead, actor, ActivityKind.TAGGED, tag=tag.name)
    db.session.flush()
    return tag


def untag_lead(lead: Lead, tag: Tag, actor: User) -> None:
    """Take `tag` off the lead, written on its timeline; refused when it is not there."""
    if tag not in lead.tags:
        raise ServiceError(_("Not tagged %(name)s.", name=tag.name))
    lead.tags.remove(tag)
    record_activity(lead, actor, ActivityKind.UNTAGGED, tag=tag.name)
    db.session.flush()
