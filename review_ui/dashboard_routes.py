"""The dashboard page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from models.tables import DocumentState
from review_ui.dashboard import day_stats
from review_ui.deps import CurrentUser, DbSession, render
from review_ui.queue_query import queue_counts

router = APIRouter()


@router.get("/dashboard")
def dashboard(request: Request, user: CurrentUser, db: DbSession) -> Response:
    return render(
        request,
        "dashboard.html",
        {
            "user": user,
            "stats": day_stats(db),
            "counts": queue_counts(db),
            "states": [state.value for state in DocumentState],
            "active": "dashboard",
        },
    )
