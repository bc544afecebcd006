"""Queue a message inside the statement that makes its cause (PostgreSQL): the outbox row as a CTE.

The same row ``queue_message`` writes, with the per-phone limit and the opt-out decided by the
INSERT itself: intake makes a ticket and its receipt in one round trip. The body names the new
ticket's number, which only the statement knows: it is given as the parts around the number.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app

from hotline.core.phones import mask
from hotline.notifications.operations import COUNTED
from hotline.notifications.wake import wake, wake_after_commit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queued:
    """What became of a message queued inline: its row (None: queued before) and state."""

    id: int | None
    state: str | None
    refusal: str | None
    kind: str
    to: str

    def settle(self, committed: bool) -> None:
        """Log a refusal, and wake the drain (now if committed, else after the commit)."""
        if self.refusal is not None:
            log.warning("SMS %s to %s refused: %s", self.kind, mask(self.to), self.refusal)
        if self.state == "pending":
            wake() if committed else wake_after_commit()


def message_cte(
    kind: str, to: str, parts: list[str], dedup_prefix: str, now: Any, source: str = "t"
) -> tuple[str, dict[str, Any]]:
    """Return the CTE ``o`` (id, state, last_error) queueing a message about ``source``'s row.

    ``source`` is a CTE with the columns id and number; the body is ``parts`` joined by that
    number, the dedup key ``dedup_prefix`` followed by that id.
    """
    settings = current_app.config["HOTLINE"]
    per_hour, per_day = settings.sms_per_phone_hour, settings.sms_per_phone_day
    resident = kind.startswith("resident")
    limited = resident and bool(per_hour or per_day)
    params: dict[str, Any] = {"o_kind": kind, "o_to": to, "o_parts": parts,
                              "o_dedup": dedup_prefix, "o_now": now}  # fmt: skip
    if limited:
        params |= {
            "o_per_hour": per_hour,
            "o_per_day": per_day,
            "o_hour": now - timedelta(hours=1),
            "o_since": now - (timedelta(days=1) if per_day else timedelta(hours=1)),
            "o_hour_msg": f"per-phone limit: {per_hour} messages per hour",
            "o_day_msg": f"per-phone limit: {per_day} messages per day",
        }
    # Parameters used twice are cast: PostgreSQL must deduce one type for each.
    return _sql(resident, limited, source), params


@functools.cache
def _sql(resident: bool, limited: bool, source: str) -> str:
    refusal = "NULL::text"
    state = "'pending'"
    if limited:
        refusal = "lim.refusal"
        state = "CASE WHEN lim.refusal IS NULL THEN 'pending' ELSE 'limited' END"
    if resident:
        opted_out = "EXISTS (SELECT 1 FROM opt_outs WHERE phone = %(o_to)s::text)"
        state = f"CASE WHEN {opted_out} THEN 'skipped' ELSE {state} END"
    counted = ", ".join(f"'{s}'" for s in COUNTED)
    # The same counts as notifications.operations._over_limit, one index range on (to, created_at).
    lim = (
        ", (SELECT CASE"
        " WHEN %(o_per_hour)s::int > 0 AND count(*) FILTER (WHERE created_at > %(o_hour)s)"
        " >= %(o_per_hour)s::int THEN %(o_hour_msg)s::text"
        " WHEN %(o_per_day)s::int > 0 AND count(*) >= %(o_per_day)s::int THEN %(o_day_msg)s::text"
        " END AS refusal"
        " FROM outbox WHERE \"to\" = %(o_to)s::text AND kind LIKE 'resident%%'"
        f" AND state IN ({counted}) AND created_at > %(o_since)s) AS lim"
        if limited
        else ""
    )
    return (
        'o AS (INSERT INTO outbox (kind, "to", body, dedup_key, ticket_id, state, last_error,'
        " attempts, next_attempt_at, created_at)"
        f" SELECT %(o_kind)s, %(o_to)s::text, left(array_to_string(%(o_parts)s::text[], {source}.number),"
        f" 1600), %(o_dedup)s::text || {source}.id, {source}.id, {state}, {refusal}, 0,"
        f" %(o_now)s::timestamp, %(o_now)s::timestamp FROM {source}{lim}"
        " ON CONFLICT (dedup_key) DO NOTHING RETURNING id, state, last_error)"
    )
