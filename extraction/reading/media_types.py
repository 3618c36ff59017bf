"""Recognise what a document is from its bytes (magic numbers) first and its name second.

The name is only consulted when the content gives no answer, so a web page saved as `order.jpg`
is recognised as HTML, not as a broken JPEG.
"""

from __future__ import annotations

import re
from pathlib import PurePath

PDF = "application/pdf"
TIFF = "image/tiff"
PNG = "image/png"
JPEG = "image/jpeg"
PLAIN_TEXT = "text/plain"
HTML = "text/html"
XML = "application/xml"
EDIFACT = "application/edifact"
EMAIL = "message/rfc822"
ZIP = "application/zip"
UNKNOWN = "application/octet-stream"

_SNIFF_BYTES = 4096
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
)
_TEXT_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_BY_EXTENSION = {
    ".pdf": PDF,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".txt": PLAIN_TEXT,
    ".text": PLAIN_TEXT,
    ".xml": XML,
    ".edi": EDIFACT,
    ".edifact": EDIFACT,
    ".eml": EMAIL,
    ".zip": ZIP,
    ".htm": HTML,
    ".html": HTML,
}
_TEXT_EXTENSION_TYPES = {PLAIN_TEXT, XML, EDIFACT, EMAIL}
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):[ \t]", re.MULTILINE)
_MAIL_HEADERS = {
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"mime-version",
    b"received",
    b"return-path",
    b"delivered-to",
    b"content-type",
    b"reply-to",
    b"cc",
}
_EDIFACT_START = re.compile(rb"^(UNA.{6}|UNB\+|UNH\+)", re.DOTALL)
_HTML_START = re.compile(rb"^<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


def detect_media_type(data: bytes, filename: str = "") -> str:
    """The media type of `data`, judged by content first and by `filename` only when the
    content is ambiguous (unknown binary, or text that could be XML/EDIFACT/e-mail)."""
    by_content = _sniff(data[:_SNIFF_BYTES])
    by_name = _BY_EXTENSION.get(PurePath(filename).suffix.lower(), UNKNOWN) if filename else UNKNOWN
    if by_content == UNKNOWN and by_name not in (UNKNOWN, *_TEXT_EXTENSION_TYPES, HTML):
        return by_name
    if by_content == PLAIN_TEXT and by_name in _TEXT_EXTENSION_TYPES:
        return by_name
    return by_content


def base_media_type(media_type: str) -> str:
    """`text/plain; charset=utf-8` → `text/plain`."""
    return media_type.split(";", 1)[0].strip().lower()


def _sniff(head: bytes) -> str:
    for signature, media_type in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return media_type
    if b"%PDF-" in head[:1024]:
        return PDF
    text = _as_text(head)
    if text is None:
        return UNKNOWN
    stripped = text.lstrip()
    if _HTML_START.match(stripped):
        return HTML
    if stripped.startswith(b"<"):
        return HTML if b"<html" in stripped[:1024].lower() else XML
    if _EDIFACT_START.match(stripped):
        return EDIFACT
    if _looks_like_email(text):
        return EMAIL
    return PLAIN_TEXT


def _as_text(head: bytes) -> bytes | None:
    """The head re-encoded as UTF-8 if it reads as text, else None."""
    if not head:
        return None
    for bom, encoding in _TEXT_BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore").encode("utf-8")
    if b"\x00" in head:
        return None
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the sniff window is still text.
        if error.start < len(head) - 4:
            decoded = head.decode("cp1252", errors="replace")
        else:
            decoded = head[: error.start].decode("utf-8")
    control = sum(1 for ch in decoded if ord(ch) < 32 and ch not in "\t\n\r\f")
    if control > max(2, len(decoded) // 100):
        return None
    return decoded.encode("utf-8")


def _looks_like_email(text: bytes) -> bool:
    headers_block = text.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    if headers_block.startswith(b"From ") and b"\n" in headers_block:
        headers_block = headers_block.split(b"\n", 1)[1]
    first_line = headers_block.split(b"\n", 1)[0]
    if not _HEADER_LINE.match(first_line):
        return False
    names = {m.group(1).lower() for m in _HEADER_LINE.finditer(headers_block)}
    return len(names & _MAIL_HEADERS) >= 2
