"""The periodic retrain: its schedule, its registration on the queue, when it retrains, its lock,
and what it records. The retrain itself is injected (a real one takes minutes)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from extraction.pages import pages_to_json
from models.blobs import BlobStore
from models.tables import AuditEvent, Document, DocumentState, ExtractionRecord
from ordino.migrations import upgrade_database
from ordino.retraining import (
    ATTEMPT_ACTION,
    FAILURE_ACTION,
    TASK_NAME,
    parse_schedule,
    retrain_if_due,
    retrain_lock,
)
from ordino.runtime import Runtime
from ordino.settings import Settings
from tests.ordino.conftest import test_settings as runtime_settings
from tests.training.test_learning_retrain import po_page_read
from training.dataset import Sample
from training.retrain import RetrainOutcome

SUNDAY_2AM = datetime(2026, 12, 6, 2, 0)
MONDAY_2AM = datetime(2026, 12, 7, 2, 0)


class FakeRetrain:
    """Stands in for the corpus retrain; remembers the corrections it was given."""

    def __init__(
        self, *, promoted: bool = True, fails: bool = False, version: str = "20261201T100000Z"
    ) -> None:
        self.calls: list[list[str]] = []
        self.promoted = promoted
        self.fails = fails
        self.version = version

    def __call__(self, settings: Settings, corrections: Sequence[Sample]) -> RetrainOutcome:
        self.calls.append([s.meta.id for s in corrections])
        if self.fails:
            raise OSError("disk full")
        if self.promoted:  # as retrain_with_corrections: the artifact, marked current
            artifact = settings.resolved_model_dir / self.version
            artifact.mkdir(parents=True, exist_ok=True)
            metrics = {"correction_documents": len(corrections)}
            (artifact / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
            (artifact.parent / "current").write_text(self.version + "\n", encoding="utf-8")
        return RetrainOutcome(
            version=self.version,
            promoted=self.promoted,
            reasons=[] if self.promoted else ["touchless_rate 0.400 is worse than 0.500"],
            candidate={"touchless_rate": 0.6, "document_exact_match": 0.5, "silent_error_rate": 0},
            current={"touchless_rate": 0.5, "document_exact_match": 0.5, "silent_error_rate": 0},
            corrections=len(corrections),
        )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(environment="test", data_dir=tmp_path / "data", retrain_min_corrections=2)


def _validated(
    engine: Engine,
    settings: Settings,
    count: int,
    *,
    state: str = DocumentState.VALIDATED,
    at: datetime | None = None,
) -> None:
    blobs = BlobStore(settings.blob_dir)
    read = po_page_read()
    blob = blobs.put(json.dumps(pages_to_json(read)).encode())
    data = {
        "document_type": "purchase_order",
        "fields": {"po_number": {"value": "PO-4711", "confidence": 1.0, "page": 1}},
        "lines": [],
    }
    with Session(engine) as session:
        for _ in range(count):
            document = Document(
                source="mail",
                sha256="0" * 64,
                media_type="application/pdf",
                dedupe_key=f"k-{datetime.now(UTC).timestamp()}-{id(object())}",
                state=state,
                read_blob=blob,
            )
            session.add(document)
            session.flush()
            assert document.id is not None
            record = ExtractionRecord(document_id=document.id, model_version="agent", data=data)
            if at is not None:
                record.created_at = at
            session.add(record)
        session.commit()


def _audit_events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())


# --- schedule ---------------------------------------------------------------------------------


def test_the_default_schedule_is_sunday_night_utc() -> None:
    schedule = parse_schedule(Settings().retrain_schedule)
    assert schedule is not None
    assert schedule(SUNDAY_2AM) and not schedule(MONDAY_2AM)
    assert not schedule(SUNDAY_2AM.replace(minute=1))


@pytest.mark.parametrize("off", ["off", "OFF", "", "  "])
def test_the_schedule_can_be_switched_off(off: str) -> None:
    assert parse_schedule(off) is None


@pytest.mark.parametrize(
    "bad", ["0 2 * *", "0 25 * * *", "every sunday", "0 2 * * 0 2026", "x * * * *"]
)
def test_a_bad_schedule_is_refused_with_the_setting_named(bad: str) -> None:
    with pytest.raises(ValueError, match="ORDINO_RETRAIN_SCHEDULE"):
        parse_schedule(bad)
    with pytest.raises(ValidationError, match="ORDINO_RETRAIN_SCHEDULE"):
        Settings(retrain_schedule=bad)


# --- registration -----------------------------------------------------------------------------


def _periodic_names(runtime: Runtime, at: datetime) -> list[str]:
    return [task.name for task in runtime.queue.read_periodic(at)]


def test_the_periodic_retrain_is_registered_on_the_runtime_queue(tmp_path: Path) -> None:
    runtime = Runtime.from_settings(
        runtime_settings(tmp_path / "data", retrain_schedule="30 3 * * 1-5")
    )
    try:
        assert TASK_NAME in _periodic_names(runtime, datetime(2026, 12, 7, 3, 30))  # Monday
        assert TASK_NAME not in _periodic_names(runtime, datetime(2026, 12, 6, 3, 30))  # Sunday
    finally:
        runtime.close()


def test_no_periodic_retrain_when_the_schedule_is_off(tmp_path: Path) -> None:
    runtime = Runtime.from_settings(runtime_settings(tmp_path / "data", retrain_schedule="off"))
    try:
        assert TASK_NAME not in {task.name for task in runtime.queue._registry.periodic_tasks}
    finally:
        runtime.close()


def test_the_periodic_task_retrains_and_reloads_the_promoted_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    retrain = FakeRetrain()
    monkeypatch.setattr("ordino.retraining.retrain_corpus", retrain)
    runtime = Runtime.from_settings(runtime_settings(tmp_path / "data", retrain_min_corrections=2))
    reloads: list[bool] = []
    monkeypatch.setattr(runtime, "reload_model", lambda: reloads.append(True))
    try:
        upgrade_database(runtime.engine)
        _validated(runtime.engine, runtime.settings, 2)
        [task] = [t for t in runtime.queue.read_periodic(SUNDAY_2AM) if t.name == TASK_NAME]
        runtime.queue.execute(task)
        assert len(retrain.calls) == 1 and reloads == [True]
        assert [e.action for e in _audit_events(runtime.engine)] == [ATTEMPT_ACTION]
    finally:
        runtime.close()


# --- decision ---------------------------------------------------------------------------------


def test_too_few_new_corrections_skip_with_the_reason(
    db_engine: Engine, settings: Settings
) -> None:
    _validated(db_engine, settings, 1)
    _validated(db_engine, settings, 3, state=DocumentState.AUTO_APPROVED)
    retrain = FakeRetrain()
    report = retrain_if_due(db_engine, settings=settings, retrain=retrain)
    assert report.status == "skipped" and report.new_corrections == 1
    assert "1 documents validated" in report.reason and "2 needed" in report.reason
    assert retrain.calls == [] and _audit_events(db_engine) == []


def test_enough_corrections_retrain_promote_and_audit(
    db_engine: Engine, settings: Settings
) -> None:
    _validated(db_engine, settings, 2)
    retrain = FakeRetrain()
    report = retrain_if_due(db_engine, settings=settings, retrain=retrain)
    assert report.status == "promoted" and report.new_corrections == 2
    assert len(retrain.calls) == 1 and len(retrain.calls[0]) == 2
    [event] = _audit_events(db_engine)
    assert (event.action, event.actor, event.entity_id) == (
        ATTEMPT_ACTION,
        "system",
        "20261201T100000Z",
    )
    assert event.new_value == "20261201T100000Z"
    details: dict[str, Any] = event.details or {}
    assert details["status"] == "promoted" and details["corrections"] == 2
    assert details["candidate"]["touchless_rate"] == 0.6
    assert details["current"]["touchless_rate"] == 0.5


def test_a_rejected_candidate_is_recorded_and_not_retried_on_the_same_documents(
    db_engine: Engine, settings: Settings
) -> None:
    _validated(db_engine, settings, 2)
    retrain = FakeRetrain(promoted=False)
    report = retrain_if_due(db_engine, settings=settings, retrain=retrain)
    assert report.status == "kept" and "touchless_rate" in report.reason
    [event] = _audit_events(db_engine)
    assert event.details is not None and event.details["status"] == "kept"
    assert event.new_value is None  # nothing went live

    again = retrain_if_due(db_engine, settings=settings, retrain=retrain)
    assert again.status == "skipped" and again.new_corrections == 0
    _validated(db_engine, settings, 2)
    third = retrain_if_due(db_engine, settings=settings, retrain=retrain)
    assert third.new_corrections == 2 and len(retrain.calls) == 2
    assert len(retrain.calls[1]) == 4  # the retrain learns from every validated document


def test_a_failed_retrain_is_recorded_and_tried_again(
    db_engine: Engine, settings: Settings
) -> None:
    _validated(db_engine, settings, 2)
    report = retrain_if_due(db_engine, settings=settings, retrain=FakeRetrain(fails=True))
    assert report.status == "failed" and "disk full" in report.reason
    assert [e.action for e in _audit_events(db_engine)] == [FAILURE_ACTION]
    retrain = FakeRetrain()
    assert retrain_if_due(db_engine, settings=settings, retrain=retrain).status == "promoted"


@pytest.mark.parametrize(("learnt", "new"), [(True, 2), (False, 5)])
def test_documents_validated_before_a_model_learnt_from_corrections_are_not_new(
    db_engine: Engine, settings: Settings, learnt: bool, new: int
) -> None:
    _validated(db_engine, settings, 3, at=datetime(2026, 11, 1, tzinfo=UTC))
    _validated(db_engine, settings, 2, at=datetime(2026, 11, 20, tzinfo=UTC))
    models = settings.resolved_model_dir / "20261115T000000Z"
    models.mkdir(parents=True)
    metrics = {"correction_documents": 3} if learnt else {"validation_touchless": 0.5}
    (models / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    (models.parent / "current").write_text("20261115T000000Z\n", encoding="utf-8")
    report = retrain_if_due(db_engine, settings=settings, retrain=FakeRetrain())
    assert report.new_corrections == new and report.status == "promoted"


def test_a_promoted_retrain_counts_from_when_it_read_its_corrections(
    db_engine: Engine, settings: Settings
) -> None:
    _validated(db_engine, settings, 2)
    retrain = FakeRetrain(version="20991231T000000Z")  # stamped after the next validations
    assert retrain_if_due(db_engine, settings=settings, retrain=retrain).status == "promoted"
    _validated(db_engine, settings, 2)
    report = retrain_if_due(db_engine, settings=settings, retrain=retrain)
    assert report.new_corrections == 2 and len(retrain.calls) == 2


def test_while_another_worker_retrains_the_run_is_skipped(
    db_engine: Engine, settings: Settings
) -> None:
    _validated(db_engine, settings, 2)
    retrain = FakeRetrain()
    with retrain_lock(db_engine, data_dir=settings.data_dir) as held:
        assert held
        report = retrain_if_due(db_engine, settings=settings, retrain=retrain)
    assert report.status == "skipped" and "another worker" in report.reason
    assert retrain.calls == []
    assert retrain_if_due(db_engine, settings=settings, retrain=retrain).status == "promoted"
