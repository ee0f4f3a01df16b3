"""What the dashboard draws: the morning counters, a stacked bar chart of leads per week, and
the first-response times per consultant (median and 90th percentile in Oman working hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _

from portal.core.formats import format_day, format_number, format_share
from portal.domain.response_times import ResponseFigures, missed_before, response_figures
from portal.domain.working_days import MUSCAT
from portal.leads.response import ResponseSettings, deadlines, load_response_settings
from portal.web.i18n import text_direction
from portal.workspace.queries import (
    CertificateCounters,
    Counters,
    ResponseSample,
    ResponseSamples,
    certificate_counters,
    counters,
    response_samples,
    week_starts,
    weekly_counts,
)

MAX_SERIES = 5  # the most requested standards get a bar segment each; the rest are "Other"

# Chart geometry (SVG user units), drawn left to right; a right-to-left page gets its mirror.
CHART_WIDTH, CHART_HEIGHT = 720, 240
PLOT_LEFT, PLOT_TOP, PLOT_BOTTOM = 36, 20, 200
PLOT_END, AXIS_END = CHART_WIDTH - 8, CHART_WIDTH - 4  # where the weeks' slots and the axis stop


@dataclass(frozen=True)
class Segment:
    series: int
    label: str
    count: int
    y: float
    height: float


@dataclass(frozen=True)
class WeekBar:
    label: str
    total: int
    x: float
    width: float
    segments: list[Segment]
    total_y: float


@dataclass(frozen=True)
class LeadChart:
    """Ready-to-draw geometry: the template only writes the SVG elements."""

    series: list[str]
    weeks: list[WeekBar]
    axis_from: float
    axis_to: float
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    baseline: int = PLOT_BOTTOM

    @property
    def empty(self) -> bool:
        return all(week.total == 0 for week in self.weeks)


def build_chart(
    counts: list[tuple[int, str, int, int]], week_labels: list[str], other_label: str, rtl: bool = False
) -> LeadChart:
    """Stack each week's leads by standard: the MAX_SERIES most asked-for, then the rest as one.

    Time runs in the reading direction: oldest week at the start of the line, so on a
    right-to-left page (`rtl`) the bars, their labels and the axis are mirrored."""
    totals: dict[tuple[int, str], int] = {}
    for _week, code, position, n in counts:
        totals[(position, code)] = totals.get((position, code), 0) + n
    top = sorted(totals, key=lambda key: (-totals[key], key[0]))[:MAX_SERIES]
    series = [code for _, code in sorted(top)]
    other = len(series) if len(totals) > len(top) else None
    if other is not None:
        series.append(other_label)
    index_of = {code: series.index(code) for _, code in top}
    grid = [[0] * len(series) for _ in week_labels]
    for week, code, _position, n in counts:
        if 0 <= week < len(week_labels):
            grid[week][index_of.get(code, other if other is not None else 0)] += n
    peak = max((sum(row) for row in grid), default=0) or 1
    scale = (PLOT_BOTTOM - PLOT_TOP) / peak
    slot = (PLOT_END - PLOT_LEFT) / len(week_labels)
    bar_width = round(slot * 0.7, 1)
    weeks = []
    for index, (label, row) in enumerate(zip(week_labels, grid, strict=True)):
        top_y = float(PLOT_BOTTOM)
        segments = []
        for series_index, n in enumerate(row):
            if n:
                height = n * scale
                top_y -= height
                segments.append(Segment(series_index, series[series_index], n, round(top_y, 1), round(height, 1)))
        x = round(PLOT_LEFT + index * slot + slot * 0.15, 1)
        if rtl:
            x = round(CHART_WIDTH - x - bar_width, 1)
        weeks.append(WeekBar(label, sum(row), x, bar_width, segments, round(top_y - 4, 1)))
    axis = (PLOT_LEFT, AXIS_END)
    if rtl:
        axis = (CHART_WIDTH - AXIS_END, CHART_WIDTH - PLOT_LEFT)
    return LeadChart(series=series, weeks=weeks, axis_from=axis[0], axis_to=axis[1])


RESPONSE_PERIOD = timedelta(days=30)
# Response chart geometry (SVG user units): names on the left, two bars per row, values after them.
RESPONSE_WIDTH, RESPONSE_LABELS, RESPONSE_PLOT = 720, 190, 380
RESPONSE_TOP, RESPONSE_PITCH, RESPONSE_BAR = 28, 34, 11
RESPONSE_LABEL_CHARS = 26  # what fits in RESPONSE_LABELS at the chart's font size


def _fitted(label: str) -> str:
    """A name short enough for the space beside the bars (the table below the chart gives it whole)."""
    return label if len(label) <= RESPONSE_LABEL_CHARS else label[: RESPONSE_LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class ResponseRow:
    """One consultant (or the team, or the unassigned leads) with figures written out and bar lengths."""

    label: str
    short_label: str  # the label as the chart has room for it
    team: bool
    answered: int
    median: str
    p90: str
    within: str
    y: float
    median_width: float
    p90_width: float
    label_x: float  # where the name ends, beside the bars
    median_x: float  # where each bar and its value start, in the reading direction
    median_value_x: float
    p90_x: float
    p90_value_x: float


@dataclass(frozen=True)
class ResponseChart:
    """Ready-to-draw geometry of the first-response chart, and the same figures for its table."""

    rows: list[ResponseRow]
    target: str
    target_x: float
    height: int
    width: int = RESPONSE_WIDTH

    @property
    def empty(self) -> bool:
        return all(row.answered == 0 and not row.within for row in self.rows)


def _hours(value: timedelta | None) -> str:
    if value is None:
        return "–"
    return _("%(hours)s h", hours=format_number(value / timedelta(hours=1), "#,##0.0"))


def _within(figures: ResponseFigures) -> str:
    if figures.share_within is None:
        return ""
    return _(
        "%(share)s (%(n)s of %(total)s)",
        share=format_share(figures.share_within),
        n=figures.within_target,
        total=figures.decided,
    )


def build_response_chart(
    samples: ResponseSamples, settings: ResponseSettings, now: datetime, rtl: bool = False
) -> ResponseChart:
    """The team first, then each consultant by name, then the unassigned leads; bars scaled to
    the longest 90th percentile or the target, whichever is longer. Bars grow in the reading
    direction: on a right-to-left page (`rtl`) names stand on the right and bars grow leftwards
    (the SVG's text inherits the page's direction, so its anchors mirror by themselves)."""
    office = settings.working_hours()
    groups: dict[int | None, list[ResponseSample]] = {owner: [] for owner in samples.missed}
    names = {owner: name for owner, (name, _n) in samples.missed.items()}
    for sample in samples.answered:
        groups.setdefault(sample.owner_id, []).append(sample)
        names[sample.owner_id] = sample.owner_name
    missed = {owner: n for owner, (_name, n) in samples.missed.items()}
    named = sorted((key for key in groups if key is not None), key=lambda key: names[key].casefold())
    order = [(_("Team"), True, samples.answered, sum(missed.values()))] + [
        (names[key], False, groups[key], missed.get(key, 0)) for key in named
    ]
    if None in groups:
        order.append((_("Unassigned"), False, groups[None], missed.get(None, 0)))
    figures = [
        (
            label,
            team,
            response_figures(
                ((s.created_at, s.first_response_at) for s in group), office, settings.target, now, missed=n
            ),
        )
        for label, team, group, n in order
    ]
    longest = max([settings.target] + [f.p90 for _label, _team, f in figures if f.p90 is not None])
    scale = RESPONSE_PLOT / (longest / timedelta(hours=1))

    def width(value: timedelta | None) -> float:
        return round((value / timedelta(hours=1)) * scale, 1) if value else 0.0

    def x(offset: float, length: float = 0.0) -> float:
        """An x `offset` from the start of the plot (of something `length` long), in reading order."""
        return round(RESPONSE_WIDTH - RESPONSE_LABELS - offset - length, 1) if rtl else RESPONSE_LABELS + offset

    rows = []
    for index, (label, team, f) in enumerate(figures):
        median, p90 = width(f.median), width(f.p90)
        rows.append(
            ResponseRow(
                label,
                _fitted(label),
                team,
                f.answered,
                _hours(f.median),
                _hours(f.p90),
                _within(f),
                RESPONSE_TOP + index * RESPONSE_PITCH,
                median,
                p90,
                label_x=x(-8),
                median_x=x(0, median),
                median_value_x=x(median + 4),
                p90_x=x(0, p90),
                p90_value_x=x(p90 + 4),
            )
        )
    return ResponseChart(
        rows=rows,
        target=_("Target %(hours)s", hours=_hours(settings.target)),
        target_x=x(width(settings.target)),
        height=RESPONSE_TOP + len(rows) * RESPONSE_PITCH + 8,
    )


@dataclass(frozen=True)
class Summary:
    """Everything the dashboard shows."""

    counters: Counters
    certificates: CertificateCounters
    chart: LeadChart
    response_chart: ResponseChart
    target_hours: int


def morning_summary(user_id: int, now: datetime) -> Summary:
    """Everything the dashboard shows, for this user at this time."""
    starts = week_starts(now)
    labels = [format_day(start, "d MMM") for start in starts]
    rtl = text_direction(str(get_locale())) == "rtl"
    chart = build_chart(weekly_counts(starts), labels, _("Other standards"), rtl=rtl)
    settings = load_response_settings()
    return Summary(
        counters=counters(user_id, now, deadlines(settings, now)),
        certificates=certificate_counters(now.astimezone(MUSCAT).date()),
        chart=chart,
        response_chart=build_response_chart(
            response_samples(now - RESPONSE_PERIOD, now, missed_before(settings.working_hours(), settings.target, now)),
            settings,
            now,
            rtl=rtl,
        ),
        target_hours=settings.target_hours,
    )
