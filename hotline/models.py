"""Import every model module so the metadata (and Alembic) sees the whole schema."""

from hotline.notifications.models import OptOut, OutboxMessage
from hotline.org.models import Department, OrgUnit
from hotline.sla.models import SlaMark
from hotline.tickets.models import Ticket, TicketCounter, TicketEvent
from hotline.users.models import User

__all__ = [
    "Department",
    "OptOut",
    "OrgUnit",
    "OutboxMessage",
    "SlaMark",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "User",
]
