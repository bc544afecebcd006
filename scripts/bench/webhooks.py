"""Time the Twilio webhooks of a running server with signed requests; print median and p99.

    HOTLINE_TWILIO_DEV_MODE=1 .venv/bin/python scripts/bench/webhooks.py --url http://127.0.0.1:5000

The token is TWILIO_AUTH_TOKEN (or the dev token in dev mode) and the signed URL is
HOTLINE_PUBLIC_URL when set, exactly as the server checks them.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time

import requests
from twilio.request_validator import RequestValidator


def main() -> None:
    """Send a few hundred webhooks of each kind and report their latency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('HOTLINE_PORT', 5000)}")
    parser.add_argument("-n", type=int, default=300, help="requests per kind")
    args = parser.parse_args()
    dev = os.environ.get("HOTLINE_TWILIO_DEV_MODE", "").lower() in ("1", "true", "yes", "on")
    token = os.environ.get("TWILIO_AUTH_TOKEN") or ("dev" if dev else None)
    if token is None:
        raise SystemExit(
            "set TWILIO_AUTH_TOKEN (as the server has it) or HOTLINE_TWILIO_DEV_MODE=1"
        )
    validator = RequestValidator(token)
    signed_base = (os.environ.get("HOTLINE_PUBLIC_URL") or args.url).rstrip("/")
    http = requests.Session()

    def post(path: str, form: dict[str, str]) -> float:
        signature = validator.compute_signature(signed_base + path, form)
        start = time.perf_counter()
        response = http.post(args.url + path, data=form, headers={"X-Twilio-Signature": signature})
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code >= 400:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")
        return elapsed

    run = secrets.token_hex(3)

    def sms_new(i: int) -> float:
        # A fresh phone each time: every message opens a ticket (the slowest SMS path).
        phone = f"+86139{int(run, 16) % 1000:03d}{i:05d}"
        return post("/twilio/sms", {"MessageSid": f"SM{run}{i:026d}", "From": phone,
                                    "Body": "小区门口有人乱停车，堵住了消防通道"})  # fmt: skip

    def sms_retry(i: int) -> float:
        return post("/twilio/sms", {"MessageSid": f"SM{run}{0:026d}", "From": "+8613900000000",
                                    "Body": "重复"})  # fmt: skip

    def voice_answer(i: int) -> float:
        return post("/twilio/voice", {"CallSid": f"CA{run}{i:026d}", "From": "+8613800000000"})

    def voice_menu(i: int) -> float:
        return post("/twilio/voice/menu", {"CallSid": f"CA{run}{i:026d}", "Digits": "1"})

    def call_status(i: int) -> float:
        form = {"CallSid": f"CA{run}{i:026d}", "CallStatus": "completed", "CallDuration": "30"}
        return post("/twilio/voice/status", form)

    print(f"{args.n} signed requests per kind against {args.url}")
    print(f"{'webhook':<28}{'median ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, func in (("sms (new ticket)", sms_new), ("sms (same MessageSid)", sms_retry),
                       ("voice answer", voice_answer), ("voice menu key", voice_menu),
                       ("call status callback", call_status)):  # fmt: skip
        times = sorted(func(i) for i in range(args.n))
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"{name:<28}{statistics.median(times):>10.1f}{p99:>10.1f}{times[-1]:>10.1f}")


if __name__ == "__main__":
    main()
