"""What the dashboard draws: the morning counters and a stacked bar chart of leads per week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from portal.core.formats import format_day
from portal.domain.working_days import MUSCAT
from portal.web.i18n import text_direction
from portal.workspace.queries import (
    CertificateCounters,
    Counters,
    certificate_counters,
    counters,
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


def morning_summary(user_id: int, now: datetime) -> tuple[Counters, CertificateCounters, LeadChart]:
    """Everything the dashboard shows, for this user at this time."""
    starts = week_starts(now)
    labels = [format_day(start, "d MMM") for start in starts]
    rtl = text_direction(str(get_locale())) == "rtl"
    chart = build_chart(weekly_counts(starts), labels, _("Other standards"), rtl=rtl)
    return counters(user_id, now), certificate_counters(now.astimezone(MUSCAT).date()), chart
