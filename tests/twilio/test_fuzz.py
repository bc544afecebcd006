"""Whatever residents type or key in, the webhooks answer with valid TwiML, never a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.twilio import new_sid, twiml

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
bodies = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="查询CXSTOP0123456789- 😀ab", max_size=30),
    st.sampled_from(["😀" * 50, "x" * 2000, "查询" + "9" * 40, "Pothole on Main St", "3", ""]),
)
senders = st.one_of(
    st.sampled_from(["+8613800000001", "13900000002", "+14155550100", ""]), st.text(max_size=20)
)


@FUZZ
@given(body=bodies, sender=senders)
def test_sms_always_answers_twiml(signed: Any, body: str, sender: str) -> None:
    root = twiml(signed("/twilio/sms", {"MessageSid": new_sid("SM"), "From": sender, "Body": body}))
    assert len(root.findall("Message")) <= 1


@FUZZ
@given(
    step=st.sampled_from(
        ["menu", "type", "matter", "matter-recorded", "place", "lookup", "dial-done", "message"]
    ),
    digits=st.one_of(st.text(max_size=20), st.text(alphabet="0123456789*#", max_size=20)),
    speech=st.text(max_size=300),
    confidence=st.sampled_from(["", "0.5", "nan", "abc", "-1"]),
)
def test_voice_steps_always_answer_twiml(
    signed: Any, step: str, digits: str, speech: str, confidence: str
) -> None:
    form = {"CallSid": new_sid("CA"), "From": "+8613800000003", "Digits": digits,
            "SpeechResult": speech, "Confidence": confidence}  # fmt: skip
    root = twiml(signed(f"/twilio/voice/{step}", form))
    assert root.find("Say") is not None or root.find("Gather") is not None
