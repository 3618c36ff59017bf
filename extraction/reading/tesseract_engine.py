"""Tesseract 5 inside this process (tesserocr), its language models loaded once per engine.

The `tesseract` command loads eng+fra+deu afresh on every call, about 0.2 s of CPU, and a fax
page takes two calls (the page, then the ink its layout analysis left out). Engines here are
kept in a pool and lent to one OCR thread at a time, so a process loads each language set once
per concurrent thread. tesserocr's wheel carries Tesseract 5.5; the language models are the
Debian packages' (`tesseract-ocr-eng`, `-fra`, `-deu`, `-osd`). `GetTSVText` gives the same
columns as `tesseract … tsv` (pytesseract's `image_to_data`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

# One thread per engine, the parallelism being one engine per page: libtesseract reads this when
# it loads, if it was built with OpenMP (the tesserocr wheel's is not; a source build may be).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import tesserocr
from PIL import Image

from extraction.reading.errors import ReadError, ReadTimeoutError

TESSDATA_FOLDERS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
"""Where the Debian (and other distributions') language-model packages put their files, in the
order tried after $TESSDATA_PREFIX."""
TSV_COLUMNS = (
    "level",
    "page_num",
    "block_num",
    "par_num",
    "line_num",
    "word_num",
    "left",
    "top",
    "width",
    "height",
    "conf",
    "text",
)
OSD_LANGUAGE = "osd"


class OcrEngineError(ReadError):
    title = "OCR engine unavailable"
    reason = "ocr_unavailable"


@dataclass(frozen=True, slots=True)
class Orientation:
    quarter_turns: int
    """Clockwise quarter turns that make the page upright."""
    confidence: float


def words_table(
    image: Image.Image,
    *,
    languages: str,
    segmentation_mode: int,
    dpi: float | None,
    deadline: float,
) -> dict[str, list[str]]:
    """Tesseract's word table of `image`, column by column (the TSV columns). Raises
    ReadTimeoutError once `deadline` (time.monotonic()) has passed."""
    with _engine(languages) as api:
        api.SetPageSegMode(cast(tesserocr.PSM, segmentation_mode))
        api.SetImage(image)
        if dpi:
            api.SetSourceResolution(round(dpi))
        if not api.Recognize(timeout=_milliseconds_left(deadline)):
            if time.monotonic() >= deadline:
                raise ReadTimeoutError(
                    "OCR of a page took longer than its time limit; the page may be unusually "
                    "dense or noisy."
                )
            raise ReadError("Tesseract could not read this page image.")
        tsv = api.GetTSVText(0)
        api.Clear()
    return _columns(tsv)


def orientation(image: Image.Image, deadline: float) -> Orientation | None:
    """Tesseract OSD's reading of the page's orientation; None when it cannot tell (too few
    characters)."""
    _milliseconds_left(deadline)
    with _engine(OSD_LANGUAGE) as api:
        api.SetPageSegMode(tesserocr.PSM.OSD_ONLY)
        api.SetImage(image)
        report = api.DetectOrientationScript()
        api.Clear()
    if not report:
        return None
    # orient_deg is how far the image is turned clockwise; turning it back makes it upright
    degrees = int(report["orient_deg"])
    return Orientation(((360 - degrees) % 360) // 90, float(report["orient_conf"]))


def _columns(tsv: str) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {column: [] for column in TSV_COLUMNS}
    for row in tsv.splitlines():
        cells = row.split("\t", len(TSV_COLUMNS) - 1)
        cells += [""] * (len(TSV_COLUMNS) - len(cells))
        for column, cell in zip(TSV_COLUMNS, cells, strict=True):
            table[column].append(cell)
    return table


def _milliseconds_left(deadline: float) -> int:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ReadTimeoutError("OCR of a page took longer than its time limit.")
    return max(1, int(remaining * 1000))


_idle: dict[str, list[tesserocr.PyTessBaseAPI]] = {}
_idle_lock = threading.Lock()


@contextmanager
def _engine(languages: str) -> Iterator[tesserocr.PyTessBaseAPI]:
    """An engine for `languages` that no other thread is using, back in the pool afterwards."""
    with _idle_lock:
        idle = _idle.setdefault(languages, [])
        api = idle.pop() if idle else None
    if api is None:
        api = _new_engine(languages)
    try:
        yield api
    finally:
        with _idle_lock:
            _idle[languages].append(api)


def _new_engine(languages: str) -> tesserocr.PyTessBaseAPI:
    folder = tessdata_folder()
    missing = [
        name for name in languages.split("+") if not (folder / f"{name}.traineddata").is_file()
    ]
    if missing:
        raise OcrEngineError(
            f"Tesseract language data {', '.join(missing)} not found in {folder}: install "
            f"tesseract-ocr-{missing[0]} (scripts/bootstrap.sh installs eng, fra, deu and osd) "
            "or set ORDINO_OCR_LANGUAGES to installed ones."
        )
    return tesserocr.PyTessBaseAPI(path=str(folder), lang=languages)


def tessdata_folder() -> Path:
    """$TESSDATA_PREFIX, else the first folder of TESSDATA_FOLDERS holding English."""
    if prefix := os.environ.get("TESSDATA_PREFIX"):
        return Path(prefix)
    for folder in map(Path, TESSDATA_FOLDERS):
        if (folder / "eng.traineddata").is_file():
            return folder
    raise OcrEngineError(
        "No Tesseract language data found (looked in $TESSDATA_PREFIX and "
        f"{', '.join(TESSDATA_FOLDERS)}): run scripts/bootstrap.sh or install tesseract-ocr-eng."
    )
