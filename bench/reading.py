"""Reading benchmark: speed and accuracy of extraction.reading on generated orders.

    uv run python -m bench.reading [--pages 6] [--seed 7] [--no-variants]

Generates order pages of known text (English, French, German) and reads them as
- text PDFs (pdfplumber path): ms per page; also the real text PDFs of ../shared/realdata;
- 300-dpi scans, clean and noisy (grain, specks, blur, 0.5-2.5° skew): s per page, CER;
- the noisy scans turned by a quarter, half or three-quarter turn (orientation): s per page, CER;
- 200 x 100 dpi 1-bit G4 fax TIFFs: s per page, CER;
- the scans and faxes of the synthetic order corpus (training.synth: small print, shaded table
  headers, fax headers): s per page, CER, share of the printed values found;
beside plain `pytesseract.image_to_string` with default settings, measured in the same run.
Timings are CPU seconds (reader process, Tesseract inside it, one worker; the baseline's
Tesseract child processes included), i.e. the time
on one idle core, so that a busy machine does not distort them; wall-clock medians are printed
beside them. Figures are medians with min/max. CER is the Levenshtein distance to the known text
over its length, after collapsing whitespace; words are put in rows by their boxes first, so
that the order Tesseract lists blocks in does not count as errors.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pypdfium2 as pdfium
import pytesseract
import tesserocr
from PIL import Image, ImageFilter
from rapidfuzz.distance import Levenshtein
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extraction.pages import Page, Word
from extraction.reading import ReadLimits, read_document
from extraction.reading.ocr import ocr_image
from extraction.reading.ocr_pages import ocr_settings_for

T = TypeVar("T")
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
PAGE_WIDTH, PAGE_HEIGHT = A4
FONTS = ("Helvetica", "Times-Roman", "Courier")
TURNED = "scan 300 dpi noisy, turned 90/180/270"
"""Read but left out of the recipe comparison (every recipe runs OSD on them: slow)."""


@dataclass(frozen=True)
class Language:
    title: str
    labels: tuple[str, str, str, str, str]
    items: tuple[str, ...]
    closing: tuple[str, ...]
    decimal_comma: bool


LANGUAGES = (
    Language(
        "PURCHASE ORDER",
        ("Order number", "Order date", "Delivery date", "Customer", "Ship to"),
        (
            "Steel bolts M8 x 40",
            "Hex nuts M8 zinc plated",
            "Flat washers 8.4 mm",
            "Cable ties 300 mm black",
            "Safety gloves size L",
            "Packing tape 50 m",
        ),
        ("Please confirm delivery date and price.", "Payment terms: 30 days net."),
        decimal_comma=False,
    ),
    Language(
        "BON DE COMMANDE",
        (
            "Numéro de commande",
            "Date de commande",
            "Date de livraison",
            "Client",
            "Adresse de livraison",
        ),
        (
            "Vis à tête hexagonale M8",
            "Écrous inox qualité A2",
            "Rondelles plates 8,4 mm",
            "Colliers de serrage 300 mm",
            "Gants de sécurité taille 9",
            "Ruban adhésif 50 m",
        ),
        ("Merci de nous confirmer le délai et le prix.", "Règlement à 45 jours fin de mois."),
        decimal_comma=True,
    ),
    Language(
        "BESTELLUNG",
        ("Bestellnummer", "Bestelldatum", "Liefertermin", "Kunde", "Lieferanschrift"),
        (
            "Sechskantschrauben M8 verzinkt",
            "Muttern M8 Edelstahl",
            "Unterlegscheiben 8,4 mm",
            "Kabelbinder 300 mm schwarz",
            "Schutzhandschuhe Größe 9",
            "Packband 50 m braun",
        ),
        ("Bitte bestätigen Sie Liefertermin und Preis.", "Zahlung 30 Tage netto, Skonto 2 %."),
        decimal_comma=True,
    ),
)
_SKU_LETTERS = "ABCDEFGHKLMNPRSTUVWXYZ"
_NAMES = ("Durand", "Müller", "Smith", "Lefèvre")
_COMPANY_FORMS = ("SARL", "GmbH", "Ltd")
_CITIES = ("Lyon", "Grenoble", "Stuttgart", "München", "Manchester", "Liège", "Zürich")


@dataclass(frozen=True)
class OrderPage:
    lines: tuple[tuple[str, float, float, str, float], ...]
    """(text, x in points, y from the top in points, font, size)."""

    @property
    def text(self) -> str:
        return "\n".join(line[0] for line in self.lines)


def make_order_page(rng: random.Random) -> OrderPage:
    """An order of known text: title, header fields, a table of 6-12 rows, closing lines."""
    words = rng.choice(LANGUAGES)
    font = rng.choice(FONTS)
    size = rng.choice((10.0, 10.5, 11.0))
    lines: list[tuple[str, float, float, str, float]] = []
    y = 70.0
    lines.append((words.title, 60.0, y, "Helvetica-Bold", 16.0))
    y += 34
    values = (
        f"PO-{rng.randint(10000, 99999)}",
        f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026",
        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2027",
        f"{rng.choice(_NAMES)} {rng.choice(_COMPANY_FORMS)}",
        f"{rng.randint(1, 120)} rue des Forges, {rng.randint(10000, 99999)} {rng.choice(_CITIES)}",
    )
    for label, value in zip(words.labels, values, strict=True):
        lines.append((f"{label}: {value}", 60, y, font, size))
        y += size * 1.6
    y += 20
    for _ in range(rng.randint(6, 12)):
        sku = f"{rng.choice(_SKU_LETTERS)}{rng.choice(_SKU_LETTERS)}-{rng.randint(100, 9999)}"
        quantity = rng.randint(1, 500)
        price = rng.randint(5, 99999) / 100
        item = rng.choice(words.items)
        amount = f"{quantity * price:,.2f}"
        if words.decimal_comma:
            amount = amount.replace(",", " ").replace(".", ",")
        lines.append((f"{sku}  {item}  {quantity}  {price:.2f}  {amount}", 60, y, font, size))
        y += size * 1.5
    y += 20
    for closing in words.closing:
        lines.append((closing, 60, y, font, size))
        y += size * 1.6
    return OrderPage(tuple(lines))


def order_pdf(page: OrderPage) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for text, x, y, font, size in page.lines:
        c.setFont(font, size)
        c.drawString(x, PAGE_HEIGHT - y, text)
    c.save()
    return out.getvalue()


def rasterise(pdf: bytes, dpi: int) -> Image.Image:
    return rasterise_pages(pdf, dpi)[0]


def rasterise_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page of `pdf` as a grey image at `dpi`."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [
            document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for i in range(len(document))
        ]
    finally:
        document.close()


def noisy_scan(clean: Image.Image, rng: random.Random) -> Image.Image:
    """Paper tone, sensor grain, dust specks, a little blur and a skew of 0.5-2.5 degrees."""
    seed = rng.randint(0, 2**31)
    noise = np.random.default_rng(seed)
    blurred = clean.filter(ImageFilter.GaussianBlur(0.7))
    pixels = np.asarray(blurred, dtype=np.float32) * (235 / 255) + noise.normal(
        0, 12, (clean.height, clean.width)
    )
    specks = noise.random((clean.height, clean.width)) < 0.0015
    pixels[specks] = 20
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    angle = rng.choice((-1, 1)) * rng.uniform(0.5, 2.5)
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=235)


def fax_tiff(pdf: bytes, rng: random.Random) -> tuple[bytes, Image.Image]:
    """A 200 x 100 dpi 1-bit G4 fax page, and the same page with square pixels (baseline)."""
    fine = rasterise(pdf, 200).rotate(
        rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=255
    )
    coarse = fine.resize((fine.width, fine.height // 2), Image.Resampling.BOX)
    noise = (
        np.random.default_rng(rng.randint(0, 2**31)).random((coarse.height, coarse.width)) < 0.0005
    )
    bits = np.where((np.asarray(coarse) > 150) & ~noise, 255, 0).astype(np.uint8)
    fax = Image.fromarray(bits).convert("1")
    out = io.BytesIO()
    fax.save(out, format="TIFF", compression="group4", dpi=(200, 100))
    square = fax.convert("L").resize((fax.width, fax.height * 2), Image.Resampling.NEAREST)
    return out.getvalue(), square


def png_bytes(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(found: str, truth: str) -> float:
    truth = normalised(truth)
    return Levenshtein.distance(normalised(found), truth) / max(1, len(truth))


def rows_text(words: Sequence[Word]) -> str:
    """Text lines put in rows by their height on the page, rows top to bottom, lines left to
    right: a reading order that does not depend on how Tesseract grouped lines into blocks."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line_id, []).append(word)
    units = sorted(
        (
            statistics.fmean(w.y_center for w in ws),
            max(w.y1 - w.y0 for w in ws),
            min(w.x0 for w in ws),
            " ".join(w.text for w in sorted(ws, key=lambda w: w.x0)),
        )
        for ws in lines.values()
    )
    rows: list[list[tuple[float, float, float, str]]] = []
    for unit in units:
        if rows and abs(unit[0] - rows[-1][0][0]) < 0.5 * unit[1]:
            rows[-1].append(unit)
        else:
            rows.append([unit])
    return "\n".join(" ".join(u[3] for u in sorted(row, key=lambda u: u[2])) for row in rows)


