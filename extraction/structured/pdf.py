"""The XML a hybrid PDF carries: Factur-X / ZUGFeRD / Order-X (PDF/A-3 associated files) or a
UBL attachment (an Odoo quotation, say).

pypdf's attachment listing is used rather than factur-x's `get_xml_from_pdf`, which looks only
for the Factur-X/Order-X file names and would miss a `UBL-Order-2.1.xml` attachment.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

_PREFERRED_NAMES = ("order-x.xml", "factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


@dataclass(frozen=True, slots=True)
class EmbeddedXml:
    filename: str
    data: bytes
    pages: int
    """Pages of the PDF that carries it."""


def embedded_xml(data: bytes) -> EmbeddedXml | None:
    """The PDF's structured XML attachment, or None when it has none.

    A PDF pypdf cannot open is not this module's concern (the page reader reports it): None.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
        attachments = reader.attachments
        candidates = [
            (name, blob)
            for name in attachments
            if name.lower().endswith(".xml")
            for blob in attachments[name]
            if len(blob) <= _MAX_ATTACHMENT_BYTES
        ]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        logger.info("PDF attachments unreadable, treating as plain PDF: %s", error)
        return None
    if not candidates:
        return None
    candidates.sort(key=lambda item: item[0].lower() not in _PREFERRED_NAMES)
    filename, xml = candidates[0]
    return EmbeddedXml(filename=filename, data=xml, pages=pages)
