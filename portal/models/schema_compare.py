"""Rules shared by Alembic's env.py and the migration test when comparing models and database.

Expression indexes written by hand in a migration cannot be compared reliably by
Alembic (SQLite cannot reflect them; PostgreSQL reflects them with casts added), so
autogenerate, `flask db check` and the tests leave them out. Keep the list in step
with the migrations that create them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

HAND_WRITTEN_INDEXES = frozenset({"ix_leads_search_trgm"})


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic hook: skip the hand-written expression indexes."""
    return not (type_ == "index" and name in HAND_WRITTEN_INDEXES)


@contextmanager
def quiet_hand_written_index_warnings() -> Iterator[None]:
    """Silence Alembic's 'skipping expression-based index' warning for those indexes only."""
    names = "|".join(re.escape(name) for name in HAND_WRITTEN_INDEXES)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=f"autogenerate skipping .* index '({names})'", category=UserWarning)
        yield
