"""Customer part numbers learnt from a corrected product on a line."""

from __future__ import annotations

from extraction.layout_memory_items import learned_customer_items
from extraction.masterdata import CustomerItemRecord
from extraction.result import ExtractedLine


def _line(sku: str | None, product: str | None) -> ExtractedLine:
    return ExtractedLine(sku=sku, product_sku=product, quantity="1", confidence=0.5)


def test_corrected_product_on_a_line_printing_a_part_number_teaches_it() -> None:
    items = learned_customer_items(
        customer_id="C0001",
        model_lines=[_line("AB-77", None), _line("ODS-1", "ODS-1")],
        validated_lines=[_line("AB-77", "ODS-9"), _line("ODS-1", "ODS-1")],
    )
    assert items == [CustomerItemRecord(customer_id="C0001", customer_sku="AB-77", sku="ODS-9")]


def test_line_printing_the_sellers_own_sku_teaches_nothing() -> None:
    assert not learned_customer_items(
        customer_id="C0001",
        model_lines=[_line("ods-9", None)],
        validated_lines=[_line("ods-9", "ODS-9")],
    )


def test_product_the_model_already_had_right_teaches_nothing() -> None:
    assert not learned_customer_items(
        customer_id="C0001",
        model_lines=[_line("AB-77", "ODS-9")],
        validated_lines=[_line("AB-77", "ODS-9")],
    )


def test_lines_added_by_the_agent_are_paired_by_their_part_number() -> None:
    items = learned_customer_items(
        customer_id="C0001",
        model_lines=[_line("AB-77", "ODS-9")],
        validated_lines=[_line("XY-1", "ODS-2"), _line("AB-77", "ODS-9")],
    )
    assert [i.customer_sku for i in items] == ["XY-1"]


def test_no_customer_no_items() -> None:
    assert not learned_customer_items(
        customer_id=None, model_lines=[], validated_lines=[_line("AB-77", "ODS-9")]
    )
