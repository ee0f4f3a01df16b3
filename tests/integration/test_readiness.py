"""The readiness self-assessment over HTTP: questionnaire, validation, result and enquiry hand-over."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from portal.core.readiness_questions import GROUP_TITLES, QUESTIONS
from portal.public.attachments import read_attachment
from tests.fixtures.auth import csrf_token_from

ANSWER_KEYS = ("not_in_place", "partly", "fully", "not_sure")


def fieldset_of(page: str, question_id: str) -> str:
    """The <fieldset> holding one question's radio group."""
    for chunk in page.split("<fieldset")[1:]:
        block = chunk.split("</fieldset>")[0]
        if f'name="{question_id}"' in block:
            return block
    raise AssertionError(f"no fieldset for {question_id}")


def checked_value(block: str) -> str | None:
    match = re.search(r'<input checked[^>]*value="([^"]+)"', block)
    return match.group(1) if match else None


def post_answers(client, answers: dict[str, str]):
    page = client.get("/readiness").get_data(as_text=True)
    return client.post("/readiness", data={**answers, "csrf_token": csrf_token_from(page)})


def test_questionnaire_shows_every_question_as_a_labelled_radio_group(client):
    response = client.get("/readiness")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert csrf_token_from(page)
    for question in QUESTIONS:
        block = fieldset_of(page, question.id)
        assert html.escape(str(question.text), quote=False) in block.split("</legend>")[0]
        assert re.findall(r'type="radio" value="(\w+)"', block) == list(ANSWER_KEYS)
        assert f'aria-describedby="{question.id}-help"' in block
    for title in GROUP_TITLES.values():
        assert html.escape(str(title), quote=False) in page


def test_questionnaire_has_its_own_title_description_canonical_and_open_graph(client, app):
    page = client.get("/readiness").get_data(as_text=True)

    canonical = app.config["PUBLIC_BASE_URL"].rstrip("/") + "/readiness"
    assert "<title>ISO readiness self-assessment ·" in page
    assert re.search(r'<meta name="description" content="[^"]{50,}">', page)
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:title" content="ISO readiness self-assessment">' in page
    assert " style=" not in page and "<style" not in page


def test_incomplete_answers_show_errors_next_to_the_missing_questions_and_keep_the_others(client):
    answered = {"ctx_issues": "fully", "lead_policy": "partly", "imp_corrective": "not_sure"}

    response = post_answers(client, answered)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your ISO readiness result" not in page
    missing = [q for q in QUESTIONS if q.id not in answered]
    assert f"{len(missing)} questions still need an answer" in page
    for question in missing:
        block = fieldset_of(page, question.id)
        assert "Choose an answer for this question." in block
        assert f'aria-describedby="{question.id}-help {question.id}-error"' in block
        assert f'href="#{question.id}-0"' in page  # linked from the error summary
    for question_id, answer in answered.items():
        block = fieldset_of(page, question_id)
        assert checked_value(block) == answer
        assert "Choose an answer" not in block


def test_an_answer_the_question_does_not_offer_is_refused_next_to_it(client):
    answers = {q.id: "fully" for q in QUESTIONS} | {"plan_risks": "always"}

    page = post_answers(client, answers).get_data(as_text=True)

    assert "Choose an answer for this question." in fieldset_of(page, "plan_risks")
    assert "1 question still needs an answer" in page
    assert checked_value(fieldset_of(page, "ctx_scope")) == "fully"


def test_answers_without_the_csrf_token_are_not_scored(client):
    response = client.post("/readiness", data={q.id: "fully" for q in QUESTIONS})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your ISO readiness result" not in page
    assert "Your form expired or was sent from elsewhere" in page


def test_complete_answers_show_scores_weakest_areas_and_an_enquiry_link_carrying_them(client, app):
    answers = {q.id: "fully" for q in QUESTIONS}
    answers |= {"perf_internal_audit": "not_in_place", "perf_review": "not_in_place", "perf_monitoring": "partly"}
    answers |= {"ctx_scope": "not_sure"}

    response = post_answers(client, answers)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Your ISO readiness result ·" in page
    # 27 of 34 points: 2 lost to "not sure" on the scope, 5 of 6 in performance evaluation.
    assert re.search(r'id="score-overall"[^>]*value="79"', page)
    assert re.search(r'id="score-performance"[^>]*value="17"', page)
    assert re.search(r'id="score-context"[^>]*value="50"', page)
    assert re.search(r'id="score-leadership"[^>]*value="100"', page)
    next_steps = page.split("Weakest areas and what to do next")[1]
    assert next_steps.index("Performance evaluation") < next_steps.index("Context of the organisation")
    assert "train two or three internal auditors" in next_steps
    assert "Answers you were not sure about" in next_steps
    assert " style=" not in page and "<style" not in page

    link = re.search(r'<a class="btn btn-brand btn-lg" href="([^"]+)">Send an enquiry with these answers</a>', page)
    assert link, "no enquiry link on the result page"
    url = urlsplit(html.unescape(link.group(1)))
    assert url.path == "/enquire"
    token = parse_qs(url.query)["attachment"][0]
    with app.test_request_context():
        kind, data = read_attachment(token)
    assert kind == "readiness"
    assert data["answers"] == answers
    assert data["overall"] == 79
    assert data["groups"]["performance"] == 17
    assert set(data["groups"]) == set(GROUP_TITLES)

    assert client.get(link.group(1).replace("&amp;", "&")).status_code == 200
