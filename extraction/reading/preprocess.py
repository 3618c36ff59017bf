"""Image clean-up before OCR: measure and remove skew, optional denoising and binarisation.

Only what the reading benchmark (bench/reading.py) shows to help is switched on by default.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

MAX_SKEW_DEGREES = 5.0
MIN_SKEW_TO_CORRECT = 0.3
_SKEW_ANALYSIS_WIDTH = 1000
_INK_THRESHOLD = 128
_MIN_INK_PIXELS = 500


def measure_skew(image: Image.Image) -> float:
    """The angle in degrees (counter-clockwise positive, like `Image.rotate`) that makes the
    text lines horizontal, found by maximising the sharpness of the row profile of the ink."""
    scale = min(1.0, _SKEW_ANALYSIS_WIDTH / image.width)
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    pixels = np.asarray(small.convert("L"))
    ink_rows, ink_columns = np.nonzero(pixels < _INK_THRESHOLD)
    if len(ink_columns) < _MIN_INK_PIXELS:
        return 0.0
    xs = ink_columns.astype(np.float64) - small.width / 2
    ys = ink_rows.astype(np.float64)

    def sharpness(angle: float) -> float:
        theta = np.deg2rad(angle)
        # Row of each ink pixel along a direction turned by `angle` (y axis points down).
        rows = ys * np.cos(theta) + xs * np.sin(theta)
        counts = np.bincount((rows - rows.min()).astype(np.int64))
        return float(np.dot(counts, counts))

    coarse = [float(a) for a in np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.5)]
    best = max(coarse, key=sharpness)
    fine = [float(a) for a in np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1)]
    # The sharpest profile is found at the angle the page was turned by; undo it.
    turned_by = max(fine, key=sharpness)
    return -round(turned_by, 2)


def rotate_upright(image: Image.Image, quarter_turns_clockwise: int) -> Image.Image:
    """The image turned clockwise by 90° steps (Tesseract OSD's 'Rotate' value / 90)."""
    transposes = {
        1: Image.Transpose.ROTATE_270,
        2: Image.Transpose.ROTATE_180,
        3: Image.Transpose.ROTATE_90,
    }
    turns = quarter_turns_clockwise % 4
    return image if turns == 0 else image.transpose(transposes[turns])


def deskew(image: Image.Image, angle: float) -> Image.Image:
    """The image turned by `angle` degrees about its centre, same size, white where uncovered."""
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def is_bilevel(image: Image.Image) -> bool:
    """True for a black-and-white page (a fax, a 1-bit scan) held as grayscale."""
    return image.getcolors(2) is not None


def straighten(image: Image.Image, *, min_degrees: float) -> tuple[Image.Image, float]:
    """The image deskewed by its measured angle, and that angle (0 when below `min_degrees`)."""
    angle = measure_skew(image)
    if abs(angle) < min_degrees:
        return image, 0.0
    return deskew(image, angle), angle


def denoise(image: Image.Image) -> Image.Image:
    """Remove salt-and-pepper specks (3x3 median)."""
    return image.filter(ImageFilter.MedianFilter(3))


def binarise(image: Image.Image) -> Image.Image:
    """Black and white by Otsu's threshold, as 8-bit grayscale (0 or 255)."""
    pixels = np.asarray(image.convert("L"))
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    weight_light = total - weight_dark
    cumulative_mean = np.cumsum(histogram * levels)
    mean_dark = cumulative_mean / np.maximum(weight_dark, 1)
    mean_light = (cumulative_mean[-1] - cumulative_mean) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    threshold = int(np.argmax(between))
    return Image.fromarray(np.where(pixels > threshold, 255, 0).astype(np.uint8))


def is_blank(image: Image.Image) -> bool:
    """True when the page carries (almost) no ink: nothing for OCR to read."""
    scale = min(1.0, _SKEW_ANALYSIS_WIDTH / image.width)
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    dark = np.count_nonzero(np.asarray(small.convert("L")) < _INK_THRESHOLD)
    return bool(dark < _MIN_INK_PIXELS // 5)
