"""The admin screen: the IMAP mailboxes and hot folders orders arrive through, and ERP API keys.

Every page is for the admin role; everyone else gets a 403 page. Every change is audited.
Mailbox passwords never reach the database or the screen: a mailbox names the environment
variable or the secret file that holds its password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlmodel import Session, SQLModel, col, select

from intake.registry import (
    add_hot_folder,
    add_mailbox,
    check_mailbox,
    get_mailbox,
    list_hot_folders,
    list_mailboxes,
    remove_hot_folder,
    remove_mailbox,
)
from models.audit import record_audit
from models.auth import SCOPES, create_api_key
from models.errors import NotFoundError, OrdinoError, PermissionDeniedError, ValidationFailedError
from models.intake_tables import ConnectionSecurity, HotFolder, Mailbox
from models.tables import ApiKey, User, UserRole, utcnow
from review_ui.deps import CurrentUser, DbSession, has_role, redirect, render
from review_ui.errors import error_response

router = APIRouter(prefix="/admin")

_SOURCES = ("fax", "folder")
_MAILBOX_SOURCES = ("mail", "fax")
_DEFAULT_PORTS = {ConnectionSecurity.TLS: 993, ConnectionSecurity.STARTTLS: 143}

_FLASHES = {
    "mailbox_added": "Mailbox {0} added; a running worker starts taking its mail within 30 s.",
    "mailbox_removed": "Mailbox {0} removed; its mail stays on the server.",
    "folder_added": "Now watching {0}.",
    "folder_removed": "{0} is no longer watched.",
    "key_revoked": "API key {0} revoked; requests with it are refused from now on.",
}


class ApiKeyNotFoundError(NotFoundError):
    title = "API key not found"


def _refusal(request: Request, db: Session, user: User) -> Response | None:
    """A 403 page for anyone below the admin role; None for an admin."""
    if has_role(user, UserRole.ADMIN):
        return None
    error = PermissionDeniedError("the admin screen is for administrators; ask one for access")
    return error_response(request, db, error, user=user)


def _flash(request: Request) -> str | None:
    for key, template in _FLASHES.items():
        if (value := request.query_params.get(key)) is not None:
            return template.format(value)
    return None


def _page(
    request: Request,
    name: str,
    user: User,
    values: dict[str, Any],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        name,
        {"user": user, "active": "admin", "flash": _flash(request), "error": None, **values},
        status_code=status_code,
        headers=headers,
    )


def _audit(
    db: Session, user: User, action: str, entity_type: str, entity_id: str | int, **details: Any
) -> None:
    record_audit(
        db,
        actor=user.username,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details=details or None,
    )


@router.get("")
def overview(request: Request, user: CurrentUser, db: DbSession) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    keys = _api_keys(db)
    return _page(
        request,
        "admin.html",
        user,
        {
            "mailboxes": list_mailboxes(db),
            "folders": list_hot_folders(db),
            "active_keys": sum(1 for key in keys if key.revoked_at is None),
            "revoked_keys": sum(1 for key in keys if key.revoked_at is not None),
        },
    )


# Mailboxes ---------------------------------------------------------------------------------


def _mailboxes_page(
    request: Request,
    db: Session,
    user: User,
    *,
    error: OrdinoError | None = None,
    form: dict[str, str] | None = None,
    check: dict[str, Any] | None = None,
) -> Response:
    if error is not None:
        db.rollback()
    return _page(
        request,
        "admin_mailboxes.html",
        user,
        {
            "mailboxes": list_mailboxes(db),
            "securities": [s.value for s in ConnectionSecurity],
            "sources": _MAILBOX_SOURCES,
            "error": error,
            "form": form or {},
            "check": check,
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/mailboxes")
def mailboxes(request: Request, user: CurrentUser, db: DbSession) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    return _mailboxes_page(request, db, user)


def _security(value: str) -> ConnectionSecurity:
    try:
        return ConnectionSecurity(value)
    except ValueError:
        raise ValidationFailedError(
            f"security must be tls, starttls or none; got {value!r}"
        ) from None


def _port(value: str, security: ConnectionSecurity) -> int:
    if not value.strip():
        return _DEFAULT_PORTS.get(security, 143)
    if not value.strip().isdigit() or not 0 < int(value) < 65536:
        raise ValidationFailedError(f"the port must be a number from 1 to 65535; got {value!r}")
    return int(value)


def _required(form: dict[str, str], *names: str) -> None:
    missing = [name.replace("_", " ") for name in names if not form.get(name, "").strip()]
    if missing:
        raise ValidationFailedError(f"fill in: {', '.join(missing)}")


def _fits(table: type[SQLModel], form: dict[str, str]) -> None:
    """Refuse values longer than their column, rather than fail in the database (PostgreSQL)."""
    columns = table.__table__.c  # type: ignore[attr-defined]
    for name, value in form.items():
        length = getattr(columns[name].type, "length", None) if name in columns else None
        if length is not None and len(value.strip()) > length:
            label = name.replace("_", " ")
            raise ValidationFailedError(f"the {label} is longer than {length} characters")


@router.post("/mailboxes")
def mailbox_add(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    name: Annotated[str, Form()] = "",
    host: Annotated[str, Form()] = "",
    port: Annotated[str, Form()] = "",
    security: Annotated[str, Form()] = ConnectionSecurity.TLS.value,
    username: Annotated[str, Form()] = "",
    password_env: Annotated[str, Form()] = "",
    password_file: Annotated[str, Form()] = "",
    folder: Annotated[str, Form()] = "INBOX",
    processed_folder: Annotated[str, Form()] = "",
    failed_folder: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "mail",
) -> Response:
    """Add a mailbox; empty processed/failed folders mean "flag the mail instead of moving it"."""
    if refused := _refusal(request, db, user):
        return refused
    form = {
        "name": name,
        "host": host,
        "port": port,
        "security": security,
        "username": username,
        "password_env": password_env,
        "password_file": password_file,
        "folder": folder,
        "processed_folder": processed_folder,
        "failed_folder": failed_folder,
        "source": source,
    }
    try:
        _required(form, "name", "host", "username", "folder")
        _fits(Mailbox, form)
        if source not in _MAILBOX_SOURCES:
            raise ValidationFailedError(f"source must be mail or fax; got {source!r}")
        chosen = _security(security)
        mailbox = add_mailbox(
            db,
            name=name.strip(),
            host=host.strip(),
            port=_port(port, chosen),
            security=chosen.value,
            username=username.strip(),
            password_env=password_env.strip() or None,
            password_file=password_file.strip() or None,
            folder=folder.strip(),
            processed_folder=processed_folder.strip(),
            failed_folder=failed_folder.strip(),
            source=source,
        )
    except OrdinoError as error:
        return _mailboxes_page(request, db, user, error=error, form=form)
    assert mailbox.id is not None
    _audit(
        db,
        user,
        "mailbox.added",
        "mailbox",
        mailbox.id,
        name=mailbox.name,
        server=f"{mailbox.host}:{mailbox.port}",
        username=mailbox.username,
        security=mailbox.security,
    )
    return redirect(request, "/admin/mailboxes?" + urlencode({"mailbox_added": mailbox.name}))


@router.post("/mailboxes/test")
def mailbox_test(
    request: Request, user: CurrentUser, db: DbSession, name: Annotated[str, Form()] = ""
) -> Response:
    """Log in and look at the watched folder, without taking any mail; show what happened."""
    if refused := _refusal(request, db, user):
        return refused
    try:
        mailbox = get_mailbox(db, name)
    except OrdinoError as error:
        return _mailboxes_page(request, db, user, error=error)
    result = check_mailbox(mailbox)
    return _mailboxes_page(
        request,
        db,
        user,
        check={
            "name": mailbox.name,
            "ok": result.ok,
            "detail": result.detail,
            "idle": result.idle,
            "poll": mailbox.poll_interval_seconds,
        },
    )


@router.post("/mailboxes/remove")
def mailbox_remove(
    request: Request, user: CurrentUser, db: DbSession, name: Annotated[str, Form()] = ""
) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    try:
        mailbox_id = get_mailbox(db, name).id
        remove_mailbox(db, name)
    except OrdinoError as error:
        return _mailboxes_page(request, db, user, error=error)
    assert mailbox_id is not None
    _audit(db, user, "mailbox.removed", "mailbox", mailbox_id, name=name)
    return redirect(request, "/admin/mailboxes?" + urlencode({"mailbox_removed": name}))


# Hot folders -------------------------------------------------------------------------------


def _folders_page(
    request: Request,
    db: Session,
    user: User,
    *,
    error: OrdinoError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    if error is not None:
        db.rollback()
    return _page(
        request,
        "admin_folders.html",
        user,
        {
            "folders": list_hot_folders(db),
            "sources": _SOURCES,
            "error": error,
            "form": form or {},
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/folders")
def folders(request: Request, user: CurrentUser, db: DbSession) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    return _folders_page(request, db, user)


def _stable_seconds(value: str) -> float:
    try:
        seconds = float(value or "2")
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise ValidationFailedError(
            f"'stable after' must be a number of seconds from 0 to 3600; got {value!r}"
        )
    return seconds


@router.post("/folders")
def folder_add(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    path: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "fax",
    stable_seconds: Annotated[str, Form()] = "2",
) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    form = {"path": path, "source": source, "stable_seconds": stable_seconds}
    try:
        _required(form, "path")
        _fits(HotFolder, form)
        if source not in _SOURCES:
            raise ValidationFailedError(f"source must be fax or folder; got {source!r}")
        folder = add_hot_folder(
            db,
            path=Path(path.strip()),
            source=source,
            stable_seconds=_stable_seconds(stable_seconds),
        )
    except OrdinoError as error:
        return _folders_page(request, db, user, error=error, form=form)
    assert folder.id is not None
    _audit(
        db,
        user,
        "hot_folder.added",
        "hot_folder",
        folder.id,
        path=folder.path,
        source=folder.source,
    )
    return redirect(request, "/admin/folders?" + urlencode({"folder_added": folder.path}))


@router.post("/folders/remove")
def folder_remove(
    request: Request, user: CurrentUser, db: DbSession, path: Annotated[str, Form()] = ""
) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    try:
        _required({"path": path}, "path")
        remove_hot_folder(db, Path(path))
    except OrdinoError as error:
        return _folders_page(request, db, user, error=error)
    _audit(db, user, "hot_folder.removed", "hot_folder", path, path=path)
    return redirect(request, "/admin/folders?" + urlencode({"folder_removed": path}))


# API keys ----------------------------------------------------------------------------------


def _api_keys(db: Session) -> list[ApiKey]:
    return list(db.exec(select(ApiKey).order_by(col(ApiKey.created_at).desc())).all())


def _keys_page(
    request: Request,
    db: Session,
    user: User,
    *,
    error: OrdinoError | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    if error is not None:
        db.rollback()
    return _page(
        request,
        "admin_keys.html",
        user,
        {"keys": _api_keys(db), "scopes": SCOPES, "error": error, "form": form or {}},
        status_code=error.status_code if error else 200,
    )


@router.get("/api-keys")
def api_keys(request: Request, user: CurrentUser, db: DbSession) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    return _keys_page(request, db, user)


@router.post("/api-keys")
def api_key_create(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    name: Annotated[str, Form()] = "",
    scopes: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Create a key and show its plaintext once; only its hash is kept."""
    if refused := _refusal(request, db, user):
        return refused
    chosen = scopes or []
    try:
        _required({"name": name}, "name")
        _fits(ApiKey, {"name": name})
        created = create_api_key(db, name=name.strip(), scopes=chosen)
    except OrdinoError as error:
        return _keys_page(request, db, user, error=error, form={"name": name, "scopes": chosen})
    key = created.key
    assert key.id is not None
    _audit(
        db,
        user,
        "api_key.created",
        "api_key",
        key.id,
        name=key.name,
        prefix=key.prefix,
        scopes=key.scopes,
    )
    return _page(
        request,
        "admin_key_created.html",
        user,
        {"key": key, "plaintext": created.plaintext},
        headers={"Cache-Control": "no-store"},  # the plaintext must not linger in any cache
    )


@router.post("/api-keys/{key_id}/revoke")
def api_key_revoke(request: Request, key_id: int, user: CurrentUser, db: DbSession) -> Response:
    if refused := _refusal(request, db, user):
        return refused
    key = db.get(ApiKey, key_id)
    if key is None:
        return _keys_page(
            request, db, user, error=ApiKeyNotFoundError(f"no API key with id {key_id}")
        )
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        db.add(key)
        _audit(db, user, "api_key.revoked", "api_key", key_id, name=key.name, prefix=key.prefix)
    return redirect(request, "/admin/api-keys?" + urlencode({"key_revoked": key.prefix}))
