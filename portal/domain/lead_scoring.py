"""Lead score: how promising an enquiry looks from what the visitor told us (0-100).

The score only orders the inbox; a consultant still reads every lead. Each factor is
shown to the consultant with its points, so the number is never a mystery:

- size (0-25): more personnel means more audit days and a larger engagement
  (1-9: 5, 10-49: 10, 50-249: 17, 250-999: 22, 1,000+: 25).
- standards (0-15): each extra standard adds work, and two or more suggest an
  integrated system (1: 7, 2: 11, 3+: 15; none chosen: 0).
- sites (0-5): several sites need multi-site sampling and more planning (1: 0, 2-5: 3, 6+: 5).
- timeline (0-20): a near target date means the client is ready to start
  (within 3 months: 20, within 6: 15, within 12: 10, later: 4, not sure: 2).
- sector (0-10): high-complexity sectors (oil and gas, chemicals, construction,
  hospitals ...) need more preparation (high: 10, medium: 6, other known sector: 3).
  A sector's level is its most demanding IAF MD 5 default (EMS or OH&S) from
  portal.domain.sector_complexity, the same table the audit-time estimate uses.
- existing certifications (0-5): a certified organisation knows the process and
  tends to proceed (5 when any are named).
- completeness (0-10): a phone number (4), a message (4) and a job title (2) make
  the first call easier and signal genuine interest.
- prepared (0-10): the visitor attached their readiness check (6) or audit-time
  estimate (4) results.

Every factor is non-decreasing in what it measures, and the points add up to the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.domain.md5_tables import Complexity
from portal.domain.sector_complexity import SECTOR_COMPLEXITY, highest_complexity

# IAF/EA sectors by their most demanding MD 5 default: one source with the estimate.
HIGH_COMPLEXITY_SECTORS = frozenset(c for c in SECTOR_COMPLEXITY if highest_complexity(c) == Complexity.HIGH)
MEDIUM_COMPLEXITY_SECTORS = frozenset(c for c in SECTOR_COMPLEXITY if highest_complexity(c) == Complexity.MEDIUM)

# Timeline choices offered by the enquiry form, as the months they stand for (None: not sure).
TIMELINE_MONTHS: dict[str, float | None] = {
    "within_3_months": 3,
    "3_6_months": 6,
    "6_12_months": 12,
    "over_12_months": 18,
    "not_sure": None,
}

MAX_SCORE = 100


@dataclass(frozen=True)
class LeadFacts:
    """What the enquiry says, as plain values."""

    employees: int
    standards: int
    sites: int = 1
    months_to_target: float | None = None
    sector_code: int | None = None
    has_existing_certifications: bool = False
    has_phone: bool = False
    has_message: bool = False
    has_job_title: bool = False
    has_readiness: bool = False
    has_estimate: bool = False


@dataclass(frozen=True)
class ScoreFactor:
    """One line of the score as shown to the consultant.

    `detail` and `values` let the web layer word the line in the reader's language;
    `explanation` is the same line in English, for logs and factors stored before.
    """

    name: str
    points: int
    explanation: str
    detail: str = ""
    values: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "points": self.points,
            "explanation": self.explanation,
            "detail": self.detail,
            "values": dict(self.values),
        }


@dataclass(frozen=True)
class LeadScore:
    score: int
    factors: tuple[ScoreFactor, ...]


def months_to_target(timeline: str | None, wanted_by: date | None, today: date) -> float | None:
    """Months from `today` to the visitor's target: the wanted-by date if given, else the timeline choice."""
    if wanted_by is not None:
        return max((wanted_by - today).days, 0) / 30.44
    return TIMELINE_MONTHS.get(timeline or "not_sure")


def _stepped(value: float, steps: tuple[tuple[float, int], ...]) -> int:
    """Points of the highest step whose threshold `value` reaches."""
    points = 0
    for threshold, step_points in steps:
        if value >= threshold:
            points = step_points
    return points


def _size(employees: int) -> ScoreFactor:
    points = _stepped(employees, ((1, 5), (10, 10), (50, 17), (250, 22), (1000, 25)))
    return ScoreFactor("size", points, f"{employees} employees", "employees", {"count": employees})


def _standards(count: int) -> ScoreFactor:
    points = _stepped(count, ((1, 7), (2, 11), (3, 15)))
    return ScoreFactor("standards", points, f"{count} standard(s) wanted", "standards", {"count": count})


def _sites(sites: int) -> ScoreFactor:
    points = _stepped(sites, ((2, 3), (6, 5)))
    return ScoreFactor("sites", points, f"{sites} site(s)", "sites", {"count": sites})


def _timeline(months: float | None) -> ScoreFactor:
    if months is None:
        return ScoreFactor("timeline", 2, "no target date yet", "no_target")
    # Sooner is better: step down as the target moves away.
    for limit, points in ((3, 20), (6, 15), (12, 10)):
        if months <= limit:
            return ScoreFactor("timeline", points, f"target within {limit} months", "target_within", {"months": limit})
    return ScoreFactor("timeline", 4, "target more than a year away", "target_later")


def _sector(code: int | None) -> ScoreFactor:
    if code is None:
        return ScoreFactor("sector", 0, "sector not given", "sector_unknown")
    if code in HIGH_COMPLEXITY_SECTORS:
        return ScoreFactor("sector", 10, f"IAF sector {code}: high complexity", "sector_high", {"code": code})
    if code in MEDIUM_COMPLEXITY_SECTORS:
        return ScoreFactor("sector", 6, f"IAF sector {code}: medium complexity", "sector_medium", {"code": code})
    return ScoreFactor("sector", 3, f"IAF sector {code}", "sector_other", {"code": code})


def score_lead(facts: LeadFacts) -> LeadScore:
    """The score (0-100) and the factors that make it up; see the module docstring for the points."""
    completeness = 4 * facts.has_phone + 4 * facts.has_message + 2 * facts.has_job_title
    prepared = 6 * facts.has_readiness + 4 * facts.has_estimate
    factors = (
        _size(facts.employees),
        _standards(facts.standards),
        _sites(facts.sites),
        _timeline(facts.months_to_target),
        _sector(facts.sector_code),
        ScoreFactor("existing_certifications", 5, "already holds certifications", "certified")
        if facts.has_existing_certifications
        else ScoreFactor("existing_certifications", 0, "no certifications named", "not_certified"),
        ScoreFactor(
            "completeness", completeness, "phone, message and job title given count 4, 4 and 2", "completeness"
        ),
        ScoreFactor("prepared", prepared, "readiness check (6) or estimate (4) attached", "prepared"),
    )
    return LeadScore(score=min(sum(f.points for f in factors), MAX_SCORE), factors=factors)
