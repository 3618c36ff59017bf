"""The ERP-facing REST API, mounted at /api/v1."""

from __future__ import annotations

from fastapi import APIRouter, Security
from fastapi.security import HTTPBearer

from api.problems import PROBLEM_RESPONSES
from api.routers import documents, masterdata, orders, webhooks

_api_key = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key (`ord_…`) created with `ordino api-key create` or on the admin screen",
)
"""Documents the scheme; api.deps checks the key and its scope on each endpoint."""

router = APIRouter(responses=PROBLEM_RESPONSES, dependencies=[Security(_api_key)])
router.include_router(documents.router)
router.include_router(orders.router)
router.include_router(webhooks.router)
router.include_router(masterdata.router)
