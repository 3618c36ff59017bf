"""The validation screen: one document, its page images, its fields and lines, and the outcomes.

Opening the screen claims the document (a GET that takes a lock: harmless, it expires on its own,
and it is what "open a document" means to an agent). Every edit goes through the services of
models.review, which renew the lock and refuse anyone who does not hold it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.deps import ContextDep
from api.page_images import page_png
from extraction.reading import ReadError
from models.documents import get_document
from models.errors import DocumentLockedError, InvalidStateError, OrdinoError
from models.review import (
    NOT_ORDER_TYPES,
    ValueEdit,
    WorkingCopy,
    apply_edits,
    approve_reviewed,
    change_lines,
    claim_document,
    confirm_field,
    preview_edits,
    reclassify_document,
    reject_reviewed,
    release_document,
    working_copy,
)
from models.tables import User, UserRole
from review_ui.deps import CurrentUser, DbSession, has_role, redirect, render
from review_ui.document_view import FIELD_LABELS, LINE_LABELS, ReviewView, build_review_view
from review_ui.errors import error_response
from review_ui.form_edits import edits_from_form

router = APIRouter(prefix="/review")

LINE_OPERATIONS = ("add", "delete", "split", "up", "down")


def _view(request: Request, db: DbSession, document_id: int) -> ReviewView:
    context = request.app.state.context
    document = get_document(db, document_id)
    return build_review_view(
        db, blobs=context.blobs, document=document, working=working_copy(db, document_id)
    )


def _screen_values(
    view: ReviewView, user: User, *, read_only: bool, notice: str | None
) -> dict[str, Any]:
    return {
        "view": view,
        "user": user,
        "read_only": read_only,
        "notice": notice,
        "field_labels": FIELD_LABELS,
        "line_labels": LINE_LABELS,
        "not_order_types": NOT_ORDER_TYPES,
        "can_take_over": has_role(user, UserRole.SUPERVISOR),
    }


@router.get("/{document_id}")
def review_screen(request: Request, document_id: int, user: CurrentUser, db: DbSession) -> Response:
    notice = None
    read_only = False
    try:
        claim_document(db, document_id=document_id, user=user)
    except DocumentLockedError as error:
        read_only, notice = True, error.detail
    except InvalidStateError as error:
        read_only, notice = True, error.detail
    try:
        view = _view(request, db, document_id)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    return render(
        request, "review.html", _screen_values(view, user, read_only=read_only, notice=notice)
    )


async def _form(request: Request) -> FormData:
    """The posted form, parsed on the event loop so that the route itself can run in a thread."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(_form)]


def _form_name(edit: ValueEdit) -> str:
    if edit.line_index is not None:
        return f"l:{edit.line_index}:{edit.field}"
    return f"c:{edit.field}" if edit.field == "customer_id" else f"f:{edit.field}"


def _fragments(
    request: Request,
    db: DbSession,
    document_id: int,
    user: User,
    *parts: str,
    edits: Sequence[ValueEdit] = (),
) -> Response:
    """The out-of-band pieces of the screen that an action changed (see _review_update.html)."""
    view = _view(request, db, document_id)
    values = _screen_values(view, user, read_only=False, notice=None) | {
        "parts": parts,
        "edited": {_form_name(edit) for edit in edits},
    }
    return render(request, "_review_update.html", values)


@router.post("/{document_id}/save")
def save_edits(
    request: Request, form: PostedForm, document_id: int, user: CurrentUser, db: DbSession
) -> Response:
    """Whatever changed in the form since the last save: audited, kept, re-checked."""
    try:
        edits = edits_from_form(form, current=working_copy(db, document_id).data)
        apply_edits(db, document_id=document_id, user=user, edits=edits)
        return _fragments(request, db, document_id, user, "fields", "cells", "checks", edits=edits)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)


