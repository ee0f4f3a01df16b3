"""Registrar matching: which certification bodies may certify an engagement, and in what order.

Every body comes out either eligible or excluded with every reason, so a consultant
can always tell a client why a body is not on the list. For each wanted standard a
body is accredited when one of its accreditations for that standard is active,
from an IAF MLA signatory for the standard's MLA sub-scope where one exists, else for
the main scope (see portal.domain.mla; when the signed scopes are recorded), has
the client's IAF/EA sector in scope (only for standards scoped by IAF sectors: see
accreditation.ScopeScheme), is valid
from the target date (today without one) and has not expired by then. A body that
is accredited for some of the standards is eligible for those (partial coverage).
A body must be active and serve the client's region, or travel there for a fee.

Eligible bodies are ranked by a score out of 100 (see Weights) whose parts add up:

- coverage: points in proportion to the standards covered (all of them allows one
  integrated audit);
- cost: the estimated first-cycle cost (MD 5 days for the initial audit and both
  surveillances of every wanted standard with a table x day rate, plus the travel
  fee for each of the four visits - stage 1, stage 2, two surveillances - when
  outside the regions served), full points for the cheapest eligible body, none for
  the dearest, linear between, half when it cannot be compared (no MD 5 table for the
  standards, or no day rate recorded); the cost shown is for the standards it covers;
- lead time: full points when stage 1 can start by the target date, none when 90
  days late (without a target: full up to 30 days, none from 180); half points when
  unknown;
- language: full points when the auditors work in the client's language (or none
  was asked for);
- track record: 60% answer rate and 40% answer speed (full within 2 days, none from
  14) over past quote requests; half points without history.

Ties break by name, then id, so the order never depends on the input order.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import chain

from portal.domain import mla
from portal.domain.accreditation import sectors_required
from portal.domain.audit_time import AuditTimeEstimate, StandardSpec, estimate
from portal.domain.matching_types import (
    AccreditationBodyInfo,
    AccreditationFilter,
    AccreditationInfo,
    AccreditationLookup,
    BodyInfo,
    Candidate,
    EngagementNeeds,
    Excluded,
    Finding,
    MatchResult,
    MatchSettings,
    Reason,
    ScorePart,
    StandardNeed,
    TrackRecord,
    WarningKind,
)
from portal.domain.money import MILLS

UNUSABLE_STATUSES = {str(reason): reason for reason in (Reason.SUSPENDED, Reason.WITHDRAWN)}
TRAVEL_VISITS = 4  # stage 1, stage 2, two surveillances
POINTS = Decimal("0.1")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def by_body(accreditations: Iterable[AccreditationInfo]) -> dict[int, list[AccreditationInfo]]:
    """Body id -> its accreditations, built once in one pass."""
    index: dict[int, list[AccreditationInfo]] = {}
    for accreditation in accreditations:
        index.setdefault(accreditation.body_id, []).append(accreditation)
    return index


def reference_day(needs: EngagementNeeds, today: date) -> date:
    """The day accreditations must be valid on: the target date, today without one (or when it has passed)."""
    return max(today, needs.target_date) if needs.target_date else today


def accreditation_filter(needs: EngagementNeeds, today: date) -> AccreditationFilter:
    """What an accreditation must at least be to count in this match (for a loader to fetch only those)."""
    return AccreditationFilter(
        reference=reference_day(needs, today),
        refused_statuses=frozenset(UNUSABLE_STATUSES),
        sector_code=needs.sector_code,
        sector_scoped=frozenset(need.code for need in needs.standards if sectors_required(need.scope_scheme)),
    )


@dataclass(frozen=True, slots=True)
class _Context:
    """What every body is checked against: worked out once per match, not once per accreditation."""

    needs: EngagementNeeds
    settings: MatchSettings
    today: date
    reference: date  # accreditations must be valid on this day: the target date, today without one
    warn_before: date  # a best accreditation expiring before this day gets a warning
    accreditation_bodies: Mapping[str, AccreditationBodyInfo]
    client_regions: frozenset[str | None]  # the client's region and its governorate
    # (standard code, accreditation body code) -> the MLA problem (reason, figures) or None; filled as met.
    mla_problems: dict[tuple[str, str], tuple[Reason, tuple[tuple[str, object], ...]] | None]

    @classmethod
    def build(
        cls,
        needs: EngagementNeeds,
        accreditation_bodies: Iterable[AccreditationBodyInfo],
        today: date,
        settings: MatchSettings,
    ) -> _Context:
        reference = reference_day(needs, today)
        return cls(
            needs,
            settings,
            today,
            reference,
            add_months(reference, settings.expiry_warning_months),
            {ab.code: ab for ab in accreditation_bodies},
            frozenset({needs.region, needs.governorate}),
            {},
        )

    def mla_problem(self, need: StandardNeed, code: str) -> tuple[Reason, tuple[tuple[str, object], ...]] | None:
        """Why accreditations by this body cannot back `need` under the IAF MLA (None: they can)."""
        key = (need.code, code)
        if key not in self.mla_problems:
            self.mla_problems[key] = _mla_problem(need, code, self.accreditation_bodies.get(code), self.settings)
        return self.mla_problems[key]


def _mla_problem(
    need: StandardNeed, code: str, accreditation_body: AccreditationBodyInfo | None, settings: MatchSettings
) -> tuple[Reason, tuple[tuple[str, object], ...]] | None:
    if not settings.require_mla:
        return None
    if accreditation_body is None or not accreditation_body.iaf_mla_signatory:
        return Reason.NOT_MLA_SIGNATORY, (("accreditation_body", code),)
    if mla.body_recognised(need.family, accreditation_body.iaf_mla_signatory, accreditation_body.mla_scopes):
        return None
    scope = mla.required_scope(need.family)
    if scope == mla.MAIN_SCOPE:
        return Reason.MLA_MAIN_SCOPE_MISSING, (("accreditation_body", code),)
    return Reason.MLA_SUBSCOPE_MISSING, (("accreditation_body", code), ("subscope", scope))


def accreditation_reasons(accreditation: AccreditationInfo, need: StandardNeed, context: _Context) -> Iterator[Finding]:
    """Every reason this accreditation cannot back a certificate for `need` (none: it can)."""
    number = ("number", accreditation.number)
    if accreditation.status in UNUSABLE_STATUSES:
        yield Finding(UNUSABLE_STATUSES[accreditation.status], need.code, (number,))
    mla = context.mla_problem(need, accreditation.accreditation_body)
    if mla is not None:
        yield Finding(mla[0], need.code, (number, *mla[1]))
    sector = context.needs.sector_code
    if sectors_required(need.scope_scheme) and sector is not None and sector not in accreditation.sectors:
        yield Finding(Reason.SECTOR_NOT_IN_SCOPE, need.code, (number, ("sector", sector)))
    if accreditation.valid_until < context.today:
        yield Finding(Reason.EXPIRED, need.code, (number, ("valid_until", accreditation.valid_until)))
    elif accreditation.valid_until < context.reference:
        values = (number, ("valid_until", accreditation.valid_until), ("target", context.reference))
        yield Finding(Reason.EXPIRES_BEFORE_TARGET, need.code, values)
    if accreditation.valid_from > context.reference:
        yield Finding(Reason.NOT_YET_VALID, need.code, (number, ("valid_from", accreditation.valid_from)))


def is_usable(accreditation: AccreditationInfo, need: StandardNeed, context: _Context) -> bool:
    """Whether `accreditation_reasons` finds nothing, without building a single finding.

    The hot path of a match (tens of thousands of accreditations against a directory);
    the reasons are worked out only for what a page explains. A property test keeps
    the two in step."""
    if accreditation.status in UNUSABLE_STATUSES:
        return False
    if not accreditation.valid_from <= context.reference <= accreditation.valid_until:
        return False  # expired, expiring before the target, or not yet valid
    sector = context.needs.sector_code
    if sectors_required(need.scope_scheme) and sector is not None and sector not in accreditation.sectors:
        return False
    return context.mla_problem(need, accreditation.accreditation_body) is None


def usable_accreditations(
    accreditations: Iterable[AccreditationInfo], need: StandardNeed, context: _Context
) -> list[AccreditationInfo]:
    """Those of a body's accreditations that can back a certificate for `need`."""
    code = need.code
    return [a for a in accreditations if a.standard == code and is_usable(a, need, context)]


