"""File names from senders made safe to show and store: no paths, no control characters."""

from __future__ import annotations

import re
import unicodedata
from email.header import decode_header, make_header
from pathlib import PurePosixPath

MAX_FILENAME_CHARS = 200
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/tiff": ".tif",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    "application/xml": ".xml",
    "application/edifact": ".edi",
    "application/zip": ".zip",
    "message/rfc822": ".eml",
    "text/html": ".html",
}


def safe_filename(name: str, *, media_type: str, fallback_stem: str) -> str:
    """A name without directories, line breaks or control characters, at most 200 characters.

    RFC 2047 words left in the name by broken mailers are decoded. A name that is empty once
    cleaned becomes `fallback_stem` plus the extension of `media_type`.
    """
    cleaned = _decode_encoded_words(name)
    cleaned = unicodedata.normalize("NFC", cleaned)
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in cleaned)
    cleaned = PurePosixPath(cleaned.replace("\\", "/")).name
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")
    if cleaned in ("", "..") or set(cleaned) <= {"."}:
        cleaned = fallback_stem + _EXTENSIONS.get(media_type, ".bin")
    if len(cleaned) > MAX_FILENAME_CHARS:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and len(extension) <= 10:
            cleaned = stem[: MAX_FILENAME_CHARS - len(extension) - 1] + "." + extension
        else:
            cleaned = cleaned[:MAX_FILENAME_CHARS]
    return cleaned


def _decode_encoded_words(name: str) -> str:
    if "=?" not in name:
        return name
    try:
        return str(make_header(decode_header(name)))
    except (LookupError, ValueError, UnicodeDecodeError):
        return name
