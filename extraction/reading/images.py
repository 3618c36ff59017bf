"""Open raster images (PNG, JPEG, multi-page TIFF) safely and hand out upright grayscale pages.

Sizes are checked from the header before any pixel is decoded, so a 50,000 x 50,000 px image is
refused without allocating it, and Pillow's decompression-bomb guard never escapes as a crash.
Fax pages (200 x 100 dpi) get square pixels, so that text has its real shape for OCR.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from extraction.reading.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    ImageTooLargeError,
    TooManyPagesError,
)

ANISOTROPY_TOLERANCE = 1.2
"""Horizontal and vertical resolutions further apart than this ratio are made square."""
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True, slots=True)
class ImagePage:
    image: Image.Image
    """8-bit grayscale, square pixels, EXIF orientation applied."""
    dpi: float | None
    """Resolution after squaring; None when the file does not say."""


def count_image_pages(data: bytes) -> int:
    with _opened(data) as image:
        return int(getattr(image, "n_frames", 1))


def iter_image_pages(data: bytes, *, max_pages: int, max_pixels: int) -> Iterator[ImagePage]:
    """Each frame of the image as an ImagePage, refusing oversize frames before decoding."""
    with _opened(data) as image:
        frames = int(getattr(image, "n_frames", 1))
        if frames > max_pages:
            raise TooManyPagesError(
                f"The image has {frames} pages; more than {max_pages} are not read.",
                pages=frames,
                max_pages=max_pages,
            )
        for index in range(frames):
            try:
                image.seek(index)
            except _DECODE_ERRORS as error:
                raise _corrupt(error, index) from error
            yield _decoded_page(image, index, max_pixels)


class _opened:
    """Image.open as a context manager that turns every failure into a typed read error."""

    def __init__(self, data: bytes) -> None:
        if not data:
            raise EmptyDocumentError("The image file is empty (0 bytes).")
        self._data = data
        self._image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():
                # The size is checked against the reader's own limit before decoding.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                self._image = Image.open(io.BytesIO(self._data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageTooLargeError(f"The image is too large to read safely ({error}).") from error
        except _DECODE_ERRORS as error:
            raise CorruptDocumentError(
                "The file is not a readable image (damaged, truncated, or another kind of file "
                "with an image name). Ask the sender for the document again."
            ) from error
        return self._image

    def __exit__(self, *_: object) -> None:
        if self._image is not None:
            self._image.close()


def _decoded_page(image: Image.Image, index: int, max_pixels: int) -> ImagePage:
    width, height = image.size
    x_dpi, y_dpi = _resolution(image)
    squared_width, squared_height = width, height
    if x_dpi and y_dpi and max(x_dpi, y_dpi) / min(x_dpi, y_dpi) > ANISOTROPY_TOLERANCE:
        squared_width = round(width * max(x_dpi, y_dpi) / x_dpi)
        squared_height = round(height * max(x_dpi, y_dpi) / y_dpi)
    if width * height > max_pixels or squared_width * squared_height > max_pixels:
        raise ImageTooLargeError(
            f"Page {index + 1} is {width} x {height} pixels; images over {max_pixels:,} pixels "
            "are not read. Scan at 300 dpi or lower.",
            page=index + 1,
            width=width,
            height=height,
        )
    try:
        image.load()
        bilevel = image.mode == "1"
        page = _grayscale(ImageOps.exif_transpose(image) if index == 0 else image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLargeError(f"Page {index + 1} is too large to decode ({error}).") from error
    except _DECODE_ERRORS as error:
        raise _corrupt(error, index) from error
    if (squared_width, squared_height) != page.size and page.size == (width, height):
        # Black-and-white pages stay black and white (200 x 100 dpi: each row twice), so that
        # OCR can tell a fax from a grey scan.
        resample = Image.Resampling.NEAREST if bilevel else Image.Resampling.BICUBIC
        page = page.resize((squared_width, squared_height), resample)
    dpi = max(x_dpi, y_dpi) if x_dpi and y_dpi else None
    return ImagePage(image=page, dpi=dpi)


def _resolution(image: Image.Image) -> tuple[float | None, float | None]:
    dpi = image.info.get("dpi")
    if not dpi or len(dpi) != 2:
        return None, None
    x_dpi, y_dpi = (float(v) for v in dpi)
    if x_dpi < 1 or y_dpi < 1:
        return None, None
    return x_dpi, y_dpi


def _grayscale(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("L")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("L")


def _corrupt(error: Exception, index: int) -> CorruptDocumentError:
    return CorruptDocumentError(
        f"Page {index + 1} of the image cannot be decoded ({error}): the file is damaged or "
        "truncated. Ask the sender for the document again.",
        page=index + 1,
    )
