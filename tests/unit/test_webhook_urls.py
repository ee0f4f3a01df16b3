"""Which addresses a webhook may be posted to (portal.domain.webhook_urls)."""

from __future__ import annotations

import pytest

from portal.domain.webhook_urls import HOST, PRIVATE, SCHEME, resolved_problem, url_problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://hooks.example.com/portal", None),
        ("https://93.184.215.14:8443/x", None),
        ("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x", None),
        ("http://hooks.example.com/portal", SCHEME),
        ("ftp://hooks.example.com/", SCHEME),
        ("hooks.example.com/portal", SCHEME),
        ("https:///path-only", HOST),
        ("https://user:secret@hooks.example.com/", HOST),
        ("https://hooks.example.com:99999/", HOST),
        ("https://localhost/x", PRIVATE),
        ("https://printer.local/x", PRIVATE),
        ("https://127.0.0.1/x", PRIVATE),
        ("https://10.0.0.1/x", PRIVATE),
        ("https://172.16.5.4/x", PRIVATE),
        ("https://192.168.0.10/x", PRIVATE),
        ("https://169.254.169.254/latest/meta-data", PRIVATE),
        ("https://100.64.0.1/x", PRIVATE),
        ("https://0.0.0.0/x", PRIVATE),
        ("https://[::1]/x", PRIVATE),
        ("https://[fd00::1]/x", PRIVATE),
        ("https://[::ffff:127.0.0.1]/x", PRIVATE),
    ],
)
def test_only_https_to_a_public_address_is_accepted(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def test_the_development_setting_allows_http_and_local_receivers_but_not_nonsense() -> None:
    assert url_problem("http://127.0.0.1:8000/hook", allow_private=True) is None
    assert url_problem("ftp://127.0.0.1/", allow_private=True) == SCHEME


def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    assert resolved_problem(["93.184.215.14"]) is None
    assert resolved_problem(["93.184.215.14", "10.0.0.7"]) == PRIVATE
    assert resolved_problem([]) == HOST
