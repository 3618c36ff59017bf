"""Periodic retraining on the documents agents validated (`ordino train --with-corrections`, on a
schedule).

On ORDINO_RETRAIN_SCHEDULE (a cron expression, UTC) a queue worker takes the retraining lock,
counts the validated documents no model has learnt from yet, and — when there are at least
ORDINO_RETRAIN_MIN_CORRECTIONS — retrains on the synthetic corpus plus every validated document;
the candidate goes live only if the test-split evaluation is not worse than the current model's.
Each attempt is logged and recorded as an AuditEvent (`model.retrain` / `model.retrain_failed`).

"New" means validated after the later of: the last completed attempt read its corrections, and
the current model was trained, if it learnt from corrections. So a rejected candidate is not
retrained from the same documents every week, and a duplicate run (every consumer's scheduler
enqueues the periodic task) finds nothing new.

The retrain runs on one consumer thread like any task, for minutes: the other threads keep
processing documents, more slowly (the CPU is shared); with ORDINO_WORKER_CONCURRENCY=1 documents
wait until it is done. Hence the default: Sunday 02:00 UTC.
"""

from __future__ import annotations

import fcntl
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from huey import crontab
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models.audit import record_audit
from models.db import session_scope
from models.tables import AuditEvent, Document, DocumentState, ExtractionRecord

if TYPE_CHECKING:
    from ordino.runtime import Runtime
    from ordino.settings import Settings
    from training.dataset import Sample
    from training.retrain import RetrainOutcome

log = logging.getLogger(__name__)

TASK_NAME = "ordino.retrain_with_corrections"
ATTEMPT_ACTION = "model.retrain"
FAILURE_ACTION = "model.retrain_failed"
DISABLED = ("", "off")
AGENT_VERSION = "agent"
"""The model version of an extraction an agent approved (models/review.py)."""
LOCK_KEY = 0x6F7264696E6F
"""PostgreSQL advisory lock key of the retraining (b"ordino")."""
LOCK_FILE = "retrain.lock"
VERSION_FORMAT = "%Y%m%dT%H%M%SZ"
"""Trained model versions are their UTC training time (training/train.py new_version)."""

Retrain = Callable[["Settings", Sequence["Sample"]], "RetrainOutcome"]
"""Train on the corpus plus these corrections, evaluate, promote if not worse."""


@dataclass(frozen=True)
class RetrainReport:
    status: Literal["skipped", "promoted", "kept", "failed"]
    reason: str
    new_corrections: int
    outcome: RetrainOutcome | None = None


def parse_schedule(expression: str) -> crontab | None:
    """A five-field cron expression as a Huey schedule (checked against the UTC minute);
    None when retraining is off."""
    text = expression.strip()
    if text.lower() in DISABLED:
        return None
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(
            f"ORDINO_RETRAIN_SCHEDULE must be a cron expression of five fields (minute hour day "
            f"month weekday, UTC) such as '0 2 * * 0', or 'off'; got {expression!r}"
        )
    minute, hour, day, month, weekday = fields
    try:
        return crontab(minute, hour, day, month, weekday, strict=True)
    except ValueError as exc:
        raise ValueError(
            f"ORDINO_RETRAIN_SCHEDULE {expression!r} is not valid cron: {exc}"
        ) from exc


def register_retraining(runtime: Runtime) -> None:
    """Register the periodic retrain on the runtime's queue, unless the schedule is off."""
    schedule = parse_schedule(runtime.settings.retrain_schedule)
    if schedule is None:
        return

    @runtime.queue.periodic_task(schedule, name=TASK_NAME)
    def retrain_task() -> None:
        report = retrain_if_due(runtime.engine, settings=runtime.settings)
        if report.status == "promoted":
            runtime.reload_model()


def retrain_if_due(
    engine: Engine, *, settings: Settings, retrain: Retrain | None = None
) -> RetrainReport:
    """Under the retraining lock: retrain and promote if enough documents were validated since
    the last model learnt from corrections; log and audit what happened."""
    with retrain_lock(engine, data_dir=settings.data_dir) as held:
        if not held:
            report = RetrainReport("skipped", "another worker is retraining", 0)
        else:
            report = _retrain_if_due(engine, settings=settings, retrain=retrain or retrain_corpus)
    _log(report)
    return report


def _retrain_if_due(engine: Engine, *, settings: Settings, retrain: Retrain) -> RetrainReport:
    models_dir = settings.resolved_model_dir
    read_at = datetime.now(UTC)
    with Session(engine) as session:
        since = learnt_until(session, models_dir)
        new = new_corrections(session, since=since)
    if new < settings.retrain_min_corrections:
        return RetrainReport(
            "skipped",
            f"{new} documents validated since {_moment(since)}; "
            f"{settings.retrain_min_corrections} needed",
            new,
        )
    from models.blobs import BlobStore
    from training.registry_commands import current_version
    from training.retrain import validated_samples

    replaced = current_version(models_dir)
    try:
        corrections = validated_samples(engine, blobs=BlobStore(settings.blob_dir))
        outcome = retrain(settings, corrections)
    except Exception as exc:
        log.exception("retraining with validated documents failed")
        report = RetrainReport("failed", f"{type(exc).__name__}: {exc}", new)
        _audit(engine, report, replaced=replaced, read_at=read_at)
        return report
    reason = "; ".join(outcome.reasons) or "not worse than the current model"
    report = RetrainReport("promoted" if outcome.promoted else "kept", reason, new, outcome)
    _audit(engine, report, replaced=replaced, read_at=read_at)
    return report


