"""Audit time by IAF MD 5, with IAF MD 11 integration and IAF MD 1 multi-site sampling.

A certification body must justify its auditor-days, so the estimate keeps every
step as an explanation note (a kind and its values; the web layer words them):

1. Each standard with a table: the table days for the effective personnel (and the
   sector's complexity, or the consultant's override); see md5_tables for the table
   and how it continues above 10,700 personnel.
2. Adjustment factors (signed percentages, each with a reason) change the table
   figure. Their sum may not reduce it by more than 30%: a net adjustment below -30%
   is applied as -30%.
3. Several standards audited together by one body (IAF MD 11) save a share of the
   summed days: a parameter between 0 and 20%, 10% by default (a partly integrated
   system; 20% needs a fully integrated one).
4. Several sites (IAF MD 1): the central function is always audited and a sample of
   the other sites is: ceil(sqrt(n)) at the initial audit, ceil(0.6 sqrt(n)) at each
   surveillance and ceil(0.8 sqrt(n)) at recertification, n being the sites other
   than the central function, never more than n. Personnel are taken as spread
   evenly over the sites; a sampled site's time may be reduced by at most 50% (30%
   by default). The total never falls below the single-site figure for all personnel.
5. Surveillance is 1/3 and recertification 2/3 of the initial audit time.

Rounding rule: every figure shown (a standard's adjusted days, the combined days,
each audit, stage 1) is rounded UP to the next half day, never to the nearest, so an
estimate never promises less time than the rule it comes from (4 initial days give
1.5 per surveillance and 3 at recertification). Stage 1 is about a third of the
initial audit (practice; at least half a day) and stage 2 the rest.

The estimate is made in two pure steps, so the figures can be checked without the
words and the words without recomputing: compute_figures works the figures out from
the inputs, explain_figures turns the inputs and those figures into the notes, and
estimate composes the two.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import ceil, isqrt
from typing import Any

from portal.domain.md5_tables import (
    BAND_UPPER_BOUNDS,
    DAYS,
    EXTENSION_INCREMENT,
    EXTENSION_WIDTH,
    LAST_BAND_UPPER,
    TABLE_COMPLEXITIES,
    Complexity,
)
from portal.domain.sector_complexity import default_complexity

HALF_DAY = Fraction(1, 2)
MAX_REDUCTION_PERCENT = 30
MAX_INTEGRATION_SAVING_PERCENT = 20
DEFAULT_INTEGRATION_SAVING_PERCENT = 10
MAX_SITE_REDUCTION_PERCENT = 50
DEFAULT_SITE_REDUCTION_PERCENT = 30
STAGE1_SHARE = Fraction(1, 3)  # practice


class AuditKind(enum.StrEnum):
    INITIAL = "initial"
    SURVEILLANCE = "surveillance"
    RECERTIFICATION = "recertification"


# Share of the initial audit time, and the IAF MD 1 sample factor applied to sqrt(sites).
SHARE = {
    AuditKind.INITIAL: Fraction(1),
    AuditKind.SURVEILLANCE: Fraction(1, 3),
    AuditKind.RECERTIFICATION: Fraction(2, 3),
}
SAMPLE_FACTOR = {
    AuditKind.INITIAL: Fraction(1),
    AuditKind.SURVEILLANCE: Fraction(3, 5),
    AuditKind.RECERTIFICATION: Fraction(4, 5),
}


class AuditTimeError(ValueError):
    """Input the rules cannot work with; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class StandardSpec:
    """A standard as the estimate needs it: its code and which MD 5 table it uses (None: none)."""

    code: str
    md5_table: str | None


@dataclass(frozen=True)
class Adjustment:
    """An MD 5 factor: a signed percentage (-10 reduces by 10%) and why it applies."""

    reason: str
    percent: int | Decimal


@dataclass(frozen=True)
class Note:
    """One line of the explanation: what kind of step, and its figures."""

    kind: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True)
class StandardTime:
    """A standard's share: table days, and after the adjustment factors (half-day rounded up)."""

    code: str
    md5_table: str
    complexity: Complexity | None
    complexity_overridden: bool
    table_days: Decimal
    adjusted_days: Decimal


@dataclass(frozen=True)
class SiteSampling:
    """IAF MD 1: sites audited per audit, the central function included."""

    sites: int
    personnel_per_site: int
    site_reduction_percent: int
    visited: dict[AuditKind, int]


@dataclass(frozen=True)
class AuditDays:
    """Auditor-days per audit of the three-year cycle."""

    initial: Decimal
    stage1: Decimal
    stage2: Decimal
    surveillance: Decimal
    recertification: Decimal

    @property
    def first_cycle(self) -> Decimal:
        """Initial audit plus the two surveillance audits: the days of the first certificate."""
        return self.initial + 2 * self.surveillance


