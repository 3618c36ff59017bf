"""Customer part numbers learnt from corrections: a line whose product an agent corrected, and
which prints the customer's own item number, teaches that number → the seller's SKU."""

from __future__ import annotations

from collections.abc import Sequence

from extraction.masterdata import CustomerItemRecord
from extraction.normalize import normalize_identifier
from extraction.result import ExtractedLine


def learned_customer_items(
    *,
    customer_id: str | None,
    model_lines: Sequence[ExtractedLine],
    validated_lines: Sequence[ExtractedLine],
) -> list[CustomerItemRecord]:
    """One record per validated line whose product the model had wrong or missing and whose
    printed item number is not the seller's SKU itself.

    Model and validated lines are paired by position when the agent kept their number, else by
    the printed item number.
    """
    if customer_id is None:
        return []
    paired = _pairs(model_lines, validated_lines)
    learned: dict[str, CustomerItemRecord] = {}
    for model_line, line in paired:
        if line.product_sku is None or not line.sku:
            continue
        if model_line is not None and model_line.product_sku == line.product_sku:
            continue
        printed = normalize_identifier(line.sku)
        if printed == normalize_identifier(line.product_sku):
            continue
        learned[printed] = CustomerItemRecord(
            customer_id=customer_id, customer_sku=line.sku.strip(), sku=line.product_sku
        )
    return list(learned.values())


def _pairs(
    model_lines: Sequence[ExtractedLine], validated_lines: Sequence[ExtractedLine]
) -> list[tuple[ExtractedLine | None, ExtractedLine]]:
    if len(model_lines) == len(validated_lines):
        return list(zip(model_lines, validated_lines, strict=True))
    by_sku = {normalize_identifier(m.sku): m for m in model_lines if m.sku}
    return [
        (by_sku.get(normalize_identifier(v.sku)) if v.sku else None, v) for v in validated_lines
    ]
