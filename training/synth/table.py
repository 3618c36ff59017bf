"""The line-item table: columns in the family's order, ruling style, rows carried across pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from training.synth.content import LineItem
from training.synth.formats import format_number, format_quantity
from training.synth.layout import RenderContext
from training.synth.painter import Box, bold, union, wrap

COLUMN_WIDTHS = {
    "vat": 34.0,
    "pos": 26.0,
    "sku": 66.0,
    "cpn": 66.0,
    "gtin": 74.0,
    "qty": 38.0,
    "unit": 36.0,
    "price": 58.0,
    "per": 26.0,
    "total": 64.0,
    "date": 56.0,
}
_RIGHT_ALIGNED = frozenset({"qty", "price", "per", "total", "vat"})
_HEADER_LABELS = {
    "pos": "col_pos",
    "sku": "col_seller_sku",
    "cpn": "col_customer_sku",
    "desc": "col_desc",
    "qty": "col_qty",
    "unit": "col_unit",
    "price": "col_price",
    "per": "col_per",
    "vat": "col_vat",
    "total": "col_total",
    "date": "col_date",
    "gtin": "col_gtin",
}
_TRUTH_CELLS = {
    "qty": "quantity",
    "unit": "unit",
    "price": "unit_price",
    "total": "line_total",
    "desc": "description",
    "date": "delivery_date",
    "gtin": "gtin",
    "pos": "position",
    "per": "price_per",
    "vat": "tax_rate",
}
CELL_PAD = 3.0


@dataclass(frozen=True)
class CarriedRow:
    """A carried-forward / brought-forward row: the running total of the lines before it."""

    page: int
    box: Box
    amount: Decimal


@dataclass(frozen=True)
class Column:
    key: str
    x0: float
    x1: float
    band: int = 0
    """Text row of the line the cell prints on: 1 for the second row of two-row lines."""

    @property
    def anchor(self) -> float:
        return self.x1 - CELL_PAD if self.key in _RIGHT_ALIGNED else self.x0 + CELL_PAD

    @property
    def align(self) -> str:
        return "right" if self.key in _RIGHT_ALIGNED else "left"


_FIRST_BAND = frozenset({"pos", "sku", "cpn", "gtin", "desc"})
_FLEXIBLE = frozenset({"desc", "gap"})
"""The description takes the width the other columns leave; "gap" is the empty space that
opens the second row of a two-row line."""


def column_bands(ctx: RenderContext) -> list[tuple[str, ...]]:
    """The family's columns as text rows: one row, or (item, description) over (figures)."""
    keys = ctx.spec.columns
    if ctx.spec.row_layout != "stacked":
        return [keys]
    return [
        tuple(k for k in keys if k in _FIRST_BAND),
        ("gap", *(k for k in keys if k not in _FIRST_BAND)),
    ]


def layout_columns(
    ctx: RenderContext, natural: dict[str, float], keys: tuple[str, ...], band: int = 0
) -> list[Column]:
    """Columns as wide as their widest cell (at least their preset width); the flexible one
    takes what is left, and the others shrink together if it would get under 110 pt."""
    available = ctx.right - ctx.left
    widths = {
        k: max(COLUMN_WIDTHS[k], natural.get(k, 0.0) + 2 * CELL_PAD + 1)
        for k in keys
        if k not in _FLEXIBLE
    }
    fixed = sum(widths.values())
    scale = min(1.0, (available - 110) / fixed) if fixed else 1.0
    columns, x = [], ctx.left
    for key in keys:
        width = available - fixed * scale if key in _FLEXIBLE else widths[key] * scale
        columns.append(Column(key, x, x + width, band))
        x += width
    return columns