@dataclass(frozen=True)
class _Figures:
    """The figures an estimate and its computation both carry, declared once (days None: no wanted table)."""

    days: AuditDays | None
    standards: tuple[StandardTime, ...]
    without_table: tuple[str, ...]
    sampling: SiteSampling | None


@dataclass(frozen=True)
class AuditTimeEstimate(_Figures):
    """The result: days (None when no wanted standard has a table), parts, and the explanation."""

    notes: tuple[Note, ...] = field(default=())
    reduction_capped: bool = False


@dataclass(frozen=True)
class AuditTimeInputs:
    """What an estimate is asked for, checked once so that computing and explaining can both trust it."""

    standards: tuple[StandardSpec, ...]
    personnel: int
    sector_code: int | None = None
    sites: int = 1
    complexity: Mapping[str, Complexity] = field(default_factory=dict)
    adjustments: tuple[Adjustment, ...] = ()
    integration_saving_percent: int = DEFAULT_INTEGRATION_SAVING_PERCENT
    site_reduction_percent: int = DEFAULT_SITE_REDUCTION_PERCENT

    def __post_init__(self) -> None:
        _check_at_least_one(self.personnel, "personnel")
        _check_at_least_one(self.sites, "sites")
        _check_range(self.integration_saving_percent, 0, MAX_INTEGRATION_SAVING_PERCENT, "integration_saving_percent")
        _check_range(self.site_reduction_percent, 0, MAX_SITE_REDUCTION_PERCENT, "site_reduction_percent")


@dataclass(frozen=True)
class AuditTimeFigures(_Figures):
    """What the rules give, without a word of explanation: the estimate's figures and the combined days."""

    reduction_capped: bool = False
    combined_days: Decimal | None = None  # all personnel at one site, after the IAF MD 11 saving


def round_up_half(days: Fraction) -> Fraction:
    """The next half day at or above `days`."""
    return Fraction(ceil(days * 2), 2)


def as_decimal(value: Fraction) -> Decimal:
    """Exact for the halves and quarters used here."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def column_for(md5_table: str, complexity: Complexity | None) -> str:
    if md5_table not in TABLE_COMPLEXITIES:
        raise AuditTimeError(f"unknown MD 5 table {md5_table!r}", "standards")
    if not TABLE_COMPLEXITIES[md5_table]:
        return md5_table
    if complexity not in TABLE_COMPLEXITIES[md5_table]:
        raise AuditTimeError(f"complexity {complexity!r} does not apply to the {md5_table} table", "complexity")
    return f"{md5_table}_{complexity}"


def table_days(md5_table: str, personnel: int, complexity: Complexity | None = None) -> Fraction:
    """Initial audit days from the MD 5 table, continued above 10,700 personnel (see md5_tables)."""
    _check_at_least_one(personnel, "personnel")
    column = column_for(md5_table, complexity)
    days = DAYS[column]
    if personnel <= LAST_BAND_UPPER:
        return days[bisect_left(BAND_UPPER_BOUNDS, personnel)]
    extra_bands = -(-(personnel - LAST_BAND_UPPER) // EXTENSION_WIDTH)
    return days[-1] + extra_bands * EXTENSION_INCREMENT[column]


def summed_percent(adjustments: Iterable[Adjustment]) -> Fraction:
    """The adjustment factors added up, as asked for (before the cap)."""
    return sum((Fraction(a.percent) for a in adjustments), Fraction(0))


def net_adjustment(adjustments: Iterable[Adjustment]) -> tuple[Fraction, bool]:
    """The summed percentage, and whether the 30% cap on reductions cut it."""
    total = summed_percent(adjustments)
    if total < -MAX_REDUCTION_PERCENT:
        return Fraction(-MAX_REDUCTION_PERCENT), True
    return total, False


def sample_size(other_sites: int, kind: AuditKind) -> int:
    """ceil(factor * sqrt(other_sites)) in exact integer arithmetic, never more than other_sites."""
    target = SAMPLE_FACTOR[kind] ** 2 * other_sites
    size = isqrt(ceil(target))
    while size * size < target:
        size += 1
    return min(other_sites, size)


def _percent_of(value: Fraction, percent: Fraction | int) -> Fraction:
    return value * (100 + Fraction(percent)) / 100


def _check_at_least_one(value: int, name: str) -> None:
    if value < 1:
        raise AuditTimeError(f"{name} must be at least 1", name)


def _check_range(value: int | Decimal, low: int, high: int, name: str) -> None:
    if not low <= value <= high:
        raise AuditTimeError(f"{name} must be between {low} and {high}", name)


def resolve_complexity(
    md5_table: str, sector_code: int | None, overrides: Mapping[str, Complexity]
) -> tuple[Complexity | None, bool]:
    """The override for this table when given, else the sector's default."""
    if not TABLE_COMPLEXITIES.get(md5_table):
        return None, False
    if md5_table in overrides:
        return Complexity(overrides[md5_table]), True
    return default_complexity(md5_table, sector_code), False


