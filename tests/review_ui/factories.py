"""Test data for the review screens: a real PDF order, read by the real reader, with an
extraction row whose PO number is wrong (it took the quotation number) — as a model would."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy.engine import Engine
from sqlmodel import Session

from extraction.pages import Page, ReadResult, pages_to_json
from extraction.reading import read_document
from extraction.result import HEADER_FIELDS
from models.blobs import BlobStore
from models.tables import Document, DocumentState, ExtractionRecord, Product, User, utcnow

PASSWORD = "correct horse battery"
RIGHT_PO = "PO-88412"
WRONG_PO = "Q-2231"

ORDER_LINES = (
    ("ACME-100", "Steel bracket 40 mm", "10", "2.50", "25.00"),
    ("ACME-200", "Hex bolt M8 <script>alert(1)</script>", "4", "12.00", "48.00"),
)


@lru_cache(maxsize=1)
def order_pdf() -> bytes:
    """One A4 page: the buyer's PO number, a quotation number nearby, two lines, totals."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(60, 790, "PURCHASE ORDER")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(60, 760, "Buyer: Dupont Industrie SA")
    pdf.drawString(60, 740, "Order number: " + RIGHT_PO)
    pdf.drawString(330, 740, "Your quotation: " + WRONG_PO)
    pdf.drawString(60, 720, "Order date: 2026-11-28")
    y = 670
    pdf.drawString(60, y, "Item")
    pdf.drawString(160, y, "Description")
    pdf.drawString(380, y, "Qty")
    pdf.drawString(430, y, "Price")
    pdf.drawString(500, y, "Total")
    for sku, description, qty, price, total in ORDER_LINES:
        y -= 20
        pdf.drawString(60, y, sku)
        pdf.drawString(160, y, description)
        pdf.drawString(380, y, qty)
        pdf.drawString(430, y, price)
        pdf.drawString(500, y, total)
    pdf.drawString(430, y - 40, "Subtotal")
    pdf.drawString(500, y - 40, "73.00")
    pdf.drawString(430, y - 60, "Total")
    pdf.drawString(500, y - 60, "73.00")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@lru_cache(maxsize=4)
def _read(data: bytes) -> ReadResult:
    return read_document(data, media_type="application/pdf")


def word_box(page: Page, text: str) -> list[float]:
    for word in page.words:
        if word.text == text:
            return [round(c, 5) for c in word.bbox]
    raise AssertionError(f"{text!r} is not on the page")


def _field(value: str, confidence: float, page: Page, word: str) -> dict[str, Any]:
    return {
        "value": value,
        "confidence": confidence,
        "page": 1,
        "bbox": word_box(page, word),
        "method": "model",
    }


def extraction_for(result: ReadResult) -> dict[str, Any]:
    page = result.pages[0]
    fields: dict[str, Any] = dict.fromkeys(HEADER_FIELDS)
    fields["po_number"] = _field(WRONG_PO, 0.41, page, WRONG_PO)
    fields["order_date"] = _field("2026-11-28", 0.97, page, "2026-11-28")
    fields["customer_name"] = {"value": "Dupont Industrie SA", "confidence": 0.96}
    fields["subtotal"] = _field("73.00", 0.98, page, "73.00")
    fields["total"] = {"value": "73.00", "confidence": 0.98}
    lines = []
    for sku, description, qty, price, total in ORDER_LINES:
        sku_box = word_box(page, sku)
        lines.append(
            {
                "sku": sku,
                "product_sku": sku,
                "description": description,
                "quantity": qty,
                "unit": "EA",
                "unit_price": price,
                "line_total": total,
                "confidence": 0.97,
                "page": 1,
                "bbox": [sku_box[0], sku_box[1], 0.95, sku_box[3]],
            }
        )
    return {
        "source": "order.pdf",
        "document_type": "purchase_order",
        "document_type_confidence": 0.99,
        "language": "en",
        "pages": 1,
        "fields": fields,
        "lines": lines,
        "customer_id": None,
        "decision": {
            "status": "needs_review",
            "reasons": [
                "po_number: low confidence in value (0.41)",
                "customer not found in the master data",
            ],
        },
        "model_version": "test-model-1",
    }


@dataclass(frozen=True)
class ReviewDocument:
    document_id: int
    extraction: dict[str, Any]


def add_review_document(
    engine: Engine,
    blobs: BlobStore,
    *,
    filename: str = "order.pdf",
    age_minutes: int = 30,
    pdf: bytes | None = None,
    reasons: list[str] | None = None,
    sender_email: str | None = "buyer@dupont.example",
    source: str = "mail",
) -> ReviewDocument:
    """A needs_review document with its original, its pages JSON and one extraction row."""
    data = pdf or order_pdf()
    result = _read(data)
    sha = blobs.put(data)
    read_blob = blobs.put(json.dumps(pages_to_json(result)).encode())
    extraction = extraction_for(result)
    with Session(engine) as session:
        document = Document(
            source=source,
            filename=filename,
            sha256=sha,
            media_type="application/pdf",
            size_bytes=len(data),
            pages=1,
            state=DocumentState.NEEDS_REVIEW,
            dedupe_key=f"test:{uuid.uuid4().hex}",
            sender_email=sender_email,
            read_blob=read_blob,
            review_reasons=reasons or extraction["decision"]["reasons"],
            received_at=utcnow() - timedelta(minutes=age_minutes),
        )
        session.add(document)
        session.flush()
        assert document.id is not None
        session.add(
            ExtractionRecord(document_id=document.id, model_version="test-model-1", data=extraction)
        )
        for sku, description, _qty, price, _total in ORDER_LINES:
            if session.get(Product, sku) is None:
                session.add(
                    Product(
                        sku=sku,
                        description=description,
                        unit="EA",
                        unit_price=Decimal(price),
                        currency="EUR",
                    )
                )
        session.commit()
        assert document.id is not None
        return ReviewDocument(document_id=document.id, extraction=extraction)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """One argon2 hash of PASSWORD shared by the test users (hashing is slow on purpose)."""
    return PasswordHasher().hash(PASSWORD)


def add_user(engine: Engine, username: str, *, role: str = "agent") -> User:
    with Session(engine, expire_on_commit=False) as session:
        user = User(username=username, role=role, password_hash=_password_hash())
        session.add(user)
        session.commit()
        return user
