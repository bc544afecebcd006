"""The product's vocabulary (DOMAIN.md) as codes, in one place, importable without Flask.

Each set of codes is an enum (a ``StrEnum``: its members are the code strings themselves);
the tuples beside them list the plain codes for schemas, models and validators.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """The four levels of the network, top down."""

    CITY = "city"
    DISTRICT = "district"
    TOWNSHIP = "township"
    COMMUNITY = "community"


class Function(StrEnum):
    """What a department does (one per template department of each unit)."""

    GENERAL = "general"
    URBAN_MANAGEMENT = "urban_management"
    HOUSING = "housing"
    WATER = "water"
    UTILITIES = "utilities"
    TRANSPORT = "transport"
    TRAFFIC_POLICE = "traffic_police"
    PUBLIC_SECURITY = "public_security"
    ENVIRONMENT = "environment"
    MARKET_REGULATION = "market_regulation"
    HUMAN_RESOURCES = "human_resources"
    HEALTH = "health"
    EDUCATION = "education"
    CIVIL_AFFAIRS = "civil_affairs"
    NATURAL_RESOURCES = "natural_resources"
    AGRICULTURE = "agriculture"
    EMERGENCY_MANAGEMENT = "emergency_management"


class TicketType(StrEnum):
    """What the resident wants."""

    CONSULTATION = "consultation"
    HELP = "help"
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"
    REPORT = "report"
    PRAISE = "praise"


class Channel(StrEnum):
    """How the request came in."""

    WEB = "web"
    PHONE = "phone"
    SMS = "sms"
    OPEN311 = "open311"
    API = "api"
    POLICE_110 = "110"  # handed over by the 110 platform (非警务类诉求)


class Status(StrEnum):
    """Where a ticket stands (tickets.states moves it)."""

    RECEIVED = "received"
    ANSWERED = "answered"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    RESOLVED = "resolved"
    CLOSED = "closed"
    MERGED = "merged"


class Rating(StrEnum):
    """The resident's verdict on the result."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"


def codes(enum: type[StrEnum]) -> tuple[str, ...]:
    """Return the plain code strings of ``enum``, in declaration order."""
    return tuple(member.value for member in enum)


LEVELS = codes(Level)
FUNCTIONS = codes(Function)
TYPES = codes(TicketType)
CHANNELS = codes(Channel)
STATUSES = codes(Status)
OPEN = (Status.RECEIVED, Status.DISPATCHED, Status.ACCEPTED, Status.RETURNED, Status.RESOLVED)
OPEN_STATUSES = tuple(status.value for status in OPEN)
RATINGS = codes(Rating)
EMERGENCY_NUMBERS = ("110", "119", "120", "122")
