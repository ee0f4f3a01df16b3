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
- completeness (0-5): a phone number (2), a message (2) and a job title (1) make
  the first call easier and signal genuine interest.
- company address (0-5): an address at the company's own domain (5) is a stronger
  sign of a business enquiry than a free-mail (0) or a throwaway one (0); see email_kind.
- prepared (0-10): the visitor attached their readiness check (6) or audit-time
  estimate (4) results.

Size, sites, timeline and sector are optional on the enquiry form. An answer not given
is unknown, not the worst answer: it scores the middle of that factor's range
(UNKNOWN_POINTS), so a short enquiry is neither punished nor rewarded for it, and the
lead page lists what is missing.

Every factor is non-decreasing in what it measures, and the points add up to the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.domain.email_kind import EmailKind
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

# What an answer not given scores: the middle of its factor's range (rounded down).
UNKNOWN_POINTS = {"size": 12, "sites": 2, "timeline": 10, "sector": 5}


@dataclass(frozen=True)
class LeadFacts:
    """What the enquiry says, as plain values."""

    employees: int | None
    standards: int
    sites: int | None = 1
    months_to_target: float | None = None  # None: "not sure yet" (an answer), see timeline_given
    timeline_given: bool = True
    sector_code: int | None = None
    email_kind: EmailKind = EmailKind.COMPANY
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


def _not_given(name: str, detail: str) -> ScoreFactor:
    return ScoreFactor(name, UNKNOWN_POINTS[name], f"{name} not given", detail)


def _size(employees: int | None) -> ScoreFactor:
    if employees is None:
        return _not_given("size", "employees_unknown")
    points = _stepped(employees, ((1, 5), (10, 10), (50, 17), (250, 22), (1000, 25)))
    return ScoreFactor("size", points, f"{employees} employees", "employees", {"count": employees})


def _standards(count: int) -> ScoreFactor:
    points = _stepped(count, ((1, 7), (2, 11), (3, 15)))
    return ScoreFactor("standards", points, f"{count} standard(s) wanted", "standards", {"count": count})


def _sites(sites: int | None) -> ScoreFactor:
    if sites is None:
        return _not_given("sites", "sites_unknown")
    points = _stepped(sites, ((2, 3), (6, 5)))
    return ScoreFactor("sites", points, f"{sites} site(s)", "sites", {"count": sites})


def _timeline(months: float | None, given: bool) -> ScoreFactor:
    if not given:
        return _not_given("timeline", "target_unknown")
    if months is None:
        return ScoreFactor("timeline", 2, "no target date yet", "no_target")
    # Sooner is better: step down as the target moves away.
    for limit, points in ((3, 20), (6, 15), (12, 10)):
        if months <= limit:
            return ScoreFactor("timeline", points, f"target within {limit} months", "target_within", {"months": limit})
    return ScoreFactor("timeline", 4, "target more than a year away", "target_later")


def _sector(code: int | None) -> ScoreFactor:
    if code is None:
        return _not_given("sector", "sector_unknown")
    if code in HIGH_COMPLEXITY_SECTORS:
        return ScoreFactor("sector", 10, f"IAF sector {code}: high complexity", "sector_high", {"code": code})
    if code in MEDIUM_COMPLEXITY_SECTORS:
        return ScoreFactor("sector", 6, f"IAF sector {code}: medium complexity", "sector_medium", {"code": code})
    return ScoreFactor("sector", 3, f"IAF sector {code}", "sector_other", {"code": code})


def _company_address(kind: EmailKind) -> ScoreFactor:
    if kind == EmailKind.COMPANY:
        return ScoreFactor("company_address", 5, "company e-mail address", "company_address")
    if kind == EmailKind.FREE:
        return ScoreFactor("company_address", 0, "free-mail address", "free_mail")
    return ScoreFactor("company_address", 0, "disposable e-mail address", "disposable_mail")


def score_lead(facts: LeadFacts) -> LeadScore:
    """The score (0-100) and the factors that make it up; see the module docstring for the points."""
    completeness = 2 * facts.has_phone + 2 * facts.has_message + facts.has_job_title
    prepared = 6 * facts.has_readiness + 4 * facts.has_estimate
    factors = (
        _size(facts.employees),
        _standards(facts.standards),
        _sites(facts.sites),
        _timeline(facts.months_to_target, facts.timeline_given),
        _sector(facts.sector_code),
        ScoreFactor("existing_certifications", 5, "already holds certifications", "certified")
        if facts.has_existing_certifications
        else ScoreFactor("existing_certifications", 0, "no certifications named", "not_certified"),
        ScoreFactor(
            "completeness", completeness, "phone, message and job title given count 2, 2 and 1", "completeness"
        ),
        _company_address(facts.email_kind),
        ScoreFactor("prepared", prepared, "readiness check (6) or estimate (4) attached", "prepared"),
    )
    return LeadScore(score=min(sum(f.points for f in factors), MAX_SCORE), factors=factors)
