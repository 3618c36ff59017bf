"""Master-data CSV import (all or nothing, upsert on the first column); snapshots for extraction."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.numbers import list_currencies
from sqlmodel import Session, select
from stdnum import ean
from stdnum.ch import vat as ch_vat
from stdnum.eu import vat as eu_vat

from extraction.masterdata import CustomerItemRecord, CustomerRecord, MasterData, ProductRecord
from models.errors import ImportFailedError
from models.tables import Customer, CustomerItem, Product, utcnow

Kind = Literal["customers", "products", "customer-items"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer_id",
        "name",
        "vat_id",
        "email_domains",
        "street",
        "postal_code",
        "city",
        "country",
        "currency",
        "payment_terms_days",
        "credit_limit",
        "language",
        "iban",
    ),
    "products": ("sku", "description", "unit", "unit_price", "currency", "tax_rate", "gtin"),
    "customer-items": ("customer_id", "customer_sku", "sku"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "name"),
    "products": ("sku", "description"),
    "customer-items": ("customer_id", "customer_sku", "sku"),
}
_CURRENCIES = frozenset(list_currencies())
_COUNTRIES = frozenset(str(code) for code in Locale("en").territories if len(str(code)) == 2)


@dataclass(frozen=True)
class ImportReport:
    kind: str
    created: int
    updated: int
    unchanged: int


def _decimal(value: str, column: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{column} {value!r} is not a decimal number") from None


def normalise_vat_id(raw: str) -> str:
    """Upper-case letters and digits only; EU and Swiss numbers must pass their check digits."""
    compact = "".join(ch for ch in raw.upper() if ch.isalnum())
    if compact.startswith("CHE"):
        if not ch_vat.is_valid(compact if compact[-3:].isalpha() else compact + "MWST"):
            raise ValueError(f"vat_id {raw!r} is not a valid Swiss UID/VAT number")
        compact = compact.removesuffix("MWST").removesuffix("TVA").removesuffix("IVA")
    elif compact[:2].lower() in eu_vat.MEMBER_STATES and not eu_vat.is_valid(compact):
        raise ValueError(f"vat_id {raw!r} is not a valid EU VAT number")
    return compact


def _customer(row: dict[str, str]) -> dict[str, Any]:
    vat = row.get("vat_id", "")
    if vat:
        vat = normalise_vat_id(vat)
    country = row.get("country", "").upper()
    if country and country not in _COUNTRIES:
        raise ValueError(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    currency = row.get("currency", "").upper()
    if currency and currency not in _CURRENCIES:
        raise ValueError(f"currency {currency!r} is not an ISO 4217 code")
    terms = row.get("payment_terms_days", "")
    if terms and not terms.isdigit():
        raise ValueError(f"payment_terms_days {terms!r} is not a whole number of days")
    return {
        "customer_id": row["customer_id"],
        "name": row["name"],
        "vat_id": vat or None,
        "email_domains": " ".join(d.lower() for d in row.get("email_domains", "").split()),
        "street": row.get("street") or None,
        "postal_code": row.get("postal_code") or None,
        "city": row.get("city") or None,
        "country": country or None,
        "currency": currency or None,
        "payment_terms_days": int(terms) if terms else None,
        "credit_limit": _decimal(row.get("credit_limit", ""), "credit_limit"),
        "language": (row.get("language") or "").lower() or None,
        "iban": " ".join(row.get("iban", "").split()),
    }


def _product(row: dict[str, str]) -> dict[str, Any]:
    gtin = row.get("gtin", "")
    if gtin and not ean.is_valid(gtin):
        raise ValueError(f"gtin {gtin!r} is not a valid EAN/GTIN (check digit)")
    currency = row.get("currency", "").upper()
    if currency and currency not in _CURRENCIES:
        raise ValueError(f"currency {currency!r} is not an ISO 4217 code")
    return {
        "sku": row["sku"],
        "description": row["description"],
        "unit": (row.get("unit") or "").upper() or None,
        "unit_price": _decimal(row.get("unit_price", ""), "unit_price"),
        "currency": currency or None,
        "tax_rate": _decimal(row.get("tax_rate", ""), "tax_rate"),
        "gtin": ean.compact(gtin) if gtin else None,
    }


def _customer_item(row: dict[str, str]) -> dict[str, Any]:
    return {k: row[k] for k in COLUMNS["customer-items"]}


_PARSERS: dict[str, Callable[[dict[str, str]], dict[str, Any]]] = {
    "customers": _customer,
    "products": _product,
    "customer-items": _customer_item,
}


def parse_master_csv(kind: Kind, text: str) -> list[dict[str, Any]]:
    """Every row of the file, validated; ImportFailedError lists each bad row by line number."""
    if kind not in COLUMNS:
        raise ImportFailedError(f"unknown master-data kind {kind!r}", errors=[])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise ImportFailedError(
            f"the {kind} file has no column {', '.join(missing)}; "
            f"expected {', '.join(COLUMNS[kind])}",
            errors=[(1, f"missing columns: {', '.join(missing)}")],
        )
    rows: list[dict[str, Any]] = []
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    for raw in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            errors.append((line, "more values than columns"))
            continue
        empty = [c for c in REQUIRED[kind] if not row.get(c)]
        if empty:
            errors.append((line, f"{', '.join(empty)} is required"))
            continue
        key = (
            row[COLUMNS[kind][0]]
            if kind != "customer-items"
            else f"{row['customer_id']}\0{row['customer_sku']}"
        )
        if key in seen:
            errors.append((line, f"{COLUMNS[kind][0]} {row[COLUMNS[kind][0]]!r} appears twice"))
            continue
        seen.add(key)
        try:
            rows.append(_PARSERS[kind](row))
        except ValueError as exc:
            errors.append((line, str(exc)))
    if errors:
        raise ImportFailedError(
            f"{len(errors)} bad row(s) in the {kind} file; nothing was imported", errors=errors
        )
    return rows


def import_master_csv(session: Session, *, kind: Kind, text: str) -> ImportReport:
    """Upsert every row, or none (the caller's transaction is rolled back on error)."""
    rows = parse_master_csv(kind, text)
    created = updated = unchanged = 0
    for values in rows:
        existing: Any
        if kind == "customers":
            existing = session.get(Customer, values["customer_id"])
            model: Any = Customer
        elif kind == "products":
            existing = session.get(Product, values["sku"])
            model = Product
        else:
            existing = session.exec(
                select(CustomerItem).where(
                    CustomerItem.customer_id == values["customer_id"],
                    CustomerItem.customer_sku == values["customer_sku"],
                )
            ).first()
            model = CustomerItem
        if existing is None:
            session.add(model(**values))
            created += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
        if not changed:
            unchanged += 1
            continue
        for key, value in changed.items():
            setattr(existing, key, value)
        if hasattr(existing, "updated_at"):
            existing.updated_at = utcnow()
        session.add(existing)
        updated += 1
    session.flush()
    return ImportReport(kind=kind, created=created, updated=updated, unchanged=unchanged)


def snapshot(
    customers: Iterable[Customer],
    products: Iterable[Product],
    items: Iterable[CustomerItem],
    *,
    seller_names: tuple[str, ...] = (),
    seller_vat_ids: tuple[str, ...] = (),
) -> MasterData:
    """Plain records for extraction, from table rows (stored or not)."""
    return MasterData(
        customers=tuple(
            CustomerRecord(
                customer_id=c.customer_id,
                name=c.name,
                vat_id=c.vat_id,
                email_domains=tuple(c.email_domains.split()),
                street=c.street,
                postal_code=c.postal_code,
                city=c.city,
                country=c.country,
                currency=c.currency,
                payment_terms_days=c.payment_terms_days,
                credit_limit=c.credit_limit,
                language=c.language,
                ibans=tuple(c.iban.split()),
            )
            for c in customers
        ),
        products=tuple(
            ProductRecord(
                sku=p.sku,
                description=p.description,
                unit=p.unit,
                unit_price=p.unit_price,
                currency=p.currency,
                tax_rate=p.tax_rate,
                gtin=p.gtin,
            )
            for p in products
        ),
        customer_items=tuple(
            CustomerItemRecord(customer_id=i.customer_id, customer_sku=i.customer_sku, sku=i.sku)
            for i in items
        ),
        seller_names=seller_names,
        seller_vat_ids=seller_vat_ids,
    )


def load_master_data(
    session: Session, *, seller_names: tuple[str, ...] = (), seller_vat_ids: tuple[str, ...] = ()
) -> MasterData:
    """The stored master data as plain records, for extraction."""
    return snapshot(
        session.exec(select(Customer)).all(),
        session.exec(select(Product)).all(),
        session.exec(select(CustomerItem)).all(),
        seller_names=seller_names,
        seller_vat_ids=seller_vat_ids,
    )


MASTER_FILES: dict[Kind, str] = {
    "customers": "customers.csv",
    "products": "products.csv",
    "customer-items": "customer_items.csv",
}


def master_data_from_dir(
    folder: Path, *, seller_names: tuple[str, ...] = (), seller_vat_ids: tuple[str, ...] = ()
) -> MasterData:
    """Master data straight from CSV files in a folder (missing files count as empty)."""

    def rows(kind: Kind) -> list[dict[str, Any]]:
        path = folder / MASTER_FILES[kind]
        return parse_master_csv(kind, path.read_text(encoding="utf-8")) if path.exists() else []

    return snapshot(
        [Customer(**r) for r in rows("customers")],
        [Product(**r) for r in rows("products")],
        [CustomerItem(**r) for r in rows("customer-items")],
        seller_names=seller_names,
        seller_vat_ids=seller_vat_ids,
    )
