"""Test data made on the fly: PDFs, fax TIFFs, images and messages."""

from __future__ import annotations

import io
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def make_pdf(text: str = "Purchase order PO-1001", *, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        pdf.drawString(72, 760, f"{text} (page {page + 1})")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_fax_tiff(*, pages: int = 2, compression: str = "group4") -> bytes:
    """A multi-page bilevel TIFF as fax servers write (1728 px wide, G3 or G4)."""
    frames = []
    for page in range(pages):
        frame = Image.new("1", (1728, 1100), 1)
        ImageDraw.Draw(frame).text((100, 100 + page * 10), f"FAX ORDER page {page + 1}", fill=0)
        frames.append(frame)
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="TIFF",
        compression=compression,
        save_all=True,
        append_images=frames[1:],
        dpi=(204, 196),
    )
    return buffer.getvalue()


def make_png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def make_mail(
    *,
    subject: str = "Order",
    sender: str = "Buyer <buyer@customer.example>",
    body: str = "Please find our order attached.",
    attachments: list[tuple[str, bytes, str]] | None = None,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A message; each attachment is (filename, data, "maintype/subtype")."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "orders@seller.example"
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@customer.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, data, content_type in attachments or []:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def order_mail(*, pdf: bytes | None = None, **kwargs: Any) -> bytes:
    """A message with one PDF order attached, as bytes."""
    attachment = ("order.pdf", pdf or make_pdf(), "application/pdf")
    return make_mail(attachments=[attachment], **kwargs).as_bytes()


def many_order_mails(count: int, *, pdf: bytes | None = None) -> list[bytes]:
    """`count` messages that differ by Message-ID and subject, made from one (building each
    with `email` costs ~10 ms)."""
    template = order_mail(
        pdf=pdf, subject="Order NUMBER-000000", message_id="<NUMBER-000000@customer.example>"
    )
    return [template.replace(b"NUMBER-000000", f"{n:013d}".encode()) for n in range(count)]
