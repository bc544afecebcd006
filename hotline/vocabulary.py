"""The product's vocabulary (DOMAIN.md) as codes, in one place, importable without Flask."""

from __future__ import annotations

LEVELS = ("city", "district", "township", "community")
FUNCTIONS = (
    "general",
    "urban_management",
    "housing",
    "water",
    "utilities",
    "transport",
    "traffic_police",
    "public_security",
    "environment",
    "market_regulation",
    "human_resources",
    "health",
    "education",
    "civil_affairs",
    "natural_resources",
    "agriculture",
    "emergency_management",
)
TYPES = ("consultation", "help", "suggestion", "complaint", "report", "praise")
CHANNELS = ("web", "phone", "sms", "open311", "api")
STATUSES = (
    "received",
    "answered",
    "dispatched",
    "accepted",
    "returned",
    "resolved",
    "closed",
    "merged",
)
OPEN_STATUSES = ("received", "dispatched", "accepted", "returned", "resolved")
RATINGS = ("satisfied", "basically_satisfied", "unsatisfied")
EMERGENCY_NUMBERS = ("110", "119", "120", "122")
# A follow-up call's outcome; three not reached close the ticket as unreachable (未接通).
CALL_OUTCOMES = ("reached", "not_reached", "refused")
FOLLOWUP_RESULTS = ("unreachable", "refused")
FOLLOWUP_MAX_ATTEMPTS = 3
