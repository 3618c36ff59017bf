"""Plain text (an order typed in an e-mail body) laid out on a monospace grid, so that position
and alignment features work on it as on any page: one word per token, ~60 lines per page."""

from __future__ import annotations

import re
import textwrap

from extraction.pages import Page, ReadResult, Word
from extraction.reading.errors import EmptyDocumentError, TooManyPagesError
from extraction.reading.limits import ReadLimits
from extraction.reading.media_types import PLAIN_TEXT

LINES_PER_PAGE = 60
MIN_COLUMNS = 80
MAX_COLUMNS = 160
"""Longer lines are wrapped at a space, as a mail client would show them."""
FONT_SIZE = 10.0
CELL_WIDTH = 0.6 * FONT_SIZE
"""Points per character: a monospace glyph is 0.6 em wide."""
LINE_HEIGHT = 1.2 * FONT_SIZE
FONT_NAME = "monospace"
TAB_SIZE = 8
_TOKEN = re.compile(r"\S+")
_ENCODINGS = ("utf-8", "cp1252")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


class PlainTextReader:
    def score(self, media_type: str) -> int | None:
        return 10 if media_type == PLAIN_TEXT else None

    def read(self, data: bytes, limits: ReadLimits) -> ReadResult:
        text = decode_text(data)
        if not text.strip():
            raise EmptyDocumentError("The text has no words in it.")
        pages = text_pages(text)
        if len(pages) > limits.max_pages:
            raise TooManyPagesError(
                f"The text makes {len(pages)} pages; more than {limits.max_pages} are not read.",
                pages=len(pages),
                max_pages=limits.max_pages,
            )
        return ReadResult(pages, PLAIN_TEXT)


def decode_text(data: bytes, charset: str | None = None) -> str:
    """The bytes as text: the declared charset, a BOM, UTF-8, else Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    candidates = ((charset,) if charset else ()) + _ENCODINGS
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def grid_lines(text: str) -> list[str]:
    """The text as display lines: tabs expanded, over-long lines wrapped, form feeds kept as
    page breaks (a line holding just '\\f')."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        for part_index, part in enumerate(raw.split("\f")):
            if part_index:
                lines.append("\f")
            expanded = part.expandtabs(TAB_SIZE).rstrip()
            if len(expanded) <= MAX_COLUMNS:
                lines.append(expanded)
            else:
                lines.extend(
                    textwrap.wrap(
                        expanded, MAX_COLUMNS, drop_whitespace=True, break_long_words=True
                    )
                )
    return lines


def paginate(lines: list[str]) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for line in lines:
        if line == "\f" or len(pages[-1]) == LINES_PER_PAGE:
            pages.append([])
        if line != "\f":
            pages[-1].append(line)
    while len(pages) > 1 and not any(pages[-1]):
        pages.pop()
    return pages


def text_pages(text: str) -> tuple[Page, ...]:
    lines = grid_lines(text)
    columns = max(MIN_COLUMNS, max((len(line) for line in lines), default=0))
    width, height = columns * CELL_WIDTH, LINES_PER_PAGE * LINE_HEIGHT
    return tuple(
        Page(number, width, height, _grid_words(page_lines, columns), "text")
        for number, page_lines in enumerate(paginate(lines), start=1)
    )


def _grid_words(lines: list[str], columns: int) -> tuple[Word, ...]:
    words: list[Word] = []
    block = 0
    for row, line in enumerate(lines):
        if not line.strip():
            if words and words[-1].block_id == block:
                block += 1  # a blank line ends a paragraph
            continue
        for match in _TOKEN.finditer(line):
            words.append(
                Word(
                    text=match.group(0),
                    bbox=(
                        match.start() / columns,
                        row / LINES_PER_PAGE,
                        match.end() / columns,
                        (row + 1) / LINES_PER_PAGE,
                    ),
                    line_id=row,
                    block_id=block,
                    font_name=FONT_NAME,
                    font_size=FONT_SIZE,
                )
            )
    return tuple(words)
