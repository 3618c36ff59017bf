"""Master data written through the API follows the very rules of the CSV import.

A record sent as JSON is written as a one-row CSV and goes through `import_master_csv`, so the API
and the files can never disagree on what a valid VAT id, GTIN or currency is.
"""

from __future__ import annotations

import csv
import hashlib
import io

from pydantic import BaseModel
from sqlmodel import Session, col, select

from models.errors import ConflictError, ImportFailedError, NotFoundError, ValidationFailedError
from models.masterdata_io import COLUMNS, ImportReport, Kind, import_master_csv
from models.tables import Customer, CustomerItem, Product


class MasterRecordNotFoundError(NotFoundError):
    title = "Master-data record not found"


def csv_text(kind: Kind, row: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS[kind], lineterminator="\n")
    writer.writeheader()
    writer.writerow({column: row.get(column, "") for column in COLUMNS[kind]})
    return out.getvalue()


def write_record(session: Session, *, kind: Kind, row: dict[str, str]) -> ImportReport:
    """Upsert one record, refused with the import's reason when a value is invalid."""
    if any(char in value for value in row.values() for char in "\n\r\x00"):
        raise ValidationFailedError("master-data values cannot contain line breaks or NUL")
    try:
        return import_master_csv(session, kind=kind, text=csv_text(kind, row))
    except ImportFailedError as exc:
        reasons = "; ".join(reason for _line, reason in exc.errors) or exc.detail
        raise ValidationFailedError(reasons) from None


def import_file(session: Session, *, kind: Kind, data: bytes) -> ImportReport:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFailedError(
            f"the {kind} file is not UTF-8 text; save it as CSV UTF-8 and send it again",
            errors=[],
        ) from None
    try:
        return import_master_csv(session, kind=kind, text=text)
    except csv.Error as exc:
        raise ImportFailedError(
            f"the {kind} file is not readable as CSV ({exc}); nothing was imported", errors=[]
        ) from None


def record_etag(public: BaseModel) -> str:
    return '"' + hashlib.sha256(public.model_dump_json().encode()).hexdigest()[:32] + '"'


def get_customer(session: Session, customer_id: str) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise MasterRecordNotFoundError(f"no customer with customer_id {customer_id!r}")
    return customer


def get_product(session: Session, sku: str) -> Product:
    product = session.get(Product, sku)
    if product is None:
        raise MasterRecordNotFoundError(f"no product with sku {sku!r}")
    return product


def get_customer_item(session: Session, item_id: int) -> CustomerItem:
    item = session.get(CustomerItem, item_id)
    if item is None:
        raise MasterRecordNotFoundError(f"no customer item with id {item_id}")
    return item


def find_customer_item(
    session: Session, *, customer_id: str, customer_sku: str
) -> CustomerItem | None:
    return session.exec(
        select(CustomerItem).where(
            CustomerItem.customer_id == customer_id, CustomerItem.customer_sku == customer_sku
        )
    ).first()


def refuse_existing(exists: bool, what: str) -> None:
    if exists:
        raise ConflictError(f"{what} exists already; use PUT to replace it")


def list_customers(session: Session, *, after: str | None, limit: int) -> list[Customer]:
    query = select(Customer)
    if after is not None:
        query = query.where(col(Customer.customer_id) > after)
    return list(session.exec(query.order_by(col(Customer.customer_id)).limit(limit)).all())


def list_products(session: Session, *, after: str | None, limit: int) -> list[Product]:
    query = select(Product)
    if after is not None:
        query = query.where(col(Product.sku) > after)
    return list(session.exec(query.order_by(col(Product.sku)).limit(limit)).all())


def list_customer_items(
    session: Session, *, customer_id: str | None, after: int | None, limit: int
) -> list[CustomerItem]:
    query = select(CustomerItem)
    if customer_id is not None:
        query = query.where(CustomerItem.customer_id == customer_id)
    if after is not None:
        query = query.where(col(CustomerItem.id) > after)
    return list(session.exec(query.order_by(col(CustomerItem.id)).limit(limit)).all())
