"""Drawing on a reportlab canvas in top-left coordinates, remembering where each value went.

Every string is drawn as one text run; the box returned is the box pdfplumber gives the words of
that run (from the standard fonts' ascent/descent), so truth boxes match what a reader sees.
A `Painter` may run "dry" (no canvas) to measure a layout before drawing it for real.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

Box = tuple[float, float, float, float]
"""x0, top, x1, bottom in points, origin top-left."""

# Descents pdfminer uses for the standard fonts (per 1000 em), which fix the word boxes.
_DESCENT = {"Helvetica": 207, "Times": 217, "Courier": 194}


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def bold(font: str) -> str:
    return {
        "Helvetica": "Helvetica-Bold",
        "Times-Roman": "Times-Bold",
        "Courier": "Courier-Bold",
    }.get(font, font)


def italic(font: str) -> str:
    return {
        "Helvetica": "Helvetica-Oblique",
        "Times-Roman": "Times-Italic",
        "Courier": "Courier-Oblique",
    }.get(font, font)


def text_width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return list(simpleSplit(text, font, size, width)) or [""]


@dataclass
class Spot:
    """Where a value was printed: its page, the union box of its words, the text as printed."""

    page: int
    box: Box
    raw: str
    cells: dict[str, Box] = field(default_factory=dict)


@dataclass
class Recorder:
    """The first place each value was printed (later repeats, e.g. on page 2, are ignored)."""

    spots: dict[str, Spot] = field(default_factory=dict)

    def record(
        self, key: str, page: int, boxes: list[Box], raw: str, cells: dict[str, Box] | None = None
    ) -> None:
        if key in self.spots or not boxes:
            return
        self.spots[key] = Spot(page=page, box=union(boxes), raw=raw, cells=cells or {})


class Painter:
    def __init__(self, canvas: Canvas | None, width: float, height: float) -> None:
        self.canvas = canvas
        self.width = width
        self.height = height
        self.page = 1

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        font: str,
        size: float,
        align: str = "left",
        color: tuple[float, float, float] | None = None,
    ) -> Box:
        """Draw `text` with its baseline at `baseline`; return the box of its words."""
        width = text_width(text, font, size)
        if align == "right":
            x -= width
        elif align == "center":
            x -= width / 2
        if self.canvas is not None and text:
            canvas = self.canvas
            if color is not None:
                canvas.setFillColorRGB(*color)
            canvas.setFont(font, size)
            canvas.drawString(x, self.height - baseline, text)
            if color is not None:
                canvas.setFillColorRGB(0, 0, 0)
        descent = _DESCENT[font.split("-")[0]] / 1000 * size
        return (x, baseline - size + descent, x + width, baseline + descent)

    def runs(
        self,
        x: float,
        baseline: float,
        parts: list[str],
        font: str,
        size: float,
        align: str = "left",
        color: tuple[float, float, float] | None = None,
    ) -> list[Box]:
        """Draw `parts` joined by single spaces as one text run; return each part's box.

        One run with real space characters is how most PDF producers write "label value",
        and it is what lets a reader split the words exactly where a person would.
        """
        whole = self.text(x, baseline, " ".join(parts), font, size, align, color)
        boxes, start = [], whole[0]
        for part in parts:
            width = text_width(part, font, size)
            boxes.append((start, whole[1], start + width, whole[3]))
            start += width + text_width(" ", font, size)
        return boxes

    def line(
        self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5, gray: float = 0.0
    ) -> None:
        if self.canvas is None:
            return
        self.canvas.setLineWidth(width)
        self.canvas.setStrokeGray(gray)
        self.canvas.line(x0, self.height - y0, x1, self.height - y1)
        self.canvas.setStrokeGray(0)

    def rect(
        self,
        x: float,
        top: float,
        w: float,
        h: float,
        *,
        stroke: bool = True,
        fill_gray: float | None = None,
        width: float = 0.5,
    ) -> None:
        if self.canvas is None:
            return
        canvas = self.canvas
        canvas.setLineWidth(width)
        if fill_gray is not None:
            canvas.setFillGray(fill_gray)
        canvas.rect(
            x, self.height - top - h, w, h, stroke=int(stroke), fill=int(fill_gray is not None)
        )
        canvas.setFillGray(0)

    def stamp(self, cx: float, cy: float, lines: list[str], font: str, angle: float) -> None:
        """A rubber stamp: rotated red text in a rounded box (a distractor, never a value)."""
        if self.canvas is None:
            return
        canvas = self.canvas
        canvas.saveState()
        canvas.translate(cx, self.height - cy)
        canvas.rotate(angle)
        canvas.setStrokeColorRGB(0.75, 0.1, 0.15)
        canvas.setFillColorRGB(0.75, 0.1, 0.15)
        canvas.setLineWidth(1.6)
        width = max(text_width(t, bold(font), 11) for t in lines) + 16
        height = 15 * len(lines) + 8
        canvas.roundRect(-width / 2, -height / 2, width, height, 5)
        for i, line in enumerate(lines):
            canvas.setFont(bold(font), 11)
            canvas.drawCentredString(0, height / 2 - 16 - 15 * i, line)
        canvas.restoreState()

    def signature(self, x: float, y: float, seed: int) -> None:
        """A scribbled signature: a few bezier strokes."""
        if self.canvas is None:
            return
        canvas = self.canvas
        canvas.saveState()
        canvas.setStrokeColorRGB(0.1, 0.15, 0.45)
        canvas.setLineWidth(1.1)
        path = canvas.beginPath()
        base = self.height - y
        path.moveTo(x, base)
        step = 18 + seed % 7
        for i in range(4):
            dy = 12 if (seed >> i) & 1 else -9
            path.curveTo(
                x + step * i + 6,
                base + dy,
                x + step * i + 12,
                base - dy,
                x + step * (i + 1),
                base + (3 if i % 2 else -2),
            )
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()

    def new_page(self) -> None:
        if self.canvas is not None:
            self.canvas.showPage()
        self.page += 1
