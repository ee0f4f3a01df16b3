"""Audit time by IAF MD 5:2019, with IAF MD 11 integration and IAF MD 1:2018 multi-site sampling.

A certification body must justify its auditor-days, so the estimate keeps every
step as an explanation note (a kind and its values; the web layer words them):

1. Each standard with a table: the table days for the effective personnel (and the
   sector's complexity, or the consultant's override); see md5_tables for the table
   and how it continues above 10,700 personnel, and sector_complexity for the
   defaults. Where MD 5 leaves the category to the certification body (special
   cases), there is no default: ComplexityChoiceError asks for one.
2. Adjustment factors (signed percentages, each with a reason) change the table
   figure. Their sum may not reduce it by more than 30% (MD 5): a net adjustment
   below -30% is applied as -30%.
3. Several standards audited together by one body (IAF MD 11) save a share of the
   summed days: a parameter between 0 and 20%, 10% by default (a partly integrated
   system; 20% needs a fully integrated one).
4. Several sites (IAF MD 1:2018). Where sampling is allowed, the central function is
   always audited and a sample of the other sites is (MD 1 6.1): ceil(sqrt(n)) at the
   initial audit, ceil(0.6 sqrt(n)) at each surveillance and ceil(0.8 sqrt(n)) at
   recertification, n being the sites other than the central function, never more
   than n. A sampled site's time may be reduced (30% by default), but MD 1 7.3.1 caps
   the reduction per sampled site at 50% of its table figure, the MD 5 adjustments
   included (EA FAQ 37.5 and 37.23: the caps are not stacked, 30% + 50% is not 65%);
   the MD 11 saving comes after that (EA FAQ 37.23).
   Sampling is not allowed where the sites run different processes or the risk is
   high, nor with fewer than two sites besides the central function (EA FAQ 46.5):
   then every site is audited at the initial audit and at recertification, and the
   central function and 30% of the other sites (rounded up) at each surveillance
   (MD 1 6.2.1), each site at its own figure. Personnel are taken as spread evenly
   over the sites; the total never falls below the single-site figure for all personnel.
5. Surveillance is 1/3 and recertification 2/3 of the initial audit time (MD 5).

Rounding (IAF MD 5:2019 2.2.3): "if after the calculation the result is a decimal
number, the number of days should be adjusted to the nearest half day (e.g. 5.3 audit
days becomes 5.5, 5.2 becomes 5)". So each figure shown is worked out exactly and
rounded once, at its end, to the nearest half day: a standard's adjusted days, the
combined days, and each audit from the exact initial figure. MD 5 does not say which
way an exact quarter goes: the estimate rounds it up (a client is never promised less
time than the rule), and the least MD 5 allows (least_initial_days, for the quote
check) rounds it down, so a correct quote is never called below the minimum by our
rounding. Stage 1 is about a third of the initial audit (practice; at least half a
day) and stage 2 the rest.

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
from math import ceil, floor, isqrt
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
from portal.domain.sector_complexity import (
    default_complexity,
    is_special_case,
    lowest_complexity,
    spans_categories,
    stores_hazardous_material_here,
)

HALF_DAY = Fraction(1, 2)
MAX_REDUCTION_PERCENT = 30
MAX_INTEGRATION_SAVING_PERCENT = 20
DEFAULT_INTEGRATION_SAVING_PERCENT = 10
MAX_SITE_REDUCTION_PERCENT = 50  # IAF MD 1:2018 7.3.1, MD 5 adjustments included
DEFAULT_SITE_REDUCTION_PERCENT = 30
MIN_OTHER_SITES_FOR_SAMPLING = 2  # EA FAQ 46.5: MD 1 6.1 sampling needs N > 1 sites besides the central function
UNSAMPLED_SURVEILLANCE_SHARE = Fraction(3, 10)  # IAF MD 1:2018 6.2.1: 30% of the sites, rounded up
STAGE1_SHARE = Fraction(1, 3)  # practice

# Standards whose audit time another document sets (not the MD 5 tables): code prefix -> document.
AUDIT_TIME_DOCUMENTS = {
    "ISO/IEC 27001": "ISO/IEC 27006-1",
    "ISO 22000": "ISO 22003-1",
    "ISO 50001": "ISO 50003",
    "ISO 13485": "IAF MD 9",
}


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


class ComplexityChoiceError(AuditTimeError):
    """MD 5 leaves this sector's category to the certification body: someone must pick one (`field` is the table)."""

    def __init__(self, table: str, sector_code: int | None) -> None:
        super().__init__(f"sector {sector_code}: the {table} complexity is the certification body's choice", table)


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