@dataclass(frozen=True)
class _Plan:
    """The per-standard part of the calculation, reused for the whole organisation and one site."""

    specs: tuple[tuple[str, str, Complexity | None, bool], ...]
    adjustment: Fraction
    saving: Fraction

    def per_standard(self, personnel: int) -> list[tuple[Fraction, Fraction]]:
        """(table days, adjusted days rounded up to the half day) for each standard."""
        rows = []
        for _code, table, complexity, _overridden in self.specs:
            base = table_days(table, personnel, complexity)
            rows.append((base, round_up_half(_percent_of(base, self.adjustment))))
        return rows

    def combined(self, personnel: int) -> Fraction:
        total = sum((adjusted for _base, adjusted in self.per_standard(personnel)), Fraction(0))
        if len(self.specs) > 1:
            total = round_up_half(_percent_of(total, -self.saving))
        return total


def estimate(
    standards: Sequence[StandardSpec],
    personnel: int,
    *,
    sector_code: int | None = None,
    sites: int = 1,
    complexity: Mapping[str, Complexity] | None = None,
    adjustments: Sequence[Adjustment] = (),
    integration_saving_percent: int = DEFAULT_INTEGRATION_SAVING_PERCENT,
    site_reduction_percent: int = DEFAULT_SITE_REDUCTION_PERCENT,
) -> AuditTimeEstimate:
    """Auditor-days for the initial audit, each surveillance and the recertification, with their justification."""
    inputs = AuditTimeInputs(
        tuple(standards),
        personnel,
        sector_code=sector_code,
        sites=sites,
        complexity=complexity or {},
        adjustments=tuple(adjustments),
        integration_saving_percent=integration_saving_percent,
        site_reduction_percent=site_reduction_percent,
    )
    figures = compute_figures(inputs)
    notes = explain_figures(inputs, figures)
    return AuditTimeEstimate(
        figures.days, figures.standards, figures.without_table, figures.sampling, notes, figures.reduction_capped
    )


# Computing: the figures alone.


def compute_figures(inputs: AuditTimeInputs) -> AuditTimeFigures:
    """The figures the rules give, kept apart from their explanation so each can be read and tested alone."""
    with_table, without_table = _split_by_table(inputs.standards)
    if not with_table:
        return AuditTimeFigures(None, (), without_table, None)
    adjustment, capped = net_adjustment(inputs.adjustments)
    plan = _plan_for(inputs, with_table, adjustment)
    standard_times = _standard_times(plan, inputs.personnel)
    single = plan.combined(inputs.personnel)
    base_by_kind, sampling = _site_totals(plan, inputs.personnel, inputs.sites, single, inputs.site_reduction_percent)
    days = _audit_days(base_by_kind)
    return AuditTimeFigures(days, standard_times, without_table, sampling, capped, as_decimal(single))


def _split_by_table(standards: Sequence[StandardSpec]) -> tuple[list[StandardSpec], tuple[str, ...]]:
    """Each code once, parted into the standards with an MD 5 table and the codes of those without one."""
    unique = list({spec.code: spec for spec in standards}.values())
    with_table = [spec for spec in unique if spec.md5_table in TABLE_COMPLEXITIES]
    return with_table, tuple(spec.code for spec in unique if spec.md5_table not in TABLE_COMPLEXITIES)


def _plan_for(inputs: AuditTimeInputs, with_table: Sequence[StandardSpec], adjustment: Fraction) -> _Plan:
    """The standards with their complexity settled, and the adjustment and saving they all share."""
    specs = tuple(
        (spec.code, spec.md5_table, *resolve_complexity(spec.md5_table, inputs.sector_code, inputs.complexity))
        for spec in with_table
    )
    return _Plan(specs=specs, adjustment=adjustment, saving=Fraction(inputs.integration_saving_percent))


def _standard_times(plan: _Plan, personnel: int) -> tuple[StandardTime, ...]:
    """Each standard's table and adjusted days for all personnel, as shown to the client."""
    rows = zip(plan.specs, plan.per_standard(personnel), strict=True)
    return tuple(
        StandardTime(code, table, level, overridden, as_decimal(base), as_decimal(adjusted))
        for (code, table, level, overridden), (base, adjusted) in rows
    )


