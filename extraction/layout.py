"""Reading order of a document: pages → text lines → segments (runs of words without a wide gap).

Candidates, label matching and the table model all walk the same lines, so they agree on what
"left of", "above" and "the next line" mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from extraction.pages import BBox, Page, ReadResult, Word

_SEGMENT_GAP_EM = 1.2
"""A horizontal gap wider than this many line heights starts a new segment."""


@dataclass(frozen=True, slots=True)
class Line:
    page: int
    index: int
    """Position of the line in the document's reading order (0-based, across pages)."""
    words: tuple[Word, ...]
    segments: tuple[tuple[int, int], ...]
    """Word index ranges [start, end) of the line's segments."""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox:
        return union_bbox(self.words)

    def segment_words(self, number: int) -> tuple[Word, ...]:
        start, end = self.segments[number]
        return self.words[start:end]


@dataclass(frozen=True, slots=True)
class DocumentLayout:
    pages: tuple[Page, ...]
    lines: tuple[Line, ...]
    median_font_size: float

    @property
    def page_count(self) -> int:
        return len(self.pages)


def union_bbox(words: tuple[Word, ...] | list[Word]) -> BBox:
    return (
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )


def build_layout(read: ReadResult) -> DocumentLayout:
    """Lines are rebuilt from geometry (words whose vertical centres agree), so a reader that
    gives every table cell its own line id still yields whole rows."""
    lines: list[Line] = []
    sizes: list[float] = []
    for page in read.pages:
        for words in _geometric_lines([w for w in page.words if w.text.strip()]):
            sizes.extend(_height_pts(w, page) for w in words)
            lines.append(
                Line(
                    page=page.number,
                    index=len(lines),
                    words=tuple(words),
                    segments=_segments(words, page),
                )
            )
    return DocumentLayout(
        pages=read.pages, lines=tuple(lines), median_font_size=median(sizes) if sizes else 10.0
    )


def _geometric_lines(words: list[Word]) -> list[list[Word]]:
    if not words:
        return []
    height = median(w.y1 - w.y0 for w in words)
    rows: list[list[Word]] = []
    centre = -1.0
    for word in sorted(words, key=lambda w: w.y_center):
        if rows and abs(word.y_center - centre) <= 0.5 * height:
            rows[-1].append(word)
            centre = sum(w.y_center for w in rows[-1]) / len(rows[-1])
        else:
            rows.append([word])
            centre = word.y_center
    for row in rows:
        row.sort(key=lambda w: w.x0)
    return rows


def _height_pts(word: Word, page: Page) -> float:
    return word.font_size or (word.y1 - word.y0) * page.height


def _segments(words: list[Word], page: Page) -> tuple[tuple[int, int], ...]:
    if not words:
        return ()
    height = median(_height_pts(w, page) for w in words)
    bounds: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(words)):
        gap = (words[i].x0 - words[i - 1].x1) * page.width
        if gap > _SEGMENT_GAP_EM * height:
            bounds.append((start, i))
            start = i
    bounds.append((start, len(words)))
    return tuple(bounds)
