"""`ordino ingest`: files taken in as if they had arrived by mail."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from sqlmodel import Session

from intake.accept import Accepted, accept_inbound
from intake.inbound import InboundDocument
from intake.service import ingest_message
from models.db import session_scope
from models.tables import Document

if TYPE_CHECKING:
    from ordino.runtime import Runtime


def _accept_file(session: Session, runtime: Runtime, path: Path) -> list[Accepted]:
    data = path.read_bytes()
    if path.suffix.lower() == ".eml":
        return ingest_message(
            session, blobs=runtime.blobs, raw=data, source="mail", limits=runtime.intake_limits()
        )
    inbound = InboundDocument(data=data, filename=path.name, source="cli", source_ref=str(path))
    limits = runtime.intake_limits()
    return [accept_inbound(session, blobs=runtime.blobs, inbound=inbound, limits=limits)]


def ingest_files(
    runtime: Runtime, files: Sequence[Path], *, process_now: bool, console: Console
) -> list[tuple[str, str, str, str]]:
    """Accept every file; with `process_now`, run the pipeline here instead of on a worker."""
    if process_now:
        runtime.queue.immediate = True
    rows: list[tuple[str, str, str, str]] = []
    for path in files:
        with session_scope(runtime.engine) as session:
            accepted = _accept_file(session, runtime, path)
            pairs = [(a.document.id, a.created) for a in accepted]
        if not pairs:
            rows.append((path.name, "-", "-", "no document in this message"))
        for document_id, created in pairs:
            assert document_id is not None
            if created:
                console.print(f"{path.name}: document {document_id} received")
                runtime.enqueue(document_id, "read")
            with Session(runtime.engine) as session:
                document = session.get(Document, document_id)
                assert document is not None
                note = "; ".join(document.review_reasons or []) if created else "already received"
                rows.append((path.name, str(document_id), document.state, note[:120]))
    return rows
