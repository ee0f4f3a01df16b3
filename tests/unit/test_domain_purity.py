"""portal/domain holds pure rules: no Flask, no database, nothing else of the portal.

That is what lets the audit-time and matching rules run on plain data, in unit
tests and benchmarks, without an app or a session.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "portal" / "domain"
FORBIDDEN_ROOTS = {
    "flask",
    "flask_babel",
    "flask_login",
    "flask_sqlalchemy",
    "flask_wtf",
    "sqlalchemy",
    "werkzeug",
    "wtforms",
}


def imported_modules(path: Path) -> list[str]:
    """Absolute names of every module the file imports (relative imports resolved in portal.domain)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = "portal.domain" if node.level == 1 else "portal"
                names.append(f"{base}.{node.module}" if node.module else base)
            else:
                names.append(node.module or "")
    return names


def offending(module: str) -> bool:
    root = module.split(".")[0]
    if root in FORBIDDEN_ROOTS:
        return True
    return root == "portal" and not (module == "portal.domain" or module.startswith("portal.domain."))


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_nothing_impure(path):
    assert [m for m in imported_modules(path) if offending(m)] == []


def test_the_check_recognises_what_it_forbids():
    assert offending("flask") and offending("sqlalchemy.orm") and offending("portal.models")
    assert offending("portal.public.seo") and offending("portal")
    assert not offending("portal.domain.md5_tables") and not offending("decimal")
