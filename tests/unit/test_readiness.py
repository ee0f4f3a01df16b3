"""Readiness scoring: per group and overall, weakest areas, advice, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from portal.core.readiness_questions import ADVICE, ANSWER_OPTIONS, GROUP_TITLES, QUESTIONS, SCORED_QUESTIONS
from portal.domain.readiness import GROUPS, Question, assess, missing_answers, stage_for

POINTS = {"not_in_place": 0, "partly": 1, "fully": 2, "not_sure": None}
# Answers from worse to better; "not sure" is worth no more than "not in place".
IMPROVEMENTS = {
    "not_sure": ("not_in_place", "partly", "fully"),
    "not_in_place": ("partly", "fully"),
    "partly": ("fully",),
}

QUESTION_SET = (
    Question("c1", "context", POINTS),
    Question("c2", "context", POINTS),
    Question("l1", "leadership", POINTS),
    Question("p1", "planning", POINTS),
    Question("s1", "support", POINTS),
    Question("o1", "operation", POINTS),
    Question("e1", "performance", POINTS),
    Question("i1", "improvement", POINTS),
)


def all_answered(answer: str, questions=QUESTION_SET) -> dict[str, str]:
    return {q.id: answer for q in questions}


def test_every_answer_fully_in_place_scores_100_with_no_weak_area():
    result = assess(QUESTION_SET, all_answered("fully"))

    assert result.overall == 100
    assert set(result.group_scores().values()) == {100}
    assert result.weakest == ()
    assert result.advice == ()
    assert result.stage == "verification"


def test_every_answer_not_in_place_scores_0():
    result = assess(QUESTION_SET, all_answered("not_in_place"))

    assert result.overall == 0
    assert set(result.group_scores().values()) == {0}
    assert result.stage == "foundations"


def test_scores_per_group_and_overall_are_points_over_possible_points():
    answers = all_answered("fully") | {"c1": "partly", "c2": "not_in_place", "l1": "partly"}

    result = assess(QUESTION_SET, answers)

    scores = result.group_scores()
    assert scores["context"] == 25  # 1 of 4 points
    assert scores["leadership"] == 50  # 1 of 2
    assert scores["planning"] == 100
    # 2 + 10 points of 16 overall: groups weigh by their number of questions.
    assert result.overall == 75


def test_weakest_areas_are_the_three_lowest_groups_below_100_earlier_clause_first_on_ties():
    answers = all_answered("fully") | {
        "c1": "partly",
        "c2": "partly",
        "o1": "partly",
        "e1": "not_in_place",
        "i1": "partly",
    }

    result = assess(QUESTION_SET, answers)

    # performance 0; then context, operation and improvement tie at 50: clause 4 and 8 win over 10.
    assert result.weakest == ("performance", "context", "operation")
    assert result.advice == result.weakest


def test_not_sure_is_worth_nothing_and_asks_the_visitor_to_find_out():
    answers = all_answered("fully") | {"s1": "not_sure"}

    result = assess(QUESTION_SET, answers)

    support = next(g for g in result.groups if g.group == "support")
    assert support.score == 0
    assert support.unsure == 1
    assert result.weakest == ("support",)
    assert result.advice == ("support", "find_out")
    assert result.unanswered == ()


def test_unanswered_or_unknown_answers_count_as_not_sure_and_are_listed():
    answers = all_answered("fully")
    del answers["l1"]
    answers["p1"] = "maybe"

    assert missing_answers(QUESTION_SET, answers) == ("l1", "p1")
    result = assess(QUESTION_SET, answers)
    assert result.unanswered == ("l1", "p1")
    assert result.group_scores()["leadership"] == 0
    assert "find_out" in result.advice


def test_an_unknown_group_is_refused():
    with pytest.raises(ValueError, match="sales"):
        assess((Question("x", "sales", POINTS),), {"x": "fully"})


@pytest.mark.parametrize(
    ("overall", "stage"),
    [
        (0, "foundations"),
        (39, "foundations"),
        (40, "implementation"),
        (74, "implementation"),
        (75, "verification"),
        (100, "verification"),
    ],
)
def test_stage_bands(overall, stage):
    assert stage_for(overall) == stage


answers_strategy = st.fixed_dictionaries({q.id: st.sampled_from(list(POINTS)) for q in SCORED_QUESTIONS})


@given(answers=answers_strategy)
def test_scores_stay_between_0_and_100(answers):
    result = assess(SCORED_QUESTIONS, answers)

    assert 0 <= result.overall <= 100
    assert all(0 <= g.score <= 100 for g in result.groups)
    assert len(result.weakest) <= 3


@given(answers=answers_strategy, data=st.data())
def test_improving_one_answer_never_lowers_any_score(answers, data):
    improvable = [qid for qid, answer in answers.items() if answer in IMPROVEMENTS]
    assume(improvable)  # all "fully": nothing left to improve
    qid = data.draw(st.sampled_from(improvable))
    better = answers | {qid: data.draw(st.sampled_from(IMPROVEMENTS[answers[qid]]))}

    before, after = assess(SCORED_QUESTIONS, answers), assess(SCORED_QUESTIONS, better)

    assert after.overall >= before.overall
    for old, new in zip(before.groups, after.groups, strict=True):
        assert new.score >= old.score


def test_the_questionnaire_covers_every_group_with_14_to_18_questions_and_advice():
    assert 14 <= len(QUESTIONS) <= 18
    assert {q.group for q in QUESTIONS} == set(GROUPS)
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    assert set(GROUP_TITLES) == set(GROUPS)
    assert set(ADVICE) == set(GROUPS) | {"find_out"}
    assert {o.key: o.points for o in ANSWER_OPTIONS} == POINTS