def retrain_corpus(settings: Settings, corrections: Sequence[Sample]) -> RetrainOutcome:
    """`ordino train --with-corrections` with its defaults: the cached synthetic corpus of
    `ordino train` (seed 7, 450 + 700 documents) plus the corrections, gated on the test split."""
    from training.dataset import DEFAULT_SEED, training_corpus
    from training.retrain import retrain_with_corrections

    fit, validation = training_corpus(settings.data_dir)
    return retrain_with_corrections(
        fit=fit,
        validation=validation,
        corrections=corrections,
        models_dir=settings.resolved_model_dir,
        data_dir=settings.data_dir,
        seed=DEFAULT_SEED,
        target_silent_error_rate=settings.target_silent_error_rate,
    )


def learnt_until(session: Session, models_dir: Path) -> datetime | None:
    """Until when validated documents are already learnt from (or were tried, by the last
    completed attempt); None: no model has seen any.

    A model the periodic retrain made counts from when its corrections were read, not from its
    version (stamped later, when training started): documents validated in between are new.
    """
    from training.registry_commands import current_version

    attempt_version, attempt_read_at = _last_attempt(session)
    trained = None
    if attempt_version is None or attempt_version != current_version(models_dir):
        trained = _current_model_trained(models_dir)
    moments = [m for m in (attempt_read_at, trained) if m is not None]
    return max(moments) if moments else None


def new_corrections(session: Session, *, since: datetime | None) -> int:
    """Validated documents (with their pages) whose agent-approved extraction is newer than
    `since`: what the retrain would learn from that no model has."""
    query = (
        select(func.count(sa.distinct(col(Document.id))))
        .join(ExtractionRecord, col(ExtractionRecord.document_id) == col(Document.id))
        .where(
            Document.state == DocumentState.VALIDATED,
            col(Document.read_blob).is_not(None),
            ExtractionRecord.model_version == AGENT_VERSION,
        )
    )
    if since is not None:
        query = query.where(col(ExtractionRecord.created_at) > since)
    return int(session.exec(query).one())


@contextmanager
def retrain_lock(engine: Engine, *, data_dir: Path) -> Iterator[bool]:
    """Yield whether this worker holds the retraining lock (never waits for it).

    PostgreSQL: a session advisory lock, which spans machines. SQLite (one machine): an flock on
    a file in the data directory. Either is released if the process dies.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            held = bool(conn.scalar(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}))
            try:
                yield held
            finally:
                if held:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _last_attempt(session: Session) -> tuple[str | None, datetime | None]:
    """The model version the last completed attempt trained, and when it read its corrections."""
    event = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == ATTEMPT_ACTION)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    ).first()
    if event is None:
        return None, None
    read_at = (event.details or {}).get("corrections_read_at")
    return event.entity_id, datetime.fromisoformat(read_at) if isinstance(read_at, str) else None


def _current_model_trained(models_dir: Path) -> datetime | None:
    """When the current model was trained, if it learnt from validated documents."""
    from training.registry_commands import current_version

    version = current_version(models_dir)
    metrics_path = models_dir / (version or "") / "metrics.json"
    if version is None or not metrics_path.is_file():
        return None
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    if "correction_documents" not in metrics:
        return None
    try:
        return datetime.strptime(version, VERSION_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _audit(
    engine: Engine, report: RetrainReport, *, replaced: str | None, read_at: datetime
) -> None:
    outcome = report.outcome
    details: dict[str, Any] = {
        "status": report.status,
        "reason": report.reason,
        "new_corrections": report.new_corrections,
        "corrections_read_at": read_at.isoformat(),
    }
    if outcome is not None:
        details |= {
            "corrections": outcome.corrections,
            "candidate": outcome.candidate,
            "current": outcome.current,
        }
    with session_scope(engine) as session:
        record_audit(
            session,
            actor="system",
            action=ATTEMPT_ACTION if outcome is not None else FAILURE_ACTION,
            entity_type="model",
            entity_id=outcome.version if outcome is not None else "-",
            old_value=replaced,
            new_value=outcome.version if report.status == "promoted" and outcome else replaced,
            details=details,
        )


def _log(report: RetrainReport) -> None:
    outcome = report.outcome
    if outcome is None:
        level = logging.ERROR if report.status == "failed" else logging.INFO
        log.log(level, "periodic retrain %s: %s", report.status, report.reason)
        return
    log.info(
        "periodic retrain: model %s trained with %d validated documents (%d new), %s: %s; "
        "test split candidate %s, current %s",
        outcome.version,
        outcome.corrections,
        report.new_corrections,
        report.status,
        report.reason,
        _gated(outcome.candidate),
        _gated(outcome.current) if outcome.current is not None else "none",
    )


def _gated(figures: dict[str, Any]) -> dict[str, Any]:
    from training.registry_commands import GATED_METRICS

    return {key: figures.get(key) for key, _ in GATED_METRICS}


def _moment(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "the start"
