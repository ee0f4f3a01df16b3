"""The admins' edit forms: a body, its activity, and its accreditations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from portal.auth.session import admin_required
from portal.core.reference_names import local_name, sector_label
from portal.models import Accreditation, CertificationBody
from portal.registrars import bp, queries, services
from portal.registrars.forms import AccreditationForm, BodyForm
from portal.registrars.routes.directory import get_body_or_404
from portal.web.actions import PageRenderer, run_action
from portal.web.form_fields import ActionForm


def _detail_url(body: CertificationBody) -> str:
    return url_for("registrars.detail", slug=body.slug)


def _form_page(form: Any, fallback: str, template: str, **context: Any) -> PageRenderer:
    """The form again; a message without a field of its own (or a conflict) goes next to `fallback`."""

    def render(status: int = 200, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        for message in filter(None, (error, conflict)):
            form[fallback].errors = [*form[fallback].errors, message]
        return render_template(template, form=form, **context), status

    return render


def _body_form(body: CertificationBody | None) -> BodyForm:
    form = BodyForm(obj=body) if body is not None and request.method == "GET" else BodyForm()
    form.regions.choices = [SelectChoice(region.slug, local_name(region.name)) for region in queries.governorates()]
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


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = _body_form(None)
    page = _form_page(form, "name", "registrars/body_form.html", body=None)
    if request.method == "GET":
        return page(200)
    created: list[CertificationBody] = []

    def create() -> str:
        created.append(services.create_body(_body_data(form), current_user))
        return _("%(name)s added to the directory.", name=created[0].name)

    return run_action(
        form, create, done=lambda: _detail_url(created[0]), page=page, conflict_message=services.stale_message
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@admin_required
def edit(slug: str):
    body = get_body_or_404(slug)
    form = _body_form(body)
    page = _form_page(form, "name", "registrars/body_form.html", body=body)
    if request.method == "GET":
        return page(200)

    def save() -> str:
        services.update_body(body, _body_data(form), current_user, form.version.data)
        return _("Changes to %(name)s saved.", name=body.name)

    return run_action(form, save, done=lambda: _detail_url(body), page=page, conflict_message=services.stale_message)


def _set_active(slug: str, active: bool) -> ResponseReturnValue:
    body = get_body_or_404(slug)

    def change() -> str:
        services.set_body_active(body, active, current_user)
        if active:
            return _("%(name)s is active again.", name=body.name)
        return _("%(name)s is deactivated: it stays in the directory but is left out of matching.", name=body.name)

    return run_action(ActionForm(), change, done=_detail_url(body), page=lambda status, **_kw: abort(400))


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
        for ab in queries.accreditation_bodies()
    ]
    form.standard.choices = [SelectChoice(s.code, s.code) for s in queries.all_standards()]
    form.sectors.choices = [SelectChoice(s.code, sector_label(s.code, s.name)) for s in queries.sectors()]
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


def _accreditation_page(
    form: AccreditationForm, body: CertificationBody, accreditation: Accreditation | None
) -> PageRenderer:
    return _form_page(
        form,
        "number",
        "registrars/accreditation_form.html",
        body=body,
        accreditation=accreditation,
        other_schemes=queries.other_scheme_codes(),
    )


@bp.route("/<slug>/accreditations/new", methods=["GET", "POST"])
@admin_required
def accreditation_new(slug: str):
    body = get_body_or_404(slug)
    form = _accreditation_form(None)
    page = _accreditation_page(form, body, None)
    if request.method == "GET":
        return page(200)

    def create() -> str:
        accreditation = services.create_accreditation(body, _accreditation_data(form), current_user)
        return _("Accreditation %(number)s added.", number=accreditation.number)

    return run_action(form, create, done=_detail_url(body), page=page, conflict_message=services.stale_message)


@bp.route("/<slug>/accreditations/<int:accreditation_id>/edit", methods=["GET", "POST"])
@admin_required
def accreditation_edit(slug: str, accreditation_id: int):
    body = get_body_or_404(slug)
    accreditation = next((a for a in body.accreditations if a.id == accreditation_id), None)
    if accreditation is None:
        abort(404)
    form = _accreditation_form(accreditation)
    page = _accreditation_page(form, body, accreditation)
    if request.method == "GET":
        return page(200)

    def save() -> str:
        services.update_accreditation(accreditation, _accreditation_data(form), current_user, form.version.data)
        return _("Accreditation %(number)s saved.", number=accreditation.number)

    return run_action(form, save, done=_detail_url(body), page=page, conflict_message=services.stale_message)