def baseline_words(image: Image.Image) -> list[Word]:
    """pytesseract.image_to_data with default settings, as words with boxes."""
    data = pytesseract.image_to_data(image, output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            left, top = data["left"][i] / image.width, data["top"][i] / image.height
            right = left + data["width"][i] / image.width
            bottom = top + data["height"][i] / image.height
            line = hash((data["block_num"][i], data["par_num"][i], data["line_num"][i]))
            words.append(Word(text.strip(), (left, top, right, bottom), line_id=line))
    return words


def page_text(pages: Sequence[Page]) -> str:
    return "\n".join(rows_text(page.words) for page in pages)


@dataclass
class Series:
    values: list[float]

    def summary(self, unit: str, scale: float = 1.0, digits: int = 2) -> str:
        if not self.values:
            return "n/a"
        v = [x * scale for x in self.values]
        median, low, high = statistics.median(v), min(v), max(v)
        return (
            f"median {median:.{digits}f}{unit} "
            f"(min {low:.{digits}f}, max {high:.{digits}f}, n={len(v)})"
        )


def _cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished children (Tesseract)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(function: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    """CPU seconds spent running `function`, Tesseract included: the time it takes on one
    otherwise idle core, whatever else the machine is doing. Wall time is in WALL."""
    started_cpu, started_wall = _cpu_seconds(), time.perf_counter()
    result = function(*args, **kwargs)
    WALL.append(time.perf_counter() - started_wall)
    return _cpu_seconds() - started_cpu, result


WALL: list[float] = []


def bench_text_pdfs(pages: Sequence[OrderPage], limits: ReadLimits) -> None:
    pdfs = [order_pdf(page) for page in pages]
    read_document(pdfs[0], limits=limits)  # warm-up: imports, font caches
    WALL.clear()
    seconds = [timed(read_document, data, limits=limits)[0] for data in pdfs]
    wall = Series(list(WALL)).summary(" ms", 1000, 1)
    errors = [
        cer(page_text(read_document(d, limits=limits).pages), p.text)
        for d, p in zip(pdfs, pages, strict=True)
    ]
    print(
        f"text PDFs, generated ({len(pdfs)} pages): CPU {Series(seconds).summary(' ms', 1000, 1)}; "
        f"CER {Series(errors).summary('%', 100)}; wall {wall}"
    )
    real = sorted(REALDATA.glob("**/*.pdf"))
    if not real:
        print(f"text PDFs, real: skipped, {REALDATA} not present")
        return
    per_page: list[float] = []
    for path in real:
        data = path.read_bytes()
        try:
            seconds_taken, result = timed(read_document, data, limits=limits)
        except Exception as error:  # a real file the reader refuses is reported, not fatal
            print(f"  {path.name}: {type(error).__name__}: {error}")
            continue
        pages_read = result.pages
        if all(p.source == "pdf" for p in pages_read):
            per_page.extend([seconds_taken / len(pages_read)] * len(pages_read))
    print(
        f"text PDFs, real ({len(per_page)} text-layer pages of {len(real)} files): "
        f"CPU {Series(per_page).summary(' ms', 1000, 1)}"
    )


@dataclass
class ScanCase:
    name: str
    data: bytes
    baseline_image: Image.Image
    truth: str


def scan_cases(pages: Sequence[OrderPage], rng: random.Random) -> dict[str, list[ScanCase]]:
    cases: dict[str, list[ScanCase]] = {
        "scan 300 dpi clean": [],
        "scan 300 dpi noisy+skewed": [],
        "fax 200x100 G4": [],
        TURNED: [],
    }
    for page in pages:
        pdf = order_pdf(page)
        clean = rasterise(pdf, 300)
        noisy = noisy_scan(clean, rng)
        fax, fax_square = fax_tiff(pdf, rng)
        cases["scan 300 dpi clean"].append(
            ScanCase("clean", png_bytes(clean, 300), clean, page.text)
        )
        cases["scan 300 dpi noisy+skewed"].append(
            ScanCase("noisy", png_bytes(noisy, 300), noisy, page.text)
        )
        cases["fax 200x100 G4"].append(ScanCase("fax", fax, fax_square, page.text))
        turned = noisy.rotate((90, 180, 270)[len(cases[TURNED]) % 3], expand=True)
        cases[TURNED].append(ScanCase("turned", png_bytes(turned, 300), turned, page.text))
    return cases


def bench_scans(cases: dict[str, list[ScanCase]], limits: ReadLimits) -> None:
    for name, items in cases.items():
        ours_seconds: list[float] = []
        ours_cer: list[float] = []
        base_seconds: list[float] = []
        base_cer: list[float] = []
        base_rows_cer: list[float] = []
        confidences: list[float] = []
        ours_wall: list[float] = []
        for case in items:
            seconds_taken, result = timed(read_document, case.data, limits=limits)
            pages = result.pages
            ours_seconds.append(seconds_taken / len(pages))
            ours_wall.append(WALL[-1] / len(pages))
            ours_cer.append(cer(page_text(pages), case.truth))
            confidences.extend(w.ocr_confidence or 0.0 for p in pages for w in p.words)
            seconds_taken, text = timed(pytesseract.image_to_string, case.baseline_image)
            base_seconds.append(seconds_taken)
            base_cer.append(cer(text, case.truth))
            base_rows_cer.append(cer(rows_text(baseline_words(case.baseline_image)), case.truth))
        print(f"{name} ({len(items)} pages)")
        print(f"  ordino   : CPU {Series(ours_seconds).summary(' s')}")
        print(f"             CER {Series(ours_cer).summary('%', 100)}")
        print(f"             wall median {statistics.median(ours_wall):.2f} s")
        print(f"  baseline : CPU {Series(base_seconds).summary(' s')}")
        print(f"             CER {Series(base_cer).summary('%', 100)} (image_to_string order)")
        print(f"             CER {Series(base_rows_cer).summary('%', 100)} (same words in rows)")
        ratio = statistics.median(ours_cer) / max(statistics.median(base_rows_cer), 1e-9)
        confidence = statistics.fmean(confidences) if confidences else 0.0
        print(
            f"  CER ratio ordino/baseline-in-rows (medians): {ratio:.2f}; "
            f"mean word confidence {confidence:.3f}"
        )


SYNTHETIC = "synthetic {variant} (training.synth)"
FAX_HEADER_BAND = 0.03
"""The line the sending machine prints across the top of a synthetic fax page (its date, number
and sender) is not in the text PDF the page came from: words above this share of the page are
left out of its CER."""
LINE_CELLS = ("sku", "seller_sku", "description", "quantity", "unit_price", "line_total")


@dataclass(frozen=True)
class SyntheticDocument:
    """One scan or fax of the synthetic evaluation corpus, with what is known of its text."""

    id: str
    filename: str
    data: bytes
    pages_text: tuple[str, ...]
    """Per page: the text layer of the same document as a text PDF, in rows."""
    printed: tuple[str, ...]
    """Field values as printed (truth `raw`) and line cells (SKU, description, quantity, price,
    amount) as printed, read from the text PDF's words in the truth's cell boxes."""


def synthetic_documents(
    variant: str, seed: int, count: int, limits: ReadLimits
) -> list[SyntheticDocument]:
    """`count` samples of `training.synth` in `variant` (scan or fax), and the same samples as
    text PDFs: sample `i` of a seed is the same document whatever its variant, so the PDF gives
    the printed text."""
    from training.synth import generate_corpus  # training is not needed by the other sets

    with tempfile.TemporaryDirectory() as folder:
        read = generate_corpus(Path(folder, variant), seed=seed, count=count, variants=(variant,))
        pdfs = generate_corpus(Path(folder, "pdf"), seed=seed, count=count, variants=("pdf",))
        samples = []
        for sample, pdf in zip(read, pdfs, strict=True):
            pages = read_document(pdf.path.read_bytes(), limits=limits).pages
            truth = json.loads(sample.truth_path.read_text(encoding="utf-8"))
            pdf_truth = json.loads(pdf.truth_path.read_text(encoding="utf-8"))
            samples.append(
                SyntheticDocument(
                    sample.id,
                    sample.path.name,
                    sample.path.read_bytes(),
                    tuple(rows_text(page.words) for page in pages),
                    _printed_strings(truth, pdf_truth, pages),
                )
            )
    return samples


def _printed_strings(
    truth: dict[str, Any], pdf_truth: dict[str, Any], pages: Sequence[Page]
) -> tuple[str, ...]:
    strings = [
        entry["raw"] for entry in truth["fields"].values() if entry is not None and entry.get("raw")
    ]
    for line in pdf_truth["lines"]:
        for key, box in line.get("cells", {}).items():
            if key in LINE_CELLS:
                words = [w for w in pages[line["page"] - 1].words if _inside(w, box)]
                if words:
                    strings.append(rows_text(words).replace("\n", " "))
    return tuple(normalised(s) for s in strings if normalised(s))


def _inside(word: Word, box: Sequence[float]) -> bool:
    x, y = (word.x0 + word.x1) / 2, word.y_center
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def found_share(text: str, printed: Sequence[str]) -> float:
    """Share of the printed strings found in `text`, both with whitespace collapsed."""
    haystack = normalised(text)
    return sum(1 for s in printed if s in haystack) / max(1, len(printed))


def below_fax_header(words: Sequence[Word]) -> list[Word]:
    return [w for w in words if w.y_center > FAX_HEADER_BAND]


def synthetic_baseline(sample: SyntheticDocument) -> tuple[str, list[str]]:
    """Plain image_to_string, and the baseline's words in rows per page, of each page image:
    a fax page at square pixels (every row twice), as an OCR step given the TIFF would see it;
    a scanned PDF's pages rendered at 300 dpi."""
    texts, rows = [], []
    for page in _page_images(sample):
        texts.append(pytesseract.image_to_string(page))
        rows.append(rows_text(below_fax_header(baseline_words(page))))
    return "\n".join(texts), rows


def _page_images(sample: SyntheticDocument) -> list[Image.Image]:
    if sample.filename.endswith(".pdf"):
        return rasterise_pages(sample.data, 300)
    images = []
    with Image.open(io.BytesIO(sample.data)) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            page = image.convert("L")
            if image.format == "TIFF":  # 200 x 100 dpi
                page = page.resize((page.width, page.height * 2), Image.Resampling.NEAREST)
            images.append(page)
    return images


def bench_synthetic(variant: str, samples: Sequence[SyntheticDocument], limits: ReadLimits) -> None:
    """Printed strings found and CER on the scans or faxes of the synthetic evaluation corpus,
    against plain image_to_string of the same pages."""
    ours_found, ours_cer, ours_seconds, ours_wall = [], [], [], []
    base_found, base_cer, base_seconds = [], [], []
    for sample in samples:
        truth = "\n".join(sample.pages_text)
        seconds_taken, result = timed(
            read_document, sample.data, filename=sample.filename, limits=limits
        )
        pages = result.pages
        ours_seconds.append(seconds_taken / len(pages))
        ours_wall.append(WALL[-1] / len(pages))
        if sample.printed:  # documents other than orders print no values of the truth
            ours_found.append(found_share(page_text(pages), sample.printed))
        ours_cer.append(cer("\n".join(rows_text(below_fax_header(p.words)) for p in pages), truth))
        seconds_taken, (text, rows) = timed(synthetic_baseline, sample)
        base_seconds.append(seconds_taken / len(pages))
        if sample.printed:
            base_found.append(found_share(text, sample.printed))
        base_cer.append(cer("\n".join(rows), truth))
    strings = sum(len(s.printed) for s in samples)
    orders = sum(1 for s in samples if s.printed)
    print(
        f"{SYNTHETIC.format(variant=variant)} ({len(samples)} documents, {strings} printed "
        f"strings in {orders}; found = share of a document's printed strings in its text)"
    )
    print(f"  ordino   : CPU {Series(ours_seconds).summary(' s')} per page")
    print(f"             printed strings found {Series(ours_found).summary('%', 100, 1)}")
    print(f"             CER {Series(ours_cer).summary('%', 100)}")
    print(f"             wall median {statistics.median(ours_wall):.2f} s")
    print(f"  baseline : CPU {Series(base_seconds).summary(' s')} per page")
    print(f"             printed strings found {Series(base_found).summary('%', 100, 1)}")
    print(f"             CER {Series(base_cer).summary('%', 100)} (its words in rows)")


def bench_variants(cases: dict[str, list[ScanCase]], limits: ReadLimits) -> None:
    """Which preprocessing helps: the OCR recipe with single steps switched on or off."""
    base = ocr_settings_for(limits)
    variants = {
        "default": base,
        "no deskew": replace(base, deskew=False),
        "+ denoise black-and-white pages": replace(base, denoise_bilevel=True),
        "no resampling of faxes to 300 dpi": replace(base, bilevel_target_dpi=None),
        "no removal of rules on faxes": replace(base, remove_rules_bilevel=False),
        "no second pass over dropped text": replace(base, recover_dropped_text=False),
        "+ denoise every page (median 3x3)": replace(base, denoise=True),
        "+ binarise (Otsu)": replace(base, binarise=True),
        "+ whiten grey shading": replace(base, whiten_shading=True),
        "eng only": replace(base, languages="eng"),
        "psm 4 (one column of lines)": replace(base, page_segmentation_mode=4),
        "psm 6 (one block of text)": replace(base, page_segmentation_mode=6),
    }
    for name in (name for name in cases if name != TURNED):
        print(f"variants on {name}")
        dpi = 200 if "fax" in name else 300
        for label, settings in variants.items():
            errors, seconds = [], []
            for case in cases[name]:
                taken, ocr_page = timed(ocr_image, case.baseline_image, settings, dpi=dpi)
                seconds.append(taken)
                errors.append(cer(rows_text(ocr_page.words), case.truth))
            print(f"  {label:40s} CER {Series(errors).summary('%', 100)}")
            print(f"  {'':40s} CPU {Series(seconds).summary(' s')}")


def scanned_pdf(cases: Sequence[ScanCase]) -> bytes:
    """The scans as one PDF of page images, as a copier would send them."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for case in cases:
        c.drawImage(ImageReader(io.BytesIO(case.data)), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
        c.showPage()
    c.save()
    return out.getvalue()


def bench_parallel(cases: dict[str, list[ScanCase]], limits: ReadLimits) -> None:
    """Wall time of one multi-page scanned PDF with one worker, then one worker per core."""
    workers = os.cpu_count() or 1
    data, pages = scanned_pdf(cases["scan 300 dpi clean"]), len(cases["scan 300 dpi clean"])
    timed(read_document, data, limits=replace(limits, workers=1))
    timed(read_document, data, limits=replace(limits, workers=workers))
    one, many = WALL[-2], WALL[-1]
    print(
        f"{pages}-page scanned PDF, wall: {one / pages:.2f} s/page with 1 worker, "
        f"{many / pages:.2f} s/page with {workers} workers (speed-up {one / many:.2f}x; "
        f"load average now {os.getloadavg()[0]:.1f})"
    )


_READ_IN_FRESH_PROCESS = """
import sys
from pathlib import Path
from extraction.reading import ReadLimits, read_document
read_document(Path(sys.argv[1]).read_bytes(), limits=ReadLimits(workers=int(sys.argv[2])))
print(Path("/proc/self/status").read_text())
"""


def _peak_rss_mb(status: str) -> float:
    """VmHWM (peak resident set) from a /proc/<pid>/status text, in MB."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_memory(cases: dict[str, list[ScanCase]], limits: ReadLimits) -> None:
    """Peak resident memory of a fresh process reading a multi-page scanned PDF with one worker
    per core: Tesseract runs inside it, one engine (eng+fra+deu loaded) per worker."""
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        pdf_path = Path(folder) / "scans.pdf"
        pdf_path.write_bytes(scanned_pdf(cases["scan 300 dpi clean"]))
        reader = subprocess.run(
            [sys.executable, "-c", _READ_IN_FRESH_PROCESS, str(pdf_path), str(workers)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
    print(
        f"peak memory: reader process {_peak_rss_mb(reader.stdout):.0f} MB ({workers} workers "
        "OCRing a scanned PDF, their Tesseract engines included)"
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=6, help="pages per generated set")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fax-documents",
        type=int,
        default=12,
        help="documents of the synthetic fax set (training.synth, seed 3); 0 skips it",
    )
    parser.add_argument(
        "--scan-documents",
        type=int,
        default=12,
        help="documents of the synthetic scan set (training.synth, seed 3); 0 skips it",
    )
    parser.add_argument(
        "--no-variants", action="store_true", help="skip the preprocessing comparison"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    limits = ReadLimits(workers=1)
    pages = [make_order_page(rng) for _ in range(args.pages)]
    print(
        f"tesseract {tesserocr.tesseract_version().split()[1]} in-process (baseline: "
        f"{pytesseract.get_tesseract_version()} command), {os.cpu_count()} cores, "
        f"languages {limits.ocr_languages}"
    )
    bench_text_pdfs([make_order_page(rng) for _ in range(max(20, args.pages))], limits)
    cases = scan_cases(pages, rng)
    bench_scans(cases, limits)
    for variant, count in (("scan", args.scan_documents), ("fax", args.fax_documents)):
        if count > 0:
            bench_synthetic(variant, synthetic_documents(variant, 3, count, limits), limits)
    if not args.no_variants:
        bench_variants(cases, limits)
    bench_parallel(cases, limits)
    bench_memory(cases, limits)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
