"""Public pages for prospective clients: server-rendered, cacheable, no account needed."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core.clock import today_in_oman
from portal.core.reference import active_standards, edition_summary
from portal.core.reference_names import local_name, standard_label
from portal.extensions import db
from portal.models import Region, Standard
from portal.privacy.notices import notice_for_page
from portal.public import bp, pages
from portal.public.content import Document, available_slugs, load_document
from portal.public.directory import bodies_serving
from portal.public.enquiry import spam
from portal.public.privacy_request.forms import PrivacyRequestForm
from portal.public.seo import breadcrumb_ld, faq_ld, json_ld_markup, language_alternates, page_meta
from portal.web.compression import init_compression
from portal.web.languages import offers_language
from portal.web.links import absolute_url
from portal.web.page_cache import cacheable, init_page_cache, keep_rendered_page, serve_from_cache

# The public tools, listed in the sitemap after the content pages.
TOOL_PAGES = ("enquiry.form", "readiness.form", "estimate.form")


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    init_compression(app)
    init_page_cache(app)
    app.add_template_global(enquire_url)
    app.add_template_filter(json_ld_markup, "json_ld")


bp.before_request(serve_from_cache)
bp.after_request(keep_rendered_page)


def enquire_url(standard: str | None = None, location: str | None = None) -> str:
    """The enquiry form with a standard and/or location pre-selected."""
    values = {key: value for key, value in {"standard": standard, "location": location}.items() if value}
    return url_for("enquiry.form", **values)


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _document(kind: str, slug: str) -> Document | None:
    return load_document(kind, slug, _locale())


def _crumbs(*trail: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    return breadcrumb_ld(
        [(_("Home"), absolute_url("public.home"))]
        + [(name, absolute_url(endpoint, **values)) for name, endpoint, values in trail]
    )


def location_pages() -> list[tuple[Region, Document]]:
    """Cities of the reference data that have location notes, in the order the notes give."""
    slugs = available_slugs("locations")
    regions = db.session.scalars(select(Region).where(Region.kind == "city", Region.slug.in_(slugs)))
    found = [(region, document) for region in regions if (document := _document("locations", region.slug))]
    return sorted(found, key=lambda item: (int(item[1].get("order", "99")), item[0].name))


@bp.get("/")
@cacheable()
@offers_language
def home():
    meta = page_meta(
        _("ISO certification consultancy in Oman"),
        _(
            "We prepare organisations in Muscat and across Oman for ISO 9001, 14001, 45001, 27001 and other "
            "management-system certifications, audited independently by accredited certification bodies."
        ),
        "public.home",
    )
    standard_pages = available_slugs("standards")
    return render_template(
        "public/home.html",
        meta=meta,
        standards=[s for s in active_standards() if s.slug in standard_pages],
        locations=location_pages(),
        steps=pages.HOME_STEPS,
        benefits=pages.BENEFITS,
    )


@bp.get("/iso-certification")
@cacheable()
def iso_certification():
    faqs = pages.faqs(pages.ISO_FAQS)
    meta = page_meta(
        _("What ISO certification is"),
        _(
            "ISO certification explained: who writes the standards, who audits, what accreditation and the IAF MLA "
            "mean, the three-year certificate with yearly surveillance, and what a certificate does not prove."
        ),
        "public.iso_certification",
        og_type="article",
        json_ld=[faq_ld(faqs), _crumbs((_("ISO certification"), "public.iso_certification", {}))],
    )
    return render_template("public/iso_certification.html", meta=meta, faqs=faqs, benefits=pages.BENEFITS)


@bp.get("/process")
@cacheable()
def process():
    faqs = pages.faqs(pages.PROCESS_FAQS)
    meta = page_meta(
        _("The path to ISO certification, step by step"),
        _(
            "From gap analysis to stage 1 and stage 2 audits, surveillance and recertification: what you do, "
            "what we do and how long each step usually takes."
        ),
        "public.process",
        og_type="article",
        json_ld=[faq_ld(faqs), _crumbs((_("Process"), "public.process", {}))],
    )
    return render_template("public/process.html", meta=meta, steps=pages.PROCESS_STEPS, faqs=faqs)


@bp.get("/standards")
@cacheable()
def standards():
    meta = page_meta(
        _("ISO standards we help with"),
        _(
            "The certifiable ISO management-system standards we prepare organisations in Oman for: quality, "
            "environment, safety, information security, food safety, energy and more."
        ),
        "public.standards",
        json_ld=[_crumbs((_("Standards"), "public.standards", {}))],
    )
    return render_template(
        "public/standards.html", meta=meta, standards=active_standards(), pages=available_slugs("standards")
    )


@bp.get("/standards/<slug>")
@cacheable()
def standard(slug: str):
    row = db.session.scalar(select(Standard).where(Standard.slug == slug, Standard.active))
    document = _document("standards", slug) if row else None
    if row is None or document is None:
        abort(404)
    related = active_standards(document.related)
    json_ld = [_crumbs((_("Standards"), "public.standards", {}), (row.code, "public.standard", {"slug": slug}))]
    if document.faqs:
        json_ld.insert(0, faq_ld(document.faqs))
    meta = page_meta(
        standard_label(row.code, row.title),
        document.get("description", local_name(row.summary)),
        "public.standard",
        og_type="article",
        json_ld=json_ld,
        slug=slug,
    )
    return render_template(
        "public/standard.html",
        meta=meta,
        standard=row,
        edition=edition_summary(row, today_in_oman()),
        document=document,
        related=[r for r in related if r.slug in available_slugs("standards")],
    )


@bp.get("/locations/<slug>")
@cacheable()
def location(slug: str):
    region = db.session.scalar(
        select(Region).options(joinedload(Region.governorate)).where(Region.slug == slug, Region.kind == "city")
    )
    document = _document("locations", slug) if region else None
    if region is None or document is None:
        abort(404)
    meta = page_meta(
        _("ISO certification in %(place)s", place=local_name(region.name)),
        document.get("description"),
        "public.location",
        json_ld=[_crumbs((local_name(region.name), "public.location", {"slug": slug}))],
        slug=slug,
    )
    others = [(r, d) for r, d in location_pages() if r.slug != slug]
    bodies = bodies_serving(region, today_in_oman())
    return render_template(
        "public/location.html", meta=meta, region=region, document=document, others=others, bodies=bodies
    )


@bp.get("/privacy")
def privacy():
    """The notice in force, and the form to ask about one's data (a form page: not cached, its
    CSRF token needs the session cookie; a sent form is answered by /privacy/request)."""
    meta = page_meta(
        _("Privacy notice"),
        _(
            "What personal data we collect when you enquire, why, how long we keep it and your rights under "
            "Oman's Personal Data Protection Law (Royal Decree 6/2022)."
        ),
        "public.privacy",
    )
    form = PrivacyRequestForm()
    form.form_token.data = spam.make_form_token()
    return render_template("public/privacy.html", meta=meta, notice=notice_for_page(_locale()), form=form)


@bp.get("/contact")
@cacheable()
def contact():
    meta = page_meta(
        _("Contact us"),
        _(
            "Talk to an ISO consultant in Muscat: send an enquiry and a consultant replies on a working day "
            "(Sunday to Thursday)."
        ),
        "public.contact",
    )
    return render_template(
        "public/contact.html",
        meta=meta,
        locations=location_pages(),
    )


def public_pages() -> list[tuple[str, dict[str, str]]]:
    """(endpoint, URL values) of every public page, for the sitemap."""
    endpoints = ["public.home", "public.iso_certification", "public.process", "public.standards"]
    standard_pages = available_slugs("standards")
    return [
        *((endpoint, {}) for endpoint in endpoints),
        *(("public.standard", {"slug": s.slug}) for s in active_standards() if s.slug in standard_pages),
        *(("public.location", {"slug": region.slug}) for region, _doc in location_pages()),
        *((endpoint, {}) for endpoint in (*TOOL_PAGES, "public.contact", "public.privacy")),
    ]


@bp.get("/sitemap.xml", language_less=True)
def sitemap():
    """Every page once per language, each entry naming all its language versions (xhtml:link)."""
    pages = [language_alternates(endpoint, **values) for endpoint, values in public_pages()]
    xml = render_template("public/sitemap.xml", pages=pages)
    return Response(xml, mimetype="application/xml")


@bp.get("/robots.txt", language_less=True)
def robots():
    text = render_template("public/robots.txt", sitemap_url=absolute_url("public.sitemap"))
    return Response(text, mimetype="text/plain")
