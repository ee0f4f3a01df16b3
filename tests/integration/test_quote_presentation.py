"""The compare page's days verdict and the link page's refusal are worded in portal.quotes.presentation."""

from __future__ import annotations

from decimal import Decimal

from portal.domain.quote_costs import check_days
from portal.quotes.presentation import days_note, link_problem_message
from portal.quotes.tokens import LinkProblem


def note(offered: str | None, estimate: str | None = "4", minimum: str | None = "3"):
    days = [Decimal(value) if value is not None else None for value in (offered, estimate, minimum)]
    return days_note(check_days(*days))


def test_the_days_verdict_is_worded_with_its_look(app):
    with app.test_request_context():
        short = note("2")
        assert short.alert and "alert-danger" in short.css
        assert short.text.startswith(
            "Below what IAF MD 5 allows: 2.0 days offered, at least 3.0 required (estimate 4.0)"
        )
        under = note("3.5")
        assert not under.alert and under.css == "small text-warning-emphasis"
        assert under.text.startswith("0.5 days under the MD 5 estimate of 4.0")
        assert note("4").text == "Meets the MD 5 estimate of 4.0 days."
        assert note(None) is None  # "Not stated" is the template's, with no verdict
        assert note("2", estimate=None) is None  # nothing to compare with


def test_each_link_problem_has_its_words(app):
    with app.test_request_context():
        assert "has expired" in link_problem_message(LinkProblem.EXPIRED)
        assert "no longer be answered or revised" in link_problem_message(LinkProblem.DECIDED)
        assert "The link is not valid" in link_problem_message(LinkProblem.INVALID)
