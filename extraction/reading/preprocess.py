"""Image clean-up before OCR: measure and remove skew, optional denoising and binarisation.

Only what the reading benchmark (bench/reading.py) shows to help is switched on by default.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage

MAX_SKEW_DEGREES = 5.0
MIN_SKEW_TO_CORRECT = 0.3
_SKEW_ANALYSIS_WIDTH = 1000
_INK_THRESHOLD = 128
_MIN_INK_PIXELS = 500
_VERTICAL_MARGIN = 1.2


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


def lines_run_vertically(image: Image.Image) -> bool:
    """Whether the text lines of the page run up and down (a page turned a quarter turn): the
    ink's column profile is then sharper (lines and gaps alternate) than its row profile. A few
    milliseconds, where reading the page the wrong way up first costs a whole OCR pass."""
    scale = min(1.0, _SKEW_ANALYSIS_WIDTH / max(image.size))
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    ink_rows, ink_columns = np.nonzero(np.asarray(small.convert("L")) < _INK_THRESHOLD)
    if len(ink_columns) < _MIN_INK_PIXELS:
        return False
    return _peakedness(ink_columns) > _peakedness(ink_rows) * _VERTICAL_MARGIN


def _peakedness(positions: np.ndarray) -> float:
    """How unevenly ink falls along one axis, over the span it covers: 1 for an even spread,
    more for stripes."""
    counts = np.bincount(positions - positions.min())
    return float(np.dot(counts, counts)) * len(counts) / float(len(positions)) ** 2


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


SHADE_WINDOW_INCHES = 0.1
"""Shading is looked for over squares of this side (30 px at 300 dpi)."""
SHADE_LEVELS = (140, 232)
"""Grey that is neither paper nor ink."""
SHADE_MIN_SHARE = 0.5
"""A square is shaded when most of its pixels are such grey: on paper, even dense text has grey
only along the edges of its strokes."""
SHADE_NOISE_MARGIN = 35
"""Only pixels within this of the shading's own level are whitened: the soft edges of the
letters on it stay (whitening down to the ink/shade split thinned bold header words until
'Qty' read 'aty')."""
_SHADE_MIN_PAGE_SHARE = 0.005


def whiten_shading(image: Image.Image, dpi: float | None = None) -> Image.Image:
    """Grey shading (a table header's background, a zebra row) turned white, the ink on it kept:
    inside shaded areas, pixels close to the shading's level become paper.
    Tesseract's one global threshold otherwise falls between paper and shading, and dark text on
    a grey header row becomes one black bar. The rest of the page is left as it is."""
    pixels = np.asarray(image.convert("L"))
    grey = ((pixels >= SHADE_LEVELS[0]) & (pixels <= SHADE_LEVELS[1])).astype(np.uint8) * 255
    radius = max(1, round(SHADE_WINDOW_INCHES * (dpi or DEFAULT_RULE_DPI) / 2))
    share = np.asarray(Image.fromarray(grey).filter(ImageFilter.BoxBlur(radius)))
    shaded = share >= round(255 * SHADE_MIN_SHARE)
    if shaded.mean() < _SHADE_MIN_PAGE_SHARE:
        return image
    inside = pixels[shaded]
    threshold = max(_otsu_threshold(inside), int(np.median(inside)) - SHADE_NOISE_MARGIN)
    return Image.fromarray(np.where(shaded & (pixels > threshold), 255, pixels).astype(np.uint8))


def binarise(image: Image.Image) -> Image.Image:
    """Black and white by Otsu's threshold, as 8-bit grayscale (0 or 255)."""
    pixels = np.asarray(image.convert("L"))
    threshold = _otsu_threshold(pixels)
    return Image.fromarray(np.where(pixels > threshold, 255, 0).astype(np.uint8))


def _otsu_threshold(pixels: np.ndarray) -> int:
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    weight_light = total - weight_dark
    cumulative_mean = np.cumsum(histogram * levels)
    mean_dark = cumulative_mean / np.maximum(weight_dark, 1)
    mean_light = (cumulative_mean[-1] - cumulative_mean) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    return int(np.argmax(between))


def is_blank(image: Image.Image) -> bool:
    """True when the page carries (almost) no ink: nothing for OCR to read."""
    scale = min(1.0, _SKEW_ANALYSIS_WIDTH / image.width)
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    dark = np.count_nonzero(np.asarray(small.convert("L")) < _INK_THRESHOLD)
    return bool(dark < _MIN_INK_PIXELS // 5)


FAX_TARGET_DPI = 300
"""Black-and-white pages of lower resolution (faxes: 200 x 100 dpi) are resampled to this before
OCR: Tesseract reads 1-bit text of 200 dpi poorly (broken strokes, lost decimal points)."""
RULE_MIN_INCHES = 0.5
"""Straight runs of ink at least this long (13 mm) are table rules, not text: at 6 mm the
middle of a bold title passed for one."""
RULE_MIN_INK = 0.95
"""Share of a run that must be ink: the gaps noise leaves in a rule are few."""
RULE_MAX_INCHES = 0.03
"""A rule is thin: where the ink goes on this far (0.8 mm) to both sides, it is text."""
DEFAULT_RULE_DPI = 300
"""Resolution assumed for finding rules on a page that does not say."""
BILEVEL_BLUR_INCHES = 0.005
"""Smoothing of a resampled black-and-white page (1.5 px at 300 dpi): of 1, 1.25, 1.5, 1.75, 2
and 2.5 px, 1.5 found the most printed values on the synthetic faxes of bench/reading.py."""


def upscale_bilevel(image: Image.Image, dpi: float | None, *, target_dpi: int) -> Image.Image:
    """A black-and-white page resampled (bicubic) to `target_dpi` as grayscale and smoothed
    (Gaussian, `BILEVEL_BLUR_INCHES`): the soft edges let Tesseract's own thresholding rebuild
    the strokes that the 1-bit page frayed and broke. Pages without a resolution, or already at
    `target_dpi` or finer, are returned as they are."""
    if not dpi or dpi >= target_dpi:
        return image
    scale = target_dpi / dpi
    size = (round(image.width * scale), round(image.height * scale))
    resized = image.resize(size, Image.Resampling.BICUBIC)
    return resized.filter(ImageFilter.GaussianBlur(BILEVEL_BLUR_INCHES * target_dpi))


DARK_WINDOW_INCHES = 0.3
"""Ink is measured over squares of this side to find dark areas: wide enough that the white
letters printed on a band do not make holes in it."""
DARK_MIN_SHARE = 0.7
"""A square this much ink is a dark background; bold text stays well under it."""
DARK_MIN_INCHES = (1.0, 0.15)
"""The smallest dark area (width, height) inverted: a title band, not a blot."""
_BAND_EDGE_SHARE = 0.5
"""Rows and columns of a dark area that are at least this much ink: where the band really ends."""


def invert_dark_areas(image: Image.Image, dpi: float | None) -> Image.Image:
    """Black-and-white page with its dark areas (a title band a fax thresholded black, white
    letters left in it) turned negative, so that their text reads black on white: Tesseract's
    layout analysis takes a black band for a picture and reads nothing in it."""
    pixels = np.asarray(image.convert("L"))
    resolution = dpi or DEFAULT_RULE_DPI
    ink = (pixels < _INK_THRESHOLD).astype(np.uint8) * 255
    radius = max(2, round(DARK_WINDOW_INCHES * resolution / 2))
    share = np.asarray(Image.fromarray(ink).filter(ImageFilter.BoxBlur(radius)))
    labels, count = ndimage.label(share >= round(255 * DARK_MIN_SHARE))
    if not count:
        return image
    out = pixels.copy()
    inverted = False
    min_width, min_height = (round(v * resolution) for v in DARK_MIN_INCHES)
    for rows, columns in ndimage.find_objects(labels):
        top, bottom = max(0, rows.start - radius), min(pixels.shape[0], rows.stop + radius)
        left, right = max(0, columns.start - radius), min(pixels.shape[1], columns.stop + radius)
        area = ink[top:bottom, left:right] > 0
        dark_rows = np.flatnonzero(area.mean(axis=1) >= _BAND_EDGE_SHARE)
        dark_columns = np.flatnonzero(area.mean(axis=0) >= _BAND_EDGE_SHARE)
        if not len(dark_rows) or not len(dark_columns):
            continue
        y0, y1 = top + dark_rows[0], top + dark_rows[-1] + 1
        x0, x1 = left + dark_columns[0], left + dark_columns[-1] + 1
        if x1 - x0 >= min_width and y1 - y0 >= min_height:
            out[y0:y1, x0:x1] = 255 - out[y0:y1, x0:x1]
            inverted = True
    return Image.fromarray(out) if inverted else image


SPECK_DPI = 200
"""The resolution the speck sizes below are in pixels of (a fax page at square pixels)."""
SPECK_MAX_PIXELS = 2
"""Ink spots of at most this many pixels are counted as specks: one fax pixel, doubled."""
NOISY_SPECKS_PER_SQUARE_INCH = 120
"""A page with more specks than this is noisy: on the synthetic faxes of bench/reading.py the
clean pages had 15 to 57, the noisy one 277."""
DESPECKLE_MAX_PIXELS = 6
"""On a noisy page, ink spots of at most this many pixels go: of 2, 4, 6, 8, 12 and 20 px (and a
median filter), 6 and 8 read the noisy synthetic fax best (CER 28 → 15 %). Removing even the
2-px spots of the clean pages cost them periods and i-dots (median CER 4.9 → 5.8 %)."""


def remove_specks(image: Image.Image, dpi: float | None) -> Image.Image:
    """A black-and-white page with its isolated ink specks removed, when it has so many of
    them that they are line noise rather than punctuation; other pages are returned as they
    are, since their specks are mostly periods, decimal commas and i-dots."""
    pixels = np.asarray(image.convert("L"))
    labels, count = ndimage.label(pixels < _INK_THRESHOLD, structure=np.ones((3, 3)))
    if not count:
        return image
    scale = ((dpi or SPECK_DPI) / SPECK_DPI) ** 2
    sizes = np.bincount(labels.ravel())
    sizes[0] = np.iinfo(sizes.dtype).max  # the paper
    square_inches = pixels.size / (dpi or SPECK_DPI) ** 2
    specks = np.count_nonzero(sizes <= SPECK_MAX_PIXELS * scale)
    if specks <= NOISY_SPECKS_PER_SQUARE_INCH * square_inches:
        return image
    cleaned = pixels.copy()
    cleaned[(sizes <= DESPECKLE_MAX_PIXELS * scale)[labels]] = 255
    return Image.fromarray(cleaned)


def remove_rules(image: Image.Image, dpi: float | None) -> Image.Image:
    """The page with its horizontal and vertical rules (table borders, underlines) painted white,
    so that OCR does not read them as '|', '_' or '—' glued to the words beside them.

    A rule is a stretch of at least `RULE_MIN_INCHES` that is at least `RULE_MIN_INK` ink within
    a band three pixels across (noise breaks a fax's rules, and a skewed one climbs a pixel every
    so often); its ink and the pixel next to it on either side go. Text crossed by a rule loses
    those pixels."""
    pixels = np.asarray(image.convert("L"))
    ink = pixels < _INK_THRESHOLD
    length = max(8, round(RULE_MIN_INCHES * (dpi or DEFAULT_RULE_DPI)))
    reach = max(2, round(RULE_MAX_INCHES * (dpi or DEFAULT_RULE_DPI)))
    rules = _rule_pixels(ink, length, reach, axis=1) | _rule_pixels(ink, length, reach, axis=0)
    if not rules.any():
        return image
    cleaned = pixels.copy()
    cleaned[_grow(rules & ink) | (rules & ink)] = 255
    return Image.fromarray(cleaned)


def _rule_pixels(ink: np.ndarray, length: int, reach: int, *, axis: int) -> np.ndarray:
    """Pixels within `length`-long stretches along `axis` (1: rows) whose three-pixel-wide band
    is mostly ink, unless the bands `reach` pixels to both sides are too (inside bold text)."""
    rows = ink if axis == 1 else np.ascontiguousarray(ink.T)
    band = ndimage.maximum_filter1d(rows.view(np.uint8), 3, axis=0)
    height, width = band.shape
    if width < length:
        return np.zeros_like(ink)
    sums = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(band, axis=1, out=sums[:, 1:])
    dense = (sums[:, length:] - sums[:, :-length]) >= RULE_MIN_INK * length
    inside = np.zeros_like(dense)
    inside[reach:-reach] = dense[: -2 * reach] & dense[2 * reach :]
    dense &= ~inside
    # A dense window starting at x covers x .. x + length - 1: a pixel is covered when one of
    # the windows starting at x - length + 1 .. x is dense, a running maximum over them.
    starts = np.zeros((height, width), dtype=np.uint8)
    starts[:, : dense.shape[1]] = dense
    covered = ndimage.maximum_filter1d(starts, length, axis=1, origin=(length - 1) // 2)
    return (covered if axis == 1 else covered.T).astype(bool)


def _grow(mask: np.ndarray) -> np.ndarray:
    """The mask and its 8 neighbours (a 3x3 dilation)."""
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    vertical = grown.copy()
    grown[:, 1:] |= vertical[:, :-1]
    grown[:, :-1] |= vertical[:, 1:]
    return grown
