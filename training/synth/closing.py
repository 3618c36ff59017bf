"""The end of an order: totals, payment terms, notes, signature, stamp, and every page's footer."""

from __future__ import annotations

from decimal import Decimal

from training.synth.formats import format_number
from training.synth.layout import CURRENCY_SYMBOLS, RenderContext
from training.synth.painter import Box, bold, italic
from training.synth.world import SELLER_NAME, SELLER_VAT_PRINTED

_CURRENCY_NOTE = {"fr": "Montants exprimés en", "en": "All amounts in", "de": "Beträge in"}


def totals_height(ctx: RenderContext) -> float:
    rows = {"full": 3, "net": 1, "none": 1}[ctx.spec.totals]
    return rows * (ctx.size + 6) + 12


def totals_right(ctx: RenderContext) -> float:
    """Where the totals block ends: the right margin, or 260 pt in from the left."""
    return ctx.left + 260 if ctx.spec.totals_side == "left" else ctx.right


def _amount_row(
    ctx: RenderContext, y: float, label: str, amount: Decimal, key: str, strong: bool
) -> None:
    """Label, amount and currency on one row; the amount (and the currency, once) recorded."""
    font = bold(ctx.font) if strong else ctx.font
    right = totals_right(ctx)
    display = ctx.spec.currency_display
    mark = CURRENCY_SYMBOLS[ctx.content.currency] if display == "symbol" else ctx.content.currency
    text = format_number(amount, ctx.spec.number_style)
    if display == "symbol" and mark != "CHF":
        # A separate run: readers give "€" no width in the standard fonts, which would shift
        # every later character of a shared run.
        value_box = ctx.write(right, y, text, font=font, align="right")
        mark_box = ctx.write(value_box[0] - 4, y, mark, font=font, align="right")
    elif display == "meta":
        value_box = ctx.write(right, y, text, font=font, align="right")
        mark_box = None
    else:
        value_box, mark_box = ctx.run(right, y, [text, mark], font=font, align="right")
    ctx.write(right - 200, y, label, font=font)
    ctx.record(key, [value_box], text)
    if mark_box is not None:
        ctx.record("currency", [mark_box], mark)


def draw_totals(ctx: RenderContext, y: float) -> float:
    content = ctx.content
    totals = ctx.spec.totals
    step = ctx.size + 6
    y += ctx.size
    if totals == "full":
        right = totals_right(ctx)
        ctx.painter.line(right - 205, y - ctx.size - 3, right, y - ctx.size - 3)
        _amount_row(ctx, y, ctx.label("subtotal"), content.subtotal, "subtotal", False)
        rate = format_number(
            (content.tax_rate * 100).normalize(), ctx.spec.number_style, places=None
        )
        _amount_row(
            ctx, y + step, f"{ctx.label('tax')} {rate} %", content.tax_total, "tax_total", False
        )
        _amount_row(ctx, y + 2 * step, ctx.label("total"), content.total, "total", True)
        return y + 3 * step + 6
    if totals == "net":
        _amount_row(ctx, y, ctx.label("net_only_total"), content.subtotal, "subtotal", True)
        return y + step + 6
    if ctx.spec.currency_display != "meta":
        mark_box = ctx.run(
            ctx.left,
            y,
            [_CURRENCY_NOTE[ctx.lang], content.currency],
            size=ctx.size - 1,
            font=italic(ctx.font),
        )[1]
        ctx.record("currency", [mark_box], content.currency)
    return y + step


def draw_closing(ctx: RenderContext, y: float) -> float:
    """Payment terms (footer style), notes, then signature and stamp side by side."""
    content = ctx.content
    if ctx.spec.payment_terms == "footer" and content.payment_terms:
        ctx.labelled(
            ctx.left,
            y,
            ctx.label("payment_terms"),
            content.payment_terms[0],
            "payment_terms_days",
            label_bold=True,
        )
        y += ctx.size + 8
    if content.notes:
        ctx.write(ctx.left, y, ctx.label("notes"), font=bold(ctx.font))
        y += ctx.size + 3
        for note in content.notes:
            ctx.write(ctx.left, y, note, size=ctx.size - 0.5)
            y += ctx.size + 2
        y += 6
    if content.signature or content.stamp:
        y += 6
        if content.signature:
            ctx.write(ctx.left, y, ctx.label("signature"), size=ctx.size - 0.5)
            ctx.painter.signature(
                ctx.left + 10,
                y + 26,
                seed=len(content.po_number) * 37 + content.order_date.toordinal(),
            )
            ctx.write(ctx.left, y + 44, content.contact_name, size=ctx.size - 0.5)
        if content.stamp:
            stamp_lines = [*content.stamp, ctx.day(content.mail_date.date())]
            ctx.painter.stamp(
                ctx.right - 110, y + 22, stamp_lines, ctx.font, angle=8 + content.order_date.day % 9
            )
        y += 54
    return y


def closing_height(ctx: RenderContext) -> float:
    content = ctx.content
    height = 0.0
    if ctx.spec.payment_terms == "footer" and content.payment_terms:
        height += ctx.size + 8
    if content.notes:
        height += ctx.size + 9 + len(content.notes) * (ctx.size + 2)
    if content.signature or content.stamp:
        height += 60
    return height


def draw_footer(ctx: RenderContext) -> None:
    """Page number and the buyer's legal line (name, IBAN, VAT id: repeats and distractors)."""
    company = ctx.content.customer
    painter = ctx.painter
    y = painter.height - 40
    size = 6.5
    painter.line(ctx.left, y - 10, ctx.right, y - 10, width=0.4, gray=0.4)
    parts = [company.name, company.street, f"{company.postal_code} {company.city}"]
    ctx.write(ctx.left, y, " · ".join(parts), size=size)
    line2: list[str] = [f"IBAN {company.iban}"] if company.iban else []
    vat_footer = ctx.template.vat_place == "footer" and company.vat_printed
    if vat_footer:
        line2 += [ctx.label("vat_id"), company.vat_printed or ""]
    if line2:
        boxes: list[Box] = ctx.run(ctx.left, y + size + 3, line2, size=size)
        if vat_footer:
            ctx.record("customer_vat_id", [boxes[-1]], company.vat_printed or "")
    if ctx.spec.supplier == "footer":
        ctx.write(
            ctx.left,
            y + 2 * (size + 3),
            f"{ctx.label('supplier')}: {SELLER_NAME} – {SELLER_VAT_PRINTED}",
            size=size,
        )
    page_text = f"{ctx.label('page')} {painter.page}/{ctx.total_pages}"
    ctx.write(ctx.right, y, page_text, size=size, align="right")
