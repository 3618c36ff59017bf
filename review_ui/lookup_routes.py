"""Autocomplete for products (SKU or description) and customers (id or name)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, or_
from sqlmodel import col, select

from models.tables import Customer, Product
from review_ui.deps import CurrentUser, DbSession, render

router = APIRouter(prefix="/lookup")
SUGGESTIONS = 15


def _query_text(request: Request) -> str:
    """The text typed: `q`, or the value of the input that asked (htmx sends it by its name)."""
    params = request.query_params
    return (params.get("q") or next(iter(params.values()), "")).strip()


def _pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@router.get("/products")
def products(request: Request, user: CurrentUser, db: DbSession) -> Response:
    text = _query_text(request)
    found: list[Product] = []
    if text:
        pattern = _pattern(text)
        found = list(
            db.exec(
                select(Product)
                .where(
                    or_(
                        func.lower(col(Product.sku)).like(pattern, escape="\\"),
                        func.lower(col(Product.description)).like(pattern, escape="\\"),
                    )
                )
                .order_by(col(Product.sku))
                .limit(SUGGESTIONS)
            ).all()
        )
    options = [
        (p.sku, f"{p.description} · {p.unit_price or ''} {p.currency or ''}".strip()) for p in found
    ]
    return render(request, "_options.html", {"options": options})


@router.get("/customers")
def customers(request: Request, user: CurrentUser, db: DbSession) -> Response:
    text = _query_text(request)
    found: list[Customer] = []
    if text:
        pattern = _pattern(text)
        found = list(
            db.exec(
                select(Customer)
                .where(
                    or_(
                        func.lower(col(Customer.customer_id)).like(pattern, escape="\\"),
                        func.lower(col(Customer.name)).like(pattern, escape="\\"),
                    )
                )
                .order_by(col(Customer.name))
                .limit(SUGGESTIONS)
            ).all()
        )
    options = [(c.customer_id, f"{c.name} · {c.city or ''}".strip(" ·")) for c in found]
    return render(request, "_options.html", {"options": options})
