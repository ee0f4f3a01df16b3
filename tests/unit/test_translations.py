"""`make translations` finds the strings translators need, from Python, pages and e-mails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_extraction_collects_python_page_and_email_strings(tmp_path):
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},  # as `make translations`: the data extractor is the portal's
    )
    catalogue = pot.read_text(encoding="utf-8")
    assert 'msgid "Please log in to open that page."' in catalogue  # _l() in portal/auth/session.py
    assert 'msgid "You have been logged out."' in catalogue  # _() in a route's flash
    assert "templates/errors/" in catalogue  # a page
    assert "templates/emails/password_reset.txt" in catalogue  # an e-mail
    assert "#: .venv" not in catalogue
    # The reference data's names, from the seed files (portal.core.reference_names.extract).
    assert 'msgid "Sohar"' in catalogue and 'msgid "Information security management systems"' in catalogue
    assert 'msgid "Food products, beverages and tobacco"' in catalogue
