"""Comparing extractions with truth, by field-conventions.md: which candidates are right (the
scorers' training labels), which fields and lines are right, and whether a whole document is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from extraction.extractor import Analysis
from extraction.normalize import normalize_identifier, normalize_text, values_equal
from extraction.result import HEADER_FIELDS, ExtractedLine, Extraction
from extraction.scoring import FIELD_KINDS

_DESCRIPTION_MIN_RATIO = 95.0


def truth_value(truth: dict[str, Any], name: str) -> str | None:
    entry = truth["fields"].get(name)
    if entry is None:
        return None
    value = entry.get("value")
    return None if value is None else str(value)


def candidate_labels(analysis: Analysis, truth: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per field, a boolean per candidate of the field's kinds: is it the true value?

    When several candidates carry the true value, the ones printed where the truth says it was
    printed are preferred (a total printed twice is learned at the place the truth points to).
    """
    labels: dict[str, np.ndarray] = {}
    for name in HEADER_FIELDS:
        kinds = FIELD_KINDS[name]
        rows = [c for c in analysis.candidates if c.kind in kinds]
        expected = truth_value(truth, name)
        if expected is None:
            labels[name] = np.zeros(len(rows), dtype=bool)
            continue
        equal = np.array([values_equal(name, c.value, expected) for c in rows], dtype=bool)
        entry = truth["fields"][name]
        if equal.sum() > 1 and entry.get("bbox") and entry.get("page"):
            near = np.array(
                [_overlaps(c.bbox, entry["bbox"]) and c.page == entry["page"] for c in rows],
                dtype=bool,
            )
            if (equal & near).any():
                equal &= near
        labels[name] = equal
    return labels


def _overlaps(a: tuple[float, ...], b: list[float]) -> bool:
    return a[0] < b[2] + 0.01 and b[0] < a[2] + 0.01 and a[1] < b[3] + 0.01 and b[1] < a[3] + 0.01


def field_correct(name: str, extraction: Extraction, truth: dict[str, Any]) -> bool:
    return values_equal(name, extraction.field_value(name), truth_value(truth, name))


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def line_matches_truth(line: ExtractedLine, expected: dict[str, Any]) -> bool:
    for key in ("quantity", "unit_price", "line_total"):
        if _dec(getattr(line, key)) != _dec(expected.get(key)):
            return False
    sku, want_sku = line.sku, expected.get("sku")
    if (sku is None) != (want_sku is None):
        return False
    if sku is not None and normalize_identifier(sku) != normalize_identifier(str(want_sku)):
        return False
    if expected.get("product_sku") is not None and line.product_sku != expected["product_sku"]:
        return False
    description, want = line.description or "", expected.get("description") or ""
    if normalize_text(description) != normalize_text(want):
        return (
            fuzz.ratio(normalize_text(description), normalize_text(want)) >= _DESCRIPTION_MIN_RATIO
        )
    return True


@dataclass(frozen=True)
class LineScore:
    true_positives: int
    predicted: int
    expected: int
    correct: tuple[bool, ...]
    """Per predicted line: did it match a truth line?"""


def score_lines(lines: list[ExtractedLine], expected: list[dict[str, Any]]) -> LineScore:
    used = [False] * len(expected)
    correct: list[bool] = []
    for line in lines:
        hit = False
        for j, want in enumerate(expected):
            if not used[j] and line_matches_truth(line, want):
                used[j] = hit = True
                break
        correct.append(hit)
    return LineScore(sum(correct), len(lines), len(expected), tuple(correct))


def document_correct(extraction: Extraction, truth: dict[str, Any]) -> bool:
    """Every header field, every line (none missed, none extra), the customer and the type."""
    return not wrong_parts(extraction, truth)


def wrong_parts(extraction: Extraction, truth: dict[str, Any]) -> frozenset[str]:
    """What differs from the truth: header field names, "lines", "customer_id" and
    "document_type"; empty when the whole document is right."""
    wrong = {name for name in HEADER_FIELDS if not field_correct(name, extraction, truth)}
    if extraction.document_type != truth["document_type"]:
        wrong.add("document_type")
    if extraction.customer_id != truth.get("customer_id"):
        wrong.add("customer_id")
    score = score_lines(extraction.lines, truth.get("lines", []))
    if not score.true_positives == score.predicted == score.expected:
        wrong.add("lines")
    return frozenset(wrong)