def standard_reasons(
    accreditations: Sequence[AccreditationInfo], context: _Context, needs: Iterable[StandardNeed]
) -> tuple[Finding, ...]:
    """Every reason against each of `needs` that a body with these accreditations cannot certify."""
    found: list[Finding] = []
    for need in needs:
        of_need = [a for a in accreditations if a.standard == need.code]
        if not of_need:
            found.append(Finding(Reason.NO_ACCREDITATION, need.code))
            continue
        reasons = [list(accreditation_reasons(a, need, context)) for a in of_need]
        if all(reasons):
            found.extend(chain.from_iterable(reasons))
    return tuple(found)


def _explainer(
    body: BodyInfo, lookup: AccreditationLookup, context: _Context, needs: Sequence[StandardNeed]
) -> Callable[[], tuple[Finding, ...]]:
    """The reasons against `needs`, worked out from all the body's accreditations when first asked."""
    if not needs:
        return tuple
    return lambda: standard_reasons(lookup(body.id), context, needs)


def body_checks(body: BodyInfo, context: _Context) -> tuple[list[Finding], Finding | None]:
    """Reasons against the body whatever its accreditations, and the travel warning when it would travel."""
    needs = context.needs
    reasons: list[Finding] = []
    if not body.active:
        reasons.append(Finding(Reason.INACTIVE))
    if needs.region is None or body.serves_all_oman or not context.client_regions.isdisjoint(body.regions):
        return reasons, None
    if body.travel_charged:
        return reasons, Finding(WarningKind.TRAVEL_CHARGED, None, (("fee", body.travel_fee),))
    reasons.append(Finding(Reason.REGION_NOT_SERVED, None, (("region", needs.region),)))
    return reasons, None


