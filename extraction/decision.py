"""Auto-approve or send to review.

A document is approved alone only when it is an order, every header field (including the belief
that an absent field is absent) and every line clears its confidence threshold, the required
fields are there, and every check passes. The thresholds come with the model: training derives
them from a target silent-error rate on a validation split.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from extraction.checks import run_checks
from extraction.masterdata import MasterData
from extraction.result import HEADER_FIELDS, Decision, Extraction

REQUIRED_FIELDS: tuple[str, ...] = ("po_number", "order_date", "customer_name")
ORDER_TYPES = frozenset({"purchase_order"})


@dataclass(frozen=True)
class Thresholds:
    fields: dict[str, float] = field(default_factory=lambda: dict.fromkeys(HEADER_FIELDS, 0.95))
    line: float = 0.95
    document_type: float = 0.9
    target_silent_error_rate: float = 0.005

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Thresholds:
        return cls(
            fields={str(k): float(v) for k, v in dict(data["fields"]).items()},  # type: ignore[call-overload]
            line=float(data["line"]),  # type: ignore[arg-type]
            document_type=float(data["document_type"]),  # type: ignore[arg-type]
            target_silent_error_rate=float(data.get("target_silent_error_rate", 0.005)),  # type: ignore[arg-type]
        )


RULES_THRESHOLDS = Thresholds()
"""Used when no trained model is installed: rules-only confidences are not calibrated, so
these are deliberately strict."""


def decide(extraction: Extraction, *, master: MasterData, thresholds: Thresholds) -> Decision:
    reasons: list[str] = []
    if extraction.document_type not in ORDER_TYPES:
        reasons.append(f"document looks like {extraction.document_type}, not a purchase order")
    elif extraction.document_type_confidence < thresholds.document_type:
        reasons.append(f"unsure it is a purchase order ({extraction.document_type_confidence:.2f})")
    for name in REQUIRED_FIELDS:
        if extraction.field_value(name) is None:
            reasons.append(f"{name}: not found")
    if extraction.field_value("subtotal") is None and extraction.field_value("total") is None:
        reasons.append("no order total found")
    for name in HEADER_FIELDS:
        found = extraction.fields.get(name)
        threshold = thresholds.fields.get(name, 1.0)
        if found is not None and found.confidence < threshold:
            what = "value" if found.value is not None else "absence"
            reasons.append(f"{name}: low confidence in {what} ({found.confidence:.2f})")
    for i, line in enumerate(extraction.lines):
        if line.confidence < thresholds.line:
            reasons.append(f"line {i + 1}: low confidence ({line.confidence:.2f})")
    reasons.extend(check.reason for check in run_checks(extraction, master) if not check.passed)
    if reasons:
        return Decision(status="needs_review", reasons=_unique(reasons))
    return Decision(status="auto_approved", reasons=[])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