@router.post("/{document_id}/preview")
def preview_totals(
    request: Request, form: PostedForm, document_id: int, user: CurrentUser, db: DbSession
) -> Response:
    """The checks and totals for the form as it is now, saving nothing (as the agent types)."""
    try:
        working = working_copy(db, document_id)
        data = preview_edits(working.data, edits_from_form(form, current=working.data))
        document = get_document(db, document_id)
        view = build_review_view(
            db,
            blobs=request.app.state.context.blobs,
            document=document,
            working=WorkingCopy(working.extraction_id, data, edited=True),
        )
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    values = _screen_values(view, user, read_only=False, notice=None) | {
        "parts": ("checks",),
        "edited": set(),
    }
    return render(request, "_review_update.html", values)


@router.post("/{document_id}/confirm/{field}")
def confirm(
    request: Request, document_id: int, field: str, user: CurrentUser, db: DbSession
) -> Response:
    try:
        confirm_field(db, document_id=document_id, user=user, field=field)
        return _fragments(request, db, document_id, user, "fields", "checks")
    except OrdinoError as error:
        return error_response(request, db, error, user=user)


@router.post("/{document_id}/lines/{index}/{operation}")
def edit_lines(
    request: Request,
    form: PostedForm,
    document_id: int,
    index: int,
    operation: str,
    user: CurrentUser,
    db: DbSession,
) -> Response:
    """Saves the form first (so typed values are not lost), then adds/deletes/splits/moves."""
    try:
        apply_edits(
            db,
            document_id=document_id,
            user=user,
            edits=edits_from_form(form, current=working_copy(db, document_id).data),
        )
        change_lines(db, document_id=document_id, user=user, operation=operation, index=index)
        return _fragments(request, db, document_id, user, "lines", "checks")
    except OrdinoError as error:
        return error_response(request, db, error, user=user)


@router.post("/{document_id}/approve")
def approve(
    request: Request, form: PostedForm, document_id: int, user: CurrentUser, db: DbSession
) -> Response:
    try:
        edits = edits_from_form(form, current=working_copy(db, document_id).data)
        order = approve_reviewed(db, document_id=document_id, user=user, edits=edits)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    return redirect(request, f"/queue?approved={order.id}&document={document_id}")


@router.post("/{document_id}/reject")
def reject(
    request: Request,
    document_id: int,
    user: CurrentUser,
    db: DbSession,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        reject_reviewed(db, document_id=document_id, user=user, reason=reason)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    return redirect(request, f"/queue?rejected={document_id}")


@router.post("/{document_id}/reclassify")
def reclassify(
    request: Request,
    document_id: int,
    user: CurrentUser,
    db: DbSession,
    document_type: Annotated[str, Form()] = "other",
) -> Response:
    try:
        reclassify_document(db, document_id=document_id, user=user, document_type=document_type)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    return redirect(request, f"/queue?reclassified={document_id}")


@router.post("/{document_id}/release")
def release(request: Request, document_id: int, user: CurrentUser, db: DbSession) -> Response:
    release_document(db, document_id=document_id, user=user)
    return redirect(request, "/queue")


@router.post("/{document_id}/heartbeat")
def heartbeat(request: Request, document_id: int, user: CurrentUser, db: DbSession) -> Response:
    """Keeps the lock while the screen is open; tells the agent when it was lost."""
    try:
        claim_document(db, document_id=document_id, user=user)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    return Response(status_code=204)


@router.post("/{document_id}/take-over")
def take_over(request: Request, document_id: int, user: CurrentUser, db: DbSession) -> Response:
    try:
        claim_document(db, document_id=document_id, user=user, take_over=True)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    return redirect(request, f"/review/{document_id}")


@router.get("/{document_id}/pages/{page_number}.png")
def page_image(
    request: Request,
    document_id: int,
    page_number: int,
    user: CurrentUser,
    db: DbSession,
    context: ContextDep,
    rotation: int = 0,
) -> Response:
    document = get_document(db, document_id)
    if rotation not in (0, 90, 180, 270):
        return Response("rotation must be 0, 90, 180 or 270", status_code=422)
    try:
        png = page_png(
            db,
            blobs=context.blobs,
            document=document,
            page_number=page_number,
            rotation=rotation,
        )
    except (ReadError, IndexError, ValueError) as error:
        return Response(str(error), status_code=404, media_type="text/plain")
    return Response(
        png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
    )
