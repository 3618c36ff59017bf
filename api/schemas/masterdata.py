"""Customers, products and customer items as the API reads and writes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from api.types import Amount, UtcDateTime
from models.tables import Customer, CustomerItem, Product


def clean_key(value: str) -> str:
    if value != value.strip() or not value.isprintable() or "/" in value:
        raise ValueError("a key has no surrounding spaces, control characters or '/'")
    return value


Key = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(clean_key)]
"""customer_id, sku, customer_sku: kept exactly as sent, so they can be read back by it."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class CustomerFields(BaseModel):
    name: str = Field(min_length=1, max_length=500)
    vat_id: str | None = Field(default=None, max_length=40, description="Checked when EU or Swiss")
    email_domains: list[str] = Field(default_factory=list, max_length=50)
    street: str | None = Field(default=None, max_length=500)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2", max_length=2)
    currency: str | None = Field(default=None, description="ISO 4217", max_length=3)
    payment_terms_days: int | None = Field(default=None, ge=0, le=3650)
    credit_limit: Amount | None = None
    language: str | None = Field(default=None, description="ISO 639-1", max_length=2)
    ibans: list[str] = Field(default_factory=list, max_length=20)

    def row(self, customer_id: str) -> dict[str, str]:
        values = self.model_dump(exclude={"email_domains", "ibans"})
        row = {name: _text(value) for name, value in values.items()}
        row["customer_id"] = customer_id
        row["email_domains"] = " ".join(self.email_domains)
        row["iban"] = " ".join("".join(iban.split()) for iban in self.ibans)
        return row


class CustomerCreate(CustomerFields):
    customer_id: Key


class CustomerPublic(CustomerFields):
    customer_id: str
    updated_at: UtcDateTime

    @classmethod
    def of(cls, customer: Customer) -> CustomerPublic:
        return cls(
            customer_id=customer.customer_id,
            name=customer.name,
            vat_id=customer.vat_id,
            email_domains=customer.email_domains.split(),
            street=customer.street,
            postal_code=customer.postal_code,
            city=customer.city,
            country=customer.country,
            currency=customer.currency,
            payment_terms_days=customer.payment_terms_days,
            credit_limit=customer.credit_limit,
            language=customer.language,
            ibans=customer.iban.split(),
            updated_at=customer.updated_at,
        )


class CustomerList(BaseModel):
    data: list[CustomerPublic]
    next_cursor: str | None


class ProductFields(BaseModel):
    description: str = Field(min_length=1, max_length=5000)
    unit: str | None = Field(default=None, max_length=10, examples=["EA", "KG", "BOX"])
    unit_price: Amount | None = None
    currency: str | None = Field(default=None, description="ISO 4217", max_length=3)
    tax_rate: Amount | None = Field(default=None, description="e.g. 0.20")
    gtin: str | None = Field(
        default=None, description="EAN/GTIN, check digit verified", max_length=14
    )

    def row(self, sku: str) -> dict[str, str]:
        row = {name: _text(value) for name, value in self.model_dump().items()}
        row["sku"] = sku
        return row


class ProductCreate(ProductFields):
    sku: Key


class ProductPublic(ProductFields):
    sku: str
    updated_at: UtcDateTime

    @classmethod
    def of(cls, product: Product) -> ProductPublic:
        return cls(
            sku=product.sku,
            description=product.description,
            unit=product.unit,
            unit_price=product.unit_price,
            currency=product.currency,
            tax_rate=product.tax_rate,
            gtin=product.gtin,
            updated_at=product.updated_at,
        )


class ProductList(BaseModel):
    data: list[ProductPublic]
    next_cursor: str | None


class CustomerItemUpdate(BaseModel):
    sku: Key = Field(description="The seller's SKU")


class CustomerItemCreate(CustomerItemUpdate):
    customer_id: Key
    customer_sku: Key = Field(description="The part number the customer prints")


class CustomerItemPublic(CustomerItemCreate):
    id: int
    source: str = Field(description="import (file or API) or correction (learnt in review)")
    created_at: UtcDateTime

    @classmethod
    def of(cls, item: CustomerItem) -> CustomerItemPublic:
        assert item.id is not None
        return cls(
            id=item.id,
            customer_id=item.customer_id,
            customer_sku=item.customer_sku,
            sku=item.sku,
            source=item.source,
            created_at=item.created_at,
        )


class CustomerItemList(BaseModel):
    data: list[CustomerItemPublic]
    next_cursor: str | None


class ImportResult(BaseModel):
    kind: str
    created: int
    updated: int
    unchanged: int
