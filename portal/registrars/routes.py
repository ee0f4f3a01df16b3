"""Directory pages: the filtered list, a body's profile, and the admins' edit forms."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from portal.auth.session import admin_required, staff_required
from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import Accreditation, AccreditationBody, CertificationBody, Region, Sector, Standard
from portal.registrars import bp, services
from portal.registrars.directory import directory_rows, profile_groups, track_record
from portal.registrars.filters import (
    PER_PAGE_CHOICES,
    SORT_LABELS,
    parse_registrar_filter,
    registrar_query,
    with_row_relations,
)
from portal.registrars.forms import AccreditationForm, ActionForm, BodyForm

T = TypeVar("T")


def _governorates() -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.kind == "governorate").order_by(Region.position)))


def get_body_or_404(slug: str) -> CertificationBody:
    body = db.session.scalar(services.with_whole_body(select(CertificationBody).where(CertificationBody.slug == slug)))
    if body is None:
        abort(404)
    return body


@bp.get("/")
@staff_required
def index():
    parsed = parse_registrar_filter(request.args)
    flt = parsed.filter
    today = today_in_oman()
    page = db.paginate(
        with_row_relations(registrar_query(flt, today)),
        page=flt.page,
        per_page=flt.per_page,
        max_per_page=PER_PAGE_CHOICES[-1],
        error_out=False,
    )
    return render_template(
        "registrars/index.html",
        flt=flt,
        args=flt.query_args(),
        errors=parsed.errors,
        raw=request.args,
        page=page,
        rows=directory_rows(list(page.items), today),
        sort_labels=SORT_LABELS,
        per_page_choices=PER_PAGE_CHOICES,
        standards=list(
            db.session.scalars(select(Standard).where(Standard.active.is_(True)).order_by(Standard.position))
        ),
        sectors=list(db.session.scalars(select(Sector).order_by(Sector.code))),
        regions=list(db.session.scalars(select(Region).order_by(Region.position, Region.id))),
        accreditation_bodies=list(db.session.scalars(select(AccreditationBody).order_by(AccreditationBody.code))),
        languages=services.LANGUAGES,
    )


@bp.get("/<slug>")
@staff_required
def detail(slug: str):
    body = get_body_or_404(slug)
    today = today_in_oman()
    groups = profile_groups(body, today)
    warnings = [view for group in groups for view in group.accreditations if view.warning]
    return render_template(
        "registrars/detail.html",
        body=body,
        groups=groups,
        warnings=warnings,
        track=track_record(body.id),
        warning_labels=services.WARNING_LABELS,
        status_labels=services.STATUS_LABELS,
        languages=services.LANGUAGES,
        action_form=ActionForm(),
    )


def _body_form(body: CertificationBody | None) -> BodyForm:
    form = BodyForm(obj=body) if body is not None and request.method == "GET" else BodyForm()
    form.regions.choices = [SelectChoice(region.slug, region.name) for region in _governorates()]
    if body is not None and request.method == "GET":
        form.regions.data = [region.slug for region in body.regions]
        form.languages.data = body.languages
    return form


def _body_data(form: BodyForm) -> services.BodyData:
    """Explicit mapping from the form to the service's values."""
    return services.BodyData(
        name=form.name.data or "",
        slug=form.slug.data or "",
        website=form.website.data or "",
        contact_name=form.contact_name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        country=form.country.data or "",
        serves_all_oman=form.serves_all_oman.data,
        region_slugs=tuple(form.regions.data or ()),
        languages=tuple(form.languages.data or ()),
        day_rate=form.day_rate.data if form.day_rate.data is not None else Decimal("0"),
        travel_charged=form.travel_charged.data,
        travel_fee=form.travel_fee.data if form.travel_fee.data is not None else Decimal("0"),
        lead_time_days=form.lead_time_days.data,
        active=form.active.data,
        notes=form.notes.data or "",
    )


def _put_errors(form, error: services.RegistrarError, fallback: str) -> None:
    for field_name, message in error.errors.items():
        target = field_name if field_name in form else fallback
        form[target].errors = [*form[target].errors, message]


