"""The page model every reader produces and every extractor consumes.

Coordinates are fractions of the page width and height with the origin at the top-left, so that
a PDF text layer, a 300-dpi scan and a 200x100-dpi fax page all speak the same geometry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]
"""x0, y0, x1, y1 as fractions of the page, origin top-left."""

TextSource = Literal["pdf", "ocr", "text", "structured"]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    bbox: BBox
    line_id: int
    block_id: int = 0
    font_name: str | None = None
    font_size: float | None = None
    bold: bool = False
    ocr_confidence: float | None = None
    """0..1 when the word comes from OCR; None for a text layer."""

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def y0(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def y1(self) -> float:
        return self.bbox[3]

    @property
    def x_center(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def y_center(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line or rectangle edge drawn on the page (table borders)."""

    bbox: BBox
    kind: Literal["line", "rect"] = "line"


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    """1-based page number."""
    width: float
    """Width in PDF points (1/72 inch), or pixels for images."""
    height: float
    words: tuple[Word, ...]
    source: TextSource
    rules: tuple[Rule, ...] = ()
    rotation: int = 0
    """Degrees the page was rotated to read it upright (OSD), 0/90/180/270."""

    @property
    def text(self) -> str:
        """The page as plain text, one output line per line id, in reading order."""
        lines: dict[int, list[Word]] = {}
        for word in self.words:
            lines.setdefault(word.line_id, []).append(word)
        ordered = sorted(
            lines.values(), key=lambda ws: (min(w.y0 for w in ws), min(w.x0 for w in ws))
        )
        return "\n".join(" ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for ws in ordered)


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What a reader gives back for one document."""

    pages: tuple[Page, ...]
    media_type: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return "\n\f\n".join(page.text for page in self.pages)


def reading_kind(pages: Sequence[Page]) -> TextSource:
    """How a document was read, as the approval thresholds see it: a document with any OCR'd
    page is "ocr" (its errors are OCR's), otherwise its first page's source."""
    if any(page.source == "ocr" for page in pages):
        return "ocr"
    return pages[0].source if pages else "text"


def pages_to_json(result: ReadResult) -> dict[str, object]:
    """A ReadResult as plain JSON, for the blob store (see `pages_from_json`)."""
    return {
        "media_type": result.media_type,
        "warnings": list(result.warnings),
        "pages": [
            {
                "number": p.number,
                "width": p.width,
                "height": p.height,
                "source": p.source,
                "rotation": p.rotation,
                "rules": [[*r.bbox, r.kind] for r in p.rules],
                "words": [
                    [
                        w.text,
                        *(round(c, 5) for c in w.bbox),
                        w.line_id,
                        w.block_id,
                        w.font_name,
                        w.font_size,
                        w.bold,
                        w.ocr_confidence,
                    ]
                    for w in p.words
                ],
            }
            for p in result.pages
        ],
    }


def pages_from_json(data: dict[str, object]) -> ReadResult:
    pages = []
    for raw in data["pages"]:  # type: ignore[attr-defined]
        words = tuple(
            Word(
                text=w[0],
                bbox=(w[1], w[2], w[3], w[4]),
                line_id=w[5],
                block_id=w[6],
                font_name=w[7],
                font_size=w[8],
                bold=w[9],
                ocr_confidence=w[10],
            )
            for w in raw["words"]
        )
        rules = tuple(Rule(bbox=(r[0], r[1], r[2], r[3]), kind=r[4]) for r in raw["rules"])
        pages.append(
            Page(
                number=raw["number"],
                width=raw["width"],
                height=raw["height"],
                words=words,
                source=raw["source"],
                rules=rules,
                rotation=raw.get("rotation", 0),
            )
        )
    return ReadResult(
        pages=tuple(pages),
        media_type=str(data["media_type"]),
        warnings=tuple(str(w) for w in data.get("warnings", ()) or ()),  # type: ignore[attr-defined]
    )