class NoSampling(enum.StrEnum):
    """Why IAF MD 1 sampling does not apply, so every site is audited at initial and recertification."""

    DIFFERENT_SITES = "different_sites"  # different processes at the sites, or high risk: the client says so
    TOO_FEW_SITES = "too_few_sites"  # fewer than two sites besides the central function


@dataclass(frozen=True)
class SiteSampling:
    """IAF MD 1: sites audited per audit, the central function included.

    `site_reduction_percent` is a sampled site's reduction as applied, MD 5 adjustments
    included (at most 50%); 0 with `not_sampled`, where each site keeps its own figure.
    """

    sites: int
    personnel_per_site: int
    site_reduction_percent: Fraction
    visited: dict[AuditKind, int]
    not_sampled: NoSampling | None = None


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
class EffectivePersonnel:
    """MD 5's effective number of personnel from a headcount: part-time staff as full-time equivalents by hours."""

    full_time: int
    part_time: int
    part_time_hours: Fraction
    full_time_hours: Fraction
    count: int


def effective_personnel(
    full_time: int, part_time: int = 0, part_time_hours: Fraction | int = 0, full_time_hours: Fraction | int = 40
) -> EffectivePersonnel:
    """Full-time staff (every shift counts: IAF MD 5 counts the personnel of all shifts) plus part-time staff
    converted to full-time equivalents by their hours against a full-time week (IAF MD 5, effective number of
    personnel), the result rounded up to a whole person so the table band is never understated.

    MD 5 also lets the body count fewer people where many do similar simple, repetitive
    work, with a justification of its own; the estimate does not guess that reduction.
    """
    _check_at_least_one(full_time + part_time, "employees")
    if part_time and not 0 < part_time_hours <= full_time_hours:
        raise AuditTimeError("part-time hours must be above 0 and at most a full-time week", "part_time_hours")
    equivalent = part_time * Fraction(part_time_hours) / Fraction(full_time_hours) if part_time else Fraction(0)
    return EffectivePersonnel(
        full_time, part_time, Fraction(part_time_hours), Fraction(full_time_hours), full_time + ceil(equivalent)
    )


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
    sites_differ: bool = False  # different processes at the sites, or high risk: MD 1 sampling not allowed

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
    exact_initial: Fraction | None = None  # the initial audit before rounding, for least_initial_days


def round_half_day(days: Fraction, *, tie_down: bool = False) -> Fraction:
    """The nearest half day (IAF MD 5:2019 2.2.3: 5.3 -> 5.5, 5.2 -> 5); an exact quarter goes up unless `tie_down`."""
    doubled = days * 2
    return Fraction(ceil(doubled - HALF_DAY) if tie_down else floor(doubled + HALF_DAY), 2)


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
    """The override for this table when given, else the sector's default; a special case without one asks for it."""
    if not TABLE_COMPLEXITIES.get(md5_table):
        return None, False
    if md5_table in overrides:
        return Complexity(overrides[md5_table]), True
    if is_special_case(md5_table, sector_code):
        raise ComplexityChoiceError(md5_table, sector_code)
    return default_complexity(md5_table, sector_code), False


