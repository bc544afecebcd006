"""Queue a message inside the statement that makes its cause (PostgreSQL): the outbox row as a CTE.

The same row ``queue_message`` writes, with the per-phone limit and the opt-out decided by the
INSERT itself: intake makes a ticket and its receipt in one round trip. The body names the new
ticket's number, which only the statement knows: it is given as the parts around the number.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app

from hotline.core.phones import mask
from hotline.notifications.operations import COUNTED
from hotline.notifications.wake import wake, wake_after_commit

# Stands for the number in a body written before the number is known (the statement puts it in).
NUMBER_MARK = "\ufffe"
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
    kind: str, to: str, body: str, dedup_prefix: str, now: Any, source: str = "t"
) -> tuple[str, dict[str, Any]]:
    """Return the CTE ``o`` (id, state, last_error) queueing a message about ``source``'s row.

    ``source`` is a CTE with the columns id and number; the body is ``body`` with NUMBER_MARK
    replaced by that number, the dedup key ``dedup_prefix`` followed by that id.
    """
    settings = current_app.config["HOTLINE"]
    per_hour, per_day = settings.sms_per_phone_hour, settings.sms_per_phone_day
    resident = kind.startswith("resident")
    limited = resident and bool(per_hour or per_day)
    params: dict[str, Any] = {"o_to": to, "o_body": body, "o_now": now}
    sql = _sql(kind, dedup_prefix, per_hour if limited else 0, per_day if limited else 0, source)
    return sql, params


def _literal(text: str) -> str:
    """Return ``text`` as an SQL string literal in a statement psycopg fills in (% doubled)."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


@functools.cache
def _sql(kind: str, dedup_prefix: str, per_hour: int, per_day: int, source: str) -> str:
    # What is the same for every message of a kind is written into the statement: fewer
    # parameters to send, and the statement is still one text, prepared once per connection.
    resident = kind.startswith("resident")
    refusal = "NULL::text"
    state = "'pending'"
    if per_hour or per_day:
        refusal = "lim.refusal"
        state = "CASE WHEN lim.refusal IS NULL THEN 'pending' ELSE 'limited' END"
    if resident:
        opted_out = "EXISTS (SELECT 1 FROM opt_outs WHERE phone = %(o_to)s::text)"
        state = f"CASE WHEN {opted_out} THEN 'skipped' ELSE {state} END"
    counted = ", ".join(f"'{s}'" for s in COUNTED)
    hour_msg = _literal(f"per-phone limit: {per_hour} messages per hour")
    day_msg = _literal(f"per-phone limit: {per_day} messages per day")
    since = "1 day" if per_day else "1 hour"
    # The same counts as notifications.operations._over_limit, one index range on (to, created_at).
    lim = (
        ", (SELECT CASE"
        f" WHEN {per_hour} > 0 AND count(*) FILTER (WHERE created_at >"
        f" %(o_now)s::timestamp - interval '1 hour') >= {per_hour} THEN {hour_msg}"
        f" WHEN {per_day} > 0 AND count(*) >= {per_day} THEN {day_msg}"
        " END AS refusal"
        " FROM outbox WHERE \"to\" = %(o_to)s::text AND kind LIKE 'resident%%'"
        f" AND state IN ({counted}) AND created_at > %(o_now)s::timestamp - interval '{since}')"
        " AS lim"
        if per_hour or per_day
        else ""
    )
    return (
        'o AS (INSERT INTO outbox (kind, "to", body, dedup_key, ticket_id, state, last_error,'
        " attempts, next_attempt_at, created_at)"
        f" SELECT {_literal(kind)}, %(o_to)s::text,"
        f" left(replace(%(o_body)s::text, U&'\\{ord(NUMBER_MARK):04X}', {source}.number), 1600),"
        f" {_literal(dedup_prefix)} || {source}.id, {source}.id, {state}, {refusal}, 0,"
        f" %(o_now)s::timestamp, %(o_now)s::timestamp FROM {source}{lim}"
        " ON CONFLICT (dedup_key) DO NOTHING RETURNING id, state, last_error)"
    )
