"""The 110 channel: matters 110 hands over come in, emergency records and outcomes go out."""

from __future__ import annotations

from hotline.channels import Channel
from hotline.interop.operations import hand_emergency_to_110, hands_to_110, report_outcome
from hotline.interop.push import push_to_110
from hotline.interop.views import bp

# Always "configured": without HOTLINE_110_PUSH_URL the record is kept and logged, not lost.
CHANNEL = Channel(
    "110", "/api/v1/interop/", bp, sender=push_to_110, configured=lambda settings: True,
    kinds=("interop_110",), on_ticket=hand_emergency_to_110, wants_ticket=hands_to_110,
    on_status=report_outcome,
)  # fmt: skip
