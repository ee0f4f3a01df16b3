"""The directory's read pages: the filtered list and a body's profile."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.core.mla_text import arrangement_note
from portal.core.reference import active_standards
from portal.extensions import db
from portal.models import CertificationBody
from portal.registrars import bp, queries, services
from portal.registrars.presentation import (
    LANGUAGES,
    SORT_LABELS,
    directory_rows,
    location_options,
    profile_groups,
)
from portal.web.form_fields import ActionForm
from portal.web.listing import filter_form_values


def get_body_or_404(slug: str) -> CertificationBody:
    body = db.session.scalar(services.with_whole_body(select(CertificationBody).where(CertificationBody.slug == slug)))
    if body is None:
        abort(404)
    return body


@bp.get("/")
@staff_required
def index():
    parsed = queries.parse_registrar_filter(request.args)
    flt = parsed.filter
    today = today_in_oman()
    page = db.paginate(
        queries.with_row_relations(queries.registrar_query(flt, today)),
        page=flt.page,
        per_page=flt.per_page,
        max_per_page=queries.PER_PAGE_CHOICES[-1],
        error_out=False,
    )
    return render_template(
        "registrars/index.html",
        args=flt.query_args(),
        page=page,
        rows=directory_rows(list(page.items), today),
        sort_labels=SORT_LABELS,
        per_page_choices=queries.PER_PAGE_CHOICES,
        standards=active_standards(),
        sectors=queries.sectors(),
        locations=location_options(queries.regions()),
        accreditation_bodies=queries.accreditation_bodies(),
        languages=LANGUAGES,
        **filter_form_values(parsed),
    )


@bp.get("/<slug>")
@staff_required
def detail(slug: str):
    body = get_body_or_404(slug)
    groups = profile_groups(body, today_in_oman())
    return render_template(
        "registrars/detail.html",
        body=body,
        groups=groups,
        warnings=[view for group in groups for view in group.accreditations if view.warning],
        track=queries.track_record(body.id),
        languages=LANGUAGES,
        action_form=ActionForm(),
        arrangement_note=arrangement_note(),
    )
