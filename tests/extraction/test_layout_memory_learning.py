"""Layout memory on real generated orders: one validated document teaches the next ones of its
layout; a mistaken validation does not flip a layout two documents agreed on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extraction.extractor import Analysis, analyse_document
from extraction.layout_memory import (
    CONFIDENCE_AGREED,
    CONFIDENCE_CONTESTED,
    MIN_SIMILARITY,
    LayoutMemory,
    apply_layout_memory,
    fingerprint_similarity,
    layout_fingerprint,
    learn_layout,
)
from extraction.result import ExtractedField, Extraction
from training.dataset import Sample, load_samples
from training.learning_eval import truth_extraction
from training.synth.corpus import generate_layout_series

pytestmark = pytest.mark.slow

FAMILY = "en_title_number"
OTHER_FAMILY = "de_title_number"


def _series(root: Path, family: str, count: int) -> list[Sample]:
    metas = generate_layout_series(
        root / family, family=family, customer_id="C0011", count=count, seed=11
    )
    return load_samples(metas, cache_dir=root / "reads", workers=1)


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> list[Sample]:
    return _series(tmp_path_factory.mktemp("layout-memory"), FAMILY, 4)


def _analysis(sample: Sample) -> Analysis:
    return analyse_document(sample.read, master=sample.master, hints=sample.hints)


def _learn(memory: LayoutMemory | None, sample: Sample, validated: Extraction) -> LayoutMemory:
    analysis = _analysis(sample)
    return learn_layout(
        memory,
        layout=analysis.layout,
        hits=analysis.hits,
        candidates=analysis.candidates,
        validated=validated,
        model_lines=[],
        sender=sample.hints.sender_email,
    )


def _apply(memory: LayoutMemory, sample: Sample) -> Extraction:
    """The memory applied over an extraction that knows nothing (every field absent)."""
    analysis = _analysis(sample)
    blank = truth_extraction(sample).model_copy(
        update={
            "fields": {
                name: ExtractedField(value=None, confidence=0.2) for name in sample.truth["fields"]
            },
            "lines": [],
        }
    )
    return apply_layout_memory(
        blank,
        memory,
        layout=analysis.layout,
        hits=analysis.hits,
        candidates=analysis.candidates,
        sender_email=sample.hints.sender_email,
    )


def _printed(sample: Sample, name: str) -> str | None:
    entry = sample.truth["fields"].get(name)
    return entry["value"] if entry and entry.get("bbox") else None


def test_one_validated_document_finds_the_printed_fields_of_the_next(
    series: list[Sample],
) -> None:
    memory = _learn(None, series[0], truth_extraction(series[0]))
    for sample in series[1:]:
        result = _apply(memory, sample)
        for name in ("po_number", "order_date", "subtotal", "tax_total", "total"):
            found = result.fields[name]
            assert found is not None and found.method == "layout_memory", name
            assert found.value == _printed(sample, name), name


def test_mistaken_validation_does_not_flip_a_layout_two_documents_agreed_on(
    series: list[Sample],
) -> None:
    first, second, mistaken, nxt = series
    memory = _learn(None, first, truth_extraction(first))
    memory = _learn(memory, second, truth_extraction(second))
    wrong_po = _printed(mistaken, "customer_number") or _printed(mistaken, "total")
    assert wrong_po is not None
    bad = truth_extraction(mistaken)
    bad.fields["po_number"] = ExtractedField(value=wrong_po, confidence=1.0, method="agent")
    memory = _learn(memory, mistaken, bad)
    found = _apply(memory, nxt).fields["po_number"]
    assert found is not None
    assert found.value == _printed(nxt, "po_number")
    assert found.confidence >= CONFIDENCE_AGREED


def test_one_document_against_one_leaves_the_field_to_an_agent(series: list[Sample]) -> None:
    first, mistaken, nxt = series[0], series[1], series[2]
    memory = _learn(None, first, truth_extraction(first))
    bad = truth_extraction(mistaken)
    bad.fields["total"] = ExtractedField(
        value=_printed(mistaken, "subtotal"), confidence=1.0, method="agent"
    )
    memory = _learn(memory, mistaken, bad)
    found = _apply(memory, nxt).fields["total"]
    assert found is not None and found.confidence <= CONFIDENCE_CONTESTED


def test_memory_survives_its_json_form(series: list[Sample]) -> None:
    memory = _learn(None, series[0], truth_extraction(series[0]))
    again = LayoutMemory.from_json(memory.to_json())
    assert again == replace(memory, fields=dict(memory.fields))
    assert _apply(again, series[1]).fields == _apply(memory, series[1]).fields


def test_fingerprint_tells_the_same_layout_from_another(
    series: list[Sample], tmp_path: Path
) -> None:
    other = _series(tmp_path, OTHER_FAMILY, 1)[0]
    prints = [layout_fingerprint(_analysis(s).layout) for s in (*series[:2], other)]
    assert fingerprint_similarity(prints[0], prints[1]) >= MIN_SIMILARITY
    assert fingerprint_similarity(prints[0], prints[2]) < MIN_SIMILARITY
