"""Words of a text PDF are split where the PDF leaves a gap or changes font size without a
space character, and kept whole where their letters are merely kerned or letter-spaced."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extraction.reading import read_document

TOP = A4[1] - 100


def _words_of(draw: Callable[[Canvas], None]) -> list[str]:
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    draw(c)
    c.save()
    return [word.text for word in read_document(out.getvalue()).pages[0].words]


def _run(c: Canvas, x: float, text: str, *, font: str = "Helvetica", size: float = 10) -> float:
    """Draw `text` at x and return where it ends."""
    c.setFont(font, size)
    c.drawString(x, TOP, text)
    return x + c.stringWidth(text, font, size)


def test_a_small_gap_without_a_space_separates_words() -> None:
    def draw(c: Canvas) -> None:
        end = _run(c, 60, "67000")
        _run(c, end + 2.0, "Strasbourg")  # 0.2 em: less than a space, under pdfplumber's 3 pt

    assert _words_of(draw) == ["67000", "Strasbourg"]


def test_a_gap_in_small_print_separates_words() -> None:
    def draw(c: Canvas) -> None:
        end = _run(c, 60, "10", size=6)
        _run(c, end + 1.2, "Stk", size=6)

    assert _words_of(draw) == ["10", "Stk"]


def test_a_font_size_change_without_a_gap_separates_words() -> None:
    def draw(c: Canvas) -> None:
        end = _run(c, 60, "Total", font="Helvetica-Bold", size=12)
        _run(c, end, "1,234.50", size=9)

    assert _words_of(draw) == ["Total", "1,234.50"]


def test_normal_words_stay_whole_in_every_standard_font() -> None:
    line = "Sechskantschrauben M8 verzinkt 67000 Strasbourg Quantité 120"

    def draw(c: Canvas) -> None:
        for row, font in enumerate(("Helvetica", "Times-Roman", "Courier", "Helvetica-Bold")):
            for size in (6, 10, 16):
                c.setFont(font, size)
                c.drawString(60, TOP - row * 90 - size * 4, line)

    words = _words_of(draw)

    assert set(words) == set(line.split())
    assert len(words) == 12 * len(line.split())


def test_letter_spaced_words_stay_whole() -> None:
    def draw(c: Canvas) -> None:
        text = c.beginText(60, TOP)
        text.setFont("Helvetica", 8)
        text.setCharSpace(2.3)  # 0.29 em between all letters, as some headings are set
        text.textLine("Kontrollnummer 4711")
        c.drawText(text)

    assert _words_of(draw) == ["Kontrollnummer", "4711"]
