"""The pipeline: read → extract → decide, one stage per task, each idempotent under a lease.

Each stage does its slow work outside any transaction, then writes its result and moves the
document on in one short transaction, only if it still holds the lease. Unusable input goes to
quarantine with its reason; a crash is retried with backoff and, after the last attempt, leaves
the document `failed` with its error.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from extraction.extractor import DocumentHints, extract_document
from extraction.pages import ReadResult, pages_from_json, pages_to_json
from extraction.reading import ReadError, ReadLimits, detect_media_type, read_document
from extraction.result import Decision
from extraction.structured import StructuredFormatError
from models.db import session_scope
from models.documents import claim_stage, complete_stage, fail_stage, get_document, quarantine
from models.layout_memory_store import load_layout_memory
from models.masterdata_io import load_master_data
from models.orders import create_order_from_extraction
from models.tables import Document, DocumentState, ExtractionRecord, Stage
from ordino import metrics
from ordino.logs import document_context
from ordino.settings import Settings

if TYPE_CHECKING:
    from ordino.runtime import Runtime

log = logging.getLogger(__name__)

INPUT_ERRORS = (ReadError, StructuredFormatError)


@dataclass(frozen=True)
class StageResult:
    """What a stage's slow part produced, applied to the document in one short transaction."""

    new_state: DocumentState
    apply: Callable[[Session, Document], None]
    reasons: list[str] | None = None


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _inject_fault(runtime: Runtime, stage: Stage) -> None:
    """Test-only faults (ORDINO_TEST_FAULTS), to prove recovery from crashes and hung workers."""
    if runtime.settings.environment != "test" or not runtime.settings.test_faults:
        return
    faults = dict(
        item.split("=", 1) for item in runtime.settings.test_faults.split(",") if "=" in item
    )
    action = faults.get(stage.value)
    if action == "crash":
        raise RuntimeError(f"injected crash in the {stage.value} stage")
    if action == "hang":
        time.sleep(3600)


def read_limits_from(s: Settings) -> ReadLimits:
    return ReadLimits(
        max_bytes=s.max_upload_bytes,
        max_pages=s.max_pages,
        max_image_pixels=s.max_image_pixels,
        ocr_page_timeout_seconds=s.ocr_page_timeout_seconds,
        ocr_languages=s.ocr_languages,
    )


STRUCTURED_TEXT_TYPES = frozenset({"application/xml", "text/xml", "application/edifact"})


def read_for_extraction(
    data: bytes, *, media_type: str | None, filename: str, limits: ReadLimits
) -> ReadResult:
    """Pages of words for any input; an XML or EDIFACT order is shown as its text."""
    kind = media_type or detect_media_type(data, filename)
    if kind in STRUCTURED_TEXT_TYPES:
        return read_document(data, media_type="text/plain", filename=filename, limits=limits)
    return read_document(data, media_type=kind, filename=filename, limits=limits)


def _read(runtime: Runtime, document: Document) -> StageResult:
    data = runtime.blobs.get(document.sha256)
    result = read_for_extraction(
        data,
        media_type=document.media_type,
        filename=document.filename,
        limits=read_limits_from(runtime.settings),
    )
    pages_sha = runtime.blobs.put(json.dumps(pages_to_json(result)).encode())

    def apply(_session: Session, doc: Document) -> None:
        doc.read_blob = pages_sha
        doc.pages = len(result.pages)

    return StageResult(DocumentState.READ, apply)


def load_pages(runtime: Runtime, document: Document) -> ReadResult:
    if document.read_blob is None:
        raise RuntimeError(f"document {document.id} has no read result")
    return pages_from_json(json.loads(runtime.blobs.get(document.read_blob)))


def _extract(runtime: Runtime, document: Document) -> StageResult:
    pages = load_pages(runtime, document)
    with Session(runtime.engine) as session:
        master = load_master_data(
            session,
            seller_names=(runtime.settings.seller_name,),
            seller_vat_ids=tuple(v for v in (runtime.settings.seller_vat_id,) if v),
        )
        layout_memory = load_layout_memory(
            session, blobs=runtime.blobs, sender_email=document.sender_email, read=pages
        )
        session.commit()  # keeps what was learnt from documents validated since the last one
    started = time.perf_counter()
    extraction = extract_document(
        pages,
        source=document.filename or document.source_ref,
        master=master,
        model=runtime.extractor_model(),
        hints=DocumentHints(
            sender_email=document.sender_email,
            mail_date=document.mail_date,
            layout_memory=layout_memory,
        ),
        sha256=document.sha256,
        raw=runtime.blobs.get(document.sha256),
        filename=document.filename,
    )
    metrics.EXTRACTION_SECONDS.observe(time.perf_counter() - started)
    data = extraction.to_json()

    def apply(session: Session, doc: Document) -> None:
        session.add(
            ExtractionRecord(document_id=doc.id, model_version=extraction.model_version, data=data)  # type: ignore[arg-type]
        )
        doc.customer_id = extraction.customer_id
        doc.po_number = extraction.field_value("po_number")
        doc.review_reasons = extraction.decision.reasons

    return StageResult(DocumentState.EXTRACTED, apply)


