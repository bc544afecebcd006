"""Import every model module so the metadata (and Alembic) sees the whole schema."""

from hotline.channels.webhooks import ProcessedWebhook
from hotline.knowledge.models import KnowledgeArticle
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.open311.models import ApiKey, Open311Request
from hotline.org.models import Department, OrgUnit
from hotline.sla.models import SlaMark
from hotline.stats.models import StatsArea, StatsDaily, StatsWatermark
from hotline.tickets.models import Ticket, TicketCounter, TicketEvent, TicketTrace
from hotline.twilio.models import CallRecording, CallSession
from hotline.users.models import User

__all__ = [
    "ApiKey",
    "Open311Request",
    "CallRecording",
    "CallSession",
    "ProcessedWebhook",
    "Department",
    "KnowledgeArticle",
    "OptOut",
    "OrgUnit",
    "OutboxMessage",
    "SlaMark",
    "StatsArea",
    "StatsDaily",
    "StatsWatermark",
    "Ticket",
    "TicketCounter",
    "TicketTrace",
    "TicketEvent",
    "User",
]
