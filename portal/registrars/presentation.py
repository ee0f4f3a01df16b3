"""What the directory's pages show: labels, and what a list row and a profile show, computed once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from portal.core.mla_text import recognition_gap
from portal.core.reference_names import local_name
from portal.domain import accreditation as rules
from portal.models import Accreditation, CertificationBody, Region, Standard
from portal.web.status import ACCREDITATION_STATUS_LABELS

LANGUAGES = {
    "ar": _l("Arabic"),
    "en": _l("English"),
    "fr": _l("French"),
    "de": _l("German"),
    "hi": _l("Hindi"),
    "ur": _l("Urdu"),
    "ml": _l("Malayalam"),
    "tr": _l("Turkish"),
}
STATUS_LABELS = ACCREDITATION_STATUS_LABELS  # one label per status, kept with every other status
WARNING_LABELS = {
    rules.ExpiryWarning.EXPIRED: lazy_pgettext("accreditation status", "Expired"),
    rules.ExpiryWarning.EXPIRING: _l("Expires within 90 days"),
    rules.ExpiryWarning.SUSPENDED: lazy_pgettext("accreditation status", "Suspended"),
    rules.ExpiryWarning.WITHDRAWN: lazy_pgettext("accreditation status", "Withdrawn"),
}
SORT_LABELS = {
    "name": _l("Name A–Z"),
    "-name": _l("Name Z–A"),
    "day_rate": _l("Lowest day rate"),
    "lead_time": _l("Shortest lead time"),
}


@dataclass(frozen=True)
class DirectoryRow:
    body: CertificationBody
    standards: list[str]  # codes of the current accreditations
    nearest_expiry: date | None
    expiring: bool


def directory_rows(bodies: list[CertificationBody], today: date) -> list[DirectoryRow]:
    rows = []
    for body in bodies:
        current = [a for a in body.accreditations if rules.is_current(a.status, a.valid_from, a.valid_until, today)]
        standards = sorted({a.standard.code: a.standard.position for a in current}.items(), key=lambda i: i[1])
        nearest = rules.nearest_expiry(((a.status, a.valid_from, a.valid_until) for a in current), today)
        rows.append(
            DirectoryRow(
                body=body,
                standards=[code for code, _position in standards],
                nearest_expiry=nearest,
                expiring=nearest is not None
                and rules.warning_for("active", nearest, today) == rules.ExpiryWarning.EXPIRING,
            )
        )
    return rows


@dataclass(frozen=True)
class AccreditationView:
    accreditation: Accreditation
    warning: rules.ExpiryWarning | None

    @property
    def warning_label(self) -> str:
        return str(WARNING_LABELS[self.warning]) if self.warning else ""

    @property
    def recognition_gap(self) -> str:
        """Why this accreditation does not make certificates internationally recognised (empty: it does)."""
        body = self.accreditation.accreditation_body
        return recognition_gap(self.accreditation.standard.family, body.mla_scopes, body.iaf_mla_signatory)

    @property
    def badge_class(self) -> str:
        """Red once the accreditation no longer counts (expired, withdrawn), amber before."""
        lapsed = self.warning in (rules.ExpiryWarning.EXPIRED, rules.ExpiryWarning.WITHDRAWN)
        return "text-bg-danger" if lapsed else "text-bg-warning"


@dataclass
class StandardGroup:
    standard: Standard
    accreditations: list[AccreditationView] = field(default_factory=list)

    @property
    def uses_other_scheme(self) -> bool:
        return not rules.sectors_required(self.standard.scope_scheme)


def profile_groups(body: CertificationBody, today: date) -> list[StandardGroup]:
    """The body's accreditations grouped by standard (in the standards' order), each with its warning."""
    groups: dict[int, StandardGroup] = {}
    for accreditation in sorted(body.accreditations, key=lambda a: (a.standard.position, a.valid_from)):
        group = groups.setdefault(accreditation.standard_id, StandardGroup(accreditation.standard))
        warning = rules.warning_for(accreditation.status, accreditation.valid_until, today)
        group.accreditations.append(AccreditationView(accreditation, warning))
    return list(groups.values())


def location_options(regions: list[Region]) -> list[tuple[str, str]]:
    """(slug, label) for the location filter: cities indented under their governorate."""
    return [(region.slug, ("— " if region.kind == "city" else "") + local_name(region.name)) for region in regions]