@dataclass(frozen=True)
class _Plan:
    """The per-standard part of the calculation, reused for the whole organisation and one site (exact, unrounded)."""

    specs: tuple[tuple[str, str, Complexity | None, bool], ...]
    adjustment: Fraction
    saving: Fraction

    def per_standard(self, personnel: int, adjustment: Fraction | None = None) -> list[tuple[Fraction, Fraction]]:
        """(table days, days after the adjustment) for each standard; `adjustment` replaces the plan's own."""
        percent = self.adjustment if adjustment is None else adjustment
        return [
            (base, _percent_of(base, percent))
            for base in (table_days(table, personnel, level) for _code, table, level, _overridden in self.specs)
        ]

    def combined(self, personnel: int, adjustment: Fraction | None = None) -> Fraction:
        """The standards together: their adjusted days summed, less the IAF MD 11 saving when there are several."""
        total = sum((adjusted for _base, adjusted in self.per_standard(personnel, adjustment)), Fraction(0))
        return _percent_of(total, -self.saving) if len(self.specs) > 1 else total


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
    sites_differ: bool = False,
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
        sites_differ=sites_differ,
    )
    figures = compute_figures(inputs)
    notes = explain_figures(inputs, figures)
    return AuditTimeEstimate(
        figures.days, figures.standards, figures.without_table, figures.sampling, notes, figures.reduction_capped
    )


def least_initial_days(
    standards: Sequence[StandardSpec],
    personnel: int,
    *,
    sector_code: int | None = None,
    sites: int = 1,
    sites_differ: bool = False,
) -> Decimal | None:
    """The fewest initial-audit days MD 5 allows, for the quote check (None: no wanted standard has a table).

    Every reduction at its cap (MD 5 30%, MD 11 20%, MD 1 50% per sampled site), each
    table at the lowest category the body may rightly choose for the sector (a code
    spanning several categories, a special case, an unknown sector), and the exact
    result rounded to the nearest half day with a tie rounded down: a body that
    follows MD 5 never offers fewer days than this.
    """
    lowest = {table: lowest_complexity(table, sector_code) for table in ("ems", "ohs")}
    figures = compute_figures(
        AuditTimeInputs(
            tuple(standards),
            personnel,
            sector_code=sector_code,
            sites=sites,
            complexity=lowest,
            adjustments=(Adjustment("every reduction at its cap", -MAX_REDUCTION_PERCENT),),
            integration_saving_percent=MAX_INTEGRATION_SAVING_PERCENT,
            site_reduction_percent=MAX_SITE_REDUCTION_PERCENT,
            sites_differ=sites_differ,
        )
    )
    if figures.exact_initial is None:
        return None
    return as_decimal(max(HALF_DAY, round_half_day(figures.exact_initial, tie_down=True)))


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
    base_by_kind, sampling = _site_totals(plan, inputs, single)
    days = _audit_days(base_by_kind)
    return AuditTimeFigures(
        days,
        standard_times,
        without_table,
        sampling,
        capped,
        as_decimal(round_half_day(single)),
        base_by_kind[AuditKind.INITIAL],
    )


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
    """Each standard's table and adjusted days (rounded to the half day) for all personnel, as shown to the client."""
    rows = zip(plan.specs, plan.per_standard(personnel), strict=True)
    return tuple(
        StandardTime(code, table, level, overridden, as_decimal(base), as_decimal(round_half_day(adjusted)))
        for (code, table, level, overridden), (base, adjusted) in rows
    )


def sampling_refused(sites: int, sites_differ: bool) -> NoSampling | None:
    """Why IAF MD 1 sampling cannot be used for these sites, or None when it can (see the module docstring)."""
    if sites - 1 < MIN_OTHER_SITES_FOR_SAMPLING:
        return NoSampling.TOO_FEW_SITES
    return NoSampling.DIFFERENT_SITES if sites_differ else None


