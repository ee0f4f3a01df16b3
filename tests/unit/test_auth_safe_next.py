"""Only paths on this site are followed after login: never another host."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.auth.routes import safe_next


@pytest.mark.parametrize("target", ["/app/", "/app/admin/users?page=2", "/app/leads/5#notes"])
def test_local_paths_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "app/",
        "//evil.example/",
        "///evil.example/",
        "http://evil.example/",
        "https:/evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
        "/\tevil",
        " //evil.example",
    ],
)
def test_anything_else_is_refused(target):
    assert safe_next(target) is None


@given(st.text(alphabet=st.sampled_from("/\\:.@?#%abc \t\n"), max_size=12))
def test_an_accepted_target_never_leaves_the_site(target):
    accepted = safe_next(target)
    if accepted is not None:
        resolved = urlsplit(urljoin("https://portal.example/start", accepted))
        assert resolved.netloc == "portal.example"
        assert resolved.scheme == "https"
