"""What intake decides about one file before it becomes a document.

Every file gets a verdict: read it (a document for the pipeline), quarantine it (kept, with a
reason a person can act on), skip it (a logo or signature image), or unpack it (a zip, a mail,
an HTML page whose text joins the body). Checks read headers only — page count, pixel size,
encryption — so that intake stays fast; the reading stage decodes the pages.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, UnidentifiedImageError
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from extraction.reading.media_types import (
    EDIFACT,
    EMAIL,
    HTML,
    JPEG,
    PDF,
    PLAIN_TEXT,
    PNG,
    TIFF,
    UNKNOWN,
    XML,
    ZIP,
    detect_media_type,
)
from intake.limits import IntakeLimits

READABLE_TYPES = frozenset({PDF, TIFF, PNG, JPEG, PLAIN_TEXT, XML, EDIFACT})
IMAGE_TYPES = frozenset({TIFF, PNG, JPEG})
SMALL_IMAGE_PIXELS = 250_000
SMALL_IMAGE_SIDE = 250
BANNER_ASPECT = 2.5
PAGE_PHOTO_PIXELS = 1_500_000
"""An image shown in the HTML body is a page (a photo of an order) only from this size on."""
logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repairs of real-world PDFs are noise here
EOF_MARKER_WINDOW = 2048
PKCS7_OID = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07"
"""DER of 1.2.840.113549.1.7, the PKCS #7 content types that S/MIME wraps files in."""
_IMAGE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


class Action(StrEnum):
    READ = "read"
    QUARANTINE = "quarantine"
    SKIP = "skip"
    UNPACK_ZIP = "unpack_zip"
    UNPACK_MAIL = "unpack_mail"
    BODY_TEXT = "body_text"


@dataclass(frozen=True)
class Verdict:
    action: Action
    media_type: str
    reason: str | None = None


def judge_file(
    data: bytes,
    *,
    filename: str,
    declared_type: str = "",
    referenced_by_html: bool = False,
    limits: IntakeLimits,
) -> Verdict:
    """The verdict on one file; `declared_type` and the name only count when content is silent."""
    if data[:1] == b"0" and PKCS7_OID in data[:64]:
        return Verdict(
            Action.QUARANTINE,
            "application/pkcs7-mime",
            "the file is wrapped in S/MIME (PKCS #7) signed or encrypted data, which cannot be "
            "unpacked; ask the sender to send it without S/MIME",
        )
    media_type = detect_media_type(data, filename)
    if media_type == UNKNOWN and declared_type in READABLE_TYPES | {ZIP}:
        media_type = declared_type
    if not data:
        return Verdict(Action.QUARANTINE, media_type, "the file is empty (0 bytes)")
    if len(data) > limits.max_attachment_bytes:
        return Verdict(
            Action.QUARANTINE,
            media_type,
            f"the file is {len(data) / 1e6:.1f} MB; files over "
            f"{limits.max_attachment_bytes / 1e6:.0f} MB are not read",
        )
    if media_type == ZIP:
        return Verdict(Action.UNPACK_ZIP, media_type)
    if media_type == EMAIL:
        return Verdict(Action.UNPACK_MAIL, media_type)
    if media_type == HTML:
        return Verdict(Action.BODY_TEXT, media_type)
    if media_type == PDF:
        return _judge_pdf(data, limits)
    if media_type in IMAGE_TYPES or declared_type.startswith("image/"):
        return _judge_image(data, media_type, referenced=referenced_by_html, limits=limits)
    if media_type in READABLE_TYPES:
        return Verdict(Action.READ, media_type)
    shown = declared_type or "unknown"
    return Verdict(
        Action.QUARANTINE,
        media_type,
        f"the file type is not supported (declared {shown}; the content is not a PDF, TIFF, "
        "PNG, JPEG, text, XML, EDIFACT or zip file)",
    )


