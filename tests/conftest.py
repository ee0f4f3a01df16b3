"""The suite's configuration: the fixtures live in the `tests.fixtures` plugin package.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os

import pytest

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.auth",
    "tests.fixtures.factories",
    "tests.fixtures.enquiry",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) `@pytest.mark.postgres` tests unless TEST_DATABASE_URL points at PostgreSQL.

    CI runs the suite once per database, so these tests run in the PostgreSQL pass.
    """
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