@dataclass(frozen=True, slots=True)
class _Eligible:
    """An eligible body before scoring."""

    body: BodyInfo
    covered: tuple[str, ...]
    uncovered_reasons: Callable[[], tuple[Finding, ...]]
    warnings: tuple[Finding, ...]
    travel: bool


def assess_body(
    body: BodyInfo, accreditations: Sequence[AccreditationInfo], lookup: AccreditationLookup, context: _Context
) -> _Eligible | Excluded:
    """Eligible for at least one wanted standard, with its warnings; or excluded.

    The reasons against standards (an excluded body's, an eligible body's uncovered
    ones) are worked out only when read (see Excluded).
    """
    needs = context.needs
    body_reasons, travel_warning = body_checks(body, context)
    if body_reasons or not accreditations:
        return Excluded(body, tuple(body_reasons), _explainer(body, lookup, context, needs.standards))
    warnings = [travel_warning] if travel_warning else []
    covered: list[str] = []
    uncovered: list[StandardNeed] = []
    for need in needs.standards:
        valid = usable_accreditations(accreditations, need, context)
        if not valid:
            uncovered.append(need)
            continue
        covered.append(need.code)
        best = max(valid, key=lambda a: (a.valid_until, a.id))
        if best.valid_until < context.warn_before:
            values = (
                ("number", best.number),
                ("valid_until", best.valid_until),
                ("target", needs.target_date),
                ("months", context.settings.expiry_warning_months),
            )
            warnings.append(Finding(WarningKind.EXPIRES_SOON, need.code, values))
    explain = _explainer(body, lookup, context, uncovered)
    if not covered:
        return Excluded(body, (), explain)
    if uncovered:
        warnings.append(
            Finding(WarningKind.PARTIAL_COVERAGE, None, (("covered", len(covered)), ("wanted", len(needs.standards))))
        )
    if needs.language and needs.language not in body.languages:
        warnings.append(Finding(WarningKind.LANGUAGE_MISSING, None, (("language", needs.language),)))
    return _Eligible(body, tuple(covered), explain, tuple(warnings), travel_warning is not None)


