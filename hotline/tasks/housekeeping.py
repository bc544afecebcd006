"""Small periodic chores."""

from __future__ import annotations

import logging

from hotline.tasks.app import with_app

log = logging.getLogger(__name__)


@with_app
def cleanup() -> int:
    """Remove expired rows that nothing reads any more (none yet); return how many."""
    return 0
