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
class ApprovalThresholds:
    """What every field, every line and the document type must clear, for one way of reading."""

    fields: dict[str, float]
    line: float
    document_type: float

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ApprovalThresholds:
        return cls(
            fields={str(k): float(v) for k, v in dict(data["fields"]).items()},  # type: ignore[call-overload]
            line=float(data["line"]),  # type: ignore[arg-type]
            document_type=float(data["document_type"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Thresholds:
    """The model's approval thresholds: one set per way of reading (a text layer, OCR, a mail
    body), since what a confidence is worth differs between them, and a default for the others
    (structured orders). `document_type` is also the confidence from which a document is surely
    not an order."""

    fields: dict[str, float] = field(default_factory=lambda: dict.fromkeys(HEADER_FIELDS, 0.95))
    line: float = 0.95
    document_type: float = 0.9
    target_silent_error_rate: float = 0.005
    by_reading: dict[str, ApprovalThresholds] = field(default_factory=dict)

    def approval(self, reading: str | None) -> ApprovalThresholds:
        found = self.by_reading.get(reading or "")
        return found or ApprovalThresholds(self.fields, self.line, self.document_type)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Thresholds:
        by_reading = dict(data.get("by_reading") or {})  # type: ignore[call-overload]
        default = ApprovalThresholds.from_json(data)
        return cls(
            fields=default.fields,
            line=default.line,
            document_type=default.document_type,
            target_silent_error_rate=float(data.get("target_silent_error_rate", 0.005)),  # type: ignore[arg-type]
            by_reading={str(k): ApprovalThresholds.from_json(v) for k, v in by_reading.items()},
        )


RULES_THRESHOLDS = Thresholds()
"""Used when no trained model is installed: rules-only confidences are not calibrated, so
these are deliberately strict."""


def decide(
    extraction: Extraction,
    *,
    master: MasterData,
    thresholds: Thresholds,
    reading: str | None = None,
) -> Decision:
    """`reading` is how the document was read (extraction.pages.reading_kind), which picks the
    thresholds; None uses the default set."""
    approval = thresholds.approval(reading)
    reasons: list[str] = []
    if extraction.document_type not in ORDER_TYPES:
        reasons.append(f"document looks like {extraction.document_type}, not a purchase order")
    elif extraction.document_type_confidence < approval.document_type:
        reasons.append(f"unsure it is a purchase order ({extraction.document_type_confidence:.2f})")
    for name in REQUIRED_FIELDS:
        if extraction.field_value(name) is None:
            reasons.append(f"{name}: not found")
    if extraction.field_value("subtotal") is None and extraction.field_value("total") is None:
        reasons.append("no order total found")
    for name in HEADER_FIELDS:
        found = extraction.fields.get(name)
        threshold = approval.fields.get(name, 1.0)
        if found is not None and found.confidence < threshold:
            what = "value" if found.value is not None else "absence"
            reasons.append(f"{name}: low confidence in {what} ({found.confidence:.2f})")
    for i, line in enumerate(extraction.lines):
        if line.confidence < approval.line:
            reasons.append(f"line {i + 1}: low confidence ({line.confidence:.2f})")
    reasons.extend(check.reason for check in run_checks(extraction, master) if not check.passed)
    if reasons:
        return Decision(status="needs_review", reasons=_unique(reasons))
    return Decision(status="auto_approved", reasons=[])


def is_confidence_reason(reason: str) -> bool:
    """Whether a reason `decide` gave is a confidence under its threshold (not a failed check,
    a missing field or a document that is not an order)."""
    return "low confidence" in reason or reason.startswith("unsure it is")


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
