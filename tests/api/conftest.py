"""An app with only the ERP API mounted, on a real database, and factories for its data."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.problems import install_problem_handlers
from api.routes import router
from models.auth import create_api_key
from models.blobs import BlobStore
from models.context import AppContext
from models.db import session_scope
from models.documents import NewDocument, create_document
from models.orders import approve_document
from models.tables import DocumentState


@dataclass
class RecordingQueue:
    """Stands in for the queue's bell: the tests check what would have been enqueued."""

    calls: list[tuple[int, str]] = field(default_factory=list)

    def __call__(self, document_id: int, stage: str) -> None:
        self.calls.append((document_id, stage))


Auth = dict[str, dict[str, str]]
"""Authorization headers by scope: auth["read"], auth["write"], auth["admin"]."""


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


def build_api_app(context: AppContext) -> FastAPI:
    app = FastAPI(title="Ordino", version="1.0.0")
    app.state.context = context
    install_problem_handlers(app)
    app.include_router(router, prefix="/api/v1")
    return app


@pytest.fixture
def api_context(
    db_engine: Engine, blobs: BlobStore, queue: RecordingQueue, tmp_path: Path
) -> AppContext:
    return AppContext(
        engine=db_engine,
        blobs=blobs,
        enqueue=queue,
        data_dir=tmp_path,
        secret_key="test-secret",
        max_upload_bytes=200_000,
        seller_name="Ordino Demo Supplies SAS",
        seller_vat_id="FR40303265045",
        environment="test",
    )


@pytest.fixture
def api_app(api_context: AppContext) -> FastAPI:
    return build_api_app(api_context)


@pytest.fixture
def client(api_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(api_app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def engine(api_context: AppContext) -> Engine:
    return api_context.engine


@pytest.fixture
def auth(engine: Engine) -> Auth:
    """Authorization headers for one key of each scope."""
    headers = {}
    with session_scope(engine) as session:
        for scope in ("read", "write", "admin"):
            created = create_api_key(session, name=f"erp-{scope}", scopes=[scope])
            headers[scope] = {"Authorization": f"Bearer {created.plaintext}"}
    return headers


_document_numbers = itertools.count(1)


def add_document(session: Session, *, state: DocumentState = DocumentState.NEEDS_REVIEW) -> int:
    number = next(_document_numbers)
    document, _ = create_document(
        session,
        new=NewDocument(
            source="upload",
            source_ref=f"test-{number}",
            filename=f"po-{number}.pdf",
            sha256=f"{number:064x}",
            media_type="application/pdf",
            size_bytes=1000,
            dedupe_key=f"test:{number}:{id(session)}",
        ),
    )
    document.state = state
    session.add(document)
    session.flush()
    assert document.id is not None
    return document.id


def extraction_payload(
    *, po_number: str = "PO-1", customer_id: str | None = "C001", lines: int = 2, **header: Any
) -> dict[str, Any]:
    fields = {
        "po_number": {"value": po_number},
        "order_date": {"value": "2026-11-30"},
        "currency": {"value": "EUR"},
        "customer_name": {"value": "Acme Industrie SA"},
        "subtotal": {"value": str(Decimal("12.50") * lines)},
        "tax_total": {"value": str(Decimal("2.50") * lines)},
        "total": {"value": str(Decimal("15.00") * lines)},
    }
    fields.update({name: {"value": value} for name, value in header.items()})
    return {
        "fields": fields,
        "customer_id": customer_id,
        "lines": [
            {
                "sku": f"A-{n}",
                "product_sku": f"SKU-{n}",
                "description": f"Widget {n}",
                "quantity": "5",
                "unit": "EA",
                "unit_price": "2.50",
                "line_total": "12.50",
            }
            for n in range(1, lines + 1)
        ],
    }


def add_order(session: Session, **extraction: Any) -> int:
    """A document approved by an agent, through the real service; returns the order id."""
    document_id = add_document(session)
    order = approve_document(
        session, document_id=document_id, extraction=extraction_payload(**extraction), actor="agent"
    )
    assert order.id is not None
    return order.id
