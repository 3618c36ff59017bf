"""Retraining on the synthetic corpus plus the documents agents validated.

A validated document becomes a training sample: its pages (from the blob store) and, as truth,
the extraction the agent approved — values, and where the model or the agent pointed on the
page. The new model is written beside the others without being marked current, evaluated with
the current one on the fixed test split, and promoted only if it is not worse
(training/registry_commands.py); each extraction records the model version that made it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from extraction.masterdata import MasterData
from extraction.model import load_model
from extraction.pages import pages_from_json
from extraction.result import HEADER_FIELDS
from models.blobs import BlobStore
from models.masterdata_io import load_master_data
from models.tables import Document, DocumentState, ExtractionRecord
from training.dataset import Sample
from training.eval_corpus import EVAL_COUNT, EVAL_SEED
from training.synth.corpus import SampleMeta

AGENT_VERSION = "agent"
CORRECTION_FAMILY = "validated"


@dataclass(frozen=True)
class RetrainOutcome:
    version: str
    promoted: bool
    reasons: list[str]
    candidate: dict[str, Any]
    current: dict[str, Any] | None
    corrections: int


def validated_samples(
    engine: Engine, *, blobs: BlobStore, seller_names: tuple[str, ...] = (), limit: int = 5000
) -> list[Sample]:
    """Every validated document with its pages and its approved extraction, newest first."""
    with Session(engine) as session:
        master = load_master_data(session, seller_names=seller_names)
        documents = session.exec(
            select(Document)
            .where(Document.state == DocumentState.VALIDATED, col(Document.read_blob).is_not(None))
            .order_by(col(Document.id).desc())
            .limit(limit)
        ).all()
        samples = []
        for document in documents:
            record = session.exec(
                select(ExtractionRecord)
                .where(
                    ExtractionRecord.document_id == document.id,
                    ExtractionRecord.model_version == AGENT_VERSION,
                )
                .order_by(col(ExtractionRecord.id).desc())
            ).first()
            if record is None or document.read_blob is None:
                continue
            samples.append(_sample(document, record.data, blobs=blobs, master=master))
    return samples


def _sample(
    document: Document, data: dict[str, Any], *, blobs: BlobStore, master: MasterData
) -> Sample:
    read = pages_from_json(json.loads(blobs.get(document.read_blob or "")))
    meta = SampleMeta(
        id=f"document-{document.id}",
        family=CORRECTION_FAMILY,
        variant="scan" if any(p.source == "ocr" for p in read.pages) else "pdf",
        language=str(data.get("language", "en")),
        document_type=str(data["document_type"]),
        path=Path(document.filename or f"document-{document.id}"),
        truth_path=Path(""),
        split="train",
    )
    return Sample(meta=meta, read=read, truth=truth_from_validated(document, data), master=master)


def truth_from_validated(document: Document, data: dict[str, Any]) -> dict[str, Any]:
    """The approved extraction in the synthetic truth's shape (training/synth/truth.py)."""
    fields: dict[str, Any] = {}
    for name in HEADER_FIELDS:
        entry = (data.get("fields") or {}).get(name)
        if entry is None or entry.get("value") is None:
            fields[name] = None
            continue
        fields[name] = {
            "value": entry["value"],
            "page": entry.get("page"),
            "bbox": entry.get("bbox"),
            "raw": entry.get("raw"),
        }
    mail_date: datetime | None = document.mail_date
    return {
        "id": f"document-{document.id}",
        "document_type": data["document_type"],
        "customer_id": data.get("customer_id"),
        "sender_email": document.sender_email,
        "mail_date": mail_date.isoformat() if mail_date else None,
        "fields": fields,
        "lines": data.get("lines", []),
    }


def retrain_with_corrections(
    *,
    fit: Sequence[Sample],
    validation: Sequence[Sample],
    corrections: Sequence[Sample],
    models_dir: Path,
    data_dir: Path,
    seed: int = 7,
    target_silent_error_rate: float = 0.005,
    test_seed: int = EVAL_SEED,
    test_count: int = EVAL_COUNT,
) -> RetrainOutcome:
    """Train on the corpus plus the corrections, then promote only if not worse on the test
    split (the current model is evaluated in the same run)."""
    from training.artifact import write_artifact
    from training.registry_commands import (
        current_version,
        evaluate_on_test_split,
        promotion_gate,
        set_current,
    )
    from training.train import train_model

    model, metrics = train_model(
        [*fit, *corrections],
        validation,
        seed=seed,
        target_silent_error_rate=target_silent_error_rate,
    )
    metrics["correction_documents"] = len(corrections)
    write_artifact(
        model,
        out_dir=models_dir,
        metrics=metrics,
        command="ordino train --with-corrections",
        mark_current=False,
    )
    candidate = evaluate_on_test_split(model, data_dir=data_dir, seed=test_seed, count=test_count)
    live = load_model(models_dir)  # the promoted model, else the shipped default: what runs now
    current = (
        evaluate_on_test_split(live, data_dir=data_dir, seed=test_seed, count=test_count)
        if live is not None
        else None
    )
    promoted, reasons = promotion_gate(candidate, current)
    if promoted:
        set_current(
            models_dir,
            model.version,
            action="promote",
            details={"replaced": current_version(models_dir), "corrections": len(corrections)},
        )
    return RetrainOutcome(
        version=model.version,
        promoted=promoted,
        reasons=reasons,
        candidate=candidate,
        current=current,
        corrections=len(corrections),
    )
