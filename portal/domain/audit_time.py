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
class AuditTimeEstimate:
    """The result: days (None when no wanted standard has a table), parts, and the explanation."""

    days: AuditDays | None
    standards: tuple[StandardTime, ...]
    without_table: tuple[str, ...]
    sampling: SiteSampling | None
    notes: tuple[Note, ...] = field(default=())
    reduction_capped: bool = False


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
    if personnel < 1:
        raise AuditTimeError("personnel must be at least 1", "personnel")
    column = column_for(md5_table, complexity)
    days = DAYS[column]
    if personnel <= LAST_BAND_UPPER:
        return days[bisect_left(BAND_UPPER_BOUNDS, personnel)]
    extra_bands = -(-(personnel - LAST_BAND_UPPER) // EXTENSION_WIDTH)
    return days[-1] + extra_bands * EXTENSION_INCREMENT[column]


def net_adjustment(adjustments: Iterable[Adjustment]) -> tuple[Fraction, bool]:
    """The summed percentage, and whether the 30% cap on reductions cut it."""
    total = sum((Fraction(a.percent) for a in adjustments), Fraction(0))
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
    """Auditor-days for the initial audit, each surveillance and the recertification."""
    if personnel < 1:
        raise AuditTimeError("personnel must be at least 1", "personnel")
    if sites < 1:
        raise AuditTimeError("sites must be at least 1", "sites")
    _check_range(integration_saving_percent, 0, MAX_INTEGRATION_SAVING_PERCENT, "integration_saving_percent")
    _check_range(site_reduction_percent, 0, MAX_SITE_REDUCTION_PERCENT, "site_reduction_percent")

    unique = list({spec.code: spec for spec in standards}.values())
    with_table = [spec for spec in unique if spec.md5_table in TABLE_COMPLEXITIES]
    without_table = tuple(spec.code for spec in unique if spec.md5_table not in TABLE_COMPLEXITIES)
    notes = [Note("no_table", (("code", code),)) for code in without_table]
    if not with_table:
        return AuditTimeEstimate(None, (), without_table, None, tuple(notes))

    overrides = complexity or {}
    adjustment, capped = net_adjustment(adjustments)
    plan = _Plan(
        specs=tuple(
            (spec.code, spec.md5_table, *resolve_complexity(spec.md5_table, sector_code, overrides))
            for spec in with_table
        ),
        adjustment=adjustment,
        saving=Fraction(integration_saving_percent),
    )
    standard_times = tuple(
        StandardTime(code, table, level, overridden, as_decimal(base), as_decimal(adjusted))
        for (code, table, level, overridden), (base, adjusted) in zip(
            plan.specs, plan.per_standard(personnel), strict=True
        )
    )
    notes += [
        Note(
            "table",
            (
                ("code", st.code),
                ("table", st.md5_table),
                ("complexity", st.complexity),
                ("overridden", st.complexity_overridden),
                ("personnel", personnel),
                ("days", st.table_days),
            ),
        )
        for st in standard_times
    ]
    if personnel > LAST_BAND_UPPER:
        notes.append(Note("beyond_table", (("last", LAST_BAND_UPPER), ("width", EXTENSION_WIDTH))))
    notes += [Note("adjustment", (("reason", a.reason), ("percent", a.percent))) for a in adjustments]
    if capped:
        requested = sum((Fraction(a.percent) for a in adjustments), Fraction(0))
        notes.append(Note("reduction_capped", (("requested", as_decimal(requested)), ("cap", MAX_REDUCTION_PERCENT))))
    single = plan.combined(personnel)
    if len(with_table) > 1:
        summed = sum((st.adjusted_days for st in standard_times), Decimal(0))
        notes.append(
            Note(
                "integration",
                (
                    ("count", len(with_table)),
                    ("percent", integration_saving_percent),
                    ("before", summed),
                    ("after", as_decimal(single)),
                ),
            )
        )

    base_by_kind, sampling = _site_totals(plan, personnel, sites, single, site_reduction_percent)
    if sampling:
        notes.append(
            Note(
                "multi_site",
                (
                    ("sites", sites),
                    ("personnel_per_site", sampling.personnel_per_site),
                    ("initial", sampling.visited[AuditKind.INITIAL]),
                    ("surveillance", sampling.visited[AuditKind.SURVEILLANCE]),
                    ("recertification", sampling.visited[AuditKind.RECERTIFICATION]),
                    ("reduction", site_reduction_percent),
                ),
            )
        )
    days = _audit_days(base_by_kind)
    notes.append(Note("follow_up", (("surveillance", days.surveillance), ("recertification", days.recertification))))
    notes.append(Note("stages", (("stage1", days.stage1), ("stage2", days.stage2))))
    return AuditTimeEstimate(days, standard_times, without_table, sampling, tuple(notes), capped)


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
