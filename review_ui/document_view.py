"""Everything the validation screen shows about one document, gathered in one place.

Reasons are attached to what they are about: 'po_number: …' to that field, 'line 3: …' to that
line, totals checks to the totals. The reasons the model gave at extraction time stay on a
field until an agent edits it; check reasons are recomputed on the working copy every time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from extraction.pages import pages_from_json
from extraction.result import HEADER_FIELDS
from models.blobs import BlobStore
from models.review import LINE_COLUMNS, WorkingCopy, current_extraction, lock_holder
from models.tables import Customer, Document, User
from review_ui.checks_view import CheckedCopy, check_copy, master_for

FIELD_LABELS: dict[str, str] = {
    "po_number": "PO number",
    "order_date": "Order date",
    "requested_delivery_date": "Delivery date",
    "currency": "Currency",
    "customer_name": "Customer name",
    "customer_vat_id": "Customer VAT id",
    "customer_number": "Customer number",
    "contact_email": "Contact e-mail",
    "ship_to_name": "Ship-to name",
    "ship_to_street": "Ship-to street",
    "ship_to_postal_code": "Ship-to postal code",
    "ship_to_city": "Ship-to city",
    "ship_to_country": "Ship-to country",
    "payment_terms_days": "Payment terms (days)",
    "subtotal": "Subtotal",
    "tax_total": "Tax",
    "total": "Total",
}
LINE_LABELS: dict[str, str] = {
    "sku": "Item no.",
    "product_sku": "Product",
    "description": "Description",
    "quantity": "Qty",
    "unit": "Unit",
    "unit_price": "Unit price",
    "line_total": "Line total",
}
_TOTALS_REASON_FIELDS = (
    ("no order total found", "total"),
    ("sum of lines", "subtotal"),
    ("a line has no total", "subtotal"),
    (" + tax ", "total"),
    ("and no tax shown", "total"),
    ("customer not found", "customer_id"),
)
_LINE_REASON_RE = re.compile(r"^line (\d+):")


def reason_target(reason: str) -> tuple[str | None, int | None]:
    """(field, None) or (None, line index) that a reason is about; (None, None) for the document."""
    if match := _LINE_REASON_RE.match(reason):
        return None, int(match.group(1)) - 1
    head = reason.split(":", 1)[0].strip()
    if head in HEADER_FIELDS:
        return head, None
    lowered = reason.lower()
    for needle, name in _TOTALS_REASON_FIELDS:
        if needle in lowered:
            return name, None
    return None, None


@dataclass
class FieldView:
    name: str
    label: str
    value: str | None
    confidence: float | None
    page: int | None
    bbox: list[float] | None
    by_agent: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass
class LineView:
    index: int
    values: dict[str, str | None]
    confidence: float | None
    page: int | None
    bbox: list[float] | None
    expected_total: str | None
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PageView:
    number: int
    words: list[list[Any]]
    """[text, x0, y0, x1, y1, line id] per word; boxes as page fractions."""
    aspect: float
    """height / width, so the page keeps its shape before the image has loaded."""


@dataclass
class ReviewView:
    document: Document
    data: dict[str, Any]
    fields: list[FieldView]
    lines: list[LineView]
    pages: list[PageView]
    document_reasons: list[str]
    checks: CheckedCopy
    customer: Customer | None
    locked_by: User | None
    edited: bool

    @property
    def boxes(self) -> list[dict[str, Any]]:
        """The boxes the values were read from, for drawing over the page image."""
        found: list[dict[str, Any]] = [
            {"target": f"f:{f.name}", "page": f.page, "bbox": f.bbox, "flagged": f.flagged}
            for f in self.fields
            if f.page is not None and f.bbox
        ]
        found += [
            {
                "target": f"l:{line.index}",
                "page": line.page,
                "bbox": line.bbox,
                "flagged": bool(line.reasons),
            }
            for line in self.lines
            if line.page is not None and line.bbox
        ]
        return found


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def load_pages(blobs: BlobStore, document: Document) -> list[PageView]:
    """The words of each page, from the reading stage's result; none when it was not read."""
    if not document.read_blob or not blobs.exists(document.read_blob):
        return []
    result = pages_from_json(json.loads(blobs.get(document.read_blob)))
    return [
        PageView(
            number=page.number,
            words=[[w.text, *w.bbox, w.line_id] for w in page.words],
            aspect=(page.height / page.width) if page.width else 1.414,
        )
        for page in result.pages
    ]


def _line_keys(data: dict[str, Any]) -> list[tuple[Any, Any]]:
    return [(line.get("sku"), line.get("description")) for line in data.get("lines") or []]


def _model_reasons(
    session: Session, document: Document, master: Any, working: dict[str, Any]
) -> list[str]:
    """The reasons of the model's decision that still apply to the working copy.

    Business checks are left out (they are rerun on the copy), and so are line reasons once
    lines were added, deleted or moved: their numbers no longer point at the same rows.
    """
    stored = list(document.review_reasons or [])
    original = current_extraction(session, document.id)  # type: ignore[arg-type]
    if original is None:
        return stored
    check_reasons = {c.reason for c in check_copy(original.data, master).failed}
    lines_moved = _line_keys(original.data) != _line_keys(working)
    return [
        r
        for r in stored
        if r not in check_reasons and not (lines_moved and _LINE_REASON_RE.match(r))
    ]


def build_review_view(
    session: Session, *, blobs: BlobStore, document: Document, working: WorkingCopy
) -> ReviewView:
    data = working.data
    master = master_for(session, data)
    checked = check_copy(data, master)
    raw_fields = data.get("fields") or {}
    fields = []
    for name in HEADER_FIELDS:
        found = raw_fields.get(name)
        found = found if isinstance(found, dict) else {}
        fields.append(
            FieldView(
                name=name,
                label=FIELD_LABELS[name],
                value=_text(found.get("value")),
                confidence=found.get("confidence"),
                page=found.get("page"),
                bbox=found.get("bbox"),
                by_agent=found.get("method") == "agent",
            )
        )
    by_name = {f.name: f for f in fields}
    lines = [
        LineView(
            index=i,
            values={column: _text(line.get(column)) for column in LINE_COLUMNS},
            confidence=line.get("confidence"),
            page=line.get("page"),
            bbox=line.get("bbox"),
            expected_total=(
                format(expected, "f")
                if (expected := checked.totals.expected_line_totals[i]) is not None
                else None
            ),
        )
        for i, line in enumerate(data.get("lines") or [])
    ]
    document_reasons: list[str] = []
    model_reasons = _model_reasons(session, document, master, data)
    for reason, from_model in [(r, True) for r in model_reasons] + [
        (c.reason, False) for c in checked.failed
    ]:
        about, line_index = reason_target(reason)
        if about is not None and about in by_name:
            settled = by_name[about].by_agent or by_name[about].confidence == 1.0
            if not (from_model and settled):
                by_name[about].reasons.append(reason)
        elif line_index is not None and 0 <= line_index < len(lines):
            if not (from_model and lines[line_index].confidence == 1.0):
                lines[line_index].reasons.append(reason)
        else:
            document_reasons.append(reason)
    customer_id = data.get("customer_id")
    return ReviewView(
        document=document,
        data=data,
        fields=fields,
        lines=lines,
        pages=load_pages(blobs, document),
        document_reasons=list(dict.fromkeys(document_reasons)),
        checks=checked,
        customer=session.get(Customer, customer_id) if customer_id else None,
        locked_by=lock_holder(session, document),
        edited=working.edited,
    )
