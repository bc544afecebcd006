"""Import every model module so the metadata (and Alembic) sees the whole schema."""

from hotline.attachments.models import Attachment
from hotline.channels.webhooks import ProcessedWebhook
from hotline.early_warning.models import EarlyWarning
from hotline.interop.models import InteropKey, InteropLink
from hotline.knowledge.models import KnowledgeArticle
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.open311.models import ApiKey, Open311Request
from hotline.org.models import Department, OrgUnit
from hotline.routing.models import RoutingFeedback, RuleAutodispatch
from hotline.search.models import SavedFilter
from hotline.sla.models import SlaMark
from hotline.stats.models import StatsArea, StatsDaily, StatsWatermark
from hotline.tickets.models import Ticket, TicketCounter, TicketEvent, TicketTrace
from hotline.topics.models import Topic, TopicTask
from hotline.twilio.models import CallRecording, CallSession
from hotline.users.models import User

__all__ = [
    "ApiKey",
    "Attachment",
    "Open311Request",
    "CallRecording",
    "CallSession",
    "ProcessedWebhook",
    "Department",
    "EarlyWarning",
    "InteropKey",
    "InteropLink",
    "KnowledgeArticle",
    "OptOut",
    "OrgUnit",
    "OutboxMessage",
    "SavedFilter",
    "RoutingFeedback",
    "RuleAutodispatch",
    "SlaMark",
    "StatsArea",
    "StatsDaily",
    "StatsWatermark",
    "Ticket",
    "TicketCounter",
    "TicketTrace",
    "TicketEvent",
    "Topic",
    "TopicTask",
    "User",
]
