"""Documents: upload, list, status, extraction, original file, retry."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile, status

from api.deps import ContextDep, ReadKey, SessionDep, WriteKey
from api.document_queries import latest_extraction, list_documents, page_image
from api.errors import PayloadTooLargeError
from api.http import IdPath, content_disposition
from api.pagination import CursorQuery, LimitQuery, decode_int_cursor, encode_cursor
from api.problems import problem_responses
from api.routing import ApiRoute
from api.schemas.documents import DocumentList, DocumentPublic
from intake.accept import accept_inbound
from intake.inbound import InboundDocument
from models.documents import get_document, retry_document
from models.errors import ValidationFailedError
from models.tables import DocumentState

router = APIRouter(prefix="/documents", tags=["documents"], route_class=ApiRoute)

StateQuery = Annotated[DocumentState | None, Query(description="Only documents in this state")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentPublic,
    responses={200: {"model": DocumentPublic, "description": "The same file was received before"}},
    summary="Upload a purchase order (PDF, image, TIFF fax, text)",
)
def upload_document(
    file: Annotated[UploadFile, File(description="The document")],
    request: Request,
    response: Response,
    context: ContextDep,
    session: SessionDep,
    _key: WriteKey,
) -> DocumentPublic:
    data = file.file.read(context.max_upload_bytes + 1)
    if len(data) > context.max_upload_bytes:
        raise PayloadTooLargeError(
            f"the file is larger than the {context.max_upload_bytes} bytes accepted; "
            "split it or raise ORDINO_MAX_UPLOAD_BYTES"
        )
    if not data:
        raise ValidationFailedError("the uploaded file is empty")
    accepted = accept_inbound(
        session,
        blobs=context.blobs,
        inbound=InboundDocument(data=data, filename=file.filename or "upload", source="upload"),
    )
    session.commit()
    document = accepted.document
    assert document.id is not None
    if accepted.created:
        context.enqueue(document.id, "read")
    else:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"{request.url.path}/{document.id}"
    return DocumentPublic.of(document)


@router.get("", response_model=DocumentList, summary="List documents, oldest first")
def list_documents_route(
    session: SessionDep,
    _key: ReadKey,
    state: StateQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> DocumentList:
    documents = list_documents(
        session, state=state, after_id=decode_int_cursor(cursor), limit=limit
    )
    next_cursor = (
        encode_cursor(documents[-1].id) if len(documents) == limit and documents[-1].id else None
    )
    return DocumentList(data=[DocumentPublic.of(d) for d in documents], next_cursor=next_cursor)


@router.get(
    "/{document_id}",
    response_model=DocumentPublic,
    responses=problem_responses(404),
    summary="A document's state, error, review reasons, timestamps and pages",
)
def get_document_route(document_id: IdPath, session: SessionDep, _key: ReadKey) -> DocumentPublic:
    return DocumentPublic.of(get_document(session, document_id))


@router.get(
    "/{document_id}/extraction",
    responses=problem_responses(404),
    summary="The latest extraction of a document, exactly as extraction.schema.json describes it",
)
def get_extraction(document_id: IdPath, session: SessionDep, _key: ReadKey) -> dict[str, Any]:
    """Fields with value, calibrated confidence, page, box and method; lines; the decision."""
    data: dict[str, Any] = latest_extraction(session, document_id).data
    return data


@router.get(
    "/{document_id}/original",
    response_class=Response,
    responses={
        200: {"content": {"*/*": {}}, "description": "The file as received, in its media type"},
        **problem_responses(404),
    },
    summary="The original file, byte for byte",
)
def get_original(
    document_id: IdPath, context: ContextDep, session: SessionDep, _key: ReadKey
) -> Response:
    document = get_document(session, document_id)
    return Response(
        content=context.blobs.get(document.sha256),
        media_type=document.media_type,
        headers={
            "Content-Disposition": content_disposition(
                document.filename or f"document-{document_id}"
            ),
            "ETag": f'"{document.sha256}"',
        },
    )


@router.get(
    "/{document_id}/pages/{page_number}/image",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "The page, upright, as PNG"},
        **problem_responses(404, 415),
    },
    summary="A page of the original as an image (word boxes are fractions of it)",
)
def get_page_image(
    document_id: IdPath,
    page_number: Annotated[int, Path(ge=1, le=10_000)],
    context: ContextDep,
    session: SessionDep,
    _key: ReadKey,
    width: Annotated[int, Query(ge=100, le=4000, description="Pixels")] = 1200,
) -> Response:
    png = page_image(
        session, context.blobs, document_id=document_id, page_number=page_number, width_px=width
    )
    return Response(
        content=png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
    )


@router.post(
    "/{document_id}:retry",
    response_model=DocumentPublic,
    responses=problem_responses(404, 409),
    summary="Send a failed or quarantined document through the pipeline again",
)
def retry_document_route(
    document_id: IdPath, context: ContextDep, session: SessionDep, _key: WriteKey
) -> DocumentPublic:
    stage = retry_document(session, document_id=document_id)
    session.commit()
    context.enqueue(document_id, stage.value)
    return DocumentPublic.of(get_document(session, document_id))
