"""The page geometry shared by the order renderers: template choices, context, text helpers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4, LETTER

from training.synth.content import OrderContent
from training.synth.families import FamilySpec
from training.synth.formats import format_day, format_number
from training.synth.labels import LABELS
from training.synth.painter import Box, Painter, Recorder, bold, text_width

PAGE_SIZES = {"A4": A4, "LETTER": LETTER}
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "CHF": "CHF"}


@dataclass(frozen=True)
class TemplateChoices:
    """What one customer's template fixes inside its family: wording, sizes, optional blocks."""

    labels: dict[str, str]
    size: float
    vat_place: str
    """letterhead | footer | none — where the buyer's own VAT id prints."""
    prints_bill_to: bool
    prints_intro: bool
    meta_order: tuple[str, ...]
    sap_positions: bool
    colon: str
    quantity_places: int | None
    """Decimals every quantity prints with (None: only those it has)."""
    margin: float
    """Left and right page margin in points."""
    top: float


def choose_template(spec: FamilySpec, customer_key: str) -> TemplateChoices:
    rng = random.Random(f"template:{spec.name}:{customer_key}")
    labels = {key: rng.choice(by_lang[spec.language]) for key, by_lang in LABELS.items()}
    meta_order = [
        "po_number",
        "order_date",
        "requested_delivery_date",
        "customer_number",
        "vendor_number",
        "quotation",
        "contact",
        "email",
        "phone",
        "currency",
        "payment_terms",
    ]
    head, tail = meta_order[:3], meta_order[3:]
    rng.shuffle(tail)
    if rng.random() < 0.3:
        head = [head[1], head[0], head[2]]
    return TemplateChoices(
        labels=labels,
        size=rng.choice([8.0, 8.5, 9.0, 9.5]),
        vat_place=rng.choice(["letterhead", "letterhead", "footer", "none"]),
        prints_bill_to=rng.random() < 0.5,
        prints_intro=rng.random() < 0.5,
        meta_order=tuple(head + tail),
        sap_positions=rng.random() < 0.4,
        colon=rng.choice([":", " :", ""]) if spec.language == "fr" else rng.choice([":", ""]),
        quantity_places=rng.choice([None, None, None, 2, 3]),
        margin=rng.choice([36.0, 42.0, 45.0, 50.0, 56.0]),
        top=rng.choice([30.0, 36.0, 42.0, 50.0, 60.0]),
    )


@dataclass
class RenderContext:
    painter: Painter
    recorder: Recorder
    content: OrderContent
    template: TemplateChoices
    total_pages: int
    footer_top: float = 0.0

    @property
    def left(self) -> float:
        return self.template.margin

    @property
    def top(self) -> float:
        return self.template.top

    @property
    def spec(self) -> FamilySpec:
        return self.content.spec

    @property
    def right(self) -> float:
        return self.painter.width - self.template.margin

    @property
    def font(self) -> str:
        return self.spec.font

    @property
    def size(self) -> float:
        return self.template.size

    @property
    def lang(self) -> str:
        return self.spec.language

    def label(self, key: str) -> str:
        return self.template.labels[key]

    def num(self, value: Decimal) -> str:
        return format_number(value, self.spec.number_style)

    def day(self, value: object) -> str:
        return format_day(value, self.spec.date_style)  # type: ignore[arg-type]

    def write(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float | None = None,
        font: str | None = None,
        align: str = "left",
        color: tuple[float, float, float] | None = None,
    ) -> Box:
        return self.painter.text(x, y, text, font or self.font, size or self.size, align, color)

    def record(
        self, key: str, boxes: list[Box], raw: str, cells: dict[str, Box] | None = None
    ) -> None:
        self.recorder.record(key, self.painter.page, boxes, raw, cells)

    def run(
        self,
        x: float,
        y: float,
        parts: list[str],
        *,
        size: float | None = None,
        font: str | None = None,
        align: str = "left",
        color: tuple[float, float, float] | None = None,
    ) -> list[Box]:
        return self.painter.runs(x, y, parts, font or self.font, size or self.size, align, color)

    def labelled(
        self,
        x: float,
        y: float,
        label: str,
        value: str,
        key: str | None,
        *,
        value_x: float | None = None,
        size: float | None = None,
        label_bold: bool = False,
        align: str = "left",
    ) -> float:
        """Draw "label: value" on one line (value at `value_x` if given); return the line's end."""
        size = size or self.size
        label_text = label + self.template.colon if label else ""
        if value_x is None and not label_bold:
            boxes = self.run(x, y, [label_text, value], size=size, align=align)
            value_box = boxes[1]
        else:
            label_font = bold(self.font) if label_bold else self.font
            box = self.write(x, y, label_text, size=size, font=label_font)
            vx = value_x if value_x is not None else box[2] + size * 0.6
            value_box = self.write(vx, y, value, size=size)
        if key:
            self.record(key, [value_box], value)
        return value_box[2]

    def room(self, x: float) -> float:
        """Width available from `x` to the end of its column (the page middle or margin)."""
        middle = self.painter.width / 2
        return middle - 12 - x if x < middle - 12 else self.right - x

    def fitting(
        self, text: str, width: float, size: float | None = None, font: str | None = None
    ) -> float:
        """The largest size up to `size` at which `text` fits in `width` (5.5 pt at least)."""
        size = size or self.size
        while size > 5.5 and self.width(text, size, font) > width:
            size -= 0.5
        return size

    def width(self, text: str, size: float | None = None, font: str | None = None) -> float:
        return text_width(text, font or self.font, size or self.size)
