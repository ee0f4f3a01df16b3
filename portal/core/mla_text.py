"""Words for MLA recognition and accreditation scopes, shared by the match page, the
registrar pages and the admin page, so each says the same about the arrangement."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.domain import mla
from portal.domain.accreditation import ScopeScheme, sectors_required

SCOPE_LABELS = {
    mla.MAIN_SCOPE: _l("Management-systems certification, ISO/IEC 17021-1 (main scope)"),
    "QMS": _l("QMS – ISO 9001 (sub-scope)"),
    "EMS": _l("EMS – ISO 14001 (sub-scope)"),
    "OHSMS": _l("OH&SMS – ISO 45001 (sub-scope)"),
    "FSMS": _l("FSMS – ISO 22000 (sub-scope)"),
    "ISMS": _l("ISMS – ISO/IEC 27001 (sub-scope)"),
    "MDMS": _l("MDMS – ISO 13485 (sub-scope)"),
    "EnMS": _l("EnMS – ISO 50001 (sub-scope)"),
}
SCHEME_NOTES = {
    ScopeScheme.FOOD_CHAIN: _l(
        "%(standard)s: accreditation scopes are written in ISO 22003-1 food-chain categories, not IAF sectors; "
        "the client's sector was not compared: check the category in the body's scope."
    ),
    ScopeScheme.TECHNICAL_AREA: _l(
        "%(standard)s: accreditation scopes are written in medical-device technical areas (IAF MD 8), not IAF "
        "sectors; the client's sector was not compared: check the technical area in the body's scope."
    ),
    ScopeScheme.ENERGY_AREA: _l(
        "%(standard)s: accreditation scopes are written in ISO 50003 technical areas, not IAF sectors; the "
        "client's sector was not compared: check the technical area in the body's scope."
    ),
    ScopeScheme.OWN_WORDING: _l(
        "%(standard)s: accreditation scopes are written in the accreditation body's own words, not IAF sectors; "
        "the client's sector was not compared: read the body's scope of accreditation."
    ),
}


def scope_label(scope: str) -> str:
    return str(SCOPE_LABELS.get(scope, scope))


def arrangement_note() -> str:
    """What "IAF MLA" means on these pages since the IAF and ILAC became one organisation."""
    return _(
        "Since 1 January 2026 the IAF and ILAC operate as one organisation, Global Accreditation Cooperation "
        "Incorporated (not the GCC Accreditation Center, also called GAC). Its arrangement carries the former "
        "IAF MLA recognitions through a transition period; \u201cIAF MLA\u201d here means those recognitions. "
        "A certificate counts as internationally recognised when its accreditation body signed the arrangement "
        "for the standard's sub-scope where one exists, otherwise for the main scope (ISO/IEC 17021-1)."
    )


def scope_notes(standards: Iterable[tuple[str, str]]) -> list[str]:
    """For each (code, scope scheme) not scoped by IAF sectors, why its sector was not compared."""
    return [
        str(SCHEME_NOTES[scheme]) % {"standard": code}
        for code, scheme in standards
        if not sectors_required(scheme) and scheme in SCHEME_NOTES
    ]


def recognition_gap(family: str, signed: frozenset[str], signatory: bool) -> str:
    """Why an accreditation body's accreditation is not recognised for a standard (empty: it is, or unknown)."""
    if not signatory:
        return _("Not an IAF MLA signatory")
    if mla.body_recognised(family, signatory, signed):
        return ""
    return _("Not signed for %(scope)s", scope=scope_label(mla.required_scope(family)))
