"""Limits that keep one bad document from hurting the worker that reads it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _cpu_count() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 200
    max_image_pixels: int = 60_000_000
    """Largest page image decoded or rendered, in pixels (width x height)."""
    ocr_page_timeout_seconds: int = 60
    text_layer_page_timeout_seconds: float = 10
    """Longest time parsing one PDF page's text layer may take (the slowest real page seen took
    0.12 s); a page that takes longer is hostile or broken, and is OCRed instead."""
    text_layer_timeout_seconds: float = 120
    """Longest time parsing the text layer of a whole PDF may take."""
    ocr_languages: str = "eng+fra+deu"
    workers: int = field(default_factory=_cpu_count)
    """Pages OCRed at the same time, one thread and one single-threaded Tesseract engine each."""
