"""Header-side blocks of an order page: letterhead, title, references, addresses, supplier."""

from __future__ import annotations

from training.synth.content import Address
from training.synth.labels import LABELS
from training.synth.layout import RenderContext
from training.synth.painter import Box, bold
from training.synth.world import (
    COUNTRY_NAMES,
    SELLER_CITY,
    SELLER_NAME,
    SELLER_PHONE,
    SELLER_POSTAL_CODE,
    SELLER_STREET,
    SELLER_VAT_PRINTED,
)

_TITLES_OTHER = {
    "order_change": {
        "fr": "MODIFICATION DE COMMANDE",
        "en": "PURCHASE ORDER CHANGE",
        "de": "BESTELLÄNDERUNG",
    },
    "invoice": {"fr": "FACTURE", "en": "INVOICE", "de": "RECHNUNG"},
}


def title_text(ctx: RenderContext) -> str:
    kind = ctx.spec.document_type
    if kind in _TITLES_OTHER:
        return _TITLES_OTHER[kind][ctx.lang]
    return ctx.label("title")


WHITE = (1.0, 1.0, 1.0)


def draw_title(
    ctx: RenderContext,
    x: float,
    y: float,
    align: str,
    size: float = 15,
    color: tuple[float, float, float] | None = None,
) -> float:
    """The document title, with the PO number beside it in families that print it there;
    `color` for a title printed on a dark band."""
    title_font = bold(ctx.font)
    box = ctx.write(x, y, title_text(ctx), size=size, font=title_font, align=align, color=color)
    if ctx.spec.title_with_number and ctx.spec.document_type == "purchase_order":
        label = {"fr": "n°", "en": "No.", "de": "Nr."}[ctx.lang]
        if align == "right":
            number_box = ctx.run(
                x,
                y + size + 4,
                [label, ctx.content.po_number],
                size=size - 2,
                font=title_font,
                align="right",
                color=color,
            )[1]
        else:
            number_box = ctx.run(
                box[2] + 6,
                y,
                [label, ctx.content.po_number],
                size=size - 2,
                font=title_font,
                color=color,
            )[1]
        ctx.record("po_number", [number_box], ctx.content.po_number)
        return y + size + 8 + (size + 4 if align == "right" else 0)
    return y + size + 8


def _buyer_lines(ctx: RenderContext) -> list[str]:
    """The buyer's address and phone under its name (GB puts the postcode on its own line)."""
    company = ctx.content.customer
    lines = [company.street]
    if company.country == "GB":
        lines += [company.city, company.postal_code]
    else:
        lines.append(f"{company.postal_code} {company.city}")
    if ctx.spec.country_printed:
        lines.append(COUNTRY_NAMES[ctx.lang][company.country])
    lines.append(f"{ctx.label('phone')} {company.phone}")
    return lines


def draw_letterhead(ctx: RenderContext, x: float, y: float, align: str) -> float:
    """The buyer's own name and address at the top of the page (where customer_name prints)."""
    company = ctx.content.customer
    name_box = ctx.write(x, y, company.name, size=ctx.size + 5, font=bold(ctx.font), align=align)
    ctx.record("customer_name", [name_box], company.name)
    y += ctx.size + 8
    for text in _buyer_lines(ctx):
        ctx.write(x, y, text, align=align)
        y += ctx.size + 2.5
    if ctx.template.vat_place == "letterhead" and company.vat_printed:
        y = _vat_line(ctx, x, y, align)
    return y


def _vat_line(ctx: RenderContext, x: float, y: float, align: str) -> float:
    company = ctx.content.customer
    assert company.vat_printed is not None
    label = ctx.label("vat_id") + ctx.template.colon
    boxes = ctx.run(x, y, [label, company.vat_printed], align=align)
    ctx.record("customer_vat_id", [boxes[1]], company.vat_printed)
    return y + ctx.size + 2.5


