"""Text-layer PDFs: words with boxes, fonts, lines, blocks and ruling lines, no OCR."""

from __future__ import annotations

from extraction.reading import read_document
from tests.extraction import reading_fixtures as make


def test_text_pdf_words_have_page_fraction_boxes_in_reading_order() -> None:
    page = read_document(make.text_pdf()).pages[0]

    assert page.source == "pdf"
    assert page.text.splitlines() == list(make.ORDER_TEXT)
    for word in page.words:
        assert 0 <= word.x0 < word.x1 <= 1 and 0 <= word.y0 < word.y1 <= 1
        assert word.ocr_confidence is None
    title, body = page.words[0], page.words[2]
    assert title.y0 < 0.1 and title.x0 < 0.15  # top-left of an A4 page, origin top-left
    assert body.y0 > title.y1


def test_text_pdf_words_carry_font_name_size_and_weight() -> None:
    words = {w.text: w for w in read_document(make.text_pdf()).pages[0].words}

    assert words["PURCHASE"].font_name == "Helvetica-Bold"
    assert words["PURCHASE"].bold and words["PURCHASE"].font_size == 18
    assert words["PO-4711"].font_name == "Helvetica" and not words["PO-4711"].bold
    assert words["PO-4711"].font_size == 11


def test_text_pdf_words_on_one_row_share_a_line_and_rows_close_together_a_block() -> None:
    page = read_document(make.text_pdf()).pages[0]
    by_text = {w.text: w for w in page.words}

    assert by_text["Order"].line_id == by_text["PO-4711"].line_id
    assert by_text["Order"].line_id != by_text["Delivery"].line_id
    assert by_text["Order"].block_id == by_text["Delivery"].block_id == by_text["EUR"].block_id
    assert by_text["PURCHASE"].block_id != by_text["Order"].block_id


def test_text_pdf_ruling_line_and_table_rectangle_become_rules() -> None:
    rules = read_document(make.text_pdf()).pages[0].rules

    kinds = sorted(rule.kind for rule in rules)
    assert kinds == ["line", "rect"]
    line = next(r for r in rules if r.kind == "line")
    rect = next(r for r in rules if r.kind == "rect")
    assert line.bbox[1] == line.bbox[3]  # horizontal
    assert rect.bbox[1] > line.bbox[1]  # the table sits below the line
    assert abs((rect.bbox[3] - rect.bbox[1]) - 100 / make.PAGE_HEIGHT) < 1e-3