class _Estimates:
    """MD 5 estimates per set of covered standards: a handful of distinct sets among thousands of bodies."""

    def __init__(self, needs: EngagementNeeds, settings: MatchSettings) -> None:
        self.needs = needs
        self.settings = settings
        self._cache: dict[tuple[str, ...], AuditTimeEstimate] = {}

    def for_codes(self, codes: Sequence[str]) -> AuditTimeEstimate:
        key = tuple(codes)
        if key not in self._cache:
            wanted = set(key)
            self._cache[key] = estimate(
                [StandardSpec(n.code, n.md5_table) for n in self.needs.standards if n.code in wanted],
                self.needs.personnel,
                sector_code=self.needs.sector_code,
                sites=self.needs.sites,
                complexity=self.needs.complexity_overrides,
                integration_saving_percent=self.settings.integration_saving_percent,
            )
        return self._cache[key]


def _cost(days: Decimal | None, body: BodyInfo, travel: bool) -> Decimal | None:
    """Days x day rate + travel; None without days or without a recorded day rate (0 means unknown)."""
    if days is None or body.day_rate <= 0:
        return None
    travel_total = body.travel_fee * TRAVEL_VISITS if travel else Decimal(0)
    return (days * body.day_rate + travel_total).quantize(MILLS)


@lru_cache(maxsize=4096)
def _points(weight: int, share: Decimal | float) -> Decimal:
    """Points out of `weight` for a share of it; remembered, as thousands of bodies share a few shares."""
    share = min(Decimal(1), max(Decimal(0), Decimal(str(share))))
    return (weight * share).quantize(POINTS, rounding=ROUND_HALF_UP)


def _linear(value: float, full_at: float, zero_at: float) -> float:
    """1 up to full_at, 0 from zero_at, linear between."""
    if value <= full_at:
        return 1.0
    if value >= zero_at:
        return 0.0
    return (zero_at - value) / (zero_at - full_at)


def lead_time_part(body: BodyInfo, needs: EngagementNeeds, today: date, settings: MatchSettings) -> ScorePart:
    weight = settings.weights.lead_time
    if body.lead_time_days is None:
        return ScorePart("lead_time", _points(weight, 0.5), weight, (("known", False),))
    ready = today + timedelta(days=body.lead_time_days)
    if needs.target_date is None:
        share = _linear(body.lead_time_days, settings.lead_time_full_days, settings.lead_time_zero_days)
        return ScorePart("lead_time", _points(weight, share), weight, (("days", body.lead_time_days), ("ready", ready)))
    late = (ready - needs.target_date).days
    share = _linear(late, 0, settings.lead_time_zero_after_days_late)
    values = (
        ("days", body.lead_time_days),
        ("ready", ready),
        ("target", needs.target_date),
        ("late_days", max(0, late)),
    )
    return ScorePart("lead_time", _points(weight, share), weight, values)


def track_record_part(record: TrackRecord | None, settings: MatchSettings) -> ScorePart:
    weight = settings.weights.track_record
    if record is None or record.requested == 0:
        return ScorePart("track_record", _points(weight, 0.5), weight, (("history", False),))
    rate = record.answered / record.requested
    speed = 0.0
    if record.median_answer_days is not None:
        speed = _linear(record.median_answer_days, settings.answer_fast_days, settings.answer_slow_days)
    values = (
        ("history", True),
        ("requested", record.requested),
        ("answered", record.answered),
        ("median_days", record.median_answer_days),
    )
    return ScorePart("track_record", _points(weight, 0.6 * rate + 0.4 * speed), weight, values)


def language_part(body: BodyInfo, needs: EngagementNeeds, settings: MatchSettings) -> ScorePart:
    weight = settings.weights.language
    if not needs.language:
        return ScorePart("language", _points(weight, 1), weight, (("asked", False),))
    speaks = needs.language in body.languages
    return ScorePart(
        "language",
        _points(weight, 1 if speaks else 0),
        weight,
        (("asked", True), ("language", needs.language), ("speaks", speaks)),
    )


