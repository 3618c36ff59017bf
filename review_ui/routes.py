"""The agents' screens, as one router the application mounts at /."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse

from review_ui import (
    admin_routes,
    auth_routes,
    dashboard_routes,
    lookup_routes,
    queue_routes,
    review_routes,
)
from review_ui.deps import verify_csrf

STATIC_DIR = Path(__file__).parent / "static"
_STATIC_FILES = {
    "htmx.min.js": "text/javascript",
    "review.js": "text/javascript",
    "queue.js": "text/javascript",
    "screens.css": "text/css",
    "screens.js": "text/javascript",
}

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
router.include_router(auth_routes.router)
router.include_router(queue_routes.router)
router.include_router(review_routes.router)
router.include_router(lookup_routes.router)
router.include_router(dashboard_routes.router)
router.include_router(admin_routes.router)


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """The screens' few static files, by name (no directory walking, no build step)."""
    if name not in _STATIC_FILES:
        raise HTTPException(status_code=404)
    return FileResponse(
        STATIC_DIR / name,
        media_type=_STATIC_FILES[name],
        headers={"Cache-Control": "public, max-age=300"},
    )
