"""Sign-in and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from models.auth import authenticate_user
from models.errors import AuthenticationError
from review_ui.deps import (
    DbSession,
    ScreenSessionDep,
    redirect,
    render,
    replace_session,
)
from review_ui.security import anonymous_session

router = APIRouter()


def _local_target(target: str | None) -> str:
    """Only paths on this site: a `next` of //evil.example or https://… goes to the queue."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


@router.get("/login")
def login_form(request: Request, session: ScreenSessionDep, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _local_target(next), "error": None})


@router.post("/login")
def login(
    request: Request,
    session: ScreenSessionDep,
    db: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        user = authenticate_user(db, username=username.strip(), password=password)
    except AuthenticationError as error:
        # Not raised on: the failure count must be committed for the lockout to work.
        return render(
            request,
            "login.html",
            {"next": _local_target(next), "error": error.detail, "username": username},
            status_code=401,
        )
    replace_session(request, session.signed_in_as(user))
    return redirect(request, _local_target(next))


@router.post("/logout")
def logout(request: Request, session: ScreenSessionDep) -> Response:
    replace_session(request, anonymous_session())
    return redirect(request, "/login")
