"""The Open311 GeoReport v2 channel: apps post service requests with an API key."""

from __future__ import annotations

from hotline.channels import Channel
from hotline.open311.views import bp

CHANNEL = Channel("open311", "/open311/", bp)
