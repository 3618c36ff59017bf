"""A real HTTP receiver on 127.0.0.1 that plays an ERP's webhook endpoint, failures and all."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ReceivedRequest:
    headers: dict[str, str]
    body: bytes
    answered: int
    signature_ok: bool
    at: float


@dataclass
class Receiver:
    """Answers the first `fail_first` requests with 500 (all of them with `fail_always`), then 200.

    A request whose signature does not verify gets 401.
    """

    secret: str = ""
    fail_first: int = 0
    fail_always: bool = False
    requests: list[ReceivedRequest] = field(default_factory=list)
    processed: dict[str, bytes] = field(default_factory=dict)
    """Events acted on, by event id: a second success for the same id is a duplicate, dropped."""
    duplicates: int = 0
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    def verify(self, headers: dict[str, str], body: bytes) -> bool:
        """Recomputes the signature the way an integrator's code would, from the documented rule."""
        fields = dict(part.split("=", 1) for part in headers.get("ordino-signature", "").split(","))
        if "t" not in fields or "v1" not in fields or abs(time.time() - int(fields["t"])) > 300:
            return False
        expected = hmac.new(
            self.secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, fields["v1"])

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            signature_ok = self.verify(headers, body)
            failing = self.fail_always or len(self.requests) < self.fail_first
            status = 401 if not signature_ok else 500 if failing else 200
            if status == 200:
                event_id = headers["ordino-event-id"]
                if event_id in self.processed:
                    self.duplicates += 1
                else:
                    self.processed[event_id] = body
            self.requests.append(
                ReceivedRequest(headers, body, status, signature_ok, time.monotonic())
            )
            self.arrived.notify_all()
            return status


@contextmanager
def running_receiver(receiver: Receiver) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            status = receiver.handle({k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ordino"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
