"""ERP API benchmark: listing orders with 100,000 in PostgreSQL, and webhook latency.

    uv run python -m bench.api [--orders 100000] [--requests 200] [--webhooks 30]

Listing: `GET /api/v1/orders?status=validated&exported=false&limit=100` at cursors spread over
the table, through the whole app (auth, query, lines, serialisation) in-process; the baseline in
the same run is the bare keyset SQL for the same pages. Target: p95 ≤ 50 ms.
Webhooks: an order is validated (committed), the commit bell wakes a pump thread, which
dispatches and delivers to a receiver on 127.0.0.1; latency is commit → request received.
Target: p50 ≤ 1 s. PostgreSQL at ORDINO_TEST_POSTGRES_URL (default 127.0.0.1:5432), in a
throwaway database dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models.all_tables  # noqa: F401
from api.problems import install_problem_handlers
from api.routes import router
from api.webhooks.bell import install_webhook_bell
from api.webhooks.pump import pump_webhooks
from api.webhooks.subscriptions import create_subscription
from models.auth import create_api_key
from models.blobs import BlobStore
from models.context import AppContext
from models.db import make_engine, session_scope
from models.documents import NewDocument, create_document
from models.orders import approve_document
from models.tables import DocumentState

PG_ADMIN_URL = os.environ.get(
    "ORDINO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

SETVAL = "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
LINES_SQL = "SELECT * FROM order_lines WHERE order_id = ANY(:ids) ORDER BY order_id, position"


@contextmanager
def throwaway_database() -> Iterator[Engine]:
    name = f"ordino_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        SQLModel.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def load_orders(engine: Engine, count: int, lines_per_order: int = 3) -> None:
    now = datetime.now(UTC)
    batch = 5000
    with engine.begin() as conn:
        for start in range(1, count + 1, batch):
            ids = range(start, min(start + batch, count + 1))
            conn.execute(
                sa.text(
                    "INSERT INTO documents (id, source, source_ref, filename, sha256, media_type, "
                    "size_bytes, state, attempts, dedupe_key, received_at, created_at, updated_at) "
                    "VALUES (:id, 'mail', '', 'po.pdf', :sha, 'application/pdf', 1000, "
                    "'validated', "
                    "0, :key, :now, :now, :now)"
                ),
                [{"id": i, "sha": f"{i:064x}", "key": f"bench:{i}", "now": now} for i in ids],
            )
            conn.execute(
                sa.text(
                    "INSERT INTO orders (id, document_id, status, po_number, customer_id, "
                    "customer_name, currency, subtotal, tax_total, total, header, approved_by, "
                    "validated_at, exported_at, version, created_at, updated_at) VALUES (:id, :id, "
                    "'validated', :po, :customer, 'Acme', 'EUR', 100, 20, 120, '{}', 'auto', :now, "
                    ":exported, 1, :now, :now)"
                ),
                [
                    {
                        "id": i,
                        "po": f"PO-{i}",
                        "customer": f"C{i % 500:03d}",
                        "now": now,
                        "exported": now if i % 4 == 0 else None,
                    }
                    for i in ids
                ],
            )
            conn.execute(
                sa.text(
                    "INSERT INTO order_lines (order_id, position, sku, description, quantity, "
                    "unit, unit_price, line_total) VALUES (:order, :pos, 'A-1', 'Widget', 5, "
                    "'EA', 2.5, 12.5)"
                ),
                [{"order": i, "pos": p} for i in ids for p in range(1, lines_per_order + 1)],
            )
        for table in ("documents", "orders", "order_lines"):
            conn.execute(sa.text(SETVAL.format(table=table)))
        conn.execute(sa.text("ANALYZE"))


def build_app(engine: Engine, data_dir: Path) -> FastAPI:
    app = FastAPI()
    app.state.context = AppContext(
        engine=engine,
        blobs=BlobStore(data_dir / "blobs"),
        enqueue=lambda _d, _s: None,
        data_dir=data_dir,
        secret_key="bench",
        max_upload_bytes=10_000_000,
        seller_name="Bench SAS",
        seller_vat_id=None,
        environment="test",
    )
    install_problem_handlers(app)
    app.include_router(router, prefix="/api/v1")
    return app


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def describe(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name}: median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"min {min(ms):.1f}, max {max(ms):.1f} (n={len(ms)})"
    )


def bench_listing(engine: Engine, app: FastAPI, orders: int, requests: int) -> float:
    with session_scope(engine) as session:
        token = create_api_key(session, name="bench", scopes=["read"]).plaintext
    headers = {"Authorization": f"Bearer {token}"}
    from api.pagination import encode_cursor

    rng = random.Random(7)
    cursors = [encode_cursor(rng.randrange(0, orders - 500)) for _ in range(requests)]
    api_times: list[float] = []
    sql_times: list[float] = []
    with TestClient(app) as client:
        for warm in cursors[:10]:
            client.get(
                "/api/v1/orders",
                params={"status": "validated", "exported": "false", "cursor": warm},
                headers=headers,
            )
        for cursor in cursors:
            start = time.perf_counter()
            response = client.get(
                "/api/v1/orders",
                params={"status": "validated", "exported": "false", "limit": 100, "cursor": cursor},
                headers=headers,
            )
            api_times.append(time.perf_counter() - start)
            assert response.status_code == 200 and len(response.json()["data"]) == 100
    with engine.connect() as conn:
        for cursor_id in (rng.randrange(0, orders - 500) for _ in range(requests)):
            start = time.perf_counter()
            ids = conn.execute(
                sa.text(
                    "SELECT * FROM orders WHERE status = 'validated' AND exported_at IS NULL "
                    "AND id > :after ORDER BY id LIMIT 100"
                ),
                {"after": cursor_id},
            ).all()
            conn.execute(
                sa.text(LINES_SQL),
                {"ids": [row.id for row in ids]},
            ).all()
            sql_times.append(time.perf_counter() - start)
    print(describe("GET /orders page of 100 (API)", api_times))
    print(describe("same page, bare SQL (baseline)", sql_times))
    ratio = statistics.median(api_times) / statistics.median(sql_times)
    print(f"API / SQL median ratio: {ratio:.1f}x")
    return percentile(api_times, 0.95)


def bench_webhooks(engine: Engine, samples: int) -> float:
    arrivals: dict[int, float] = {}
    arrived = threading.Condition()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            import json

            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            order_id = json.loads(body)["data"]["order_id"]
            with arrived:
                arrivals.setdefault(order_id, time.perf_counter())
                arrived.notify_all()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    with session_scope(engine) as session:
        create_subscription(
            session,
            url=f"http://127.0.0.1:{server.server_address[1]}/hook",
            event_types=["order.validated"],
        )
    bell = threading.Event()
    stop = threading.Event()
    uninstall = install_webhook_bell(bell.set)

    def pump_loop() -> None:
        with httpx.Client(timeout=5) as client:
            while not stop.is_set():
                if bell.wait(1.0):
                    bell.clear()
                    pump_webhooks(engine, client=client)

    pumper = threading.Thread(target=pump_loop, daemon=True)
    pumper.start()
    latencies: list[float] = []
    try:
        for n in range(samples):
            with session_scope(engine) as session:
                document, _ = create_document(
                    session,
                    new=NewDocument(
                        source="upload",
                        source_ref="",
                        filename="po.pdf",
                        sha256=f"{n:064x}",
                        media_type="application/pdf",
                        size_bytes=1,
                        dedupe_key=f"hook:{n}",
                    ),
                )
                document.state = DocumentState.NEEDS_REVIEW
                session.flush()
                assert document.id is not None
            with session_scope(engine) as session:
                order = approve_document(
                    session,
                    document_id=document.id,
                    extraction={"fields": {"po_number": {"value": f"H-{n}"}}, "lines": []},
                    actor="bench",
                )
                order_id = order.id
            committed = time.perf_counter()
            with arrived:
                arrived.wait_for(lambda: order_id in arrivals, timeout=10)  # noqa: B023
            assert order_id in arrivals, "the webhook never arrived"
            latencies.append(arrivals[order_id] - committed)
    finally:
        stop.set()
        uninstall()
        pumper.join(timeout=5)
        server.shutdown()
        server.server_close()
    print(describe("webhook latency, validation commit → receiver", latencies))
    return statistics.median(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--webhooks", type=int, default=30)
    args = parser.parse_args()
    with throwaway_database() as engine, tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        load_orders(engine, args.orders)
        print(
            f"loaded {args.orders} orders with 3 lines each in {time.perf_counter() - start:.1f} s"
        )
        p95 = bench_listing(engine, build_app(engine, Path(tmp)), args.orders, args.requests)
        p50 = bench_webhooks(engine, args.webhooks)
    print(
        f"targets: list p95 {p95 * 1000:.1f} ms ≤ 50 ms: {'ok' if p95 <= 0.05 else 'MISSED'}; "
        f"webhook p50 {p50 * 1000:.0f} ms ≤ 1000 ms: {'ok' if p50 <= 1.0 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