def latest_extraction(session: Session, document_id: int) -> ExtractionRecord | None:
    return session.exec(
        select(ExtractionRecord)
        .where(ExtractionRecord.document_id == document_id)
        .order_by(col(ExtractionRecord.id).desc())
    ).first()


def _decide(runtime: Runtime, document: Document) -> StageResult:
    with Session(runtime.engine) as session:
        record = latest_extraction(session, document.id)  # type: ignore[arg-type]
    if record is None:
        raise RuntimeError(f"document {document.id} has no extraction to decide on")
    decision = Decision.model_validate(record.data["decision"])
    status, reasons = decision.status, list(decision.reasons)
    if status == "auto_approved":

        def approve(session: Session, doc: Document) -> None:
            create_order_from_extraction(
                session, document=doc, extraction=record.data, actor="auto"
            )

        return StageResult(DocumentState.AUTO_APPROVED, approve, reasons)
    if status == "rejected":
        return StageResult(DocumentState.REJECTED, lambda _s, _d: None, reasons)
    return StageResult(DocumentState.NEEDS_REVIEW, lambda _s, _d: None, reasons)


STAGES: dict[Stage, Callable[[Runtime, Document], StageResult]] = {
    Stage.READ: _read,
    Stage.EXTRACT: _extract,
    Stage.DECIDE: _decide,
}
NEXT_STAGE: dict[DocumentState, Stage] = {
    DocumentState.READ: Stage.EXTRACT,
    DocumentState.EXTRACTED: Stage.DECIDE,
}


def run_stage(runtime: Runtime, document_id: int, stage: Stage) -> None:
    """Run one stage of one document, if it is due and nobody else holds it."""
    settings = runtime.settings
    me = worker_id()
    with document_context(document_id):
        with Session(runtime.engine) as session:
            if not claim_stage(
                session,
                document_id=document_id,
                stage=stage,
                worker_id=me,
                lease_seconds=settings.stage_lease_seconds,
            ):
                log.debug(
                    "%s stage of document %s is not due or is leased", stage.value, document_id
                )
                return
            document = get_document(session, document_id)
        started = time.perf_counter()
        try:
            _inject_fault(runtime, stage)
            result = STAGES[stage](runtime, document)
        except INPUT_ERRORS as exc:
            reason = f"{getattr(exc, 'reason', 'invalid')}: {exc}"
            log.warning("document %s quarantined: %s", document_id, reason)
            with session_scope(runtime.engine) as session:
                quarantine(session, document_id=document_id, worker_id=me, reason=reason)
            metrics.STAGE_SECONDS.labels(stage.value, "quarantined").observe(
                time.perf_counter() - started
            )
            return
        except Exception as exc:
            _handle_crash(runtime, document_id, stage, me, exc)
            metrics.STAGE_SECONDS.labels(stage.value, "error").observe(
                time.perf_counter() - started
            )
            return
        with session_scope(runtime.engine) as session:
            doc = session.get(Document, document_id)
            if doc is None or doc.lease_owner != me:
                log.warning("lost the lease on document %s; dropping this result", document_id)
                return
            result.apply(session, doc)
            complete_stage(
                session,
                document_id=document_id,
                worker_id=me,
                new_state=result.new_state,
                reasons=result.reasons,
            )
        metrics.STAGE_SECONDS.labels(stage.value, "ok").observe(time.perf_counter() - started)
        log.info("document %s: %s done → %s", document_id, stage.value, result.new_state.value)
        if result.new_state in NEXT_STAGE:
            runtime.enqueue(document_id, NEXT_STAGE[result.new_state].value)


def _handle_crash(
    runtime: Runtime, document_id: int, stage: Stage, me: str, exc: Exception
) -> None:
    settings = runtime.settings
    error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
    with session_scope(runtime.engine) as session:
        outcome = fail_stage(
            session,
            document_id=document_id,
            worker_id=me,
            error=error,
            max_attempts=settings.stage_max_attempts,
        )
    if outcome is None:
        return
    if outcome.retry:
        delay = settings.retry_backoff_seconds * 2 ** (outcome.attempts - 1)
        log.warning(
            "%s stage of document %s failed (attempt %s), retrying in %.0fs: %s",
            stage.value,
            document_id,
            outcome.attempts,
            delay,
            exc,
        )
        runtime.enqueue(document_id, stage.value, delay=delay)
    else:
        log.error("document %s failed in the %s stage: %s", document_id, stage.value, exc)
