"""A document surely not an order carries no order values; an order keeps them."""

from __future__ import annotations

from pathlib import Path

from extraction.extractor import extract_document
from extraction.model import DEFAULT_MODEL_DIR, load_model
from extraction.reading import read_document
from training.dataset import corpus_master_data
from training.synth import generate_corpus


def extraction_of(folder: Path, family: str):
    (meta,) = generate_corpus(folder, seed=5, count=1, families=[family], variants=("pdf",))
    read = read_document(meta.path.read_bytes(), filename=meta.path.name)
    model = load_model(DEFAULT_MODEL_DIR)
    return extract_document(read, source=meta.id, master=corpus_master_data(folder), model=model)


def test_a_remittance_advice_carries_no_order_values(tmp_path):
    extraction = extraction_of(tmp_path, "en_remittance")
    assert extraction.document_type == "remittance_advice"
    assert all(value is None for value in extraction.fields.values())
    assert extraction.lines == []
    assert extraction.decision.status != "auto_approved"


def test_a_purchase_order_keeps_its_values(tmp_path):
    extraction = extraction_of(tmp_path, "en_title_number")
    assert extraction.document_type == "purchase_order"
    assert extraction.field_value("po_number") is not None
    assert extraction.lines
