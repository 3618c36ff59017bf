"""Long orders run over pages with carried-forward rows that are printed but are not lines."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber

from training.synth import generate_corpus, load_truth

CARRY_LABELS = {"Übertrag", "À reporter", "Report", "Carried forward", "Brought forward"}


def _words_in(page: pdfplumber.page.Page, bbox: list[float]) -> list[str]:
    words = []
    for word in page.extract_words():
        cx = (word["x0"] + word["x1"]) / 2 / page.width
        cy = (word["top"] + word["bottom"]) / 2 / page.height
        if bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]:
            words.append(word["text"])
    return words


def test_carried_forward_rows_hold_the_running_total_and_are_not_lines(tmp_path: Path) -> None:
    metas = generate_corpus(
        tmp_path,
        seed=9,
        count=16,
        variants=("pdf",),
        families=["fr_erp_customer_refs", "de_sap_bestellung", "en_procurement_portal"],
    )
    multi_page = 0
    for meta in metas:
        truth = load_truth(meta.truth_path)
        pages = {line["page"] for line in truth["lines"]}
        rows = truth["carried_forward_rows"]
        if len(pages) == 1:
            assert rows == []
            continue
        multi_page += 1
        assert len(rows) == 2 * (max(pages) - 1), "one row at the foot, one at the head"
        with pdfplumber.open(meta.path) as pdf:
            for index, row in enumerate(rows):
                text = " ".join(_words_in(pdf.pages[row["page"] - 1], row["bbox"]))
                assert any(label in text for label in CARRY_LABELS), text
                last_page = row["page"] if index % 2 == 0 else row["page"] - 1
                before = [line for line in truth["lines"] if line["page"] <= last_page]
                running = sum((Decimal(line["line_total"]) for line in before), Decimal(0))
                assert Decimal(row["amount"]) == running
                digits = "".join(ch for ch in text if ch.isdigit())
                assert digits.endswith(f"{running:.2f}".replace(".", ""))
                for line in truth["lines"]:
                    if line["page"] == row["page"]:
                        top, bottom = line["bbox"][1], line["bbox"][3]
                        assert bottom <= row["bbox"][1] or top >= row["bbox"][3]
    assert multi_page >= 2
