"""Every layout family renders, and every truth box holds exactly the words of its value."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from training.synth import FAMILIES, generate_corpus, load_truth
from training.synth.families import FAMILY_SPECS

SEEDS = (11, 12)
pytestmark = pytest.mark.slow  # renders and reads some fifty PDFs (about 15 s)


def _normalised(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict, list[Words]]]:
    """Text PDFs of every family, each with its truth and the words pdfplumber reads."""
    root = tmp_path_factory.mktemp("families")
    found = []
    for seed in SEEDS:
        # every family once, and every third family again with other customers and lines
        for family in FAMILIES if seed == SEEDS[0] else FAMILIES[::3]:
            (meta,) = generate_corpus(
                root / f"{family}-{seed}", seed=seed, count=1, families=[family], variants=("pdf",)
            )
            found.append((load_truth(meta.truth_path), _page_words(meta.path)))
    return found


Words = list[tuple[str, float, float]]
"""(text, centre x, centre y) of each word on a page, as page fractions."""


def _page_words(pdf_path: Path) -> list[Words]:
    with pdfplumber.open(pdf_path) as pdf:
        return [
            [
                (
                    w["text"],
                    (w["x0"] + w["x1"]) / 2 / page.width,
                    (w["top"] + w["bottom"]) / 2 / page.height,
                )
                for w in page.extract_words()
            ]
            for page in pdf.pages
        ]


def _words_in(words: Words, bbox: list[float]) -> str:
    """The words whose centre lies in the fractional box, in reading order."""
    slack = 0.002
    return " ".join(
        text
        for text, cx, cy in words
        if bbox[0] - slack <= cx <= bbox[2] + slack and bbox[1] - slack <= cy <= bbox[3] + slack
    )


def test_there_are_at_least_25_purchase_order_families() -> None:
    order_families = [spec.name for spec in FAMILY_SPECS if spec.document_type == "purchase_order"]
    assert len(order_families) >= 25
    assert set(FAMILIES) == {spec.name for spec in FAMILY_SPECS}


def test_every_family_renders_a_readable_pdf(samples: list[tuple[dict, list[Words]]]) -> None:
    assert {truth["family"] for truth, _ in samples} == set(FAMILIES)
    for truth, pages in samples:
        assert sum(len(words) for words in pages) > 60, truth["family"]


def test_field_boxes_contain_exactly_the_printed_value(
    samples: list[tuple[dict, list[Words]]],
) -> None:
    checked = 0
    for truth, pages in samples:
        for name, entry in truth["fields"].items():
            if entry is None or entry["bbox"] is None:
                continue
            got = _words_in(pages[entry["page"] - 1], entry["bbox"])
            assert _normalised(got) == _normalised(entry["raw"]), (truth["family"], name, got)
            checked += 1
    assert checked > 250


def test_line_cell_boxes_contain_the_printed_cells(
    samples: list[tuple[dict, list[Words]]],
) -> None:
    checked = 0
    for truth, pages in samples:
        for line in truth["lines"]:
            words = pages[line["page"] - 1]
            cells = line["cells"]
            assert _normalised(_words_in(words, cells["description"])) == _normalised(
                line["description"]
            )
            if line["sku"] is not None:
                assert _words_in(words, cells["sku"]) == line["sku"], truth["family"]
            row = _words_in(words, line["bbox"]).split()
            for key in ("description", "quantity", "unit", "unit_price", "line_total"):
                if key in cells:
                    assert set(_words_in(words, cells[key]).split()) <= set(row), key
            checked += 1
    assert checked > 100
