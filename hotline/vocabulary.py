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
    "reviewing",
    "resolved",
    "closed",
    "merged",
)
OPEN_STATUSES = ("received", "dispatched", "accepted", "returned", "reviewing", "resolved")
RATINGS = ("satisfied", "basically_satisfied", "unsatisfied")
EMERGENCY_NUMBERS = ("110", "119", "120", "122")
# Joint handling (主办/协办): a part's role and the states of an assisting part.
PART_ROLES = ("lead", "assist")
PART_STATUSES = ("dispatched", "accepted", "contributed", "withdrawn")
# Why a department may ask to pause its clock (挂起).
PAUSE_REASONS = ("waiting_resident", "waiting_authority", "seasonal", "other")
# The four elements a reviewer checks in a reply (办结审核).
REPLY_CHECKLIST = ("answer", "basis", "result", "contact")