def draw_header(ctx: RenderContext) -> float:
    """Letterhead and title in the family's arrangement; returns the y below them."""
    style = ctx.spec.header
    left, right, top = ctx.left, ctx.right, ctx.top
    width = ctx.painter.width
    if style == "letterhead_left":
        bottom = draw_letterhead(ctx, left, top + 12, "left")
        title_bottom = draw_title(ctx, right, top + 14, "right")
        return max(bottom, title_bottom) + 14
    if style == "letterhead_right":
        bottom = draw_letterhead(ctx, right, top + 12, "right")
        title_bottom = draw_title(ctx, left, top + 14, "left")
        return max(bottom, title_bottom) + 14
    if style == "centered":
        bottom = draw_letterhead(ctx, width / 2, top + 12, "center")
        return draw_title(ctx, width / 2, bottom + 12, "center") + 10
    if style == "banner":
        ctx.painter.rect(0, 0, width, top + 34, stroke=False, fill_gray=0.22)
        draw_title(ctx, left, top + 8, "left", size=17, color=WHITE)
        company = ctx.content.customer
        name_box = ctx.write(
            right,
            top + 8,
            company.name,
            size=ctx.size + 3,
            font=bold(ctx.font),
            align="right",
            color=WHITE,
        )
        ctx.record("customer_name", [name_box], company.name)
        y = top + 56
        for text in _buyer_lines(ctx):
            ctx.write(left, y, text)
            y += ctx.size + 2.5
        if ctx.template.vat_place == "letterhead" and company.vat_printed:
            y = _vat_line(ctx, left, y, "left")
        return y + 12
    # din: buyer top right, return line and the supplier's address in the window, title below
    bottom = draw_letterhead(ctx, right, top + 10, "right")
    return max(bottom, 120.0)


def draw_window(ctx: RenderContext, y: float) -> float:
    """DIN 5008 address window: the buyer's return line, then the seller's postal address."""
    company = ctx.content.customer
    x = ctx.left + 12
    return_line = f"{company.name} · {company.street} · {company.postal_code} {company.city}"
    ctx.write(x, y, return_line, size=ctx.fitting(return_line, ctx.room(x), size=6.5))
    y += 14
    for text in (
        SELLER_NAME,
        SELLER_STREET,
        f"{SELLER_POSTAL_CODE} {SELLER_CITY}",
        COUNTRY_NAMES[ctx.lang]["FR"],
    ):
        ctx.write(x, y, text, size=ctx.size + 1)
        y += ctx.size + 3
    return y + 8


def supplier_block(ctx: RenderContext, x: float, y: float) -> float:
    """The seller's own identity, labelled as the supplier: a distractor for customer fields."""
    ctx.write(x, y, ctx.label("supplier"), font=bold(ctx.font))
    y += ctx.size + 3
    lines = [SELLER_NAME, SELLER_STREET, f"{SELLER_POSTAL_CODE} {SELLER_CITY}"]
    if ctx.lang != "fr":
        lines.append(COUNTRY_NAMES[ctx.lang]["FR"])
    lines.append(f"{ctx.label('phone')} {SELLER_PHONE}")
    lines.append(f"{LABELS['vat_id'][ctx.lang][0]} {SELLER_VAT_PRINTED}")
    for text in lines:
        ctx.write(x, y, text, size=ctx.fitting(text, ctx.room(x)))
        y += ctx.size + 2.5
    return y + 6


def address_block(
    ctx: RenderContext, x: float, y: float, label: str, address: Address, prefix: str | None
) -> float:
    """An address under its label; with `prefix` ('ship_to') each part is a recorded value."""
    ctx.write(x, y, label, font=bold(ctx.font))
    y += ctx.size + 3

    room = ctx.room(x)

    def put(x0: float, text: str, key: str | None) -> Box:
        box = ctx.write(x0, y, text, size=ctx.fitting(text, room))
        if prefix and key:
            ctx.record(f"{prefix}_{key}", [box], text)
        return box

    def put_pair(first: str, second: str) -> None:
        boxes = ctx.run(x, y, [first, second], size=ctx.fitting(f"{first} {second}", room))
        if prefix:
            ctx.record(f"{prefix}_postal_code", [boxes[0]], first)
            ctx.record(f"{prefix}_city", [boxes[1]], second)

    put(x, address.name, "name")
    y += ctx.size + 2.5
    put(x, address.street, "street")
    y += ctx.size + 2.5
    if address.country == "GB":
        put(x, address.city, "city")
        y += ctx.size + 2.5
        put(x, address.postal_code, "postal_code")
    else:
        put_pair(address.postal_code, address.city)
    y += ctx.size + 2.5
    if address.country_printed:
        put(x, COUNTRY_NAMES[ctx.lang][address.country], "country")
        y += ctx.size + 2.5
    return y + 6


def bill_to_address(ctx: RenderContext) -> Address:
    company = ctx.content.customer
    return Address(
        company.name,
        company.street,
        company.postal_code,
        company.city,
        company.country,
        ctx.spec.country_printed,
    )


