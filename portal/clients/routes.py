"""/app/clients (searchable, paged list) and /app/clients/<id> (engagements and contacts)."""

from __future__ import annotations

from flask import abort, render_template, request

from portal.auth.session import staff_required
from portal.clients import bp
from portal.clients.presentation import contacts
from portal.clients.queries import client_engagements, client_page, engagement_counts
from portal.core.clock import today_in_oman
from portal.domain.normalise import clean_line
from portal.engagements.presentation import card
from portal.extensions import db
from portal.models import Client
from portal.models.types import utcnow
from portal.web.listing import MAX_SEARCH_LENGTH, parse_int


@bp.get("/")
@staff_required
def index():
    q = clean_line(request.args.get("q", ""), MAX_SEARCH_LENGTH)
    page = client_page(q, parse_int(request.args.get("page", "")) or 1)
    return render_template("clients/index.html", page=page, counts=engagement_counts(list(page.items)), q=q)


@bp.get("/<int:id>")
@staff_required
def detail(id: int):
    client = db.session.get(Client, id)
    if client is None:
        abort(404)
    engagements = client_engagements(client)
    today, now = today_in_oman(), utcnow()
    return render_template(
        "clients/detail.html",
        client=client,
        cards=[card(engagement, today, now) for engagement in engagements],
        contacts=contacts(client, engagements),
    )
