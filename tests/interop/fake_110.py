"""A local HTTP server that plays the 110 platform: it files records and answers receipts."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Fake110:
    """Keep every request; file each Idempotency-Key once; fail the next N pushes on request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.filed: dict[str, dict[str, Any]] = {}
        self.fail_next = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                key = self.headers.get("Idempotency-Key") or ""
                fake.requests.append(
                    {"body": body, "key": key, "auth": self.headers.get("Authorization")}
                )
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    self._send(503, {"error": "busy"})
                    return
                fake.filed.setdefault(key, body)
                self._send(200, {"receipt": f"JJ{list(fake.filed).index(key) + 1:06d}"})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/records"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Fake110:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
