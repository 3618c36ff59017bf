"""The matched customer's name, printed on the document, is taken as the master data spells it."""

from __future__ import annotations

from extraction.extractor import printed_name
from extraction.layout import build_layout
from tests.extraction.test_extractor_tables import words_at
from tests.extraction.test_extractor_values import page_of, read_of

NAME = "Carter Laboratories plc"


def layout_of(*lines: str):
    return build_layout(read_of(page_of([words_at(line, 0.05) for line in lines])))


def test_an_ocr_misreading_of_the_name_is_the_name():
    assert printed_name(layout_of("Carter Laboratories pic"), NAME, "Carter Laboratories pic")
    assert not printed_name(layout_of("Harper Engineering plc"), NAME, "Harper Engineering plc")


def test_a_name_the_model_missed_counts_only_where_it_is_printed():
    assert printed_name(layout_of("Invoice to", "Carter Laboratori es plc"), NAME, None)
    assert not printed_name(layout_of("Invoice to", "Carter"), NAME, None)


def test_part_of_the_name_read_from_a_line_that_prints_it_all_is_the_name():
    assert printed_name(
        layout_of("Bon de commande Carter Laboratories plc"), NAME, "Laboratories plc"
    )
    assert not printed_name(layout_of("Laboratories plc"), NAME, "Laboratories plc")
    assert not printed_name(
        layout_of("Carter Laboratories plc", "Harper Engineering plc"), NAME, "Harper Engineering"
    )
