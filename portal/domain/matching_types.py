"""Plain values that registrar matching works on, and what it gives back.

The loader turns database rows into these once; matching itself never sees a
session, so it is fast, testable and the same wherever the data comes from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from portal.domain.audit_time import AuditTimeEstimate
from portal.domain.md5_tables import Complexity


@dataclass(frozen=True, slots=True)
class StandardNeed:
    """A wanted standard: its code, MD 5 table (or None), family and how its scopes are written."""

    code: str
    md5_table: str | None = None
    family: str = ""
    scope_scheme: str = "iaf"  # accreditation.ScopeScheme: only "iaf" scopes are checked against the sector


@dataclass(frozen=True, slots=True)
class EngagementNeeds:
    """What the client needs certified, and where, when, in which language."""

    standards: tuple[StandardNeed, ...]
    personnel: int
    sector_code: int | None = None
    region: str | None = None  # region slug (city or governorate)
    governorate: str | None = None  # the governorate slug of `region`
    sites: int = 1
    language: str | None = None  # ISO 639-1, e.g. "ar"
    target_date: date | None = None
    complexity_overrides: Mapping[str, Complexity] = field(default_factory=dict)


class BodyInfo(NamedTuple):
    """A certification body as matching needs it (a named tuple, like AccreditationInfo)."""

    id: int
    name: str
    active: bool = True
    day_rate: Decimal = Decimal(0)  # OMR per auditor-day
    serves_all_oman: bool = False
    # Region slugs served and languages spoken: matching only asks about the client's
    # region, its governorate and language, so a loader may give just those.
    regions: frozenset[str] = frozenset()
    travel_charged: bool = False  # travels outside its regions for a fee
    travel_fee: Decimal = Decimal(0)  # OMR per audit visit outside its regions
    languages: frozenset[str] = frozenset()
    lead_time_days: int | None = None  # order to stage 1


@dataclass(frozen=True, slots=True)
class AccreditationBodyInfo:
    """An accreditation body: IAF MLA signatory or not, and the MLA scopes it signed (empty: not recorded).

    `mla_scopes` holds portal.domain.mla.SCOPES codes: "MS" for the main scope, "QMS" etc.
    """

    code: str
    name: str = ""
    iaf_mla_signatory: bool = False
    mla_scopes: frozenset[str] = frozenset()


class AccreditationInfo(NamedTuple):
    """One accreditation of a body for a standard, with the IAF/EA sectors in scope.

    A named tuple, like BodyInfo, Finding and ScorePart: a match reads or makes tens of
    thousands of them, and a tuple is built several times faster than a frozen
    dataclass (which sets each field through object.__setattr__), and is as immutable.
    """

    id: int
    body_id: int
    accreditation_body: str  # AccreditationBodyInfo.code
    standard: str  # StandardNeed.code
    sectors: frozenset[int]
    valid_from: date
    valid_until: date
    status: str = "active"  # active | suspended | withdrawn
    number: str = ""


# A body's id -> all its accreditations for the wanted standards (usable or not): where
# matching finds the reasons against the bodies a page explains.
AccreditationLookup = Callable[[int], Sequence[AccreditationInfo]]


@dataclass(frozen=True, slots=True)
class AccreditationFilter:
    """What an accreditation must at least be to back a certificate in this match.

    Matching checks every rule itself; this lets a loader fetch only the accreditations
    that may pass them (the rest can only explain an exclusion, see AccreditationLookup).
    """

    reference: date  # valid on this day: from valid_from to valid_until, both included
    refused_statuses: frozenset[str]
    sector_code: int | None  # in scope of the standards below, when given
    sector_scoped: frozenset[str]  # codes of the wanted standards whose scopes are IAF sectors


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """How a body answered the consultancy's past quote requests."""

    requested: int = 0
    answered: int = 0
    median_answer_days: float | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    """Points each part of the score can give; the defaults add up to 100.

    Coverage and cost matter most (one body for every standard allows an integrated
    audit; the client pays for three years), then lead time and track record, then
    the auditors' language.
    """

    coverage: int = 30
    cost: int = 30
    lead_time: int = 15
    language: int = 10
    track_record: int = 15

    @property
    def total(self) -> int:
        return self.coverage + self.cost + self.lead_time + self.language + self.track_record


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Matching settings with their defaults (DOMAIN.md: non-signatories excluded by default)."""

    weights: Weights = field(default_factory=Weights)
    require_mla: bool = True
    expiry_warning_months: int = 6
    integration_saving_percent: int = 10
    # Lead time: full points when stage 1 can start by the target date, none when this many days late.
    lead_time_zero_after_days_late: int = 90
    # Without a target date: full points up to the first figure, none from the second (days to stage 1).
    lead_time_full_days: int = 30
    lead_time_zero_days: int = 180
    # Track record speed: full points answering within the first figure, none from the second (days).
    answer_fast_days: int = 2
    answer_slow_days: int = 14


class Reason(enum.StrEnum):
    """Why a body cannot certify (some of) the engagement."""

    INACTIVE = "inactive"
    REGION_NOT_SERVED = "region_not_served"
    NO_ACCREDITATION = "no_accreditation"
    SECTOR_NOT_IN_SCOPE = "sector_not_in_scope"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    EXPIRES_BEFORE_TARGET = "expires_before_target"
    NOT_MLA_SIGNATORY = "not_mla_signatory"
    MLA_SUBSCOPE_MISSING = "mla_subscope_missing"
    MLA_MAIN_SCOPE_MISSING = "mla_main_scope_missing"


class WarningKind(enum.StrEnum):
    """Worth knowing about an eligible body, but not a reason to exclude it."""

    EXPIRES_SOON = "expires_soon"  # within the warning window after the target date (today without one)
    TRAVEL_CHARGED = "travel_charged"  # outside its regions, travels for a fee
    PARTIAL_COVERAGE = "partial_coverage"
    LANGUAGE_MISSING = "language_missing"


class Finding(NamedTuple):
    """A reason or a warning, for one standard (or the body as a whole), with its figures."""

    kind: str
    standard: str | None = None
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.values)


class ScorePart(NamedTuple):
    """One line of the score: its name, the points out of its weight, and why."""

    name: str
    points: Decimal
    weight: int
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True, slots=True, eq=False)
class Candidate:
    """An eligible body: what it covers, its cost, its score in parts, and its warnings.

    Why it cannot certify the other wanted standards is worked out when `not_covered`
    is read, like an excluded body's reasons (see Excluded). (Compared by identity.)
    """

    body: BodyInfo
    covered: tuple[str, ...]
    warnings: tuple[Finding, ...]
    estimate: AuditTimeEstimate
    three_year_cost: Decimal | None
    parts: tuple[ScorePart, ...]
    uncovered_reasons: Callable[[], tuple[Finding, ...]] = field(repr=False)

    @property
    def score(self) -> Decimal:
        return sum((part.points for part in self.parts), Decimal(0))

    @property
    def not_covered(self) -> tuple[Finding, ...]:
        return self.uncovered_reasons()


@dataclass(frozen=True, slots=True, eq=False)
class Excluded:
    """A body that cannot certify any wanted standard here, with every reason.

    The reasons against its accreditations are worked out when `reasons` is read, by the
    same rules: thousands of bodies can be excluded from a match, and a page words only
    the first hundred, so a loader need only fetch every accreditation of those (see
    AccreditationLookup). (Compared by identity, as it holds a function.)
    """

    body: BodyInfo
    body_reasons: tuple[Finding, ...]  # inactive, region not served
    standard_reasons: Callable[[], tuple[Finding, ...]] = field(repr=False)

    @property
    def reasons(self) -> tuple[Finding, ...]:
        return self.body_reasons + self.standard_reasons()


@dataclass(frozen=True, slots=True)
class MatchResult:
    eligible: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]
    estimate: AuditTimeEstimate  # the whole need, every wanted standard together
