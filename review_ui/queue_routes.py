"""The queue, the quarantine and rejected lists, retry, upload, and "start reviewing"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from api.deps import ContextDep
from intake.accept import accept_inbound
from intake.inbound import InboundDocument
from models.audit import record_audit
from models.documents import retry_document
from models.errors import OrdinoError, ValidationFailedError
from models.review import claim_next_document
from models.tables import DocumentState
from review_ui.deps import CurrentUser, DbSession, is_htmx, redirect, render
from review_ui.errors import error_response
from review_ui.queue_query import (
    REVIEW_SLA,
    QueueFilters,
    list_documents,
    queue_counts,
    queue_page,
)

router = APIRouter()


@router.get("/")
def home(request: Request, user: CurrentUser) -> Response:
    return redirect(request, "/queue")


@router.get("/queue")
def queue(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    reason: str | None = None,
    source: str | None = None,
    customer: str | None = None,
    q: str | None = None,
    mine: bool = False,
    offset: int = 0,
) -> Response:
    filters = QueueFilters(
        reason=reason or None,
        source=source or None,
        customer=customer or None,
        search=q or None,
        mine=mine,
    )
    partial = is_htmx(request) and request.headers.get("HX-Target") == "queue-results"
    page = queue_page(db, user=user, filters=filters, offset=max(offset, 0), counts=not partial)
    values = {
        "user": user,
        "page": page,
        "filters": filters,
        "sla": REVIEW_SLA,
        "counts": page.counts,
        "active": "queue",
        "flash": _flash(request),
    }
    if partial:
        return render(request, "_queue_results.html", values)
    return render(request, "queue.html", values)


def _flash(request: Request) -> str | None:
    params = request.query_params
    if order_id := params.get("approved"):
        return f"Document {params.get('document', '')} approved: order {order_id} created."
    if document_id := params.get("rejected"):
        return f"Document {document_id} rejected."
    if document_id := params.get("reclassified"):
        return f"Document {document_id} marked as not an order."
    if params.get("empty"):
        return "Nothing left to review. Well done."
    if count := params.get("uploaded"):
        return f"{count} file(s) received; they appear here once read and extracted."
    return None


@router.post("/queue/next")
def start_next(request: Request, user: CurrentUser, db: DbSession) -> Response:
    """Claim the oldest document nobody is working on (or the one this agent holds) and open it."""
    document = claim_next_document(db, user=user)
    if document is None:
        return redirect(request, "/queue?empty=1")
    return redirect(request, f"/review/{document.id}")


@router.get("/queue/quarantine")
def quarantine_list(
    request: Request, user: CurrentUser, db: DbSession, offset: int = 0
) -> Response:
    rows, total = list_documents(
        db,
        state=(DocumentState.QUARANTINED, DocumentState.FAILED),
        user=user,
        offset=max(offset, 0),
        newest_first=True,
    )
    return render(
        request,
        "documents_list.html",
        {
            "user": user,
            "rows": rows,
            "total": total,
            "offset": offset,
            "kind": "quarantine",
            "counts": queue_counts(db),
            "title": "Quarantine and failed",
            "active": "quarantine",
        },
    )


@router.get("/queue/rejected")
def rejected_list(request: Request, user: CurrentUser, db: DbSession, offset: int = 0) -> Response:
    rows, total = list_documents(
        db, state=DocumentState.REJECTED, user=user, offset=max(offset, 0), newest_first=True
    )
    return render(
        request,
        "documents_list.html",
        {
            "user": user,
            "rows": rows,
            "total": total,
            "offset": offset,
            "kind": "rejected",
            "counts": queue_counts(db),
            "title": "Rejected",
            "active": "rejected",
        },
    )


@router.post("/documents/{document_id}/retry")
def retry(
    request: Request, document_id: int, user: CurrentUser, db: DbSession, context: ContextDep
) -> Response:
    """Send a quarantined or failed document through the pipeline again."""
    try:
        stage = retry_document(db, document_id=document_id)
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    record_audit(
        db,
        actor=user.username,
        action="document.retried",
        entity_type="document",
        entity_id=document_id,
    )
    db.commit()  # the worker must find the document waiting before the bell rings
    context.enqueue(document_id, stage.value)
    return redirect(request, "/queue/quarantine")


@router.post("/queue/upload")
def upload(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    context: ContextDep,
    files: Annotated[list[UploadFile], File()],
) -> Response:
    """Files dropped on the queue: stored and read like any other source."""
    created: list[int] = []
    try:
        for upload_file in files:
            data = upload_file.file.read(context.max_upload_bytes + 1)
            if len(data) > context.max_upload_bytes:
                raise ValidationFailedError(
                    f"{upload_file.filename} is larger than {context.max_upload_bytes:,} bytes"
                )
            accepted = accept_inbound(
                db,
                blobs=context.blobs,
                inbound=InboundDocument(
                    data=data, filename=upload_file.filename or "upload", source="upload"
                ),
            )
            if accepted.created:
                document_id = accepted.document.id
                assert document_id is not None
                created.append(document_id)
                record_audit(
                    db,
                    actor=user.username,
                    action="document.uploaded",
                    entity_type="document",
                    entity_id=document_id,
                    new_value=accepted.document.filename,
                )
    except OrdinoError as error:
        return error_response(request, db, error, user=user)
    db.commit()
    for document_id in created:
        context.enqueue(document_id, "read")
    return redirect(request, f"/queue?uploaded={len(created)}")
