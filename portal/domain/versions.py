"""Optimistic locking: an edit form carries the row's version as the person saw it.

Every versioned record (lead, engagement, quote, certification body, accreditation)
refuses a change made from a form rendered before someone else's change. A caller that
brings no version (a bulk action, an import, a background job) is not checked; the
database's version column still stops two writes racing each other.
"""

from __future__ import annotations


def is_stale(current_version: int, expected_version: int | None) -> bool:
    """True when the record changed since the form showed `expected_version` (None: not checked)."""
    return expected_version is not None and expected_version != current_version