def _site_totals(
    plan: _Plan, personnel: int, sites: int, single: Fraction, site_reduction_percent: int
) -> tuple[dict[AuditKind, Fraction], SiteSampling | None]:
    """Per audit kind, the days before the 1/3 and 2/3 shares: sampled sites, floored at the single-site figure."""
    if sites == 1:
        return {kind: single for kind in AuditKind}, None
    per_site = -(-personnel // sites)
    site_days = plan.combined(per_site)
    sampled_site_days = _percent_of(site_days, -site_reduction_percent)
    other_sites = sites - 1
    totals, visited = {}, {}
    for kind in AuditKind:
        sample = sample_size(other_sites, kind)
        visited[kind] = 1 + sample
        totals[kind] = max(single, site_days + sample * sampled_site_days)
    return totals, SiteSampling(sites, per_site, site_reduction_percent, visited)


def _audit_days(base_by_kind: Mapping[AuditKind, Fraction]) -> AuditDays:
    initial, surveillance, recertification = (round_up_half(base_by_kind[kind] * SHARE[kind]) for kind in AuditKind)
    stage1 = max(HALF_DAY, round_up_half(initial * STAGE1_SHARE))
    return AuditDays(
        initial=as_decimal(initial),
        stage1=as_decimal(stage1),
        stage2=as_decimal(initial - stage1),
        surveillance=as_decimal(surveillance),
        recertification=as_decimal(recertification),
    )


# Explaining: the notes, from the inputs and the computed figures only.


def explain_figures(inputs: AuditTimeInputs, figures: AuditTimeFigures) -> tuple[Note, ...]:
    """The justification owed to the client, step by step; it reads the figures and never recomputes them."""
    notes = [Note("no_table", (("code", code),)) for code in figures.without_table]
    if figures.days is None:
        return tuple(notes)
    notes += [_table_note(standard, inputs.personnel) for standard in figures.standards]
    if inputs.personnel > LAST_BAND_UPPER:
        notes.append(Note("beyond_table", (("last", LAST_BAND_UPPER), ("width", EXTENSION_WIDTH))))
    notes += _adjustment_notes(inputs.adjustments, figures.reduction_capped)
    if len(figures.standards) > 1:
        notes.append(_integration_note(figures, inputs.integration_saving_percent))
    if figures.sampling:
        notes.append(_multi_site_note(figures.sampling))
    notes += _cycle_notes(figures.days)
    return tuple(notes)


def _table_note(standard: StandardTime, personnel: int) -> Note:
    """Where a standard's days come from: its table, complexity (and who chose it) and the personnel."""
    return Note(
        "table",
        (
            ("code", standard.code),
            ("table", standard.md5_table),
            ("complexity", standard.complexity),
            ("overridden", standard.complexity_overridden),
            ("personnel", personnel),
            ("days", standard.table_days),
        ),
    )


def _adjustment_notes(adjustments: Sequence[Adjustment], capped: bool) -> list[Note]:
    """Each factor with its reason, and the cap when the reductions asked for more than MD 5 allows."""
    notes = [Note("adjustment", (("reason", a.reason), ("percent", a.percent))) for a in adjustments]
    if capped:
        requested = as_decimal(summed_percent(adjustments))
        notes.append(Note("reduction_capped", (("requested", requested), ("cap", MAX_REDUCTION_PERCENT))))
    return notes


def _integration_note(figures: AuditTimeFigures, saving_percent: int) -> Note:
    """The IAF MD 11 saving: the summed adjusted days before, the combined days after."""
    summed = sum((standard.adjusted_days for standard in figures.standards), Decimal(0))
    return Note(
        "integration",
        (
            ("count", len(figures.standards)),
            ("percent", saving_percent),
            ("before", summed),
            ("after", figures.combined_days),
        ),
    )


def _multi_site_note(sampling: SiteSampling) -> Note:
    """The IAF MD 1 sample per audit, the even spread of personnel and the sampled sites' reduction."""
    return Note(
        "multi_site",
        (
            ("sites", sampling.sites),
            ("personnel_per_site", sampling.personnel_per_site),
            ("initial", sampling.visited[AuditKind.INITIAL]),
            ("surveillance", sampling.visited[AuditKind.SURVEILLANCE]),
            ("recertification", sampling.visited[AuditKind.RECERTIFICATION]),
            ("reduction", sampling.site_reduction_percent),
        ),
    )


def _cycle_notes(days: AuditDays) -> list[Note]:
    """The rest of the cycle (surveillance and recertification shares) and the two stages of the initial audit."""
    return [
        Note("follow_up", (("surveillance", days.surveillance), ("recertification", days.recertification))),
        Note("stages", (("stage1", days.stage1), ("stage2", days.stage2))),
    ]
