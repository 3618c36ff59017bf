"""`ordino eval`'s touchless rates: of all documents, of orders, of known customers' orders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extraction.masterdata import MasterData
from extraction.pages import ReadResult
from extraction.result import HEADER_FIELDS, Decision, DocumentType, Extraction
from training.dataset import Sample
from training.evaluate import DocumentOutcome, metrics
from training.synth.corpus import SampleMeta


def outcome(
    i: int, *, customer_id: str | None, approved: bool, kind: DocumentType = "purchase_order"
) -> DocumentOutcome:
    meta = SampleMeta(f"s{i}", "family", "pdf", "en", kind, Path("x.pdf"), Path("x.json"), "test")
    truth: dict[str, Any] = {
        "document_type": kind,
        "customer_id": customer_id,
        "fields": {},
        "lines": [],
    }
    extraction = Extraction(
        source=meta.id,
        document_type=kind,
        fields=dict.fromkeys(HEADER_FIELDS),
        customer_id=customer_id,
        decision=Decision(status="auto_approved" if approved else "needs_review"),
        pages=1,
    )
    sample = Sample(meta, ReadResult((), "application/pdf"), truth, MasterData())
    return DocumentOutcome(sample, extraction, seconds=0.01)


def test_touchless_of_known_customers_orders_leaves_out_new_customers_and_non_orders():
    outcomes = [
        outcome(1, customer_id="C1", approved=True),
        outcome(2, customer_id="C2", approved=False),
        outcome(3, customer_id=None, approved=False),  # a new customer: always reviewed
        outcome(4, customer_id=None, approved=False, kind="invoice"),
    ]

    figures = metrics(outcomes)

    assert figures["touchless_rate"] == 1 / 4
    assert figures["touchless_rate_orders"] == 1 / 3
    assert figures["touchless_rate_known_customer_orders"] == 1 / 2
    assert figures["silent_errors"] == 0
