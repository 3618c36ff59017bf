"""Renders one order (or order-shaped document) to a text PDF, recording where every value went.

The layout runs twice: a dry run counts the pages (for "Page 2/3"), the second run draws.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from training.synth.blocks import (
    address_block,
    bill_to_address,
    draw_header,
    draw_title,
    draw_window,
    meta_bar,
    meta_column,
    meta_grid,
    meta_inline,
    supplier_block,
)
from training.synth.closing import (
    closing_height,
    draw_closing,
    draw_footer,
    draw_totals,
    totals_height,
)
from training.synth.content import Address, OrderContent
from training.synth.labels import LABELS
from training.synth.layout import PAGE_SIZES, RenderContext, TemplateChoices
from training.synth.painter import Painter, Recorder, bold
from training.synth.table import CarriedRow, TableWriter

_CHANGE_INTRO = {
    "fr": ("Modification de notre commande", "du"),
    "en": ("Amendment to our purchase order", "of"),
    "de": ("Änderung unserer Bestellung", "vom"),
}


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int
    width: float
    height: float
    recorder: Recorder
    carried_rows: tuple[CarriedRow, ...]


def render_order_pdf(content: OrderContent, template: TemplateChoices) -> RenderedPdf:
    width, height = PAGE_SIZES[content.spec.page]
    dry = RenderContext(Painter(None, width, height), Recorder(), content, template, total_pages=0)
    _lay_out(dry)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=0)
    canvas.setTitle(f"{content.spec.document_type} {content.po_number}")
    ctx = RenderContext(
        Painter(canvas, width, height), Recorder(), content, template, total_pages=dry.painter.page
    )
    rows = _lay_out(ctx)
    canvas.showPage()
    canvas.save()
    return RenderedPdf(
        buffer.getvalue(), ctx.painter.page, width, height, ctx.recorder, tuple(rows)
    )


def _lay_out(ctx: RenderContext) -> list[CarriedRow]:
    ctx.footer_top = ctx.painter.height - 62
    y = draw_header(ctx)
    y = _draw_blocks(ctx, y)
    y = _intro(ctx, y)
    table = TableWriter(ctx, lambda: _next_page(ctx))
    y = table.draw(y, ctx.content.lines)
    if y + totals_height(ctx) > ctx.footer_top:
        y = _next_page(ctx)
    y = draw_totals(ctx, y)
    if y + closing_height(ctx) > ctx.footer_top:
        y = _next_page(ctx)
    draw_closing(ctx, y + 6)
    draw_footer(ctx)
    return table.carried_rows


def _next_page(ctx: RenderContext) -> float:
    """Close the page (footer) and start the next with a short running header."""
    draw_footer(ctx)
    ctx.painter.new_page()
    y = ctx.top + 10
    ctx.write(ctx.left, y, ctx.content.customer.name, font=bold(ctx.font))
    ctx.write(ctx.right, y, f"{ctx.label('po_number')} {ctx.content.po_number}", align="right")
    return y + 24


def _draw_blocks(ctx: RenderContext, y: float) -> float:
    """References, supplier and addresses in two columns, then full-width blocks."""
    spec = ctx.spec
    content = ctx.content
    middle = ctx.painter.width / 2
    col_width = middle - ctx.left - 12
    columns: dict[str, list] = {"left": [], "right": []}
    meta_side = "right" if spec.header == "din" else spec.meta_side
    other_side = "left" if meta_side == "right" else "right"
    if spec.supplier == "window":
        columns["left"].append(lambda x, y0: draw_window(ctx, y0))
    elif spec.supplier in ("left", "right"):
        columns[spec.supplier].append(lambda x, y0: supplier_block(ctx, x, y0))
    if spec.meta == "column":
        columns[meta_side].append(lambda x, y0: meta_column(ctx, x, y0, col_width))
    elif spec.meta == "inline":
        columns[meta_side].append(lambda x, y0: meta_inline(ctx, x, y0, col_width))
    addresses: list[tuple[str, Address, str | None]] = []
    if ctx.template.prints_bill_to or spec.document_type == "invoice":
        addresses.append((ctx.label("bill_to"), content.bill_to or bill_to_address(ctx), None))
    if content.ship_to is not None:
        addresses.append((ctx.label("ship_to"), content.ship_to, "ship_to"))
    if spec.addresses in ("stacked", "right"):
        side = other_side if spec.addresses == "stacked" else "right"
        for label, address, prefix in addresses:
            columns[side].append(
                lambda x, y0, a=address, lb=label, p=prefix: address_block(ctx, x, y0, lb, a, p)
            )
        addresses = []
    bottoms = [y]
    for side, x in (("left", ctx.left), ("right", middle + 12)):
        y_side = y
        for block in columns[side]:
            y_side = block(x, y_side)
        bottoms.append(y_side)
    y = max(bottoms)
    if addresses:
        row_bottoms = [y]
        for (label, address, prefix), x in zip(addresses, (ctx.left, middle + 12), strict=False):
            row_bottoms.append(address_block(ctx, x, y, label, address, prefix))
        y = max(row_bottoms)
    if spec.meta in ("boxes", "table"):
        y = meta_grid(ctx, y + 4, boxed_cells=spec.meta == "table")
    elif spec.meta == "bar":
        y = meta_bar(ctx, y + 4)
    if spec.header == "din":
        y = draw_title(ctx, ctx.left, y + 10, "left", size=13)
    return y + 6


def _intro(ctx: RenderContext, y: float) -> float:
    content = ctx.content
    if ctx.spec.document_type == "order_change":
        text, of = _CHANGE_INTRO[ctx.lang]
        date_text = ctx.day(content.order_date)
        boxes = ctx.run(ctx.left, y, [text, content.po_number, of, date_text], font=bold(ctx.font))
        ctx.record("po_number", [boxes[1]], content.po_number)
        ctx.record("order_date", [boxes[3]], date_text)
        return y + ctx.size + 12
    if ctx.template.prints_intro:
        ctx.write(ctx.left, y, LABELS["intro"][ctx.lang][len(content.po_number) % 3])
        return y + ctx.size + 10
    return y
