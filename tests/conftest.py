"""The suite's configuration: the fixtures live in the `tests.fixtures` plugin package.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings

# Property tests check behaviour, not speed: on a busy machine (CI runs two suites'
# worth of work on two cores) Hypothesis's timing checks would fail tests that are right.
settings.register_profile("portal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("portal")


def _one_redis_database_per_worker() -> None:
    """Under pytest-xdist, Redis-backed rate limits use one Redis database per worker (1, 2, ...).

    Every app a test builds (a second one behind a proxy included) then counts, and resets,
    only its own process's limits. Done here, before the fixtures import the portal,
    because portal.config reads the environment when it is imported.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    uri = os.environ.get("RATELIMIT_STORAGE_URI", "")
    if worker and uri.startswith("redis://"):
        database = int(worker.removeprefix("gw")) + 1
        os.environ["RATELIMIT_STORAGE_URI"] = urlsplit(uri)._replace(path=f"/{database}").geturl()


_one_redis_database_per_worker()


def pytest_configure(config: pytest.Config) -> None:
    """Build the hashed, precompressed static files once (as `make test` does) when they are missing,
    so that pages link to them as in production; the controller builds, before the workers start."""
    from pathlib import Path

    if hasattr(config, "workerinput") or (Path(__file__).parent.parent / "static/dist/manifest.json").is_file():
        return
    from portal import create_app
    from portal.web.assets import build

    build(create_app("development"))


pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.auth",
    "tests.fixtures.factories",
    "tests.fixtures.enquiry",
    "tests.fixtures.api",
    "tests.fixtures.production",
    "tests.fixtures.languages",
    "tests.fixtures.queries",
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
