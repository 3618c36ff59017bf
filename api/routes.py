"""The ERP-facing REST API, mounted at /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from api.problems import PROBLEM_RESPONSES
from api.routers import documents, masterdata, orders, webhooks

router = APIRouter(responses=PROBLEM_RESPONSES)
router.include_router(documents.router)
router.include_router(orders.router)
router.include_router(webhooks.router)
router.include_router(masterdata.router)
