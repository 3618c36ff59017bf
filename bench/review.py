"""Review screens benchmark: server time per screen action, and the agent's effort per document.

    uv run python -m bench.review [--documents 10000] [--repeat 40] [--no-browser]

1. Server time: a SQLite database holding `--documents` documents waiting for review (each with
   its extraction row, reasons of a dozen kinds, ages over a week), served by the screens'
   router in-process. Every screen action is timed `--repeat` times inside the application (an
   ASGI middleware, so the HTTP client is not counted): median, min, max and p95 in ms, beside
   the cheapest request the application serves (a static file) measured in the same run.
   Target: p95 <= 100 ms for every action.
2. Effort: Debian's Chromium driven by Playwright validates a document whose PO number is wrong,
   the way an agent would (start reviewing, click the right word on the page image, approve),
   and counts the keystrokes and clicks it took; the order is then checked in the database so
   the count is of a validation that really happened. Target: <= 5.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session, SQLModel, col, select

import models.all_tables  # noqa: F401
from models.blobs import BlobStore
from models.db import make_engine
from models.tables import Document, DocumentState, ExtractionRecord, Order, User, utcnow
from tests.review_ui.conftest import build_app, sign_in
from tests.review_ui.factories import (
    PASSWORD,
    RIGHT_PO,
    add_review_document,
    add_user,
    extraction_for,
    order_pdf,
)

P95_TARGET_MS = 100.0
BASELINE = "static file (baseline)"
EFFORT_TARGET = 5
REASONS = (
    "po_number: low confidence in value (0.41)",
    "order_date: not found",
    "customer not found in the master data",
    "line 2: unknown item 'X-{n}'",
    "line 1: quantity × unit price ≠ line total",
    "sum of lines 120.00 ≠ subtotal 125.00",
    "subtotal 100.00 + tax 20.00 ≠ total 125.00",
    "line 3: unit price 12.00 differs from list price 10.00 by 20%",
    "unsure it is a purchase order (0.62)",
    "ship_to_city: low confidence in value (0.55)",
    "total: low confidence in value (0.70)",
    "no order total found",
)


def _fill(engine: Any, blobs: BlobStore, count: int) -> None:
    """`count` waiting documents in two bulk inserts (documents, then their extractions)."""
    from extraction.pages import pages_to_json
    from extraction.reading import read_document

    data = order_pdf()
    result = read_document(data, media_type="application/pdf")
    sha, read_blob = blobs.put(data), blobs.put(json.dumps(pages_to_json(result)).encode())
    extraction = extraction_for(result)
    rng = random.Random(7)
    now = utcnow()
    rows = []
    for n in range(count):
        received = now - timedelta(minutes=rng.randint(1, 60 * 24 * 8))
        reasons = [r.format(n=n % 50) for r in rng.sample(REASONS, rng.randint(1, 4))]
        rows.append(
            {
                "source": rng.choice(("mail", "fax", "folder", "upload")),
                "source_ref": f"bench-{n}",
                "filename": f"order-{n:05d}.pdf",
                "sha256": sha,
                "media_type": "application/pdf",
                "size_bytes": len(data),
                "pages": 1,
                "state": DocumentState.NEEDS_REVIEW.value,
                "attempts": 0,
                "dedupe_key": f"bench:{n}",
                "sender_email": f"buyer{n % 300}@customer{n % 97}.example",
                "sender_domain": f"customer{n % 97}.example",
                "read_blob": read_blob,
                "review_reasons": reasons,
                "received_at": received,
                "created_at": received,
                "updated_at": received,
            }
        )
    with Session(engine) as session:
        session.execute(insert(Document), rows)
        ids = session.exec(select(Document.id)).all()
        session.execute(
            insert(ExtractionRecord),
            [
                {"document_id": i, "model_version": "bench", "data": extraction, "created_at": now}
                for i in ids
            ],
        )
        session.commit()


class Timings:
    """Server-side milliseconds per action, recorded by a middleware around the application:
    wall time, and the process's CPU time (the client thread waits meanwhile), which a machine
    busy with other work does not inflate."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        wall, cpu = time.perf_counter(), time.process_time()
        response = await call_next(request)
        if self.current is not None:
            self.wall.setdefault(self.current, []).append((time.perf_counter() - wall) * 1000)
            self.cpu.setdefault(self.current, []).append((time.process_time() - cpu) * 1000)
        return response


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_server(documents: int, repeat: int, workdir: Path) -> bool:
    engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
    SQLModel.metadata.create_all(engine)
    blobs = BlobStore(workdir / "blobs")
    started = time.perf_counter()
    _fill(engine, blobs, documents)
    print(f"{documents} waiting documents inserted in {time.perf_counter() - started:.1f} s")
    screens = build_app(engine, blobs, workdir)
    timings = Timings()
    screens.app.middleware("http")(timings.middleware)
    add_user(engine, "alice")
    client = TestClient(screens.app, follow_redirects=False)
    token = sign_in(client, "alice", PASSWORD)
    htmx = {"HX-Request": "true", "X-CSRF-Token": token}
    with Session(engine) as session:
        ids = list(session.exec(select(Document.id).order_by(col(Document.received_at))).all())

    warming = True

    def timed(name: str, call: Callable[[], Any]) -> None:
        timings.current = None if warming else name
        response = call()
        timings.current = None
        if response.status_code >= 400:
            raise RuntimeError(f"{name}: HTTP {response.status_code}: {response.text[:300]}")

    client.get(f"/review/{ids[0]}/pages/1.png")  # the first rendering fills the cache
    for i in range(repeat + 1):  # a first, unrecorded round compiles templates, fills caches
        warming = i == 0
        doc = ids[i]
        timed(BASELINE, partial(client.get, "/static/screens.css"))
        timed("queue page", partial(client.get, "/queue"))
        timed(
            "queue, filtered by reason",
            partial(
                client.get, "/queue", params={"reason": "customer not found in the master data"}
            ),
        )
        timed(
            "queue, search",
            partial(
                client.get,
                "/queue",
                params={"q": f"order-{i:03d}"},
                headers={"HX-Request": "true", "HX-Target": "queue-results"},
            ),
        )
        timed(
            "start reviewing (claim next)",
            partial(client.post, "/queue/next", data={"csrf_token": token}),
        )
        timed("open validation screen", partial(client.get, f"/review/{doc}"))
        timed("page image (cached)", partial(client.get, f"/review/{doc}/pages/1.png"))
        timed(
            "save a field (picked word)",
            partial(
                client.post,
                f"/review/{doc}/save",
                data={"f:po_number": RIGHT_PO, "p:f:po_number": "1;0.2,0.1,0.3,0.12"},
                headers=htmx,
            ),
        )
        timed(
            "totals as you type",
            partial(
                client.post, f"/review/{doc}/preview", data={"l:0:quantity": "12"}, headers=htmx
            ),
        )
        timed("split a line", partial(client.post, f"/review/{doc}/lines/0/split", headers=htmx))
        timed("product lookup", partial(client.get, "/lookup/products", params={"q": "acme"}))
        timed(
            "approve",
            partial(
                client.post,
                f"/review/{doc}/approve",
                data={"csrf_token": token, "l:1:quantity": "3"},
            ),
        )
        timed("dashboard", partial(client.get, "/dashboard"))
    load = os.getloadavg()[0]
    print(f"\nserver time per action, ms, {repeat} runs each, {documents} documents (SQLite);")
    print(f"load average {load:.1f} on {os.cpu_count()} cores while measuring")
    worst_cpu = worst_wall = 0.0
    for label, samples in (("CPU", timings.cpu), ("wall", timings.wall)):
        baseline = statistics.median(samples[BASELINE])
        columns = f"{'median':>8} {'min':>8} {'max':>8} {'p95':>8} {'× baseline':>11}"
        print(f"\n{label + ' ms':34} {columns}")
        for name, values in samples.items():
            median, p95 = statistics.median(values), _p95(values)
            if name != BASELINE and label == "CPU":
                worst_cpu = max(worst_cpu, p95)
            if name != BASELINE and label == "wall":
                worst_wall = max(worst_wall, p95)
            print(
                f"{name:34} {median:8.1f} {min(values):8.1f} {max(values):8.1f} {p95:8.1f}"
                f" {median / baseline if baseline else 0:10.1f}x"
            )
    ok = worst_cpu <= P95_TARGET_MS
    print(
        f"\nworst p95: {worst_cpu:.1f} ms CPU, {worst_wall:.1f} ms wall "
        f"(target <= {P95_TARGET_MS:.0f} ms on an idle core, judged on CPU): "
        f"{'ok' if ok else 'MISSED'}"
    )
    return ok


