"""Which dash OCR saw: Tesseract reads a hyphen, an en dash and a middle dot alike as '-'.

A dash that stands alone between words is told apart by the shape of its ink (measured on the
page image: Tesseract 5.5 boxes a dash as a sliver of it) against the height
of the words of its line: a hyphen is a short flat stroke (about a third of the line's height
long), an en dash a flat stroke about two thirds of it long, an em dash a stroke longer than the
line is high, and a middle dot (the separator of 'Name · Street · City' return-address lines) a
small square. Measured on the synthetic scans and faxes of the evaluation corpus: standalone en
dashes read 0.56–0.78 of the line height long, middle dots 0.04–0.24 and square.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from extraction.pages import Word

_DASH_CHARS = frozenset("-\u2013\u2014~")
"""A flat stroke on a fax also comes out as a tilde."""
_MAX_DASH_CHARS = 3
"""One stroke is sometimes read as two or three dashes ('-—')."""
EN_DASH_MIN_LENGTH = 0.47
"""Ink length over line height from which a flat dash is an en dash (a hyphen's ink is 0.27 em
long, an en dash's 0.5 em, against a word height of about 0.75 em)."""
EM_DASH_MIN_LENGTH = 1.0
FLAT_MAX_ASPECT = 0.5
"""A stroke is flat when its ink is at most half as high as it is long."""
DOT_MAX_LENGTH = 0.3
DOT_ASPECT = (0.6, 1.7)
"""A middle dot is small and about as high as it is wide."""
_MIN_REFERENCE_LETTERS = 3
INK_LEVEL = 128
"""Pixels darker than this are ink."""


def typeset_dashes(words: Sequence[Word], image: Image.Image) -> list[Word]:
    """The words with every standalone dash read as the dash (or middle dot) its shape shows.
    Dashes inside words (ODS-11835, Lieferanten-Nr.) and dashes on lines without a word to
    measure them against are left as read."""
    reference = _line_heights(words)
    ink: np.ndarray | None = None
    out: list[Word] = []
    for word in words:
        height = reference.get(word.line_id)
        if height and _is_dash(word.text):
            if ink is None:
                ink = np.asarray(image.convert("L")) < INK_LEVEL
            line_height = height * image.height
            ink_width, ink_height = _ink_extent(ink, word, line_height)
            dash = _dash_of(ink_width, ink_height, line_height)
            if dash is not None and dash != word.text:
                word = replace(word, text=dash)
        out.append(word)
    return out


def _ink_extent(ink: np.ndarray, word: Word, line_height: float) -> tuple[float, float]:
    """Width and height in pixels of the stroke under the word's box: the run of inked columns
    through the box, within a line's height of its middle, and the inked rows of that run."""
    rows, columns = ink.shape
    x0 = round(word.x0 * columns)
    x1 = max(round(word.x1 * columns), x0 + 1)
    middle, half = word.y_center * rows, line_height / 2
    top, bottom = max(0, round(middle - half)), min(rows, round(middle + half))
    left, right = max(0, x0 - round(line_height)), min(columns, x1 + round(line_height))
    window = ink[top:bottom, left:right]
    inked_columns: np.ndarray = np.asarray(window.any(axis=0))
    inside = np.flatnonzero(inked_columns[x0 - left : x1 - left]) + (x0 - left)
    if inside.size == 0:
        return float(x1 - x0), float((word.y1 - word.y0) * rows)
    start, end = int(inside[0]), int(inside[-1])
    while start > 0 and inked_columns[start - 1]:
        start -= 1
    while end + 1 < inked_columns.size and inked_columns[end + 1]:
        end += 1
    inked_rows = np.flatnonzero(window[:, start : end + 1].any(axis=1))
    return float(end - start + 1), float(inked_rows[-1] - inked_rows[0] + 1)


def _is_dash(text: str) -> bool:
    return 0 < len(text) <= _MAX_DASH_CHARS and all(ch in _DASH_CHARS for ch in text)


def _dash_of(ink_width: float, ink_height: float, line_height: float) -> str | None:
    """The character of a dash's shape; None when it has none of the shapes."""
    length = ink_width / line_height
    aspect = ink_height / max(ink_width, 1e-9)
    if length <= DOT_MAX_LENGTH and DOT_ASPECT[0] <= aspect <= DOT_ASPECT[1]:
        return "\u00b7"
    if aspect > FLAT_MAX_ASPECT:
        return None
    if length >= EM_DASH_MIN_LENGTH:
        return "\u2014"
    if length >= EN_DASH_MIN_LENGTH:
        return "\u2013"
    return "-"


def _line_heights(words: Sequence[Word]) -> dict[int, float]:
    """Per line, the median height (page fraction) of its words of three letters or more."""
    heights: dict[int, list[float]] = defaultdict(list)
    for word in words:
        if sum(ch.isalpha() for ch in word.text) >= _MIN_REFERENCE_LETTERS:
            heights[word.line_id].append(word.y1 - word.y0)
    return {line: statistics.median(values) for line, values in heights.items()}