def _judge_pdf(data: bytes, limits: IntakeLimits) -> Verdict:
    """Pages, password and damage, read by pypdf: pure Python, so a hostile file cannot crash
    the poller (the reading stage opens it again, with PDFium, in a sandbox)."""
    if b"%%EOF" not in data[-EOF_MARKER_WINDOW:]:
        return Verdict(
            Action.QUARANTINE,
            PDF,
            "the PDF ends before its end-of-file marker: it was probably cut off while being "
            "sent or saved; ask the sender for the document again",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and _needs_password(reader):
            return Verdict(
                Action.QUARANTINE,
                PDF,
                "the PDF is protected by a password; ask the sender for an unprotected copy",
            )
        pages = len(reader.pages)
    except Exception as error:  # pypdf raises many kinds on damaged files
        return Verdict(
            Action.QUARANTINE,
            PDF,
            f"the PDF is damaged and cannot be opened ({type(error).__name__}: {error}); ask "
            "the sender for the document again",
        )
    if pages == 0:
        return Verdict(Action.QUARANTINE, PDF, "the PDF has no pages")
    if pages > limits.max_pages:
        return Verdict(
            Action.QUARANTINE,
            PDF,
            f"the PDF has {pages} pages; documents of more than {limits.max_pages} pages are "
            "not read (split it, or raise the page limit)",
        )
    return Verdict(Action.READ, PDF)


def _needs_password(reader: PdfReader) -> bool:
    """True unless the empty user password opens it (files protected only against editing)."""
    try:
        return reader.decrypt("") == PasswordType.NOT_DECRYPTED
    except DependencyError:  # an encryption pypdf cannot undo here: the reader decides
        return False


def _judge_image(
    data: bytes, media_type: str, *, referenced: bool, limits: IntakeLimits
) -> Verdict:
    """Logos and signature images are skipped; bombs, damaged and unknown images quarantined."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_type = Image.MIME.get(image.format or "", media_type)
            frames = int(getattr(image, "n_frames", 1))
            if frames > limits.max_pages:
                return Verdict(
                    Action.QUARANTINE,
                    image_type,
                    f"the image has {frames} pages; more than {limits.max_pages} are not read",
                )
            sizes = []
            for index in range(frames):
                image.seek(index)
                sizes.append(image.size)
    except Image.DecompressionBombError as error:
        return Verdict(
            Action.QUARANTINE, media_type, f"the image is too large to open safely ({error})"
        )
    except _IMAGE_ERRORS as error:
        if media_type not in IMAGE_TYPES:
            return Verdict(Action.QUARANTINE, media_type, "the file type is not supported")
        return Verdict(Action.QUARANTINE, media_type, f"the image is damaged ({error})")
    for index, (width, height) in enumerate(sizes):
        if width * height > limits.max_image_pixels:
            return Verdict(
                Action.QUARANTINE,
                image_type,
                f"page {index + 1} is {width} x {height} pixels; images over "
                f"{limits.max_image_pixels:,} pixels are not read (a decompression bomb?)",
            )
    width, height = sizes[0]
    if frames == 1 and _decorative(width, height, image_type, referenced=referenced):
        return Verdict(Action.SKIP, image_type, f"a {width} x {height} image (logo or signature)")
    if image_type not in IMAGE_TYPES:
        return Verdict(
            Action.QUARANTINE,
            image_type,
            f"{image_type} images are not read; only TIFF, PNG and JPEG are",
        )
    return Verdict(Action.READ, image_type)


def _decorative(width: int, height: int, image_type: str, *, referenced: bool) -> bool:
    """Logos, banners and signature pictures: small, or shown inside the HTML body and not
    large enough to be a photographed or scanned page."""
    if width * height < SMALL_IMAGE_PIXELS or min(width, height) < SMALL_IMAGE_SIDE:
        return True
    if not referenced:
        return False
    banner = max(width, height) / max(min(width, height), 1) > BANNER_ASPECT
    return banner or image_type not in IMAGE_TYPES or width * height < PAGE_PHOTO_PIXELS
