"""Text Tesseract's page layout analysis left out, read in a second pass.

On ruled tables Tesseract's layout analysis (psm 3) sometimes finds no text block at all over a
whole column: a fax's price column, printed as clearly as the column beside it, came back
without a word, and with it the unit prices of every line. The ink that no word found covers is
looked for, grouped into word-sized patches, and those patches, cut out and stacked one under
the other on a blank page, are read in one more Tesseract call as a uniform block of text
(psm 6), which does not drop them. Patches too flat, too small or too large for text (rules,
specks, pictures) are not sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image
from scipy import ndimage

from extraction.pages import Word

INK_THRESHOLD = 128
COVER_MARGIN_INCHES = 0.02
"""Ink this close to a word that was read belongs to it (an accent, a frayed edge)."""
MERGE_INCHES = 0.035
"""Letters of one word, and words one space apart, are merged into one patch."""
FRAGMENT_INCHES = 0.1
"""A patch narrower than this (two letters) that reaches a word that was read is the rest of
that word's ink, not a word of its own."""
TEXT_HEIGHT_INCHES = (0.05, 0.4)
"""A patch of text is between 4 and 29 pt high: flatter is a rule or a speck, taller a picture."""
MIN_WIDTH_INCHES = 0.04
MIN_INK_SHARE = 0.08
"""Share of a patch's box that is ink: less is a frame or scattered specks."""
MAX_PATCHES = 150
"""A page with more left-over patches than this is noise, not dropped text."""
PAD_INCHES = 0.04
GAP_INCHES = 0.12
"""White around each patch on the stacked page, and between patches."""
MIN_CONFIDENCE = 0.5
"""Words read off the patches with less confidence are taken for noise."""
SLIVER_SHARE = 0.5
"""A first-pass box less than half as high as the same word read again is a sliver of it."""

Recognise = Callable[[Image.Image], list[Word]]
"""Reads an image as a uniform block of text: words with boxes as fractions of that image."""


@dataclass(frozen=True, slots=True)
class Patch:
    left: int
    top: int
    right: int
    bottom: int


def dropped_text_patches(image: Image.Image, words: Sequence[Word], dpi: float) -> list[Patch]:
    """Pixel boxes of the text-sized patches of ink no word covers."""
    pixels = np.asarray(image.convert("L"))
    ink = pixels < INK_THRESHOLD
    covered = np.zeros_like(ink)
    margin = round(COVER_MARGIN_INCHES * dpi)
    height, width = ink.shape
    for word in words:
        left, top = int(word.x0 * width) - margin, int(word.y0 * height) - margin
        right, bottom = int(word.x1 * width) + margin + 1, int(word.y1 * height) + margin + 1
        covered[max(0, top) : bottom, max(0, left) : right] = True
    left_over = ink & ~covered
    if not left_over.any():
        return []
    reach = max(1, round(MERGE_INCHES * dpi))
    # a dilation by a (3, 2 * reach + 1) rectangle, as two running maxima (a tenth of the time)
    merged = ndimage.maximum_filter1d(left_over.view(np.uint8), 2 * reach + 1, axis=1)
    labels, _ = ndimage.label(ndimage.maximum_filter1d(merged, 3, axis=0))
    patches = []
    low, high = (round(v * dpi) for v in TEXT_HEIGHT_INCHES)
    narrow = MIN_WIDTH_INCHES * dpi
    for index, found in enumerate(ndimage.find_objects(labels), start=1):
        if found is None:
            continue
        rows, columns = found
        if rows.stop - rows.start - 2 < low or columns.stop - columns.start - 2 * reach < narrow:
            continue  # its ink, which the merging widened, is smaller still: a speck
        own = labels[found] == index
        patch_ink = left_over[found] & own
        ink_rows, ink_columns = np.nonzero(patch_ink)
        top, bottom = found[0].start + ink_rows.min(), found[0].start + ink_rows.max() + 1
        left, right = found[1].start + ink_columns.min(), found[1].start + ink_columns.max() + 1
        if not low <= bottom - top <= high or right - left < narrow:
            continue
        if patch_ink.sum() < MIN_INK_SHARE * (bottom - top) * (right - left):
            continue  # a frame, or scattered specks
        if right - left < FRAGMENT_INCHES * dpi and (covered[found] & own).any():
            continue  # the rest of a letter that was read ('Ø' read as '@' leaves its stroke)
        patches.append(Patch(int(left), int(top), int(right), int(bottom)))
    return [] if len(patches) > MAX_PATCHES else patches


