"""Layout memory on key-value lists whose rows come and go: the value column moves with the
longest label printed, optional blocks are left out, a value is printed on one order and only
implied on the next. None of these is a disagreement between validated documents."""

from __future__ import annotations

from extraction.extractor import Analysis, DocumentHints, analyse_document
from extraction.layout_inference import CONFIDENCE_INFERRED
from extraction.layout_memory import (
    CONFIDENCE_SINGLE,
    Anchor,
    FieldMemory,
    FieldObservation,
    LayoutMemory,
    apply_layout_memory,
    learn_layout,
)
from extraction.masterdata import MasterData
from extraction.result import HEADER_FIELDS, Decision, ExtractedField, Extraction
from tests.extraction.test_extractor_values import page_of, read_of

Rows = list[list[tuple[str, float]]]


def _analysis(rows: Rows) -> Analysis:
    return analyse_document(read_of(page_of(rows)), master=MasterData(), hints=DocumentHints())


def _extraction(values: dict[str, ExtractedField], confidence: float = 0.2) -> Extraction:
    fields: dict[str, ExtractedField | None] = {
        name: values.get(name, ExtractedField(value=None, confidence=confidence))
        for name in HEADER_FIELDS
    }
    return Extraction(
        source="test",
        document_type="purchase_order",
        fields=fields,
        lines=[],
        decision=Decision(status="needs_review"),
        model_version="test",
    )


def _printed(analysis: Analysis, text: str, name: str) -> ExtractedField:
    """The field as an agent validates it: the value and where it is printed."""
    word = next(w for line in analysis.layout.lines for w in line.words if w.text == text)
    return ExtractedField(
        value=text, confidence=1.0, page=1, bbox=word.bbox, raw=text, method="agent"
    )


def _learn(rows: Rows, validated: dict[str, str]) -> LayoutMemory:
    analysis = _analysis(rows)
    fields = {name: _printed(analysis, text, name) for name, text in validated.items()}
    return learn_layout(
        None,
        layout=analysis.layout,
        hits=analysis.hits,
        candidates=analysis.candidates,
        validated=_extraction(fields, confidence=1.0),
        model_lines=[],
        sender=None,
    )


def _apply(memory: LayoutMemory, rows: Rows) -> Extraction:
    analysis = _analysis(rows)
    return apply_layout_memory(
        _extraction({}),
        memory,
        layout=analysis.layout,
        hits=analysis.hits,
        candidates=analysis.candidates,
    )


SHORT_LABELS: Rows = [
    [("Purchase", 0.1), ("order", 0.2), ("PO-1001", 0.45)],
    [("Currency:", 0.1), ("EUR", 0.45)],
    [("Deliver", 0.1), ("to", 0.19)],
    [("Bonnet-Hotellerie", 0.1)],
]


def test_a_value_beside_its_label_is_found_when_the_value_column_moves() -> None:
    memory = _learn(SHORT_LABELS, {"currency": "EUR"})
    longer_label_first = [
        [("Requested", 0.1), ("delivery", 0.22), ("date:", 0.32), ("2026-02-28", 0.6)],
        [("Currency:", 0.1), ("CHF", 0.6)],
    ]
    found = _apply(memory, longer_label_first).fields["currency"]
    assert found is not None and found.method == "layout_memory"
    assert found.value == "CHF"


def test_an_optional_block_left_out_is_known_absent_when_the_model_finds_nothing() -> None:
    memory = _learn(SHORT_LABELS, {"ship_to_name": "Bonnet-Hotellerie"})
    without_ship_to = SHORT_LABELS[:2]
    found = _apply(memory, without_ship_to).fields["ship_to_name"]
    assert found is not None and found.method == "layout_memory"
    assert found.value is None and found.confidence >= CONFIDENCE_SINGLE


def test_a_value_printed_once_and_implied_once_is_not_a_disagreement() -> None:
    printed = FieldObservation(
        kind="country",
        anchor=Anchor(
            words=("deliver", "to"), page=1, bbox=(0.5, 0.3, 0.6, 0.31), relation="below"
        ),
        offset=(0.0, 0.05, 0.05),
    )
    implied = FieldObservation(constant="CH")
    options = FieldMemory((printed, implied)).settled()
    assert options == [(printed, CONFIDENCE_SINGLE), (implied, CONFIDENCE_SINGLE)]


KEY_VALUES: Rows = [
    [("Order", 0.1), ("date:", 0.17), ("2026-01-20", 0.4)],
    [("Currency:", 0.1), ("EUR", 0.4)],
]


def test_a_field_first_printed_in_the_key_value_list_is_the_value_beside_its_label() -> None:
    memory = _learn(KEY_VALUES, {"order_date": "2026-01-20", "currency": "EUR"})
    with_terms = [
        KEY_VALUES[0],
        [("Payment", 0.1), ("terms:", 0.19), ("Net", 0.4), ("30", 0.44)],
        KEY_VALUES[1],
    ]
    found = _apply(memory, with_terms).fields["payment_terms_days"]
    assert found is not None and found.method == "layout_memory"
    assert found.value == "30" and found.confidence >= CONFIDENCE_INFERRED
    # a label outside the list's column of labels is not the list's
    elsewhere = [*KEY_VALUES, [("Payment", 0.5), ("terms:", 0.59), ("Net", 0.7), ("30", 0.74)]]
    other = _apply(memory, elsewhere).fields["payment_terms_days"]
    assert other is not None and other.method != "layout_memory"


def test_the_senders_own_name_is_taken_where_it_is_printed_this_time() -> None:
    signed: Rows = [[("Best", 0.1), ("regards,", 0.16)], [("Klein-Logistik", 0.1)]]
    memory = _learn(signed, {"customer_name": "Klein-Logistik"})
    a_line_longer: Rows = [signed[0], [("Anna-Wolf", 0.1)], [("Klein-Logistik", 0.1)]]
    found = _apply(memory, a_line_longer).fields["customer_name"]
    assert found is not None and found.method == "layout_memory"
    assert found.value == "Klein-Logistik"


GRID: Rows = [
    [("Order", 0.1), ("No.", 0.16), ("Date", 0.4)],
    [("PO-1001", 0.1), ("2026-01-20", 0.4)],
]


def test_a_field_first_printed_in_the_grid_of_labels_is_the_value_under_its_label() -> None:
    memory = _learn(GRID, {"po_number": "PO-1001", "order_date": "2026-01-20"})
    with_delivery: Rows = [
        [*GRID[0], ("Delivery", 0.6), ("date", 0.68)],
        [("PO-1002", 0.1), ("2026-01-21", 0.4), ("2026-02-28", 0.6)],
    ]
    found = _apply(memory, with_delivery).fields["requested_delivery_date"]
    assert found is not None and found.method == "layout_memory"
    assert found.value == "2026-02-28" and found.confidence >= CONFIDENCE_INFERRED
    # the same heading over an item table (no remembered label beside it) is not the grid's
    table: Rows = [
        *GRID,
        [("Item", 0.1), ("Delivery", 0.6), ("date", 0.68)],
        [("Bolt", 0.1), ("2026-03-02", 0.6)],
    ]
    other = _apply(memory, table).fields["requested_delivery_date"]
    assert other is not None and other.method != "layout_memory"
