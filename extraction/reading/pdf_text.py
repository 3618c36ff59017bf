"""Words, fonts and ruling lines of one PDF page's text layer, through pdfplumber.

pdfplumber interprets the page (`page.layout`, pdfminer's object tree) and groups characters
into words (`WordExtractor`). Its generic `page.chars` / `page.objects` conversion, which turns
every object and attribute of the page into a dictionary, is skipped: this module takes only
the characters, lines and rectangles it needs from the layout, which costs a third less time
per page (see bench/reading.py).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Literal

from pdfminer.layout import LTChar, LTContainer, LTLine, LTRect
from pdfplumber.utils.text import WordExtractor

from extraction.pages import Rule, Word
from extraction.reading.layout import assign_lines_and_blocks

MAX_RULES_PER_PAGE = 2000
THIN_RECT_POINTS = 2.0
"""A filled rectangle thinner than this is a ruling line, drawn as a rectangle."""
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|[-,]bd$|[-,]b$", re.IGNORECASE)
RuleKind = Literal["line", "rect"]
WORD_GAP_EM = 0.12
"""A gap between two characters wider than this share of the font size (beyond the text's own
letter spacing) separates words, even without a space character. On the real PDFs of
../shared/realdata, letters of a word sit within 0.08 em of each other and glued words
("88802Spielkreis", "10Stk") are 0.15 em or more apart; WordExtractor's fixed 3-point tolerance
glues them, since a space is only 0.25-0.3 em wide (1.7 points at 6 pt)."""
_WORDS = WordExtractor(extra_attrs=["fontname", "size"], keep_blank_chars=False)


@dataclass(frozen=True, slots=True)
class TextLayerPage:
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass(slots=True)
class _PageContent:
    chars: list[dict[str, Any]] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, RuleKind]] = field(default_factory=list)
    """x0, top, x1, bottom in points from the page's top-left, and the rule kind."""


def extract_text_layer(page: Any) -> TextLayerPage:
    """`page` is a pdfplumber Page."""
    width, height = float(page.width), float(page.height)
    content = _page_content(page)
    raw_words = _words(content.chars)
    boxes = [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in raw_words]
    layout = assign_lines_and_blocks(boxes)
    words = tuple(
        Word(
            text=raw["text"],
            bbox=_fractions(raw["x0"], raw["top"], raw["x1"], raw["bottom"], width, height),
            line_id=layout.line_ids[i],
            block_id=layout.block_ids[i],
            font_name=_font_name(raw["fontname"]),
            font_size=round(float(raw["size"]), 2) if raw["size"] else None,
            bold=bool(_BOLD_FONT.search(_font_name(raw["fontname"]) or "")),
        )
        for i, raw in enumerate(raw_words)
    )
    ordered = tuple(sorted(words, key=lambda w: (w.line_id, w.x0)))
    rules = tuple(
        Rule(_fractions(x0, top, x1, bottom, width, height), kind)
        for x0, top, x1, bottom, kind in content.rules[:MAX_RULES_PER_PAGE]
    )
    return TextLayerPage(width, height, ordered, rules)


def _words(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """WordExtractor's words (characters split at spaces, at a change of font or size, and
    more than 3 points apart), each also split where its letters stand apart (`WORD_GAP_EM`)."""
    words: list[dict[str, Any]] = []
    for word, word_chars in _WORDS.iter_extract_tuples(chars):
        cuts = _gap_cuts(word_chars)
        if not cuts:
            words.append(word)
            continue
        for start, end in zip((0, *cuts), (*cuts, len(word_chars)), strict=True):
            words.append(_WORDS.merge_chars(word_chars[start:end]))
    return words


def _gap_cuts(chars: list[dict[str, Any]]) -> list[int]:
    """Indexes of the characters that start a new word inside one extracted word: those that
    stand further from the previous character than the word's usual spacing plus
    `WORD_GAP_EM`. The usual spacing (the median gap) keeps letter-spaced words ("K o n t r")
    whole. Only upright text is split."""
    if len(chars) < 3 or not chars[0]["upright"]:
        return []
    size = float(chars[0]["size"] or 0.0)
    if size <= 0:
        return []
    gaps = [b["x0"] - a["x1"] for a, b in pairwise(chars)]
    threshold = WORD_GAP_EM * size
    if max(gaps) <= threshold:
        return []
    threshold += max(0.0, statistics.median(gaps))
    return [i + 1 for i, gap in enumerate(gaps) if gap > threshold]


def _page_content(page: Any) -> _PageContent:
    """Characters (as the dictionaries WordExtractor reads) and rules, in coordinates from the
    top-left of the visible page, as pdfplumber computes them."""
    height = float(page.height)
    left, top = float(page.bbox[0]), float(page.bbox[1])
    mediabox_x0, mediabox_top = float(page.mediabox[0]), float(page.mediabox[1])
    content = _PageContent()
    for obj in _layout_objects(page.layout):
        x0 = obj.x0 + mediabox_x0 - left
        x1 = obj.x1 + mediabox_x0 - left
        obj_top = height - obj.y1 + mediabox_top - top
        obj_bottom = height - obj.y0 + mediabox_top - top
        if isinstance(obj, LTChar):
            content.chars.append(
                {
                    "text": obj.get_text(),
                    "x0": x0,
                    "x1": x1,
                    "top": obj_top,
                    "bottom": obj_bottom,
                    "doctop": obj_top,
                    "upright": obj.upright,
                    "fontname": _decoded(obj.fontname),
                    "size": obj.size,
                }
            )
        elif isinstance(obj, LTLine):
            content.rules.append((x0, obj_top, x1, obj_bottom, "line"))
        elif isinstance(obj, LTRect):
            thin = min(obj.width, obj.height) < THIN_RECT_POINTS
            content.rules.append((x0, obj_top, x1, obj_bottom, "line" if thin else "rect"))
    return content


def _layout_objects(container: Any) -> Iterator[Any]:
    for obj in container:
        if isinstance(obj, LTContainer) and not isinstance(obj, LTChar):
            yield from _layout_objects(obj)
        else:
            yield obj


def _decoded(fontname: str | bytes) -> str:
    if isinstance(fontname, bytes):  # rare byte-encoded font names
        return fontname.decode("latin-1")
    return fontname


def _font_name(raw: str | None) -> str | None:
    return _SUBSET_PREFIX.sub("", raw) if raw else None


def _fractions(
    x0: float, y0: float, x1: float, y1: float, width: float, height: float
) -> tuple[float, float, float, float]:
    def clamp(value: float) -> float:
        return min(1.0, max(0.0, value))

    return (clamp(x0 / width), clamp(y0 / height), clamp(x1 / width), clamp(y1 / height))
