"""Read side of the directory: what a list row and a profile show, computed once per request."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.domain import accreditation as rules
from portal.extensions import db
from portal.models import Accreditation, CertificationBody, Standard
from portal.models.quote import Quote, QuoteStatus

SECONDS_PER_DAY = 86_400


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


@dataclass(frozen=True)
class TrackRecord:
    """How the body answered the consultancy's quote requests."""

    requested: int
    answered: int
    accepted: int
    median_days_to_answer: float | None


def track_record(body_id: int) -> TrackRecord:
    """Quote requests sent to the body, answered (a quote received), accepted, and the median days to answer."""
    rows = db.session.execute(
        select(Quote.status, Quote.requested_at, Quote.received_at).where(Quote.certification_body_id == body_id)
    ).all()
    days = [(received - requested).total_seconds() / SECONDS_PER_DAY for _s, requested, received in rows if received]
    return TrackRecord(
        requested=len(rows),
        answered=len(days),
        accepted=sum(1 for status, _r, _a in rows if status == QuoteStatus.ACCEPTED.value),
        median_days_to_answer=round(statistics.median(days), 1) if days else None,
    )
