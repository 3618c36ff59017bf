"""Calibrated confidence: the probability that a value (or a line) is right.

A calibrator is Platt scaling widened to a few inputs — the scorer's probability, its margin over
the runner-up, the OCR confidence, whether the arithmetic and master-data checks agree — fitted
by logistic regression on a held-out split. With a split where every value was right (or every
one wrong) there is nothing to regress on, and the calibrator returns the smoothed rate instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

EVENTS_PER_INPUT = 10
"""A regression fitted on fewer cases of the rarer outcome (usually: wrong values) than this
many per input overfits them: a field with 7 wrong values in validation learnt that a right
value at 0.8 was 11 % likely right. Below that, the fit is penalised in proportion (a smaller
C), which pulls the coefficients towards the plain rate."""


@dataclass
class Calibrator:
    model: LogisticRegression | None = None
    constant: float = 0.5
    n_fitted: int = 0
    positives: int = 0
    extra: dict[str, float] = field(default_factory=dict)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        if inputs.ndim == 1:
            inputs = inputs.reshape(1, -1)
        if self.model is None:
            return np.full(inputs.shape[0], self.constant)
        return np.asarray(self.model.predict_proba(inputs)[:, 1])

    def predict_one(self, inputs: list[float]) -> float:
        return float(self.predict(np.asarray(inputs, dtype=np.float64))[0])


def fit_calibrator(inputs: np.ndarray, correct: np.ndarray) -> Calibrator:
    n = len(correct)
    positives = int(correct.sum())
    if n == 0:
        return Calibrator(constant=0.5)
    if positives in (0, n) or n < 10:
        return Calibrator(constant=(positives + 0.5) / (n + 1), n_fitted=n, positives=positives)
    minority = min(positives, n - positives)
    strength = min(1.0, minority / (EVENTS_PER_INPUT * inputs.shape[1]))
    model = LogisticRegression(C=strength, max_iter=1000)
    model.fit(inputs, correct.astype(int))
    return Calibrator(model=model, n_fitted=n, positives=positives)


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> float:
    """Weighted mean |accuracy − confidence| over equal-width confidence bins."""
    if len(confidence) == 0:
        return 0.0
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total / len(confidence))
