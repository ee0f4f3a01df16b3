"""Readiness self-assessment: scores per ISO high-level-structure group and overall.

Pure computation over plain data. The caller supplies the questions (id, group and the
points each answer key is worth) and the visitor's answers (question id -> answer key);
nothing is loaded here.

Scoring:
- Each question is worth its best answer's points; a group's score is the points earned
  over the points possible in that group, 0-100 (rounded to a whole number). The overall
  score is the same ratio over all questions, so a group with more questions weighs more.
- "Not sure" is worth nothing (its points are ``None``): an auditor asks for evidence, and
  something nobody can point to counts as missing. It is counted separately so the result
  can advise finding out first.
- An unanswered question, or an answer key the question does not offer, is treated like
  "not sure" and listed in ``Assessment.unanswered``; the form refuses to score until every
  question is answered, so this is a safety net rather than a normal path.

Weakest areas are the (at most three) lowest-scoring groups below 100; ties go to the
earlier clause, because the later clauses build on the earlier ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# The clauses 4-10 of the ISO high-level structure (Annex SL / harmonized structure), in order.
GROUPS: tuple[str, ...] = (
    "context",
    "leadership",
    "planning",
    "support",
    "operation",
    "performance",
    "improvement",
)
GROUP_CLAUSE: Mapping[str, int] = {group: clause for clause, group in enumerate(GROUPS, start=4)}

MAX_WEAKEST = 3
# Overall score bands -> the stage of preparation the result page describes.
STAGE_BANDS: tuple[tuple[int, str], ...] = ((40, "foundations"), (75, "implementation"), (101, "verification"))
UNSURE_ADVICE = "find_out"


@dataclass(frozen=True)
class Question:
    """What scoring needs of a question: its id, its group and the points per answer key."""

    id: str
    group: str
    points: Mapping[str, int | None]

    @property
    def max_points(self) -> int:
        return max((p for p in self.points.values() if p is not None), default=0)


@dataclass(frozen=True)
class GroupScore:
    group: str
    score: int
    questions: int
    unsure: int


@dataclass(frozen=True)
class Assessment:
    overall: int
    groups: tuple[GroupScore, ...]
    weakest: tuple[str, ...]
    stage: str
    advice: tuple[str, ...]
    unanswered: tuple[str, ...]

    def group_scores(self) -> dict[str, int]:
        return {g.group: g.score for g in self.groups}


def _percent(earned: int, possible: int) -> int:
    return round(100 * earned / possible) if possible else 0


def missing_answers(questions: Sequence[Question], answers: Mapping[str, str]) -> tuple[str, ...]:
    """Ids of the questions without an answer the question offers."""
    return tuple(q.id for q in questions if answers.get(q.id) not in q.points)


def stage_for(overall: int) -> str:
    """The preparation stage an overall score falls in."""
    return next(stage for limit, stage in STAGE_BANDS if overall < limit)


def assess(questions: Sequence[Question], answers: Mapping[str, str]) -> Assessment:
    """Score the answers per group and overall; name the weakest groups and the advice keys.

    Advice keys: the weakest groups' names, then ``"find_out"`` when any answer was
    "not sure" (or missing).
    """
    unknown = {q.group for q in questions} - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown readiness group(s): {', '.join(sorted(unknown))}")
    unanswered = missing_answers(questions, answers)
    groups: list[GroupScore] = []
    earned_total = possible_total = 0
    for group in GROUPS:
        in_group = [q for q in questions if q.group == group]
        if not in_group:
            continue
        earned = [q.points.get(answers.get(q.id, "")) for q in in_group]
        earned_sum = sum(p for p in earned if p is not None)
        possible = sum(q.max_points for q in in_group)
        groups.append(GroupScore(group, _percent(earned_sum, possible), len(in_group), earned.count(None)))
        earned_total += earned_sum
        possible_total += possible

    overall = _percent(earned_total, possible_total)
    ranked = sorted((g for g in groups if g.score < 100), key=lambda g: (g.score, GROUP_CLAUSE[g.group]))
    weakest = tuple(g.group for g in ranked[:MAX_WEAKEST])
    advice = weakest + ((UNSURE_ADVICE,) if any(g.unsure for g in groups) else ())
    return Assessment(overall, tuple(groups), weakest, stage_for(overall), advice, unanswered)
