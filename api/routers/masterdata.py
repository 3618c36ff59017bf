"""Customers, products and customer items: CRUD with ETags, and all-or-nothing CSV imports."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import AfterValidator, BaseModel

from api.deps import ReadKey, SessionDep, WriteKey
from api.http import IdPath, IfMatchHeader, check_if_match
from api.masterdata import (
    find_customer_item,
    get_customer,
    get_customer_item,
    get_product,
    import_file,
    list_customer_items,
    list_customers,
    list_products,
    record_etag,
    refuse_existing,
    write_record,
)
from api.pagination import (
    CursorQuery,
    LimitQuery,
    decode_int_cursor,
    decode_str_cursor,
    encode_cursor,
)
from api.problems import problem_responses
from api.routing import ApiRoute
from api.schemas.masterdata import (
    CustomerCreate,
    CustomerFields,
    CustomerItemCreate,
    CustomerItemList,
    CustomerItemPublic,
    CustomerItemUpdate,
    CustomerList,
    CustomerPublic,
    ImportResult,
    ProductCreate,
    ProductFields,
    ProductList,
    ProductPublic,
    clean_key,
)
from models.masterdata_io import Kind
from models.tables import Customer, Product

router = APIRouter(tags=["master data"], route_class=ApiRoute)
PublicT = TypeVar("PublicT", bound=BaseModel)

ETAG_HEADER = {"ETag": {"description": "For If-Match", "schema": {"type": "string"}}}
CustomerId = Annotated[str, Path(min_length=1, max_length=100), AfterValidator(clean_key)]
Sku = Annotated[str, Path(min_length=1, max_length=100), AfterValidator(clean_key)]
CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "UTF-8 CSV with a header row (formats: master-data.md)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def _import(kind: Kind, data: bytes, session: SessionDep) -> ImportResult:
    report = import_file(session, kind=kind, data=data)
    return ImportResult(
        kind=report.kind, created=report.created, updated=report.updated, unchanged=report.unchanged
    )


def _with_etag(public: PublicT, response: Response) -> PublicT:
    response.headers["ETag"] = record_etag(public)
    return public


# Customers


@router.post(
    "/customers:import",
    response_model=ImportResult,
    openapi_extra=CSV_BODY,
    summary="Import customers.csv: upsert on customer_id, all rows or none",
)
async def import_customers(request: Request, session: SessionDep, _key: WriteKey) -> ImportResult:
    return _import("customers", await request.body(), session)


@router.get("/customers", response_model=CustomerList, summary="List customers by customer_id")
def list_customers_route(
    session: SessionDep, _key: ReadKey, cursor: CursorQuery = None, limit: LimitQuery = 100
) -> CustomerList:
    found = list_customers(session, after=decode_str_cursor(cursor), limit=limit)
    last = found[-1].customer_id if len(found) == limit and found else None
    return CustomerList(
        data=[CustomerPublic.of(c) for c in found],
        next_cursor=encode_cursor(last) if last else None,
    )


@router.post(
    "/customers",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerPublic,
    responses={201: {"headers": ETAG_HEADER}},
    summary="Add a customer",
)
def create_customer(
    body: CustomerCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    _key: WriteKey,
) -> CustomerPublic:
    refuse_existing(
        session.get(Customer, body.customer_id) is not None, f"customer {body.customer_id!r}"
    )
    write_record(session, kind="customers", row=body.row(body.customer_id))
    response.headers["Location"] = f"{request.url.path}/{quote(body.customer_id, safe='')}"
    return _with_etag(CustomerPublic.of(get_customer(session, body.customer_id)), response)


@router.get(
    "/customers/{customer_id}",
    response_model=CustomerPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404)},
    summary="A customer",
)
def get_customer_route(
    customer_id: CustomerId, response: Response, session: SessionDep, _key: ReadKey
) -> CustomerPublic:
    return _with_etag(CustomerPublic.of(get_customer(session, customer_id)), response)


@router.put(
    "/customers/{customer_id}",
    response_model=CustomerPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(412)},
    summary="Create or replace a customer (If-Match to replace only what you read)",
)
def put_customer(
    customer_id: CustomerId,
    body: CustomerFields,
    response: Response,
    session: SessionDep,
    _key: WriteKey,
    if_match: IfMatchHeader = None,
) -> CustomerPublic:
    existing = session.get(Customer, customer_id)
    if existing is not None:
        check_if_match(if_match, record_etag(CustomerPublic.of(existing)))
    write_record(session, kind="customers", row=body.row(customer_id))
    return _with_etag(CustomerPublic.of(get_customer(session, customer_id)), response)


@router.delete(
    "/customers/{customer_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 412),
    summary="Remove a customer",
)
def delete_customer(
    customer_id: CustomerId, session: SessionDep, _key: WriteKey, if_match: IfMatchHeader = None
) -> Response:
    customer = get_customer(session, customer_id)
    check_if_match(if_match, record_etag(CustomerPublic.of(customer)))
    session.delete(customer)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Products


@router.post(
    "/products:import",
    response_model=ImportResult,
    openapi_extra=CSV_BODY,
    summary="Import products.csv: upsert on sku, all rows or none",
)
async def import_products(request: Request, session: SessionDep, _key: WriteKey) -> ImportResult:
    return _import("products", await request.body(), session)


@router.get("/products", response_model=ProductList, summary="List products by sku")
def list_products_route(
    session: SessionDep, _key: ReadKey, cursor: CursorQuery = None, limit: LimitQuery = 100
) -> ProductList:
    found = list_products(session, after=decode_str_cursor(cursor), limit=limit)
    last = found[-1].sku if len(found) == limit and found else None
    return ProductList(
        data=[ProductPublic.of(p) for p in found],
        next_cursor=encode_cursor(last) if last else None,
    )


@router.post(
    "/products",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductPublic,
    responses={201: {"headers": ETAG_HEADER}},
    summary="Add a product",
)
def create_product(
    body: ProductCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    _key: WriteKey,
) -> ProductPublic:
    refuse_existing(session.get(Product, body.sku) is not None, f"product {body.sku!r}")
    write_record(session, kind="products", row=body.row(body.sku))
    response.headers["Location"] = f"{request.url.path}/{quote(body.sku, safe='')}"
    return _with_etag(ProductPublic.of(get_product(session, body.sku)), response)


@router.get(
    "/products/{sku}",
    response_model=ProductPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404)},
    summary="A product",
)
def get_product_route(
    sku: Sku, response: Response, session: SessionDep, _key: ReadKey
) -> ProductPublic:
    return _with_etag(ProductPublic.of(get_product(session, sku)), response)


@router.put(
    "/products/{sku}",
    response_model=ProductPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(412)},
    summary="Create or replace a product (If-Match to replace only what you read)",
)
def put_product(
    sku: Sku,
    body: ProductFields,
    response: Response,
    session: SessionDep,
    _key: WriteKey,
    if_match: IfMatchHeader = None,
) -> ProductPublic:
    existing = session.get(Product, sku)
    if existing is not None:
        check_if_match(if_match, record_etag(ProductPublic.of(existing)))
    write_record(session, kind="products", row=body.row(sku))
    return _with_etag(ProductPublic.of(get_product(session, sku)), response)


@router.delete(
    "/products/{sku}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 412),
    summary="Remove a product",
)
def delete_product(
    sku: Sku, session: SessionDep, _key: WriteKey, if_match: IfMatchHeader = None
) -> Response:
    product = get_product(session, sku)
    check_if_match(if_match, record_etag(ProductPublic.of(product)))
    session.delete(product)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Customer items (the customer's part number → the seller's SKU)


@router.post(
    "/customer-items:import",
    response_model=ImportResult,
    openapi_extra=CSV_BODY,
    summary="Import customer_items.csv: upsert on (customer_id, customer_sku), all rows or none",
)
async def import_customer_items(
    request: Request, session: SessionDep, _key: WriteKey
) -> ImportResult:
    return _import("customer-items", await request.body(), session)


@router.get(
    "/customer-items", response_model=CustomerItemList, summary="List customer part numbers"
)
def list_customer_items_route(
    session: SessionDep,
    _key: ReadKey,
    customer_id: Annotated[str | None, Query(max_length=100)] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> CustomerItemList:
    found = list_customer_items(
        session, customer_id=customer_id, after=decode_int_cursor(cursor), limit=limit
    )
    last = found[-1].id if len(found) == limit and found else None
    return CustomerItemList(
        data=[CustomerItemPublic.of(i) for i in found],
        next_cursor=encode_cursor(last) if last else None,
    )


@router.post(
    "/customer-items",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerItemPublic,
    responses={201: {"headers": ETAG_HEADER}},
    summary="Map a customer's part number to a SKU",
)
def create_customer_item(
    body: CustomerItemCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    _key: WriteKey,
) -> CustomerItemPublic:
    refuse_existing(
        find_customer_item(session, customer_id=body.customer_id, customer_sku=body.customer_sku)
        is not None,
        f"customer item {body.customer_id!r}/{body.customer_sku!r}",
    )
    write_record(session, kind="customer-items", row=body.model_dump())
    item = find_customer_item(session, customer_id=body.customer_id, customer_sku=body.customer_sku)
    assert item is not None
    response.headers["Location"] = f"{request.url.path}/{item.id}"
    return _with_etag(CustomerItemPublic.of(item), response)


@router.get(
    "/customer-items/{item_id}",
    response_model=CustomerItemPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404)},
    summary="A customer item",
)
def get_customer_item_route(
    item_id: IdPath, response: Response, session: SessionDep, _key: ReadKey
) -> CustomerItemPublic:
    return _with_etag(CustomerItemPublic.of(get_customer_item(session, item_id)), response)


@router.put(
    "/customer-items/{item_id}",
    response_model=CustomerItemPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404, 412)},
    summary="Point a customer's part number at another SKU",
)
def put_customer_item(
    item_id: IdPath,
    body: CustomerItemUpdate,
    response: Response,
    session: SessionDep,
    _key: WriteKey,
    if_match: IfMatchHeader = None,
) -> CustomerItemPublic:
    item = get_customer_item(session, item_id)
    check_if_match(if_match, record_etag(CustomerItemPublic.of(item)))
    write_record(
        session,
        kind="customer-items",
        row={"customer_id": item.customer_id, "customer_sku": item.customer_sku, "sku": body.sku},
    )
    session.refresh(item)
    return _with_etag(CustomerItemPublic.of(item), response)


@router.delete(
    "/customer-items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 412),
    summary="Remove a customer item",
)
def delete_customer_item(
    item_id: IdPath, session: SessionDep, _key: WriteKey, if_match: IfMatchHeader = None
) -> Response:
    item = get_customer_item(session, item_id)
    check_if_match(if_match, record_etag(CustomerItemPublic.of(item)))
    session.delete(item)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
