"""Plain text (an e-mail body) becomes pages of words on a monospace grid."""

from __future__ import annotations

import pytest

from extraction.reading import EmptyDocumentError, read_document
from extraction.reading.plain_text import LINES_PER_PAGE

ORDER_MAIL = (
    "Bonjour,\n"
    "\n"
    "merci de nous livrer :\n"
    "Réf.      Désignation          Qté\n"
    "A-100     Vis inox M8          120\n"
    "B-220\tÉcrous M8\t\t 60\n"
)


def test_plain_text_tokens_become_words_on_a_monospace_grid() -> None:
    page = read_document(ORDER_MAIL.encode("utf-8"), media_type="text/plain").pages[0]

    assert page.source == "text"
    assert page.text.splitlines() == [
        " ".join(line.split()) for line in ORDER_MAIL.splitlines() if line
    ]
    by_text = {w.text: w for w in page.words}
    # Columns typed with spaces line up: same x for the header and the values below it.
    assert by_text["Qté"].x0 == pytest.approx(by_text["120"].x0)
    assert by_text["Réf."].x0 == by_text["A-100"].x0 == 0
    assert by_text["Désignation"].x0 == pytest.approx(by_text["Vis"].x0)
    assert by_text["A-100"].y0 == pytest.approx(4 / LINES_PER_PAGE)  # fifth line
    assert by_text["Bonjour,"].block_id != by_text["merci"].block_id  # the blank line


def test_tabs_expand_to_stops_every_eight_columns() -> None:
    words = {w.text: w for w in read_document(ORDER_MAIL.encode()).pages[0].words}

    columns = 80  # the narrowest grid; every line here is shorter
    assert words["Écrous"].x0 == pytest.approx(8 / columns)
    assert words["60"].x0 == pytest.approx(33 / columns)


def test_long_text_is_split_into_pages_of_sixty_lines() -> None:
    body = "\n".join(f"line {n}" for n in range(1, 131)).encode()

    pages = read_document(body, media_type="text/plain; charset=utf-8").pages

    assert [len({w.line_id for w in p.words}) for p in pages] == [60, 60, 10]
    assert pages[1].words[0].text == "line" and pages[1].words[1].text == "61"
    assert pages[1].words[0].y0 == 0


def test_declared_charset_is_used_to_decode() -> None:
    page = read_document(
        "Qté livrée".encode("cp1252"), media_type="text/plain; charset=windows-1252"
    ).pages[0]
    assert page.text == "Qté livrée"


def test_blank_text_is_refused_as_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        read_document(b"  \n\n \t\n", media_type="text/plain")
