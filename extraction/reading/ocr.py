"""One page image → words with boxes and confidences, through Tesseract 5 (in-process,
extraction/reading/tesseract_engine.py).

The recipe: orientation (Tesseract OSD, first when the ink lies in vertical stripes, else only
when the upright reading is poor or in vertical lines) → for black-and-white pages (faxes), the
specks of a page full of line noise removed, table rules painted out and a resampling to 300
dpi → deskew by the measured angle → optional whitening of grey shading, denoise, binarise →
Tesseract's word table → a second pass over the ink no word covers (Tesseract's layout analysis
can leave out a whole table column) → standalone dashes told apart by their shape. Boxes are
fractions of the upright, straightened page, so that words of one text line share a height;
`render_page_png(..., rotation=page.rotation, deskew=True)` shows that same image.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PIL import Image

from extraction.pages import Word
from extraction.reading import preprocess, tesseract_engine
from extraction.reading.ocr_dashes import typeset_dashes
from extraction.reading.ocr_recovery import with_dropped_text

DEFAULT_DPI = 300
DROPPED_TEXT_SEGMENTATION_MODE = 6
"""The patches of left-over ink, stacked one under the other, are read as one block of text."""
MIN_GOOD_MEAN_CONFIDENCE = 0.70
"""An upright reading at least this confident is kept without asking OSD for the orientation."""
MIN_GOOD_WORDS = 8
SIDEWAYS_WORD_SHARE = 0.5
"""A reading where more of the words of three letters or more are taller than wide is sideways."""
MIN_TEXT_HEIGHT_PIXELS = 3
"""A word with a letter or digit in a box flatter than this is a table rule Tesseract read as
text ('74°' along a row's underline): printed characters are ten pixels tall or more."""
MIN_OSD_CONFIDENCE = 0.5
"""OSD is unsure on pages with little text; a turn it suggests is kept only if it reads better."""
OSD_REDUCTION = 2
OSD_MIN_SIDE_TO_REDUCE = 2000
"""OSD sees pages of at least this many pixels each way (A4 at 240 dpi or more) at half size."""


@dataclass(frozen=True, slots=True)
class OcrSettings:
    languages: str = "eng+fra+deu"
    timeout_seconds: float = 60
    page_segmentation_mode: int = 3
    detect_orientation: bool = True
    deskew: bool = True
    min_skew_degrees: float = preprocess.MIN_SKEW_TO_CORRECT
    """Smaller measured skews are left alone: Tesseract copes, and resampling costs sharpness."""
    denoise: bool = False
    """Median-filter every page. Off: on grayscale scans it cost 60% more time for a mixed
    result in bench/reading.py."""
    denoise_bilevel: bool = False
    """Median-filter black-and-white pages (faxes). Off since they are resampled and smoothed
    (`bilevel_target_dpi`): with it, the generated faxes of bench/reading.py had 1.3 % CER
    instead of 0.3 %."""
    binarise: bool = False
    """Otsu before Tesseract (which binarises by itself): no gain measured."""
    bilevel_target_dpi: int | None = preprocess.FAX_TARGET_DPI
    """Black-and-white pages of a lower resolution (faxes) are resampled to this first."""
    despeckle_noisy_bilevel: bool = True
    """Remove the specks of black-and-white pages that are full of them (line noise):
    `preprocess.remove_specks`."""
    invert_dark_areas_bilevel: bool = True
    """Turn the dark bands of black-and-white pages negative (white title text on a band the
    fax thresholded black), which Tesseract otherwise does not read at all."""
    remove_rules_bilevel: bool = True
    """Paint out the table rules of black-and-white pages, which Tesseract reads as '|'."""
    recover_dropped_text: bool = True
    """Read, in one more Tesseract call, the text-sized ink no word covers: Tesseract's layout
    analysis sometimes leaves out a whole table column (extraction/reading/ocr_recovery.py)."""
    whiten_shading: bool = False
    """Turn the grey shading of grayscale pages white before Tesseract (header rows on grey).
    Off: on 16 scans of the synthetic corpus it found more printed values (91.5 → 92.3 %, mean)
    and read a grey two-row table header that was lost, but on the test split's scans lines fell
    (194 → 183 right): the better-read headers carry noise words that misplace the columns."""


@dataclass(frozen=True, slots=True)
class OcrPage:
    words: tuple[Word, ...]
    rotation: int
    """Degrees the image was turned clockwise to read it upright."""
    width: int
    """Size of the upright image, in pixels."""
    height: int

    @property
    def mean_confidence(self) -> float:
        return (
            sum(w.ocr_confidence or 0.0 for w in self.words) / len(self.words)
            if self.words
            else 0.0
        )


def ocr_image(image: Image.Image, settings: OcrSettings, *, dpi: float | None = None) -> OcrPage:
    """Read a grayscale page image. Raises ReadTimeoutError when the page takes longer than
    `settings.timeout_seconds` in all."""
    deadline = time.monotonic() + settings.timeout_seconds
    if preprocess.is_blank(image):
        return OcrPage((), 0, image.width, image.height)
    if settings.detect_orientation and preprocess.lines_run_vertically(image):
        # turned a quarter turn: ask OSD first rather than read the page sideways
        turns = _osd_quarter_turns(image, deadline)
        if turns:
            turned = _read_turned(image, turns, settings, dpi, deadline)
            if _reads_well(turned):
                return turned
    page = _read_turned(image, 0, settings, dpi, deadline)
    if settings.detect_orientation and not _reads_well(page):
        turns = _osd_quarter_turns(image, deadline)
        if turns:
            turned = _read_turned(image, turns, settings, dpi, deadline)
            page = max(page, turned, key=_ranking)
    return page


def _reads_well(page: OcrPage) -> bool:
    """Confident, and in horizontal lines: Tesseract also reads a page turned a quarter turn
    clockwise, confidently, as vertical lines, whose boxes and reading order are of no use."""
    return (
        len(page.words) >= MIN_GOOD_WORDS
        and page.mean_confidence >= MIN_GOOD_MEAN_CONFIDENCE
        and not _reads_sideways(page)
    )


def _reads_sideways(page: OcrPage) -> bool:
    """Most words of three letters or more are taller than wide: vertical text lines."""
    long_words = [w for w in page.words if len(w.text) >= 3]
    tall = sum(1 for w in long_words if (w.y1 - w.y0) * page.height > (w.x1 - w.x0) * page.width)
    return bool(long_words) and tall > len(long_words) * SIDEWAYS_WORD_SHARE


def _ranking(page: OcrPage) -> tuple[bool, float]:
    """A reading in horizontal lines first, then the more confident characters."""
    return (
        not _reads_sideways(page),
        sum((w.ocr_confidence or 0.0) * len(w.text) for w in page.words),
    )


def _read_turned(
    image: Image.Image, turns: int, settings: OcrSettings, dpi: float | None, deadline: float
) -> OcrPage:
    upright = preprocess.rotate_upright(image, turns)
    bilevel = preprocess.is_bilevel(upright)
    prepared = upright
    if bilevel and settings.invert_dark_areas_bilevel:
        prepared = preprocess.invert_dark_areas(prepared, dpi)
    if bilevel and settings.despeckle_noisy_bilevel:
        prepared = preprocess.remove_specks(prepared, dpi)
    if bilevel and settings.remove_rules_bilevel:
        prepared = preprocess.remove_rules(prepared, dpi)
    if settings.denoise or (settings.denoise_bilevel and bilevel):
        prepared = preprocess.denoise(prepared)
    if bilevel and settings.bilevel_target_dpi:
        prepared = preprocess.upscale_bilevel(prepared, dpi, target_dpi=settings.bilevel_target_dpi)
        dpi = dpi and max(dpi, settings.bilevel_target_dpi)
    if settings.deskew:
        prepared, _ = preprocess.straighten(prepared, min_degrees=settings.min_skew_degrees)
    if settings.whiten_shading and not bilevel:
        prepared = preprocess.whiten_shading(prepared, dpi)
    if settings.binarise:
        prepared = preprocess.binarise(prepared)
    words = _recognise(prepared, settings, dpi, deadline)
    return OcrPage(words, (turns % 4) * 90, upright.width, upright.height)


def _recognise(
    image: Image.Image, settings: OcrSettings, dpi: float | None, deadline: float
) -> tuple[Word, ...]:
    words = read_words(image, settings, dpi, deadline, settings.page_segmentation_mode)
    if settings.recover_dropped_text:
        words = with_dropped_text(
            image,
            words,
            dpi or DEFAULT_DPI,
            lambda sheet: read_words(
                sheet, settings, dpi, deadline, DROPPED_TEXT_SEGMENTATION_MODE
            ),
        )
    return tuple(typeset_dashes(words, image))


def read_words(
    image: Image.Image,
    settings: OcrSettings,
    dpi: float | None,
    deadline: float,
    segmentation_mode: int,
) -> list[Word]:
    """One Tesseract reading of `image` as it is, in `segmentation_mode`: its words with boxes as
    fractions of the image, line and block ids, confidences 0–1."""
    data = tesseract_engine.words_table(
        image,
        languages=settings.languages,
        segmentation_mode=segmentation_mode,
        dpi=dpi,
        deadline=deadline,
    )
    width, height = image.width, image.height
    line_ids: dict[tuple[int, int, int], int] = {}
    block_ids: dict[int, int] = {}
    words: list[Word] = []
    for i, text in enumerate(data["text"]):
        text = text.strip()
        confidence = float(data["conf"][i])
        if not text or confidence < 0:
            continue
        block = int(data["block_num"][i])
        line_key = (block, int(data["par_num"][i]), int(data["line_num"][i]))
        left, top = int(data["left"][i]), int(data["top"][i])
        right, bottom = left + int(data["width"][i]), top + int(data["height"][i])
        if bottom - top < MIN_TEXT_HEIGHT_PIXELS and any(c.isalnum() for c in text):
            continue
        box = (
            _clamp(left / width),
            _clamp(top / height),
            _clamp(right / width),
            _clamp(bottom / height),
        )
        words.append(
            Word(
                text=text,
                bbox=box,
                line_id=line_ids.setdefault(line_key, len(line_ids)),
                block_id=block_ids.setdefault(block, len(block_ids)),
                ocr_confidence=round(confidence / 100, 4),
            )
        )
    return words


def _osd_quarter_turns(image: Image.Image, deadline: float) -> int:
    """Clockwise quarter turns that make the page upright, per Tesseract OSD; 0 when unsure.
    OSD looks at large pages at half size: a third less time, and on 300-dpi pages turned by
    90, 180 and 270 degrees the same answers (at a third of the size it got some wrong)."""
    if min(image.size) >= OSD_MIN_SIDE_TO_REDUCE:
        image = image.reduce(OSD_REDUCTION)
    found = tesseract_engine.orientation(image, deadline)
    if found is None or found.confidence < MIN_OSD_CONFIDENCE:
        return 0
    return found.quarter_turns


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
