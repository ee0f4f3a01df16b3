"""Webhooks: endpoints admins register, deliveries queued with the event, signed, retried, never twice."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.core import webhook_events
from portal.core.clock import today_in_oman
from portal.core.webhooks import Answer, HttpTransport, deliver_due, emit
from portal.engagements.services import StageMoveInput, move_stage
from portal.extensions import db
from portal.leads.services import conversion
from portal.models import AuditLog, DeliveryStatus, Role, Standard, WebhookDelivery, WebhookEndpoint
from portal.models.types import utcnow
from portal.public.enquiry.services import EnquiryData, submit_enquiry
from portal.quotes import services as quote_services
from tests.fixtures.auth import csrf_token_from, readable_session
from tests.fixtures.engagements import add_engagement
from tests.fixtures.leads import add_lead
from tests.fixtures.quotes import body_taking_quotes, engagement_for_quotes, received_quote

README = Path(__file__).resolve().parents[2] / "README.md"
PUBLIC_URL = "https://93.184.215.14/hooks"  # never contacted: the tests post through a stub or a local server
ALL_EVENTS = ["lead.created", "lead.converted", "engagement.stage_changed", "quote.accepted"]


def add_endpoint(url: str = "https://93.184.215.14/portal", events=ALL_EVENTS, **overrides) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(url=url, events=list(events), secret="whsec_test-secret", **overrides)
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


class StubTransport:
    """Answers every post with the next of `answers` (the last one repeated), recording each post."""

    def __init__(self, *answers: Answer | Exception) -> None:
        self.answers = list(answers) or [Answer(200, "ok")]
        self.posts: list[tuple[str, bytes, dict[str, str]]] = []
        self.addresses: list[str | None] = []

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float, address: str | None) -> Answer:
        self.posts.append((url, body, headers))
        self.addresses.append(address)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def documented_verifier():
    """The verification snippet of README "Webhooks", run as written."""
    text = README.read_text(encoding="utf-8")
    snippet = re.search(r"<!-- webhook-verify -->\s*```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)  # noqa: S102  (our own README)
    return namespace["verify_signature"]


def queued() -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


# --- signing -------------------------------------------------------------------------------


def test_a_delivery_is_signed_as_the_readme_documents_and_verifies(app: Flask) -> None:
    add_endpoint()
    emit("lead.created", {"lead": {"reference": "ENQ-2026-000001"}})
    db.session.commit()
    transport = StubTransport()

    assert str(deliver_due(transport=transport)) == "sent 1, retried 0, failed 0"

    ((url, body, headers),) = transport.posts
    verify = documented_verifier()
    assert verify(body, headers["X-Portal-Signature"], "whsec_test-secret") is True
    assert verify(body + b" ", headers["X-Portal-Signature"], "whsec_test-secret") is False
    assert verify(body, headers["X-Portal-Signature"], "whsec_other") is False
    old = re.sub(r"t=\d+", f"t={int(time.time()) - 3600}", headers["X-Portal-Signature"])
    assert verify(body, old, "whsec_test-secret") is False  # outside the tolerance: a replay
    assert headers["X-Portal-Event"] == "lead.created"
    assert json.loads(body)["id"] == headers["X-Portal-Event-Id"]


@contextmanager
def local_receiver(status: int, headers: dict[str, str] | None = None) -> Iterator[tuple[int, list]]:
    """An HTTP server on 127.0.0.1 answering every POST with `status` (and `headers`); yields its
    port and the (headers, body) of each POST it received."""
    received: list[tuple[dict[str, str], bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()

        def log_message(self, *args) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port, received
    finally:
        server.shutdown()
        server.server_close()


def test_a_real_post_reaches_a_local_receiver_with_body_and_signature(app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_HOSTS", True)
    with local_receiver(204) as (port, received):
        add_endpoint(url=f"http://127.0.0.1:{port}/hook")
        emit("quote.accepted", {"quote": {"id": 1}})
        db.session.commit()
        report = deliver_due()

    assert report.sent == 1
    ((headers, body),) = received
    assert documented_verifier()(body, headers["X-Portal-Signature"], "whsec_test-secret")
    (delivery,) = queued()
    assert (delivery.status, delivery.last_status_code, delivery.attempts) == ("sent", 204, 1)


# --- retries and back-off -------------------------------------------------------------------


def test_failures_are_retried_with_doubling_back_off_then_failed_with_the_last_answer(app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "WEBHOOK_BACKOFF_SECONDS", 60)
    add_endpoint()
    emit("lead.created", {"lead": {}})
    db.session.commit()
    transport = StubTransport(Answer(500, "upstream broke"), ConnectionRefusedError("refused"), Answer(503, "busy"))
    start = utcnow()

    assert deliver_due(now=start, transport=transport).retried == 1
    (delivery,) = queued()
    assert delivery.next_attempt_at == start + timedelta(seconds=60)
    assert (delivery.last_status_code, delivery.last_response, delivery.last_error) == (
        500,
        "upstream broke",
        "HTTP 500",
    )

    assert deliver_due(now=start + timedelta(seconds=30), transport=transport).retried == 0  # not due yet
    second = start + timedelta(seconds=60)
    assert deliver_due(now=second, transport=transport).retried == 1
    db.session.refresh(delivery)
    assert delivery.next_attempt_at == second + timedelta(seconds=120)
    assert delivery.last_status_code is None and "ConnectionRefusedError" in delivery.last_error

    assert deliver_due(now=second + timedelta(seconds=120), transport=transport).failed == 1
    db.session.refresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 3, 503)
    assert len(transport.posts) == 3
    assert str(deliver_due(now=second + timedelta(days=1), transport=transport)) == "sent 0, retried 0, failed 0"


def test_an_unexpected_error_while_posting_is_recorded_and_the_pass_goes_on(app: Flask) -> None:
    add_endpoint()
    emit("lead.created", {"n": 1})
    emit("lead.created", {"n": 2})
    db.session.commit()
    transport = StubTransport(ValueError("bad header"), Answer(200, "ok"))
    assert str(deliver_due(transport=transport)) == "sent 1, retried 1, failed 0"
    assert queued()[0].last_error == "ValueError: bad header"


def test_a_delivery_to_an_address_that_now_resolves_privately_is_not_posted(app: Flask, monkeypatch) -> None:
    add_endpoint(url="https://hooks.example.com/x")
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.5", 0))])
    emit("lead.created", {"lead": {}})
    db.session.commit()
    transport = StubTransport()
    assert deliver_due(transport=transport).retried == 1
    assert transport.posts == []
    assert queued()[0].last_error == "refused destination: private"


def test_a_post_goes_to_the_address_checked_not_to_a_second_answer_of_the_name(app: Flask, monkeypatch) -> None:
    """DNS rebinding: a name that answers a public address to the check and a private one a
    moment later must not be posted to the private one."""
    add_endpoint(url="https://hooks.example.com/x")
    answers = iter([[(2, 1, 6, "", ("93.184.215.14", 0))], [(2, 1, 6, "", ("10.0.0.5", 0))]])
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: next(answers))
    emit("lead.created", {"lead": {}})
    db.session.commit()
    transport = StubTransport()
    assert deliver_due(transport=transport).sent == 1
    assert transport.addresses == ["93.184.215.14"]


def test_the_transport_connects_to_the_given_address_and_names_the_host(app: Flask) -> None:
    """The socket goes to the checked address; the request still names the endpoint's host
    (a name that resolves nowhere here, so only the given address can have answered)."""
    # A redirect is an answer, never followed.
    with local_receiver(302, {"Location": "http://10.0.0.5/elsewhere"}) as (port, received):
        url = f"http://receiver.invalid:{port}/hook?source=portal"
        answer = HttpTransport().post(url, b"{}", {"Content-Type": "application/json"}, 5, "127.0.0.1")
    assert answer.status == 302
    assert [headers["Host"] for headers, _body in received] == [f"receiver.invalid:{port}"]


# --- never twice ------------------------------------------------------------------------------


def test_one_event_is_one_row_per_endpoint_and_the_database_refuses_a_second(app: Flask) -> None:
    first, second = add_endpoint(), add_endpoint(url="https://93.184.215.15/b", events=["quote.accepted"])
    add_endpoint(url="https://93.184.215.16/c", active=False)
    emit("quote.accepted", {"quote": {}})
    db.session.commit()
    rows = queued()
    assert {row.endpoint_id for row in rows} == {first.id, second.id}
    assert len({row.event_id for row in rows}) == 1

    db.session.add(WebhookDelivery(endpoint_id=first.id, event_id=rows[0].event_id, event="quote.accepted", body="{}"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.postgres
@pytest.mark.clean_tables  # threads must see committed rows
def test_two_senders_post_every_delivery_exactly_once(app: Flask) -> None:
    add_endpoint()
    for n in range(30):
        emit("lead.created", {"n": n})
    db.session.commit()
    posted: list[str] = []
    lock = threading.Lock()

    class SlowTransport:
        def post(self, url, body, headers, timeout, address) -> Answer:
            time.sleep(0.01)
            with lock:
                posted.append(headers["X-Portal-Delivery"])
            return Answer(200, "ok")

    start = threading.Barrier(2)
    errors: list[Exception] = []

    def sender() -> None:
        try:
            with app.app_context():
                start.wait()
                deliver_due(batch_size=100, transport=SlowTransport())
                db.session.remove()
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(posted) == sorted({*posted}) and len(posted) == 30
    assert db.session.scalars(select(WebhookDelivery.status)).all() == ["sent"] * 30


# --- same transaction as the event ----------------------------------------------------------------


def test_a_rolled_back_event_leaves_no_delivery(app: Flask, reference) -> None:
    add_endpoint()
    lead = add_lead()
    webhook_events.lead_created(lead)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_a_refused_stage_move_through_the_page_queues_nothing(client, login_as, reference) -> None:
    add_endpoint()
    engagement = add_engagement(owner=login_as(), stage="gap_analysis")
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    response = client.post(
        f"/app/engagements/{engagement.id}/stage",
        data={"csrf_token": csrf_token_from(html), "to_stage": "certified", "version": str(engagement.version)},
    )
    assert response.status_code == 400
    assert queued() == []


# --- the events and their payloads ---------------------------------------------------------------


def payload_of(event: str) -> dict:
    (delivery,) = [row for row in queued() if row.event == event]
    body = json.loads(delivery.body)
    assert body["type"] == event and body["id"] == delivery.event_id
    return body["data"]


def test_an_enquiry_queues_lead_created_but_spam_does_not(app: Flask, reference) -> None:
    add_endpoint()
    data = dict(
        contact_name="Aisha",
        email="aisha@alnoor.om",
        phone="+96892123456",
        company="Al Noor",
        sector_code=35,
        employees=20,
        sites=1,
        region_slug="muscat",
        standard_slugs=("iso-9001",),
        consent=True,
    )
    with app.test_request_context():
        lead = submit_enquiry(EnquiryData(**data))
        submit_enquiry(EnquiryData(**(data | {"email": "bot@x.om", "spam_reason": "honeypot"})))
        db.session.commit()
    lead_data = payload_of("lead.created")["lead"]
    assert lead_data["reference"] == lead.reference
    assert (lead_data["company"], lead_data["standards"], lead_data["region"]) == ("Al Noor", ["iso-9001"], "muscat")


def test_conversion_queues_lead_converted_with_the_engagement(app: Flask, make_user, reference) -> None:
    add_endpoint()
    owner = make_user(Role.CONSULTANT, email="owner@example.om")
    lead = add_lead(status="qualified", assigned_to_id=owner.id, company="Sohar Steel")
    iso = db.session.scalar(select(Standard.id).where(Standard.slug == "iso-9001"))
    engagement = conversion.convert(lead, owner, [iso])
    db.session.commit()
    data = payload_of("lead.converted")
    assert data["lead"]["reference"] == lead.reference
    assert data["engagement"]["id"] == engagement.id
    assert data["engagement"]["client"]["name"] == "Sohar Steel"
    assert data["engagement"]["owner_email"] == "owner@example.om"


def test_a_stage_move_queues_stage_changed(app: Flask, make_user, reference) -> None:
    add_endpoint()
    actor = make_user()
    engagement = add_engagement(owner=actor, stage="gap_analysis")
    move_stage(engagement, StageMoveInput(to_stage="implementation"), actor)
    db.session.commit()
    data = payload_of("engagement.stage_changed")
    assert (data["from"], data["to"], data["engagement"]["stage"]) == (
        "gap_analysis",
        "implementation",
        "implementation",
    )


def test_accepting_a_quote_queues_quote_accepted_with_its_own_figures_only(app: Flask, make_user, reference) -> None:
    add_endpoint(events=["quote.accepted"])
    actor = make_user()
    engagement = engagement_for_quotes(actor)
    chosen = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    received_quote(engagement, body_taking_quotes("Oman Quality Cert"), initial_fee=9999)
    quote_services.accept_quote(engagement, chosen.id, actor, today_in_oman(), chosen.fingerprint)
    db.session.commit()
    data = payload_of("quote.accepted")
    assert data["quote"]["certification_body"]["name"] == "Gulf Assurance"
    assert data["quote"]["initial_fee"] == "2400.000"
    assert "9999" not in json.dumps(data)
    assert data["engagement"]["id"] == engagement.id


# --- the admin pages ------------------------------------------------------------------------------


def register(client, **fields):
    html = client.get("/app/admin/webhooks/").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), "url": PUBLIC_URL, "description": "CRM", "events": ["lead.created"]}
    return client.post("/app/admin/webhooks/", data=data | fields)


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(client, login_as) -> None:
    login_as(Role.ADMIN)
    response = register(client)
    assert response.status_code == 302
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    assert endpoint.events == ["lead.created"] and endpoint.active
    assert "new_webhook_endpoint" in readable_session(client)
    assert endpoint.secret not in readable_session(client)  # carried to the page encrypted
    first = client.get(response.headers["Location"]).get_data(as_text=True)
    assert endpoint.secret in first
    assert endpoint.secret not in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "webhook.created")) is not None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://203.0.113.10/hook", "must start with https://"),
        ("https://127.0.0.1/hook", "private or local network"),
        ("https://10.1.2.3/hook", "private or local network"),
        ("https://[::1]/hook", "private or local network"),
        ("https://localhost/hook", "private or local network"),
        ("https://169.254.169.254/latest", "private or local network"),
        ("https://user:pw@203.0.113.10/", "no host we can find"),
    ],
)
def test_a_non_https_or_private_address_is_refused_next_to_the_field(client, login_as, url, message) -> None:
    login_as(Role.ADMIN)
    response = register(client, url=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert f'value="{url}"' in html  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0


def test_a_name_resolving_to_a_private_address_is_refused(client, login_as, monkeypatch) -> None:
    login_as(Role.ADMIN)
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("192.168.1.20", 0))])
    assert register(client, url="https://intranet.example.com/hook").status_code == 400


def test_the_development_setting_allows_a_local_receiver(app, client, login_as, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_HOSTS", True)
    login_as(Role.ADMIN)
    assert register(client, url="http://127.0.0.1:9000/hook").status_code == 302


def test_a_disabled_endpoint_gets_no_new_deliveries_and_a_failed_one_can_be_redelivered(client, login_as) -> None:
    login_as(Role.ADMIN)
    endpoint = add_endpoint()
    emit("lead.created", {"lead": {}})
    delivery = queued()[0]
    delivery.status, delivery.attempts, delivery.last_status_code = DeliveryStatus.FAILED.value, 8, 500
    db.session.commit()

    html = client.get(f"/app/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "HTTP 500" in html
    token = csrf_token_from(html)
    assert (
        client.post(f"/app/admin/webhooks/deliveries/{delivery.id}/redeliver", data={"csrf_token": token}).status_code
        == 302
    )
    db.session.refresh(delivery)
    assert (delivery.status, delivery.attempts) == ("pending", 0)

    assert client.post(f"/app/admin/webhooks/{endpoint.id}/disable", data={"csrf_token": token}).status_code == 302
    emit("lead.created", {"lead": {}})
    db.session.commit()
    assert len(queued()) == 1


def test_disabling_ends_the_queued_deliveries_at_once_and_enabling_lets_them_be_redelivered(client, login_as) -> None:
    login_as(Role.ADMIN)
    endpoint = add_endpoint()
    emit("lead.created", {"lead": {}})
    db.session.commit()
    token = csrf_token_from(client.get(f"/app/admin/webhooks/{endpoint.id}").get_data(as_text=True))

    assert client.post(f"/app/admin/webhooks/{endpoint.id}/disable", data={"csrf_token": token}).status_code == 302
    (delivery,) = queued()
    db.session.refresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 0, "endpoint disabled")
    transport = StubTransport()
    assert str(deliver_due(transport=transport)) == "sent 0, retried 0, failed 0"
    assert transport.posts == []

    assert client.post(f"/app/admin/webhooks/{endpoint.id}/enable", data={"csrf_token": token}).status_code == 302
    redeliver = f"/app/admin/webhooks/deliveries/{delivery.id}/redeliver"
    assert client.post(redeliver, data={"csrf_token": token}).status_code == 302
    assert deliver_due(transport=transport).sent == 1


def test_consultants_and_visitors_cannot_use_the_webhook_pages(client, login_as, make_user) -> None:
    endpoint = add_endpoint()
    emit("lead.created", {})
    db.session.commit()
    delivery = queued()[0]
    urls = [
        ("get", "/app/admin/webhooks/"),
        ("post", "/app/admin/webhooks/"),
        ("get", f"/app/admin/webhooks/{endpoint.id}"),
        ("post", f"/app/admin/webhooks/{endpoint.id}/disable"),
        ("post", f"/app/admin/webhooks/deliveries/{delivery.id}/redeliver"),
    ]
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    for method, url in urls:
        response = getattr(client, method)(url, **({"data": {"csrf_token": token}} if method == "post" else {}))
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url
    login_as(Role.CONSULTANT)
    token = csrf_token_from(client.get("/auth/account").get_data(as_text=True))
    for method, url in urls:
        response = getattr(client, method)(url, **({"data": {"csrf_token": token}} if method == "post" else {}))
        assert response.status_code == 403, url
    assert endpoint.active and queued()[0].status == "pending"


def test_cli_send_posts_and_status_counts(app: Flask, runner, monkeypatch) -> None:
    add_endpoint()
    emit("lead.created", {})
    db.session.commit()
    monkeypatch.setattr("portal.core.webhooks.HttpTransport", StubTransport)
    assert runner.invoke(args=["webhooks", "send"]).output.strip() == "sent 1, retried 0, failed 0"
    assert "sent: 1" in runner.invoke(args=["webhooks", "status"]).output
