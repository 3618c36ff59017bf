"""Reading orders that arrive in a standard structure instead of OCR'ing them.

An Order-X / Factur-X / ZUGFeRD / UBL XML (alone or embedded in a PDF) or an EDIFACT interchange
is validated and read field by field; every value it gives carries `method: structured`.

    detect_structured(data, filename=…, media_type=…)  → which format, or None
    parse_structured(data, filename=…)                 → StructuredOrder, or None
    read_structured(data, source=…, filename=…, sha256=…) → Extraction, or None
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from extraction.result import Extraction
from extraction.structured.cii import CII_INVOICE_ROOTS, ORDERX_ROOT, read_cii
from extraction.structured.edifact import (
    looks_like_edifact,
    parse_interchange,
    read_message,
)
from extraction.structured.errors import StructuredFormatError
from extraction.structured.model import (
    StructuredFormat,
    StructuredLine,
    StructuredOrder,
    StructuredParty,
)
from extraction.structured.pdf import embedded_xml, is_pdf
from extraction.structured.safexml import local_name, namespace, parse_xml
from extraction.structured.to_extraction import to_extraction
from extraction.structured.ubl import UBL_FORMATS, UBL_NAMESPACE_PREFIX, read_ubl

__all__ = [
    "StructuredFormat",
    "StructuredFormatError",
    "StructuredLine",
    "StructuredOrder",
    "StructuredParty",
    "detect_structured",
    "parse_structured",
    "read_structured",
]

logger = logging.getLogger(__name__)

_UNH_TYPE_RE = re.compile(rb"UNH\+[^+']*\+([A-Z0-9]{6})")


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _looks_like_xml(data: bytes) -> bool:
    if data.startswith(_UTF16_BOMS):
        return True
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _xml_format(root: etree._Element) -> StructuredFormat | None:
    name = local_name(root)
    if name == ORDERX_ROOT:
        return "orderx"
    if name in CII_INVOICE_ROOTS:
        return "cii_invoice"
    if namespace(root).startswith(UBL_NAMESPACE_PREFIX):
        return UBL_FORMATS.get(name, "ubl_other")
    return None


def _structured_bytes(data: bytes) -> tuple[bytes, int] | None:
    """(bytes to read, pages): the file itself, or the XML a PDF carries; None: nothing to read."""
    if is_pdf(data):
        found = embedded_xml(data)
        return (found.data, found.pages) if found is not None else None
    return data, 0


def detect_structured(
    data: bytes, *, filename: str = "", media_type: str | None = None
) -> str | None:
    """Which structured format `data` is (a PDF: the format of the XML it embeds), or None.

    Detection never raises, so a malformed or hostile file detects as None: to decide whether
    to OCR a file, call `read_structured`, which returns None for data with no structure and
    raises StructuredFormatError for structure that is broken or unsafe.
    `filename` and `media_type` are hints only; the content decides.
    """
    found = _structured_bytes(data)
    if found is None:
        return None
    payload = found[0]
    if looks_like_edifact(payload):
        match = _UNH_TYPE_RE.search(payload)
        if match is None:
            return None
        return "edifact_orders" if match.group(1) == b"ORDERS" else "edifact_other"
    if not _looks_like_xml(payload):
        return None
    try:
        return _xml_format(parse_xml(payload))
    except StructuredFormatError:
        return None


def parse_structured(data: bytes, *, filename: str = "") -> StructuredOrder | None:
    """The structured order in `data`, or None when it holds no order/invoice structure.

    Raises StructuredFormatError when the structure is there but malformed, truncated or unsafe.
    An interchange with several EDIFACT messages gives its first one (and logs how many).
    """
    found = _structured_bytes(data)
    return None if found is None else _parse_payload(found[0], filename=filename)


def _parse_payload(payload: bytes, *, filename: str) -> StructuredOrder | None:
    if looks_like_edifact(payload):
        messages = parse_interchange(payload)
        if len(messages) > 1:
            logger.warning(
                "%s holds %d EDIFACT messages; only the first is read",
                filename or "The interchange",
                len(messages),
            )
        return read_message(messages[0])
    if not _looks_like_xml(payload):
        return None
    root = parse_xml(payload, what=filename or "The XML file")
    fmt = _xml_format(root)
    if fmt is None:
        return None
    if fmt in ("orderx", "cii_invoice"):
        return read_cii(root, fmt=fmt)
    return read_ubl(root, fmt=fmt)


def read_structured(
    data: bytes, *, source: str, filename: str = "", sha256: str | None = None
) -> Extraction | None:
    """The Extraction of a structured order or invoice, or None when `data` carries none.

    Values come from the structure with `method: structured`; the decision is `needs_review`
    with no reasons (a cancellation says "cancellation"): the pipeline's checks decide.
    """
    found = _structured_bytes(data)
    if found is None:
        return None
    payload, pages = found
    order = _parse_payload(payload, filename=filename)
    if order is None:
        return None
    return to_extraction(order, source=source, sha256=sha256, pages=pages)