def meta_items(ctx: RenderContext) -> list[tuple[str, str, str | None]]:
    """(label, value as printed, recorded key) for the reference block, in template order."""
    content = ctx.content
    items: dict[str, tuple[str, str, str | None]] = {}
    if not ctx.spec.title_with_number:
        items["po_number"] = (ctx.label("po_number"), content.po_number, "po_number")
    items["order_date"] = (ctx.label("order_date"), ctx.day(content.order_date), "order_date")
    if content.delivery_date is not None:
        items["requested_delivery_date"] = (
            ctx.label("requested_delivery_date"),
            ctx.day(content.delivery_date),
            "requested_delivery_date",
        )
    if content.customer_number:
        items["customer_number"] = (
            ctx.label("customer_number"),
            content.customer_number,
            "customer_number",
        )
    if content.vendor_number:
        items["vendor_number"] = (ctx.label("vendor_number"), content.vendor_number, None)
    if content.quotation:
        number, date = content.quotation
        items["quotation"] = (
            ctx.label("quotation"),
            f"{number} {ctx.label('quotation_date')} {ctx.day(date)}",
            None,
        )
    items["contact"] = (ctx.label("contact"), content.contact_name, None)
    if content.contact_email:
        items["email"] = (ctx.label("email"), content.contact_email, "contact_email")
    items["phone"] = (ctx.label("phone"), content.phone, None)
    if ctx.spec.currency_display == "meta":
        items["currency"] = (ctx.label("currency"), content.currency, "currency")
    if ctx.spec.payment_terms == "meta" and content.payment_terms:
        items["payment_terms"] = (
            ctx.label("payment_terms"),
            content.payment_terms[0],
            "payment_terms_days",
        )
    ordered = [items[key] for key in ctx.template.meta_order if key in items]
    if content.reference_distractor:
        label, value = content.reference_distractor
        ordered.insert(1, (label, value, None))  # beside the PO number: the likeliest mix-up
    return ordered


def meta_column(ctx: RenderContext, x: float, y: float, width: float) -> float:
    items = meta_items(ctx)
    label_width = max(ctx.width(label + ctx.template.colon) for label, _, _ in items) + 8
    for label, value, key in items:
        if ctx.width(value) > width - label_width:
            ctx.labelled(x, y, label, value, key)
        else:
            ctx.labelled(x, y, label, value, key, value_x=x + label_width)
        y += ctx.size + 4
    return y + 6


def meta_inline(ctx: RenderContext, x: float, y: float, width: float) -> float:
    for label, value, key in meta_items(ctx):
        size = ctx.size
        while size > 6 and ctx.width(f"{label}{ctx.template.colon}  {value}", size) > width:
            size -= 0.5
        ctx.labelled(x, y, label, value, key, label_bold=True, size=size)
        y += ctx.size + 4
    return y + 6


def meta_bar(ctx: RenderContext, y: float) -> float:
    """References flowing across the page, "Label: value" after "Label: value", wrapping."""
    x, gap = ctx.left, ctx.size * 2.5
    for label, value, key in meta_items(ctx):
        label_text = label + ctx.template.colon
        width = ctx.width(f"{label_text} {value}")
        if x > ctx.left and x + width > ctx.right:
            x, y = ctx.left, y + ctx.size + 5
        boxes = ctx.run(
            x, y, [label_text, value], size=ctx.fitting(f"{label_text} {value}", ctx.right - x)
        )
        if key:
            ctx.record(key, [boxes[1]], value)
        x = boxes[1][2] + gap
    ctx.painter.line(ctx.left, y + ctx.size, ctx.right, y + ctx.size, width=0.4, gray=0.5)
    return y + ctx.size + 14


def meta_grid(ctx: RenderContext, y: float, boxed_cells: bool) -> float:
    """References as a grid of cells, label above value, across the page width."""
    items = meta_items(ctx)
    per_row = 4
    cell_w = (ctx.right - ctx.left) / per_row
    label_size = ctx.size - 1.5
    cell_h = label_size + ctx.size + 10
    for index, (label, value, key) in enumerate(items):
        row, col = divmod(index, per_row)
        x = ctx.left + col * cell_w
        top = y + row * cell_h
        if boxed_cells:
            ctx.painter.rect(x, top, cell_w, cell_h)
        else:
            ctx.painter.rect(x, top, cell_w, label_size + 4, stroke=False, fill_gray=0.88)
        ctx.write(x + 4, top + label_size + 1, label, size=label_size, font=bold(ctx.font))
        value_size = ctx.size
        while ctx.width(value, size=value_size) > cell_w - 8 and value_size > 5.5:
            value_size -= 0.5
        box = ctx.write(x + 4, top + cell_h - 5, value, size=value_size)
        if key:
            ctx.record(key, [box], value)
    rows = (len(items) + per_row - 1) // per_row
    return y + rows * cell_h + 12