def coverage_part(covered: int, wanted: int, settings: MatchSettings) -> ScorePart:
    weight = settings.weights.coverage
    values = (("covered", covered), ("wanted", wanted), ("integrated", covered == wanted and covered > 1))
    return ScorePart("coverage", _points(weight, Decimal(covered) / wanted), weight, values)


def cost_part(
    comparable: Decimal | None, low: Decimal | None, high: Decimal | None, settings: MatchSettings
) -> ScorePart:
    """Half points when the cost cannot be compared (no MD 5 table, or no day rate)."""
    weight = settings.weights.cost
    if comparable is None or low is None or high is None:
        return ScorePart("cost", _points(weight, 0.5), weight, (("known", False), ("has_days", low is not None)))
    share = Decimal(1) if high == low else (high - comparable) / (high - low)
    return ScorePart(
        "cost", _points(weight, share), weight, (("known", True), ("comparable", comparable), ("lowest", low))
    )


def match(
    needs: EngagementNeeds,
    bodies: Iterable[BodyInfo],
    accreditations: Iterable[AccreditationInfo],
    accreditation_bodies: Iterable[AccreditationBodyInfo],
    track_records: Mapping[int, TrackRecord] | None = None,
    *,
    today: date,
    settings: MatchSettings | None = None,
    explain_from: AccreditationLookup | None = None,
) -> MatchResult:
    """Every body eligible (ranked, score in parts) or excluded (with every reason).

    `accreditations` holds at least every one that passes accreditation_filter (a loader
    may leave out the rest); the reasons against a body come from `explain_from` when
    given, else from `accreditations` (which must then hold them all).
    """
    if not needs.standards:
        raise ValueError("an engagement needs at least one standard to match")
    settings = settings or MatchSettings()
    records = track_records or {}
    index = by_body(accreditations)
    lookup = explain_from or (lambda body_id: index.get(body_id, ()))
    context = _Context.build(needs, accreditation_bodies, today, settings)
    estimates = _Estimates(needs, settings)
    full = estimates.for_codes([n.code for n in needs.standards])
    full_days = full.days.first_cycle if full.days else None

    assessments = [assess_body(b, index.get(b.id, ()), lookup, context) for b in bodies]
    eligible = [a for a in assessments if isinstance(a, _Eligible)]
    comparable = {a.body.id: _cost(full_days, a.body, a.travel) for a in eligible}
    known = [cost for cost in comparable.values() if cost is not None]
    low, high = (min(known), max(known)) if known else (None, None)

    # Score lines depend on a figure or two that thousands of bodies share (the standards covered,
    # the lead time, the language, a track record): each distinct line is worked out once a match.
    lines: dict[tuple[str, object], ScorePart] = {}

    def line(key: tuple[str, object], work_out: Callable[..., ScorePart], *args: object) -> ScorePart:
        if (part := lines.get(key)) is None:
            part = lines[key] = work_out(*args)
        return part

    wanted = len(needs.standards)
    candidates = []
    for a in eligible:
        own = estimates.for_codes(a.covered)
        body, record, covered = a.body, records.get(a.body.id), len(a.covered)
        parts = (
            line(("coverage", covered), coverage_part, covered, wanted, settings),
            cost_part(comparable[body.id], low, high, settings),
            line(("lead_time", body.lead_time_days), lead_time_part, body, needs, today, settings),
            line(("language", needs.language in body.languages), language_part, body, needs, settings),
            line(("track_record", record), track_record_part, record, settings),
        )
        own_days = own.days.first_cycle if own.days else None
        cost = _cost(own_days, a.body, a.travel)
        candidates.append(Candidate(a.body, a.covered, a.warnings, own, cost, parts, a.uncovered_reasons))
    candidates.sort(key=lambda c: (-c.score, c.body.name.casefold(), c.body.id))
    excluded = sorted(
        (a for a in assessments if isinstance(a, Excluded)), key=lambda e: (e.body.name.casefold(), e.body.id)
    )
    return MatchResult(tuple(candidates), tuple(excluded), full)
