"""The screens' test application: the review router and the ERP API on a real SQLite database,
with a queue that records what would be enqueued; and a real uvicorn server for the browser."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from api.problems import install_problem_handlers
from api.routes import router as api_router
from models.blobs import BlobStore
from models.context import AppContext
from review_ui.queue_query import forget_reason_tallies
from review_ui.routes import router as review_router


@dataclass
class RecordedQueue:
    calls: list[tuple[int, str]] = field(default_factory=list)

    def __call__(self, document_id: int, stage: str) -> None:
        self.calls.append((document_id, stage))


@dataclass(frozen=True)
class ScreensApp:
    app: FastAPI
    engine: Engine
    blobs: BlobStore
    queue: RecordedQueue


def build_app(engine: Engine, blobs: BlobStore, data_dir: Path) -> ScreensApp:
    queue = RecordedQueue()
    app = FastAPI()
    app.state.context = AppContext(
        engine=engine,
        blobs=blobs,
        enqueue=queue,
        data_dir=data_dir,
        secret_key="test-secret-key-for-the-screens",
        max_upload_bytes=5_000_000,
        seller_name="Ordino Test Supplies",
        seller_vat_id=None,
        environment="test",
    )
    install_problem_handlers(app)
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(review_router)
    return ScreensApp(app=app, engine=engine, blobs=blobs, queue=queue)


@pytest.fixture(autouse=True)
def _fresh_reason_tallies() -> Iterator[None]:
    yield
    forget_reason_tallies()


@pytest.fixture
def screens(sqlite_engine: Engine, blobs: BlobStore, tmp_path: Path) -> ScreensApp:
    return build_app(sqlite_engine, blobs, tmp_path)


@pytest.fixture
def client(screens: ScreensApp) -> Iterator[TestClient]:
    with TestClient(screens.app, follow_redirects=False) as test_client:
        yield test_client


_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF_RE.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/queue").text)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    url: str
    screens: ScreensApp


@pytest.fixture
def live_server(screens: ScreensApp) -> Iterator[LiveServer]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            screens.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 10 s")
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", screens=screens)
    server.should_exit = True
    thread.join(timeout=10)
