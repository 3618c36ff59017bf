"""Dependencies of the screens: the session (committed before the response), the signed-in
user, CSRF checks, and the helpers that render pages and carry the session cookie."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import ContextDep, get_session
from models.tables import User, UserRole
from review_ui.security import (
    COOKIE_NAME,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_MAX_AGE_SECONDS,
    ScreenSession,
    SessionCodec,
    anonymous_session,
    csrf_matches,
)
from review_ui.templating import templates

DbSession = Annotated[Session, Depends(get_session, scope="function")]
"""Committed when the route returns, before the response leaves: the next request sees it."""

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def screen_session(request: Request, context: ContextDep) -> ScreenSession:
    """The visitor's session from the cookie, or a new anonymous one (sent back on render)."""
    cached = getattr(request.state, "screen_session", None)
    if isinstance(cached, ScreenSession):
        return cached
    found = SessionCodec(context.secret_key).loads(request.cookies.get(COOKIE_NAME))
    if found is None:
        found = anonymous_session()
        request.state.session_cookie_pending = True
    request.state.screen_session = found
    return found


ScreenSessionDep = Annotated[ScreenSession, Depends(screen_session)]


def replace_session(request: Request, new: ScreenSession) -> None:
    """Use `new` from now on (sign-in, sign-out); the next response carries its cookie."""
    request.state.screen_session = new
    request.state.session_cookie_pending = True


async def verify_csrf(request: Request, session: ScreenSessionDep) -> None:
    """Every unsafe request carries the session's token, in a header (htmx) or a form field."""
    if request.method not in _UNSAFE_METHODS:
        return
    given = request.headers.get(CSRF_HEADER)
    if not given and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not csrf_matches(session.csrf_token, given):
        raise HTTPException(
            status_code=403,
            detail="this form has expired or did not come from Ordino; reload the page and retry",
        )


def _sign_in_redirect(request: Request) -> HTTPException:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if is_htmx(request):
        return HTTPException(status_code=401, headers={"HX-Redirect": "/login"})
    return HTTPException(status_code=303, headers={"Location": f"/login?next={quote(target)}"})


def current_user(request: Request, session: ScreenSessionDep, db: DbSession) -> User:
    if session.user_id is None:
        raise _sign_in_redirect(request)
    user = db.get(User, session.user_id)
    if user is None or not session.belongs_to(user):
        raise _sign_in_redirect(request)
    request.state.actor = user.username
    return user


CurrentUser = Annotated[User, Depends(current_user)]

_ROLE_RANK = {UserRole.AGENT: 0, UserRole.SUPERVISOR: 1, UserRole.ADMIN: 2}


def has_role(user: User, role: UserRole) -> bool:
    return _ROLE_RANK.get(UserRole(user.role), -1) >= _ROLE_RANK[role]


def require_role(role: UserRole) -> Callable[..., User]:
    def dependency(user: CurrentUser) -> User:
        if not has_role(user, role):
            raise HTTPException(status_code=403, detail=f"this page is for the {role} role")
        return user

    return dependency


SECURITY_HEADERS = {
    # Scripts only from this site: even text that slipped past escaping could not run.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _attach_cookie(request: Request, response: Response, context: Any) -> Response:
    if getattr(request.state, "session_cookie_pending", False):
        session: ScreenSession = request.state.screen_session
        response.set_cookie(
            COOKIE_NAME,
            SessionCodec(context.secret_key).dumps(session),
            max_age=SESSION_MAX_AGE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=context.environment == "production",
            path="/",
        )
    return response


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A template rendered with the session's CSRF token and user, and the cookie if it is new."""
    values = dict(context or {})
    session: ScreenSession | None = getattr(request.state, "screen_session", None)
    values.setdefault("csrf_token", session.csrf_token if session else "")
    values.setdefault("user", None)
    values.setdefault("active", "")
    response = templates.TemplateResponse(
        request,
        name,
        values,
        status_code=status_code,
        headers={**SECURITY_HEADERS, **(headers or {})},
    )
    return _attach_cookie(request, response, request.app.state.context)  # type: ignore[return-value]


def redirect(request: Request, url: str) -> Response:
    """303 to `url`; htmx requests get HX-Redirect so the whole page moves."""
    response: Response
    if is_htmx(request):
        response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    return _attach_cookie(request, response, request.app.state.context)