def measure_effort(workdir: Path) -> bool:
    """Keystrokes and clicks to validate a document whose PO number is wrong, in Chromium."""
    import threading

    import uvicorn
    from playwright.sync_api import expect

    from tests.review_ui.browser import CHROMIUM, chromium, signed_in_page

    if not CHROMIUM.exists():
        print(f"effort: skipped, {CHROMIUM} is not installed (apt-get install -y chromium)")
        return True
    engine = make_engine(f"sqlite:///{workdir / 'effort.db'}")
    SQLModel.metadata.create_all(engine)
    blobs = BlobStore(workdir / "effort-blobs")
    doc = add_review_document(engine, blobs)
    add_user(engine, "alice")
    screens = build_app(engine, blobs, workdir)
    config = uvicorn.Config(
        screens.app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    actions: list[str] = []
    try:
        with chromium() as browser:
            page = signed_in_page(browser, f"http://127.0.0.1:{port}", "alice")
            started = time.perf_counter()
            page.keyboard.press("n")  # start reviewing: the oldest free document
            actions.append("key n")
            page.wait_for_url(f"**/review/{doc.document_id}")
            expect(page.locator("#f-po_number")).to_be_focused()
            page.locator(f'.page .word[title="{RIGHT_PO}"]').click()
            actions.append("click the right word")
            expect(page.locator("#f-po_number")).to_have_class("by-agent")
            page.keyboard.press("Control+Enter")
            actions.append("key Ctrl+Enter")
            page.wait_for_url("**/queue?approved=*")
            elapsed = time.perf_counter() - started
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    with Session(engine) as session:
        order = session.exec(select(Order).where(Order.document_id == doc.document_id)).one()
        assert order.po_number == RIGHT_PO, order.po_number
        assert session.exec(select(User)).first() is not None
    ok = len(actions) <= EFFORT_TARGET
    print(
        f"\neffort to validate a document with one wrong field: {len(actions)} actions"
        f" ({', '.join(actions)}), {elapsed:.1f} s wall in headless Chromium"
        f" (target <= {EFFORT_TARGET}): {'ok' if ok else 'MISSED'}"
    )
    return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ordino-bench-review-") as tmp:
        workdir = Path(tmp)
        fast = measure_server(args.documents, args.repeat, workdir)
        easy = True if args.no_browser else measure_effort(workdir)
    return 0 if fast and easy else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