def _save(form, fallback: str, change: Callable[[], T]) -> tuple[int | None, T | None]:
    """Run one service call for a submitted, valid form and commit: (None, its result) when saved.

    Otherwise the status to show the form again with: 200 for a first view, 400 for bad
    input, 409 when someone else changed the entry; a refusal's messages go onto the
    form's fields (`fallback` for those without a field) and nothing is kept.
    """
    if not form.validate_on_submit():
        return (400 if form.errors else 200), None
    try:
        result = change()
    except services.RegistrarError as error:
        db.session.rollback()
        _put_errors(form, error, fallback)
        return (409 if error.conflict else 400), None
    db.session.commit()
    return None, result


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = _body_form(None)
    status, body = _save(form, "name", lambda: services.create_body(_body_data(form), current_user))
    if status is None:
        flash(_("%(name)s added to the directory.", name=body.name), "success")
        return redirect(url_for("registrars.detail", slug=body.slug))
    return render_template("registrars/body_form.html", form=form, body=None), status


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@admin_required
def edit(slug: str):
    body = get_body_or_404(slug)
    form = _body_form(body)
    status, _saved = _save(
        form, "name", lambda: services.update_body(body, _body_data(form), current_user, form.version.data)
    )
    if status is None:
        flash(_("Changes to %(name)s saved.", name=body.name), "success")
        return redirect(url_for("registrars.detail", slug=body.slug))
    return render_template("registrars/body_form.html", form=form, body=body), status


def _set_active(slug: str, active: bool):
    body = get_body_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.set_body_active(body, active, current_user)
    db.session.commit()
    if active:
        flash(_("%(name)s is active again.", name=body.name), "success")
    else:
        flash(
            _("%(name)s is deactivated: it stays in the directory but is left out of matching.", name=body.name),
            "success",
        )
    return redirect(url_for("registrars.detail", slug=body.slug))


@bp.post("/<slug>/deactivate")
@admin_required
def deactivate(slug: str):
    return _set_active(slug, False)


@bp.post("/<slug>/reactivate")
@admin_required
def reactivate(slug: str):
    return _set_active(slug, True)


def _accreditation_form(accreditation: Accreditation | None) -> AccreditationForm:
    if accreditation is not None and request.method == "GET":
        form = AccreditationForm(obj=accreditation)
        form.accreditation_body.data = accreditation.accreditation_body.code
        form.standard.data = accreditation.standard.code
        form.sectors.data = [sector.code for sector in accreditation.sectors]
    else:
        form = AccreditationForm()
    form.accreditation_body.choices = [
        SelectChoice(
            ab.code, f"{ab.code} – {ab.name}" + ("" if ab.iaf_mla_signatory else " " + _("(not an IAF MLA signatory)"))
        )
        for ab in db.session.scalars(select(AccreditationBody).order_by(AccreditationBody.code))
    ]
    form.standard.choices = [
        SelectChoice(s.code, s.code) for s in db.session.scalars(select(Standard).order_by(Standard.position))
    ]
    form.sectors.choices = [
        SelectChoice(s.code, s.label) for s in db.session.scalars(select(Sector).order_by(Sector.code))
    ]
    return form


def _accreditation_data(form: AccreditationForm) -> services.AccreditationData:
    return services.AccreditationData(
        accreditation_body=form.accreditation_body.data,
        standard=form.standard.data,
        sector_codes=tuple(form.sectors.data or ()),
        number=form.number.data or "",
        valid_from=form.valid_from.data,
        valid_until=form.valid_until.data,
        status=form.status.data,
    )


def _render_accreditation_form(form, body, accreditation, status):
    other_schemes = list(
        db.session.scalars(select(Standard.code).where(Standard.scope_scheme != "iaf").order_by(Standard.position))
    )
    return (
        render_template(
            "registrars/accreditation_form.html",
            form=form,
            body=body,
            accreditation=accreditation,
            other_schemes=other_schemes,
        ),
        status,
    )


@bp.route("/<slug>/accreditations/new", methods=["GET", "POST"])
@admin_required
def accreditation_new(slug: str):
    body = get_body_or_404(slug)
    form = _accreditation_form(None)
    status, accreditation = _save(
        form, "number", lambda: services.create_accreditation(body, _accreditation_data(form), current_user)
    )
    if status is None:
        flash(_("Accreditation %(number)s added.", number=accreditation.number), "success")
        return redirect(url_for("registrars.detail", slug=body.slug))
    return _render_accreditation_form(form, body, None, status)


@bp.route("/<slug>/accreditations/<int:accreditation_id>/edit", methods=["GET", "POST"])
@admin_required
def accreditation_edit(slug: str, accreditation_id: int):
    body = get_body_or_404(slug)
    accreditation = next((a for a in body.accreditations if a.id == accreditation_id), None)
    if accreditation is None:
        abort(404)
    form = _accreditation_form(accreditation)
    status, _saved = _save(
        form,
        "number",
        lambda: services.update_accreditation(
            accreditation, _accreditation_data(form), current_user, form.version.data
        ),
    )
    if status is None:
        flash(_("Accreditation %(number)s saved.", number=accreditation.number), "success")
        return redirect(url_for("registrars.detail", slug=body.slug))
    return _render_accreditation_form(form, body, accreditation, status)
