"""Scans, faxes and mail bodies: the right formats, and truth that still points at the values."""

from __future__ import annotations

import email
import io
import random
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from training.synth import SampleMeta, generate_corpus, load_truth
from training.synth.raster import scan_image


def _ink_box(ink: np.ndarray, box: list[float], margin: int) -> tuple[int, int, int, int] | None:
    """Bounding box of the ink inside `box` (fractions) grown by `margin` pixels; rows and
    columns with fewer than 3 dark pixels are noise specks, not ink."""
    height, width = ink.shape
    x0, y0 = max(int(box[0] * width) - margin, 0), max(int(box[1] * height) - margin, 0)
    x1, y1 = int(box[2] * width) + margin, int(box[3] * height) + margin
    region = ink[y0:y1, x0:x1]
    columns = np.nonzero(region.sum(axis=0) >= 3)[0]
    rows = np.nonzero(region.sum(axis=1) >= 3)[0]
    if len(columns) == 0 or len(rows) == 0:
        return None
    return x0 + columns[0], y0 + rows[0], x0 + columns[-1], y0 + rows[-1]


def _assert_boxes_sit_on_ink(image: Image.Image, truth: dict[str, Any], margin: int) -> int:
    ink = np.asarray(image.convert("L")) < 110
    width = ink.shape[1]
    checked = 0
    for name, entry in truth["fields"].items():
        if entry is None or entry["bbox"] is None or entry["page"] != 1:
            continue
        box = entry["bbox"]
        found = _ink_box(ink, box, margin)
        assert found is not None, name
        box_width = (box[2] - box[0]) * width
        assert found[2] - found[0] >= 0.7 * box_width - 2, (name, found, box)
        checked += 1
    return checked


@pytest.fixture(scope="module")
def rasters(tmp_path_factory: pytest.TempPathFactory) -> list[SampleMeta]:
    out = tmp_path_factory.mktemp("rasters")
    return generate_corpus(
        out,
        seed=31,
        count=4,
        variants=("scan", "fax"),
        families=["de_din5008", "fr_classic_grid", "en_gb_classic"],
    )


def _first_page(path: Path) -> Image.Image:
    if path.suffix != ".pdf":
        with Image.open(path) as image:
            image.load()
            return image.copy()
    document = pdfium.PdfDocument(path)
    try:
        return document[0].render(scale=300 / 72, grayscale=True).to_pil()
    finally:
        document.close()


@pytest.mark.slow
def test_scans_are_300_dpi_images_whose_boxes_sit_on_the_values(
    rasters: list[SampleMeta],
) -> None:
    scans = [m for m in rasters if m.variant == "scan"]
    assert scans
    for meta in scans:
        truth = load_truth(meta.truth_path)
        if meta.path.suffix == ".png":
            with Image.open(meta.path) as png:
                assert png.info["dpi"][0] == pytest.approx(300, abs=1)
        page = _first_page(meta.path)
        assert page.width == pytest.approx(2480, abs=2)
        assert _assert_boxes_sit_on_ink(page, truth, margin=4) >= 5


@pytest.mark.slow
def test_faxes_are_g4_tiffs_at_200_by_100_dpi_whose_boxes_sit_on_the_values(
    rasters: list[SampleMeta],
) -> None:
    faxes = [m for m in rasters if m.variant == "fax"]
    assert faxes
    for meta in faxes:
        truth = load_truth(meta.truth_path)
        pages = max([line["page"] for line in truth["lines"]] + [1])
        with Image.open(meta.path) as image:
            assert image.mode == "1"
            assert image.info["compression"] == "group4"
            assert tuple(round(v) for v in image.info["dpi"]) == (200, 100)
            assert getattr(image, "n_frames", 1) == pages
            assert _assert_boxes_sit_on_ink(image, truth, margin=3) >= 5
        assert truth["sender_email"] is None


def _two_page_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=1)
    for number in (1, 2):
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 700, f"Seite {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_several_scanned_pages_become_one_image_only_pdf(tmp_path: Path) -> None:
    path, geometry = scan_image(_two_page_pdf(), tmp_path / "long", random.Random(1))
    assert path.suffix == ".pdf"
    document = pdfium.PdfDocument(path)
    try:
        assert len(document) == 2
        assert document[1].get_textpage().get_text_range().strip() == ""
    finally:
        document.close()
    x0, y0, x1, y1 = geometry(2, (72.0, 688.0, 130.0, 703.0))
    assert 0.1 < x0 < x1 < 0.25 and 0.8 < y0 < y1 < 0.85
    first = path.read_bytes()
    scan_image(_two_page_pdf(), tmp_path / "long", random.Random(1))
    assert path.read_bytes() == first, "the same seed scans to the same bytes"


def test_mail_orders_have_a_body_and_a_message_whose_spans_hold_the_values(tmp_path: Path) -> None:
    metas = generate_corpus(tmp_path, seed=8, count=16, variants=("mail",))
    with_html = 0
    for meta in metas:
        truth = load_truth(meta.truth_path)
        body = meta.path.read_text(encoding="utf-8")
        message = email.message_from_bytes(
            meta.path.with_suffix(".eml").read_bytes(), policy=policy.default
        )
        assert message["From"].addresses[0].addr_spec == truth["sender_email"]
        assert parsedate_to_datetime(message["Date"]).isoformat() == truth["mail_date"]
        with_html += message.get_body(preferencelist=("html",)) is not None
        plain = message.get_body(preferencelist=("plain",))
        assert plain is not None and plain.get_content() == body
        verbatim = {
            "po_number",
            "customer_name",
            "customer_number",
            "contact_email",
            "ship_to_name",
            "ship_to_street",
            "ship_to_postal_code",
            "ship_to_city",
        }
        for name, entry in truth["fields"].items():
            if entry is not None and "span" in entry:
                start, end = entry["span"]
                assert body[start:end]
                if name in verbatim:
                    assert body[start:end] == entry["value"], name
        for line in truth["lines"]:
            start, end = line["span"]
            assert line["description"] in body[start:end]
        if truth["document_type"] == "purchase_order":
            start, end = truth["fields"]["po_number"]["span"]
            assert body[start:end] == truth["fields"]["po_number"]["value"]
    assert 0 < with_html < len(metas), "some messages carry an HTML alternative, some do not"
