"""/app/clients (searchable, paged list) and /app/clients/<id> (engagements and contacts)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.session import staff_required
from portal.clients import bp
from portal.core.clock import today_in_oman
from portal.domain.normalise import clean_line
from portal.engagements.presentation import STAGE_LABELS, card
from portal.extensions import db
from portal.models import Client, Engagement
from portal.models.types import utcnow
from portal.web.listing import MAX_SEARCH_LENGTH, like_pattern, parse_int, search_terms

PER_PAGE = 25


@dataclass(frozen=True)
class Contact:
    """A person to talk to at the client: its main contact, or an enquiry's sender."""

    name: str
    email: str
    phone: str
    source: str


@bp.get("/")
@staff_required
def index():
    q = clean_line(request.args.get("q", ""), MAX_SEARCH_LENGTH)
    stmt = select(Client)
    for term in search_terms(q):
        stmt = stmt.where(func.lower(Client.name).like(like_pattern(term), escape="\\"))
    page = db.paginate(
        stmt.order_by(func.lower(Client.name), Client.id),
        page=parse_int(request.args.get("page", "")) or 1,
        per_page=PER_PAGE,
        error_out=False,
    )
    ids = [client.id for client in page.items]
    counts = dict(
        db.session.execute(
            select(Engagement.client_id, func.count())
            .where(Engagement.client_id.in_(ids))
            .group_by(Engagement.client_id)
        ).all()
    )
    return render_template("clients/index.html", page=page, counts=counts, q=q)


def _contacts(client: Client, engagements: list[Engagement]) -> list[Contact]:
    """The client's main contact, then each converted enquiry's sender, once per e-mail address."""
    contacts: list[Contact] = []
    seen: set[str] = set()
    if client.contact_name or client.contact_email:
        contacts.append(Contact(client.contact_name, client.contact_email, client.contact_phone, "client"))
        seen.add(client.contact_email.casefold())
    for engagement in engagements:
        lead = engagement.lead
        if lead is not None and lead.email.casefold() not in seen:
            seen.add(lead.email.casefold())
            contacts.append(Contact(lead.contact_name, lead.email, lead.phone, lead.reference or ""))
    return contacts


@bp.get("/<int:id>")
@staff_required
def detail(id: int):
    client = db.session.get(Client, id)
    if client is None:
        abort(404)
    engagements = list(
        db.session.scalars(
            select(Engagement)
            .where(Engagement.client_id == client.id)
            .options(joinedload(Engagement.owner), joinedload(Engagement.lead), selectinload(Engagement.standards))
            .order_by(Engagement.created_at.desc(), Engagement.id.desc())
        )
    )
    today, now = today_in_oman(), utcnow()
    return render_template(
        "clients/detail.html",
        client=client,
        cards=[card(engagement, today, now) for engagement in engagements],
        contacts=_contacts(client, engagements),
        stage_labels=STAGE_LABELS,
    )
