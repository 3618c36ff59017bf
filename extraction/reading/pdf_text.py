"""Words, fonts and ruling lines of one PDF page's text layer, through pdfplumber."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extraction.pages import Rule, Word
from extraction.reading.layout import assign_lines_and_blocks

MAX_RULES_PER_PAGE = 2000
THIN_RECT_POINTS = 2.0
"""A filled rectangle thinner than this is a ruling line, drawn as a rectangle."""
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|[-,]bd$|[-,]b$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TextLayerPage:
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


def extract_text_layer(page: Any) -> TextLayerPage:
    """`page` is a pdfplumber Page."""
    left, top, _, _ = page.bbox
    width, height = float(page.width), float(page.height)
    raw_words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    boxes = [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in raw_words]
    layout = assign_lines_and_blocks(boxes)
    words = tuple(
        Word(
            text=raw["text"],
            bbox=_fractions(
                raw["x0"] - left,
                raw["top"] - top,
                raw["x1"] - left,
                raw["bottom"] - top,
                width,
                height,
            ),
            line_id=layout.line_ids[i],
            block_id=layout.block_ids[i],
            font_name=_font_name(raw.get("fontname")),
            font_size=round(float(raw["size"]), 2) if raw.get("size") else None,
            bold=bool(raw.get("fontname") and _BOLD_FONT.search(_font_name(raw["fontname"]) or "")),
        )
        for i, raw in enumerate(raw_words)
    )
    ordered = tuple(sorted(words, key=lambda w: (w.line_id, w.x0)))
    return TextLayerPage(width, height, ordered, _rules(page, left, top, width, height))


def _rules(page: Any, left: float, top: float, width: float, height: float) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for line in page.lines:
        rules.append(
            Rule(
                _fractions(
                    line["x0"] - left,
                    line["top"] - top,
                    line["x1"] - left,
                    line["bottom"] - top,
                    width,
                    height,
                ),
                "line",
            )
        )
    for rect in page.rects:
        thin = min(rect["width"], rect["height"]) < THIN_RECT_POINTS
        rules.append(
            Rule(
                _fractions(
                    rect["x0"] - left,
                    rect["top"] - top,
                    rect["x1"] - left,
                    rect["bottom"] - top,
                    width,
                    height,
                ),
                "line" if thin else "rect",
            )
        )
    return tuple(rules[:MAX_RULES_PER_PAGE])


def _font_name(raw: str | None) -> str | None:
    return _SUBSET_PREFIX.sub("", raw) if raw else None


def _fractions(
    x0: float, y0: float, x1: float, y1: float, width: float, height: float
) -> tuple[float, float, float, float]:
    def clamp(value: float) -> float:
        return min(1.0, max(0.0, value))

    return (clamp(x0 / width), clamp(y0 / height), clamp(x1 / width), clamp(y1 / height))
