"""Field confidences are calibrated on the validation orders: a non-order taken for one (a
terms-and-conditions sheet) says nothing about how often an order's payment terms are right."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from extraction.calibration import fit_calibrator
from extraction.decision import Decision, Thresholds
from extraction.masterdata import MasterData
from extraction.model import ExtractorModel
from extraction.pages import ReadResult
from extraction.result import HEADER_FIELDS, ExtractedField, Extraction
from training.dataset import Sample
from training.synth.corpus import SampleMeta
from training.train import ValidationRun, fit_calibrators

INPUTS = [0.95, 0.9, 1.0, 0.5, 0.5, 0.0]


def _run(index: int, document_type: str) -> ValidationRun:
    read = "30" if document_type == "purchase_order" else None
    truth = {
        "document_type": document_type,
        "fields": {"payment_terms_days": {"value": read}},
        "lines": [],
    }
    extraction = Extraction(
        source=f"d{index}",
        document_type="purchase_order",
        fields={
            name: ExtractedField(value="30" if name == "payment_terms_days" else None, confidence=0)
            for name in HEADER_FIELDS
        },
        lines=[],
        decision=Decision(status="needs_review"),
        model_version="test",
    )
    meta = SampleMeta(
        id=f"d{index}",
        family="f",
        variant="pdf",
        language="en",
        document_type=document_type,
        path=Path("d.pdf"),
        truth_path=Path("d.truth.json"),
        split="validation",
    )
    sample = Sample(
        meta=meta,
        read=ReadResult(pages=(), media_type="application/pdf"),
        truth=truth,
        master=MasterData(),
    )
    return ValidationRun(extraction, dict.fromkeys(HEADER_FIELDS, INPUTS), [], sample)


def test_non_orders_do_not_lower_the_confidence_of_an_orders_fields() -> None:
    orders = [_run(i, "purchase_order") for i in range(12)]
    terms_sheets = [_run(100 + i, "other") for i in range(12)]
    model = ExtractorModel(
        version="test", thresholds=Thresholds(), field_models={}, null_thresholds={}
    )
    calibrated = fit_calibrators(model, orders + terms_sheets)
    assert calibrated.field_calibrators["payment_terms_days"].predict_one(INPUTS) > 0.9


def test_a_few_wrong_values_do_not_make_a_steep_calibration():
    """Seven wrong values among 655, all at high scores: an unpenalised fit would call a right
    value at 0.8 unlikely; the fit is penalised as the rarer outcome has few cases per input."""
    rng = np.random.default_rng(5)
    logits = np.concatenate([rng.uniform(5, 9, 640), rng.uniform(1, 2, 8), rng.uniform(4, 5, 7)])
    right = np.concatenate([np.ones(648, dtype=bool), np.zeros(7, dtype=bool)])
    inputs = np.column_stack([logits, rng.uniform(0, 1, len(logits))])
    penalised = fit_calibrator(inputs, right)
    unpenalised = LogisticRegression(C=1.0, max_iter=1000).fit(inputs, right.astype(int))
    moderate = np.array([[1.4, 0.5]])
    assert penalised.predict(moderate)[0] > unpenalised.predict_proba(moderate)[0, 1]
    assert penalised.predict(moderate)[0] > 0.5