def _site_totals(
    plan: _Plan, inputs: AuditTimeInputs, single: Fraction
) -> tuple[dict[AuditKind, Fraction], SiteSampling | None]:
    """Per audit kind, the exact days before the 1/3 and 2/3 shares, floored at the single-site figure."""
    if inputs.sites == 1:
        return {kind: single for kind in AuditKind}, None
    other_sites = inputs.sites - 1
    per_site = -(-inputs.personnel // inputs.sites)
    site_days = plan.combined(per_site)
    refused = sampling_refused(inputs.sites, inputs.sites_differ)
    if refused:
        visited = {kind: 1 + other_sites for kind in AuditKind}
        visited[AuditKind.SURVEILLANCE] = 1 + ceil(UNSAMPLED_SURVEILLANCE_SHARE * other_sites)
        totals = {kind: max(single, visited[kind] * site_days) for kind in AuditKind}
        return totals, SiteSampling(inputs.sites, per_site, Fraction(0), visited, refused)
    # MD 1 7.3.1: the sampled site's reduction and the MD 5 adjustment together, at most 50%.
    sampled_percent = max(plan.adjustment - inputs.site_reduction_percent, Fraction(-MAX_SITE_REDUCTION_PERCENT))
    sampled_site_days = plan.combined(per_site, sampled_percent)
    visited = {kind: 1 + sample_size(other_sites, kind) for kind in AuditKind}
    totals = {kind: max(single, site_days + (visited[kind] - 1) * sampled_site_days) for kind in AuditKind}
    return totals, SiteSampling(inputs.sites, per_site, -sampled_percent, visited)


def _audit_days(base_by_kind: Mapping[AuditKind, Fraction]) -> AuditDays:
    """Each audit from its exact figure, rounded once to the nearest half day (MD 5 2.2.3), never below half a day."""
    initial, surveillance, recertification = (
        max(HALF_DAY, round_half_day(base_by_kind[kind] * SHARE[kind])) for kind in AuditKind
    )
    stage1 = max(HALF_DAY, round_half_day(initial * STAGE1_SHARE))
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
    notes = [
        Note("no_table", (("code", code), ("document", audit_time_document(code)))) for code in figures.without_table
    ]
    if figures.days is None:
        return tuple(notes)
    notes += [_table_note(standard, inputs.personnel) for standard in figures.standards]
    notes += _sector_notes(figures.standards, inputs.sector_code)
    if inputs.personnel > LAST_BAND_UPPER:
        notes.append(Note("beyond_table", (("last", LAST_BAND_UPPER), ("width", EXTENSION_WIDTH))))
    notes += _adjustment_notes(inputs.adjustments, figures.reduction_capped)
    if len(figures.standards) > 1:
        notes.append(_integration_note(figures, inputs.integration_saving_percent))
    if figures.sampling:
        notes.append(_multi_site_note(figures.sampling))
    notes += _cycle_notes(figures.days)
    return tuple(notes)


def audit_time_document(code: str) -> str | None:
    """The document that sets a standard's audit time where the MD 5 tables do not (None: none we name)."""
    return next((doc for prefix, doc in AUDIT_TIME_DOCUMENTS.items() if code.startswith(prefix)), None)


def _sector_notes(standards: Sequence[StandardTime], sector_code: int | None) -> list[Note]:
    """Where the sector's default may be wrong for this organisation: several categories in one code, or hazardous stores."""
    defaulted = {s.md5_table for s in standards if s.complexity is not None and not s.complexity_overridden}
    notes = [
        Note("spans", (("sector", sector_code), ("table", table)))
        for table in sorted(defaulted)
        if spans_categories(table, sector_code)
    ]
    if defaulted and stores_hazardous_material_here(sector_code):
        notes.append(Note("hazardous_storage", (("sector", sector_code),)))
    return notes


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
    """The IAF MD 1 sample per audit (or every site, and why), the even spread of personnel and the sampled sites' reduction."""
    if sampling.not_sampled:
        return Note(
            "all_sites",
            (
                ("sites", sampling.sites),
                ("personnel_per_site", sampling.personnel_per_site),
                ("surveillance", sampling.visited[AuditKind.SURVEILLANCE]),
                ("reason", sampling.not_sampled),
            ),
        )
    return Note(
        "multi_site",
        (
            ("sites", sampling.sites),
            ("personnel_per_site", sampling.personnel_per_site),
            ("initial", sampling.visited[AuditKind.INITIAL]),
            ("surveillance", sampling.visited[AuditKind.SURVEILLANCE]),
            ("recertification", sampling.visited[AuditKind.RECERTIFICATION]),
            ("reduction", as_decimal(sampling.site_reduction_percent)),
            ("cap", MAX_SITE_REDUCTION_PERCENT),
        ),
    )


def _cycle_notes(days: AuditDays) -> list[Note]:
    """The rest of the cycle (surveillance and recertification shares) and the two stages of the initial audit."""
    return [
        Note("follow_up", (("surveillance", days.surveillance), ("recertification", days.recertification))),
        Note("stages", (("stage1", days.stage1), ("stage2", days.stage2))),
    ]
