"""Absolute links for e-mails and structured data, always from PUBLIC_BASE_URL.

Never from the request's Host header: a forged Host would otherwise put an attacker's
address into an e-mail carrying a live token. Works with and without a request (CLI, worker). In a request, the URL defaults apply as
in `url_for`: a public page's links keep the page's language (portal.web.languages).
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def absolute_url(endpoint: str, **values: Any) -> str:
    """The public address of `endpoint` with `values`, e.g. https://portal.example.om/app/leads/7."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    current_app.inject_url_defaults(endpoint, values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path
