"""The layout memory kept in the database: an agent's approval is learnt the next time the
sender's layout is needed, and a corrected product with a printed customer part number becomes
a customer item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from extraction.extractor import extract_document
from extraction.pages import pages_to_json
from models.blobs import BlobStore
from models.layout_memory_store import load_layout_memory, record_validation
from models.layout_tables import LayoutExample
from models.tables import CustomerItem, Document, ExtractionRecord
from training.dataset import Sample, load_samples
from training.learning_eval import truth_extraction
from training.synth.corpus import generate_layout_series

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> list[Sample]:
    root = tmp_path_factory.mktemp("store-series")
    metas = generate_layout_series(
        root / "docs", family="en_title_number", customer_id="C0011", count=2, seed=11
    )
    return load_samples(metas, cache_dir=root / "reads", workers=1)


def _stored_document(session: Session, blobs: BlobStore, sample: Sample) -> Document:
    pages = blobs.put(json.dumps(pages_to_json(sample.read)).encode())
    document = Document(
        source="mail",
        filename=Path(sample.meta.path).name,
        sha256="0" * 64,
        media_type="application/pdf",
        dedupe_key=sample.meta.id,
        sender_email=sample.hints.sender_email,
        read_blob=pages,
    )
    session.add(document)
    session.flush()
    assert document.id is not None
    model = extract_document(
        sample.read, source=sample.meta.id, master=sample.master, model=None, hints=sample.hints
    )
    session.add(
        ExtractionRecord(document_id=document.id, model_version="rules", data=model.to_json())
    )
    return document


def test_approved_document_teaches_the_next_one_of_its_layout(
    sqlite_engine: Engine, blobs: BlobStore, series: list[Sample]
) -> None:
    first, second = series
    with Session(sqlite_engine) as session:
        document = _stored_document(session, blobs, first)
        validated = truth_extraction(first).to_json()
        assert document.id is not None
        session.add(
            ExtractionRecord(document_id=document.id, model_version="agent", data=validated)
        )
        record_validation(session, document_id=document.id, validated=validated)
        session.commit()

    with Session(sqlite_engine) as session:
        memory = load_layout_memory(
            session, blobs=blobs, sender_email=second.hints.sender_email, read=second.read
        )
        session.commit()
        assert memory is not None and memory.documents == 1
        example = session.exec(select(LayoutExample)).one()
        assert example.learnt_at is not None

    with Session(sqlite_engine) as session:
        again = load_layout_memory(
            session, blobs=blobs, sender_email=second.hints.sender_email, read=second.read
        )
        assert again is not None and again.documents == 1  # learnt once, not at every load


def test_corrected_product_with_printed_part_number_becomes_a_customer_item(
    sqlite_engine: Engine, blobs: BlobStore, series: list[Sample]
) -> None:
    sample = series[0]
    with Session(sqlite_engine) as session:
        document = _stored_document(session, blobs, sample)
        validated = truth_extraction(sample).to_json()
        validated["lines"][0]["sku"] = "CUST-4711"
        validated["lines"][0]["product_sku"] = "ODS-99999"
        assert document.id is not None
        record_validation(session, document_id=document.id, validated=validated)
        session.commit()
        items = session.exec(select(CustomerItem)).all()
    assert [(i.customer_id, i.customer_sku, i.sku, i.source) for i in items] == [
        (validated["customer_id"], "CUST-4711", "ODS-99999", "correction")
    ]
