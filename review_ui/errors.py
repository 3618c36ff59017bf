"""Domain errors on the screens: a message in the page, not a JSON problem."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from models.errors import OrdinoError
from models.tables import User
from review_ui.deps import is_htmx, render


def error_response(
    request: Request, db: Session, error: OrdinoError, *, user: User | None
) -> Response:
    """Undo the request's partial changes and show the error where the agent is looking.

    htmx requests get the message in the page's flash area (status 200, so htmx swaps it in);
    full-page requests get an error page with the error's status.
    """
    db.rollback()
    if is_htmx(request):
        return render(
            request,
            "_flash.html",
            {"message": error.detail, "kind": "error", "user": user},
            headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"},
        )
    return render(
        request, "error.html", {"error": error, "user": user}, status_code=error.status_code
    )