def read_dropped_text(
    image: Image.Image,
    words: Sequence[Word],
    dpi: float,
    recognise: Recognise,
) -> list[Word]:
    """Words of the patches no word covers, in the page's coordinates (fractions), on lines of
    their own (the layout puts them in rows by their height)."""
    patches = dropped_text_patches(image, words, dpi)
    if not patches:
        return []
    pad, gap = round(PAD_INCHES * dpi), round(GAP_INCHES * dpi)
    sheet_width = max(p.right - p.left for p in patches) + 2 * pad
    offsets, y = [], gap
    for patch in patches:
        offsets.append(y)
        y += patch.bottom - patch.top + 2 * pad + gap
    sheet = Image.new("L", (sheet_width, y), 255)
    grey = image.convert("L")
    for patch, top in zip(patches, offsets, strict=True):
        sheet.paste(grey.crop((patch.left, patch.top, patch.right, patch.bottom)), (pad, top + pad))
    first_line = max((w.line_id for w in words), default=-1) + 1
    first_block = max((w.block_id for w in words), default=-1) + 1
    found: list[Word] = []
    for word in recognise(sheet):
        if (word.ocr_confidence or 0.0) < MIN_CONFIDENCE:
            continue
        centre = (word.y0 + word.y1) / 2 * sheet.height
        at = next(
            (i for i, top in enumerate(offsets) if top <= centre < top + _span(patches[i], pad)),
            None,
        )
        if at is None:
            continue
        patch, top = patches[at], offsets[at]
        dx, dy = patch.left - pad, patch.top - top - pad
        x0, x1 = word.x0 * sheet.width + dx, word.x1 * sheet.width + dx
        y0, y1 = word.y0 * sheet.height + dy, word.y1 * sheet.height + dy
        found.append(
            replace(
                word,
                bbox=(
                    _clamp(x0 / image.width),
                    _clamp(y0 / image.height),
                    _clamp(x1 / image.width),
                    _clamp(y1 / image.height),
                ),
                line_id=first_line + word.line_id,
                block_id=first_block + at,
            )
        )
    return found


def with_dropped_text(
    image: Image.Image,
    words: Sequence[Word],
    dpi: float,
    recognise: Recognise,
) -> list[Word]:
    """The page's words and those of the second pass (read_dropped_text). A word of the first
    pass that the second read again where it is printed (same text, same column, within a line
    height) is dropped: its box was a sliver of the word's ink (a 2-pixel-high 'Toner' along a
    table rule), which left the rest of the ink to be read again."""
    found = read_dropped_text(image, words, dpi, recognise)
    kept = [w for w in words if not any(_read_again(w, again) for again in found)]
    return kept + found


def _read_again(first: Word, again: Word) -> bool:
    """Same text in the same column, and either at the same height or a sliver of a box
    within one and a half line heights (a word of the next row is further)."""
    height = again.y1 - again.y0
    apart = abs((first.y0 + first.y1) / 2 - (again.y0 + again.y1) / 2)
    sliver = first.y1 - first.y0 < SLIVER_SHARE * height
    return (
        first.text == again.text
        and first.x0 < again.x1
        and again.x0 < first.x1
        and (apart < height / 2 or (sliver and apart < 1.5 * height))
    )


def _span(patch: Patch, pad: int) -> int:
    return patch.bottom - patch.top + 2 * pad


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