class TableWriter:
    """Draws header, rows and carried-forward rows; `new_page` starts the next page."""

    def __init__(self, ctx: RenderContext, new_page: Callable[[], float]) -> None:
        self.ctx = ctx
        self.new_page = new_page
        self.text_size = ctx.size - 0.5
        bands = column_bands(ctx)
        room = ctx.right - ctx.left - 110
        natural = self._natural_widths()
        while self.text_size > 6 and room < max(
            sum(
                max(COLUMN_WIDTHS[k], natural[k] + 2 * CELL_PAD + 1)
                for k in keys
                if k not in _FLEXIBLE
            )
            for keys in bands
        ):
            self.text_size -= 0.5
            natural = self._natural_widths()
        self.bands = len(bands)
        self.columns = [
            column
            for band, keys in enumerate(bands)
            for column in layout_columns(ctx, natural, keys, band)
            if column.key != "gap"
        ]
        self.leading = self.text_size + 2.5
        self.style = ctx.spec.table
        self.carries = ctx.spec.totals != "none"
        self.carried_rows: list[CarriedRow] = []

    def _natural_widths(self) -> dict[str, float]:
        """The widest cell (or header word) of each column at the table's sizes."""
        ctx = self.ctx
        widths: dict[str, float] = {}
        for key in ctx.spec.columns:
            if key in _FLEXIBLE:
                continue
            header_words = ctx.label(_HEADER_LABELS[key]).split()
            widest = max(ctx.width(w, self.text_size, bold(ctx.font)) for w in header_words)
            for line in ctx.content.lines:
                widest = max(widest, ctx.width(self.cell_text(line, key), self.text_size))
            widths[key] = widest
        return widths

    # -- cells -----------------------------------------------------------------------------
    def cell_text(self, line: LineItem, key: str) -> str:
        ctx = self.ctx
        style = ctx.spec.number_style
        if key == "pos":
            return str(line.position * 10 if ctx.template.sap_positions else line.position)
        if key == "sku":
            return (line.seller_sku if "cpn" in ctx.spec.columns else line.sku) or ""
        if key == "cpn":
            return line.customer_sku or ""
        if key == "qty":
            return format_quantity(line.quantity, style, ctx.template.quantity_places)
        if key == "vat":
            rate = format_number((ctx.content.tax_rate * 100).normalize(), style, places=None)
            return f"{rate} %"
        if key == "unit":
            return line.unit_word or ""
        if key == "price":
            return format_number(line.printed_price, style)
        if key == "per":
            return str(line.price_per)
        if key == "total":
            return format_number(line.line_total, style)
        if key == "date":
            return ctx.day(line.delivery_date) if line.delivery_date else ""
        if key == "gtin":
            return line.gtin or ""
        return line.description

    def row_lines(self, line: LineItem) -> dict[str, list[str]]:
        cells = {}
        for column in self.columns:
            text = self.cell_text(line, column.key)
            if column.key == "desc":
                cells["desc"] = wrap(
                    text, self.ctx.font, self.text_size, column.x1 - column.x0 - 2 * CELL_PAD
                )
            else:
                cells[column.key] = [text]
        return cells

    def band_heights(self, lines: dict[str, list[str]]) -> list[int]:
        """Text lines each band of a row takes (the wrapped description sets band 0's)."""
        return [
            max((len(lines[c.key]) for c in self.columns if c.band == band), default=1)
            for band in range(self.bands)
        ]

    def row_height(self, lines: dict[str, list[str]]) -> float:
        return sum(self.band_heights(lines)) * self.leading + 2 * CELL_PAD + 1

    # -- drawing ---------------------------------------------------------------------------
    def header(self, y: float) -> float:
        ctx = self.ctx
        size = self.text_size
        wrapped = {
            c.key: wrap(
                ctx.label(_HEADER_LABELS[c.key]), bold(ctx.font), size, c.x1 - c.x0 - 2 * CELL_PAD
            )
            for c in self.columns
        }
        band_lines = [
            max((len(wrapped[c.key]) for c in self.columns if c.band == band), default=1)
            for band in range(self.bands)
        ]
        height = sum(band_lines) * (size + 2) + 2 * CELL_PAD + 1
        fill = {"grid": 0.85, "zebra": 0.78, "boxed": 0.88}.get(self.style)
        if fill is not None:
            ctx.painter.rect(
                ctx.left,
                y,
                ctx.right - ctx.left,
                height,
                stroke=self.style != "zebra",
                fill_gray=fill,
            )
        for column in self.columns:
            before = sum(band_lines[: column.band])
            for i, text in enumerate(wrapped[column.key]):
                ctx.write(
                    column.anchor,
                    y + CELL_PAD + size * 0.85 + (before + i) * (size + 2),
                    text,
                    size=size,
                    font=bold(ctx.font),
                    align=column.align,
                )
        if self.style in ("grid", "boxed"):
            self._verticals(y, height)
        if self.style == "horizontal":
            ctx.painter.line(ctx.left, y + height, ctx.right, y + height, width=1.0)
        return y + height

    def _verticals(self, y: float, height: float) -> None:
        if self.bands > 1:
            return
        for column in self.columns[1:]:
            self.ctx.painter.line(column.x0, y, column.x0, y + height)

    def row(self, y: float, line: LineItem, index: int) -> float:
        ctx = self.ctx
        lines = self.row_lines(line)
        height = self.row_height(lines)
        if self.style == "zebra" and index % 2 == 1:
            ctx.painter.rect(
                ctx.left, y, ctx.right - ctx.left, height, stroke=False, fill_gray=0.93
            )
        if self.style == "grid":
            ctx.painter.rect(ctx.left, y, ctx.right - ctx.left, height)
        if self.style in ("grid", "boxed"):
            self._verticals(y, height)
        cells: dict[str, Box] = {}
        bands = self.band_heights(lines)
        for column in self.columns:
            boxes = []
            before = sum(bands[: column.band])
            for i, text in enumerate(lines[column.key]):
                if not text:
                    continue
                baseline = y + CELL_PAD + self.text_size * 0.85 + (before + i) * self.leading
                boxes.append(
                    ctx.write(
                        column.anchor, baseline, text, size=self.text_size, align=column.align
                    )
                )
            if boxes:
                cells[self._truth_cell(column.key, line)] = union(boxes)
        if self.style == "horizontal":
            ctx.painter.line(ctx.left, y + height, ctx.right, y + height, width=0.4, gray=0.55)
        ctx.record(f"line:{index}", list(cells.values()), line.description, cells)
        return y + height

    def _truth_cell(self, key: str, line: LineItem) -> str:
        if key == "cpn":
            return "sku"
        if key == "sku":
            return "seller_sku" if "cpn" in self.ctx.spec.columns and line.customer_sku else "sku"
        return _TRUTH_CELLS[key]

    def carried(self, y: float, label: str, amount: Decimal) -> float:
        """A "Carried forward" / "À reporter" / "Übertrag" row: printed, but not a line."""
        ctx = self.ctx
        desc = next((c for c in self.columns if c.key == "desc"), self.columns[0])
        total = next(c for c in self.columns if c.key == "total")
        height = self.leading + 2 * CELL_PAD
        baseline = y + CELL_PAD + self.text_size * 0.85
        boxes = [
            ctx.write(desc.anchor, baseline, label, size=self.text_size, font=bold(ctx.font)),
            ctx.write(
                total.anchor,
                baseline,
                format_number(amount, ctx.spec.number_style),
                size=self.text_size,
                font=bold(ctx.font),
                align="right",
            ),
        ]
        if self.style != "none":
            ctx.painter.line(ctx.left, y + height, ctx.right, y + height, width=0.8)
        self.carried_rows.append(CarriedRow(ctx.painter.page, union(boxes), amount))
        return y + height

    def draw(self, y: float, lines: list[LineItem]) -> float:
        ctx = self.ctx
        table_top = y
        y = self.header(y)
        running = Decimal(0)
        for index, line in enumerate(lines):
            height = self.row_height(self.row_lines(line))
            limit = ctx.footer_top - (self.leading + 2 * CELL_PAD + 8 if self.carries else 8)
            if y + height > limit and index > 0:
                if self.carries:
                    y = self.carried(y, ctx.label("carried_forward"), running)
                self._close_box(table_top, y)
                y = self.new_page()
                table_top = y
                y = self.header(y)
                if self.carries:
                    y = self.carried(y, ctx.label("brought_forward"), running)
            y = self.row(y, line, index)
            running += line.line_total
        self._close_box(table_top, y)
        return y + 10

    def _close_box(self, top: float, bottom: float) -> None:
        if self.style == "boxed":
            self.ctx.painter.rect(
                self.ctx.left, top, self.ctx.right - self.ctx.left, bottom - top, width=0.9
            )
