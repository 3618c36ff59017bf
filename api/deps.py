"""FastAPI dependencies shared by the API and the screens: context, session, API-key auth."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from models.auth import authenticate_api_key, key_scopes
from models.context import AppContext
from models.errors import AuthenticationError, PermissionDeniedError
from models.tables import ApiKey


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


def get_session(context: ContextDep) -> Iterator[Session]:
    """One session per request, committed once when the route has succeeded."""
    with Session(context.engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
"""Committed before the response is sent, so a 2xx always means the change is stored."""


def _bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("send the API key as 'Authorization: Bearer <key>'")
    return token.strip()


def require_scope(scope: str) -> Callable[..., ApiKey]:
    """A dependency that authenticates the API key and checks it carries `scope`."""

    def dependency(request: Request, session: SessionDep) -> ApiKey:
        key = authenticate_api_key(session, _bearer_token(request))
        if scope not in key_scopes(key):
            raise PermissionDeniedError(f"this API key lacks the '{scope}' scope")
        request.state.actor = f"apikey:{key.name}"
        return key

    return dependency


ReadKey = Annotated[ApiKey, Depends(require_scope("read"))]
WriteKey = Annotated[ApiKey, Depends(require_scope("write"))]
AdminKey = Annotated[ApiKey, Depends(require_scope("admin"))]
