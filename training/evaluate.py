"""Evaluation on held-out layout families: per-field accuracy, line-item precision/recall/F1,
document exact match, touchless rate, silent-error rate and calibration error — overall, by
variant and by family — for the trained model and the rules-only baseline on the same documents.

Definitions (field-conventions.md):
- header accuracy: share of (document, field) pairs whose value equals the truth (null = null);
- touchless: share of documents auto-approved; of orders: share of the purchase orders; of
  known customers' orders: share of the orders whose customer is in the master data (an order
  from a new customer always goes to review, so this is the rate the model can move);
- silent-error rate: share of auto-approved documents with any wrong field, a missed, extra or
  wrong line, a wrong customer or a wrong document type;
- ECE: expected calibration error of the header-field confidences, 10 equal-width bins.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

import numpy as np

from extraction.calibration import expected_calibration_error
from extraction.extractor import extract_document
from extraction.model import ExtractorModel
from extraction.result import HEADER_FIELDS, Extraction
from training.dataset import Sample
from training.truth_match import document_correct, field_correct, score_lines


@dataclass(frozen=True)
class DocumentOutcome:
    sample: Sample
    extraction: Extraction
    seconds: float
    """CPU time of this thread: extraction runs on one core, and other work on the machine does
    not count in it as it would in wall time."""

    @property
    def group_keys(self) -> dict[str, str]:
        return {"variant": self.sample.meta.variant, "family": self.sample.meta.family}


def run_extractor(
    samples: Sequence[Sample],
    model: ExtractorModel | None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[DocumentOutcome]:
    outcomes = []
    for i, sample in enumerate(samples):
        start = time.thread_time()
        extraction = extract_document(
            sample.read,
            source=sample.meta.id,
            master=sample.master,
            model=model,
            hints=sample.hints,
        )
        outcomes.append(DocumentOutcome(sample, extraction, time.thread_time() - start))
        if progress:
            progress(i + 1, len(samples))
    return outcomes


def metrics(outcomes: Sequence[DocumentOutcome]) -> dict[str, Any]:
    """Every metric for one set of documents (see the module docstring)."""
    if not outcomes:
        return {"documents": 0}
    per_field = {name: [] for name in HEADER_FIELDS}  # type: dict[str, list[bool]]
    confidences: list[float] = []
    correct_flags: list[bool] = []
    tp = predicted = expected = 0
    exact = auto = silent = 0
    orders = [o for o in outcomes if o.sample.truth["document_type"] == "purchase_order"]
    type_right = 0
    for o in outcomes:
        truth = o.sample.truth
        type_right += o.extraction.document_type == truth["document_type"]
        for name in HEADER_FIELDS:
            right = field_correct(name, o.extraction, truth)
            per_field[name].append(right)
            found = o.extraction.fields.get(name)
            if found is not None:
                confidences.append(found.confidence)
                correct_flags.append(right)
        lines = score_lines(o.extraction.lines, truth.get("lines", []))
        tp, predicted, expected = (
            tp + lines.true_positives,
            predicted + lines.predicted,
            expected + lines.expected,
        )
        is_correct = document_correct(o.extraction, truth)
        exact += is_correct
        if o.extraction.decision.status == "auto_approved":
            auto += 1
            silent += not is_correct
    precision = tp / predicted if predicted else 1.0
    recall = tp / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    order_auto = sum(o.extraction.decision.status == "auto_approved" for o in orders)
    known = [o for o in orders if o.sample.truth.get("customer_id") is not None]
    known_auto = sum(o.extraction.decision.status == "auto_approved" for o in known)
    per_page = [o.seconds / max(o.extraction.pages, 1) for o in outcomes]
    return {
        "documents": len(outcomes),
        "header_accuracy": float(np.mean([v for values in per_field.values() for v in values])),
        "field_accuracy": {name: float(np.mean(v)) for name, v in per_field.items()},
        "document_type_accuracy": type_right / len(outcomes),
        "line_precision": precision,
        "line_recall": recall,
        "line_f1": f1,
        "document_exact_match": exact / len(outcomes),
        "touchless_rate": auto / len(outcomes),
        "touchless_rate_orders": order_auto / len(orders) if orders else 0.0,
        "touchless_rate_known_customer_orders": known_auto / len(known) if known else 0.0,
        "auto_approved": auto,
        "silent_errors": silent,
        "silent_error_rate": silent / auto if auto else 0.0,
        "ece": expected_calibration_error(
            np.array(confidences), np.array(correct_flags, dtype=float)
        ),
        "extract_ms_per_page_median": 1000 * median(per_page),
        "extract_ms_per_page_min": 1000 * min(per_page),
        "extract_ms_per_page_max": 1000 * max(per_page),
    }


def grouped_metrics(outcomes: Sequence[DocumentOutcome]) -> dict[str, Any]:
    """Overall, by variant and by family."""
    report: dict[str, Any] = {"overall": metrics(outcomes), "by_variant": {}, "by_family": {}}
    for key, target in (("variant", "by_variant"), ("family", "by_family")):
        groups: dict[str, list[DocumentOutcome]] = {}
        for o in outcomes:
            groups.setdefault(o.group_keys[key], []).append(o)
        report[target] = {name: metrics(group) for name, group in sorted(groups.items())}
    return report


def failure_examples(outcomes: Sequence[DocumentOutcome], limit: int = 20) -> list[dict[str, Any]]:
    """The first wrong fields, with what was expected, to see what to fix next."""
    examples = []
    for o in outcomes:
        for name in HEADER_FIELDS:
            if not field_correct(name, o.extraction, o.sample.truth):
                entry = o.sample.truth["fields"].get(name)
                examples.append(
                    {
                        "document": o.sample.meta.id,
                        "family": o.sample.meta.family,
                        "variant": o.sample.meta.variant,
                        "field": name,
                        "predicted": o.extraction.field_value(name),
                        "expected": entry.get("value") if entry else None,
                    }
                )
                if len(examples) >= limit:
                    return examples
    return examples
