"""Daily aggregates of the three rates, kept by an idempotent job with a watermark."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.extensions import db, rows_where
from hotline.sla.models import SlaMark
from hotline.tickets.models import Ticket, TicketEvent

# The counts behind the figures, one column each in both aggregate tables.
COUNTS = ("received", "dispatched", "signed_in_time", "rated", "satisfied", "solved",
          "unreachable", "refused")  # fmt: skip
# The counts only the monthly assessment (考核) reads: in the fine table and the monthly sums
# of departments and of streets (districts are their prefixes), the tables it reads.
ASSESSED = ("resolved", "resolved_in_time", "excluded")
# The deductions of the assessment, counted on the day they happened (not the ticket's).
DEDUCTED = ("red_cards", "refused_returns", "replies_sent_back")


class Counts:
    """The count columns (COUNTS) every aggregate table of the rates carries."""

    received: Mapped[int] = mapped_column(default=0)
    dispatched: Mapped[int] = mapped_column(default=0)
    signed_in_time: Mapped[int] = mapped_column(default=0)
    rated: Mapped[int] = mapped_column(default=0)
    satisfied: Mapped[int] = mapped_column(default=0)
    solved: Mapped[int] = mapped_column(default=0)
    unreachable: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)


class Assessed:
    """The count columns (ASSESSED) of the tables the monthly assessment reads."""

    resolved: Mapped[int] = mapped_column(default=0)
    resolved_in_time: Mapped[int] = mapped_column(default=0)
    excluded: Mapped[int] = mapped_column(default=0)  # ratings excluded as unreasonable


class StatsDaily(Counts, Assessed, db.Model):
    """The counts behind the rates of the tickets created on one local day, per department,
    scope and district of the place (the grain every city- and district-level report needs).
    """

    __tablename__ = "stats_daily"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # local YYYY-MM-DD
    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)  # '' for none
    scope_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    # The street (township) of the place, or the place itself when it is no deeper.
    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)


class StatsWatermark(db.Model):
    """How far the aggregates are: every ticket change up to ``changed_until`` is counted, and
    the time-dependent counts (a sign-for limit passing) are as of ``as_of``.
    """

    __tablename__ = "stats_watermark"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    changed_until: Mapped[datetime] = mapped_column()
    as_of: Mapped[datetime] = mapped_column()


class StatsArea(Counts, db.Model):
    """The same counts summed per day, district of the scope and district of the place: a few
    hundred rows a day, so a year of a city's totals, days and districts reads in milliseconds.
    """

    __tablename__ = "stats_area"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    scope_district: Mapped[str] = mapped_column(String(12), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(12), primary_key=True)


class StatsMonthly(Counts, db.Model):
    """stats_daily summed per calendar month (YYYY-MM): a year of a city's departments is twelve
    months of rows, as many at 1 M tickets as at 5 M, where a year of days would be 365.
    """

    __tablename__ = "stats_monthly"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    # District before department: a district's departments are a range of the key.
    district_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope_code: Mapped[str] = mapped_column(String(12), primary_key=True)


class StatsDeptMonthly(Counts, Assessed, db.Model):
    """stats_daily summed per month and department (places left out): a city's department
    table for a year reads twelve times its departments, at 1 M tickets as at 5 M.
    """

    __tablename__ = "stats_dept_monthly"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope_code: Mapped[str] = mapped_column(String(12), primary_key=True)


class StatsStreetMonthly(Counts, Assessed, db.Model):
    """stats_daily summed per month, district of the scope and street of the place: a
    district's streets for a year, a few hundred rows a month.
    """

    __tablename__ = "stats_street_monthly"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    scope_district: Mapped[str] = mapped_column(String(12), primary_key=True)
    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)


class StatsDeduction(db.Model):
    """The red cards and refused reviews of one local day, per department and street of the
    ticket's place (or the place itself when no deeper): a month of them reads in milliseconds.
    """

    __tablename__ = "stats_deductions"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)  # '' for none
    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    red_cards: Mapped[int] = mapped_column(default=0)
    refused_returns: Mapped[int] = mapped_column(default=0)
    replies_sent_back: Mapped[int] = mapped_column(default=0)


class StatsPlace(db.Model):
    """Tickets of one local day per place (a community, or a street for tickets placed no
    deeper), department function and district of the scope: the cells of the hotspots.
    """

    __tablename__ = "stats_place"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    place: Mapped[str] = mapped_column(String(12), primary_key=True)
    scope_district: Mapped[str] = mapped_column(String(12), primary_key=True)
    function: Mapped[str] = mapped_column(String(40), primary_key=True)
    tickets: Mapped[int] = mapped_column(default=0)


class StatsPlaceMonthly(db.Model):
    """stats_place summed per month: read for the busiest places only (place after month)."""

    __tablename__ = "stats_place_monthly"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    place: Mapped[str] = mapped_column(String(12), primary_key=True)
    scope_district: Mapped[str] = mapped_column(String(12), primary_key=True)
    function: Mapped[str] = mapped_column(String(40), primary_key=True)
    tickets: Mapped[int] = mapped_column(default=0)


class StatsSpotMonthly(db.Model):
    """Tickets per month, place and district of the scope (all functions): the ranking of the
    hotspots reads a few thousand of these a month, however many tickets there are.
    """

    __tablename__ = "stats_spot_monthly"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    place: Mapped[str] = mapped_column(String(12), primary_key=True)
    scope_district: Mapped[str] = mapped_column(String(12), primary_key=True)
    tickets: Mapped[int] = mapped_column(default=0)


# Figures count paused clocks live: a partial index holds the few paused tickets only.
Index(
    "ix_tickets_paused_scope",
    Ticket.scope_code,
    **rows_where("paused_at IS NOT NULL"),
    postgresql_include=["department_code", "org_unit_code", "status", "emergency"],
    postgresql_ops={"scope_code": "varchar_pattern_ops"},
)

# The deductions' refresh finds the days of new red cards and review verdicts by index
# (thousands a month among millions of marks and tens of millions of events).
Index(
    "ix_sla_marks_overdue_created",
    SlaMark.created_at,
    **rows_where("kind = 'overdue'"),
    postgresql_include=["ticket_id"],
)
Index(
    "ix_ticket_events_reviews_at",
    TicketEvent.at,
    **rows_where("action IN ('review_request', 'review_reply')"),
    postgresql_include=["ticket_id"],
)
