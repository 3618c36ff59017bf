"""Choosing the auto-approval thresholds on the validation split.

Per way of reading (text layer, OCR, mail body), a threshold per header field, one for lines and
one for the document type. They start at `THRESHOLD_FLOOR`; while the validation documents
approved alone hold more silent errors than the target allows, the threshold that turns away
the most wrong documents per right one is raised just above a wrong document's confidence. A
threshold guards its own part best: turning a wrong document away by the threshold of the part
that is wrong (a field, the lines, the document type; for a wrong customer, the fields it is
matched from) counts twice as much as by another part's. Then each threshold is lowered again
as far as the target still holds, so no threshold is stricter than the errors it guards
against. A way of reading whose errors cannot be told apart by their confidences gets
thresholds of 1.0: nothing read that way is approved alone.

Whether a set of thresholds meets the target is judged by the Clopper-Pearson upper bound on
the silent-error rate at `ASSURANCE`; see `silent_error_upper_bound`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

import numpy as np
from scipy.stats import beta

from extraction.decision import ApprovalThresholds, Thresholds, is_confidence_reason
from extraction.extractor import Extraction
from extraction.result import HEADER_FIELDS

THRESHOLD_FLOOR = 0.8
"""The least confidence any field, line or document type needs to go alone, whatever the
validation split says: a part without an error there still has a calibrated confidence, and one
in five wrong is never good enough."""
ASSURANCE = 0.5
"""The confidence level of the silent-error bound. At 0.5 the bound is the median estimate: no
error in 139 approvals meets 0.5 %, one error needs 336. A stricter level needs a larger
validation split than `ordino train` reads in its ten minutes (0.9 needs 460 error-free
approvals of one way of reading)."""
_STEP = 0.001


@dataclass(frozen=True)
class ValidationOutcome:
    """One validation document as threshold selection sees it."""

    reading: str
    blocked: bool
    """A check failed, a required field is missing, or it is surely not an order."""
    wrong_parts: frozenset[str]
    """What differs from the truth (training.truth_match.wrong_parts); empty when right."""
    confidences: tuple[float, ...]
    """Per header field, then the least line confidence, then the type confidence."""

    @property
    def wrong(self) -> bool:
        return bool(self.wrong_parts)


PARTS: tuple[str, ...] = (*HEADER_FIELDS, "lines", "document_type")
"""What each confidence in `ValidationOutcome.confidences` vouches for."""
_GUARDED_BY = {
    "customer_id": ("customer_name", "customer_number", "customer_vat_id", "contact_email")
}
"""The customer is matched from these fields: their confidences vouch for it."""


def outcome_of(
    extraction: Extraction, *, reading: str, wrong_parts: frozenset[str]
) -> ValidationOutcome:
    reasons = [x for x in extraction.decision.reasons if not is_confidence_reason(x)]
    fields = [
        found.confidence if (found := extraction.fields.get(name)) is not None else 1.0
        for name in HEADER_FIELDS
    ]
    least_line = min((line.confidence for line in extraction.lines), default=1.0)
    return ValidationOutcome(
        reading=reading,
        blocked=bool(reasons) or extraction.document_type_confidence < THRESHOLD_FLOOR,
        wrong_parts=wrong_parts,
        confidences=(*fields, least_line, extraction.document_type_confidence),
    )


def choose_thresholds(
    outcomes: Sequence[ValidationOutcome], *, target: float
) -> tuple[Thresholds, dict[str, Any]]:
    """Thresholds per way of reading, and what they approve on the validation split."""
    by_reading: dict[str, ApprovalThresholds] = {}
    stats: dict[str, dict[str, object]] = {}
    approved_all = silent_all = 0
    for reading in sorted({o.reading for o in outcomes}):
        group = [o for o in outcomes if o.reading == reading]
        chosen, approved = _thresholds_for(group, target=target)
        by_reading[reading] = _as_approval(chosen)
        silent = int(sum(o.wrong for o, a in zip(group, approved, strict=True) if a))
        approved_all += int(sum(approved))
        silent_all += silent
        stats[reading] = {
            "documents": len(group),
            "approved": int(sum(approved)),
            "silent_errors": silent,
            "blocked_by_checks": int(sum(o.blocked for o in group)),
        }
    pooled, _ = _thresholds_for(outcomes, target=target)
    default = _as_approval(pooled)
    thresholds = Thresholds(
        fields=default.fields,
        line=default.line,
        document_type=max(default.document_type, THRESHOLD_FLOOR),
        target_silent_error_rate=target,
        by_reading=by_reading,
    )
    summary: dict[str, Any] = {
        "validation_documents": len(outcomes),
        "validation_touchless": approved_all / len(outcomes) if outcomes else 0.0,
        "validation_silent_errors": silent_all,
        "validation_blocked_by_checks": int(sum(o.blocked for o in outcomes)),
        "validation_by_reading": stats,
        "threshold_assurance": ASSURANCE,
    }
    return thresholds, summary


def _as_approval(chosen: np.ndarray) -> ApprovalThresholds:
    n = len(HEADER_FIELDS)
    return ApprovalThresholds(
        fields={name: float(chosen[i]) for i, name in enumerate(HEADER_FIELDS)},
        line=float(chosen[n]),
        document_type=float(chosen[n + 1]),
    )


def _thresholds_for(
    outcomes: Sequence[ValidationOutcome], *, target: float
) -> tuple[np.ndarray, np.ndarray]:
    """(thresholds, approved mask) for one group of validation documents."""
    width = len(HEADER_FIELDS) + 2
    if not outcomes:
        return np.ones(width), np.zeros(0, dtype=bool)
    conf = np.array([o.confidences for o in outcomes], dtype=np.float64)
    open_ = np.array([not o.blocked for o in outcomes])
    wrong = np.array([o.wrong for o in outcomes])
    guards = np.array(
        [
            [part in {_GUARDED_BY.get(p, p) for p in o.wrong_parts} for part in PARTS]
            for o in outcomes
        ]
    )
    floor = np.full(width, THRESHOLD_FLOOR)

    def approved(t: np.ndarray) -> np.ndarray:
        return open_ & (conf >= t).all(axis=1)

    def meets(t: np.ndarray) -> bool:
        a = approved(t)
        return silent_error_upper_bound(int((a & wrong).sum()), int(a.sum())) <= target

    t = floor.copy()
    while not meets(t):
        a = approved(t)
        raised = _best_raise(conf, a, wrong, t, guards)
        if raised is None:
            everything = np.ones(width)
            return everything, approved(everything)
        t = raised
    for j in range(width):
        below = conf[:, j][(conf[:, j] >= floor[j]) & (conf[:, j] < t[j])]
        for value in np.unique(np.concatenate(([floor[j]], below))):
            if value >= t[j]:
                break
            lowered = t.copy()
            lowered[j] = value
            if meets(lowered):
                t = lowered
                break
    return t, approved(t)


def _guarded(wrong_parts: frozenset[str]) -> set[str]:
    return {guard for part in wrong_parts for guard in _GUARDED_BY.get(part, (part,))}


def _best_raise(
    conf: np.ndarray, approved: np.ndarray, wrong: np.ndarray, t: np.ndarray, guards: np.ndarray
) -> np.ndarray | None:
    """The thresholds with one of them raised just above an approved wrong document's
    confidence, choosing the raise that turns away most wrong documents per right one. A wrong
    document counts fully when the raised threshold is its wrong part's own (`guards`), half
    when it is another part's: a confidence that vouches for the part is the better guard."""
    best: tuple[tuple[float, int], np.ndarray] | None = None
    for j in range(conf.shape[1]):
        for value in np.unique(conf[approved & wrong, j]):
            raised_to = min(1.0, ceil(value / _STEP) * _STEP + _STEP)
            if raised_to <= t[j] or value >= 1.0:
                continue
            turned_away = approved & (conf[:, j] < raised_to)
            own = int((turned_away & wrong & guards[:, j]).sum())
            other = int((turned_away & wrong & ~guards[:, j]).sum())
            score = ((own + other / 2) / ((turned_away & ~wrong).sum() + 1), own + other)
            if best is None or score > best[0]:
                candidate = t.copy()
                candidate[j] = raised_to
                best = (score, candidate)
    return best[1] if best is not None else None


def silent_error_upper_bound(silent: int, approved: int, confidence: float = ASSURANCE) -> float:
    """The exact (Clopper-Pearson) one-sided upper bound on the silent-error rate seen as
    `silent` of `approved`: a threshold is only accepted when the validation split vouches for
    the target at this confidence, so a small split approves nothing rather than guessing."""
    if approved == 0 or silent >= approved:
        return 1.0
    return float(beta.ppf(confidence, silent + 1, approved - silent))
