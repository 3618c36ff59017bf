"""OCR many page images at once: one thread per core, each lent its own Tesseract engine
(Tesseract releases the GIL while it reads, so two threads read two pages on two cores).

Images are produced lazily by the caller (rendering stays in the calling thread, where PDFium is
safe) and at most two per worker wait in memory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from PIL import Image

from extraction.reading.limits import ReadLimits
from extraction.reading.ocr import OcrPage, OcrSettings, ocr_image

PageImage = tuple[int, Image.Image, float | None]
"""(page index, grayscale image, dpi or None)."""


def ocr_settings_for(limits: ReadLimits) -> OcrSettings:
    return OcrSettings(
        languages=limits.ocr_languages, timeout_seconds=limits.ocr_page_timeout_seconds
    )


def ocr_page_images(
    images: Iterable[PageImage], settings: OcrSettings, *, workers: int
) -> dict[int, OcrPage]:
    """OcrPage by page index. The first failure (e.g. ReadTimeoutError) cancels the rest and is
    raised."""
    results: dict[int, OcrPage] = {}
    pending: deque[tuple[int, Future[OcrPage]]] = deque()
    workers = max(1, workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        try:
            for index, image, dpi in images:
                pending.append((index, pool.submit(ocr_image, image, settings, dpi=dpi)))
                while len(pending) >= 2 * workers:
                    done_index, future = pending.popleft()
                    results[done_index] = future.result()
            while pending:
                done_index, future = pending.popleft()
                results[done_index] = future.result()
        except BaseException:
            for _, future in pending:
                future.cancel()
            raise
    return results
