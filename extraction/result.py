"""The extraction result, shaped exactly as shared/contracts/extraction.schema.json.

Amounts and quantities are plain decimal strings; dates are ISO strings. These are the public
objects the CLI prints and the API returns, so their JSON form is the contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

DocumentType = Literal["purchase_order", "order_change", "remittance_advice", "invoice", "other"]
DecisionStatus = Literal["auto_approved", "needs_review", "rejected"]
Method = Literal["structured", "model", "layout_memory", "master_data", "agent"]

HEADER_FIELDS: tuple[str, ...] = (
    "po_number",
    "order_date",
    "requested_delivery_date",
    "currency",
    "customer_name",
    "customer_vat_id",
    "customer_number",
    "contact_email",
    "ship_to_name",
    "ship_to_street",
    "ship_to_postal_code",
    "ship_to_city",
    "ship_to_country",
    "payment_terms_days",
    "subtotal",
    "tax_total",
    "total",
)
AMOUNT_FIELDS: frozenset[str] = frozenset({"subtotal", "tax_total", "total"})
DATE_FIELDS: frozenset[str] = frozenset({"order_date", "requested_delivery_date"})


def decimal_str(value: Decimal | None) -> str | None:
    """A Decimal as a plain string ('1234.50', never '1.2345E+3')."""
    if value is None:
        return None
    return format(value, "f")


class ExtractedField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str | None
    confidence: float = PydanticField(ge=0, le=1)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    raw: str | None = None
    method: Method | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True) | {"value": self.value}


class ExtractedLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str | None = None
    product_sku: str | None = None
    description: str | None = None
    quantity: str | None = None
    unit: str | None = None
    unit_price: str | None = None
    line_total: str | None = None
    confidence: float = PydanticField(ge=0, le=1)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        for key in ("page", "bbox"):
            if data[key] is None:
                del data[key]
        return data


class Decision(BaseModel):
    status: DecisionStatus
    reasons: list[str] = PydanticField(default_factory=list)


class Extraction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    sha256: str | None = None
    document_type: DocumentType
    document_type_confidence: float = PydanticField(default=0.0, ge=0, le=1)
    language: str = "en"
    pages: int = 0
    fields: dict[str, ExtractedField | None]
    lines: list[ExtractedLine] = PydanticField(default_factory=list)
    customer_id: str | None = None
    decision: Decision
    model_version: str = "none"

    def field_value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found is not None else None

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON: every header key present, absent fields null."""
        data: dict[str, Any] = {
            "source": self.source,
            "document_type": self.document_type,
            "document_type_confidence": round(self.document_type_confidence, 4),
            "language": self.language,
            "pages": self.pages,
            "fields": {
                name: (f.to_json() if (f := self.fields.get(name)) is not None else None)
                for name in HEADER_FIELDS
            },
            "lines": [line.to_json() for line in self.lines],
            "customer_id": self.customer_id,
            "decision": self.decision.model_dump(mode="json"),
            "model_version": self.model_version,
        }
        if self.sha256:
            data["sha256"] = self.sha256
        return data
