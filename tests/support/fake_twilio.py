"""A local HTTP server that plays Twilio's REST API for Messages.json."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class FakeTwilio:
    """Record every request; answer like Twilio, or fail with 500, or hang past a timeout."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.mode = "ok"  # "ok" | "fail" | "hang"
        # MMS media it serves (path -> (content type, bytes)), behind the account's basic auth.
        self.media: dict[str, tuple[str, bytes]] = {}
        self.hang_seconds = 3.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake.requests.append(
                    {"path": self.path, "form": {}, "auth": self.headers.get("Authorization")}
                )
                found = fake.media.get(self.path)
                if found is None or not self.headers.get("Authorization", "").startswith("Basic "):
                    self._send(404, {"code": 20404, "message": "not found", "status": 404})
                    return
                self.send_response(200)
                self.send_header("Content-Type", found[0])
                self.send_header("Content-Length", str(len(found[1])))
                self.end_headers()
                self.wfile.write(found[1])

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.requests.append(
                    {"path": self.path, "form": form, "auth": self.headers.get("Authorization")}
                )
                if fake.mode == "hang":
                    time.sleep(fake.hang_seconds)
                if fake.mode == "fail" or fake.mode == "hang":
                    self._send(
                        500, {"code": 20500, "message": "Internal Server Error", "status": 500}
                    )
                    return
                if not self.path.endswith("/Messages.json"):
                    self._send(404, {"code": 20404, "message": "not found", "status": 404})
                    return
                account = self.path.split("/")[3]
                self._send(
                    201,
                    {
                        "sid": "SM" + secrets.token_hex(16),
                        "account_sid": account,
                        "to": form.get("To"),
                        "from": form.get("From"),
                        "body": form.get("Body"),
                        "status": "queued",
                        "direction": "outbound-api",
                        "api_version": "2010-04-01",
                        "num_segments": "1",
                        "uri": f"/2010-04-01/Accounts/{account}/Messages/x.json",
                    },
                )

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout) before we answered

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
