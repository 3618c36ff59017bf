"""Queue tasks. The database holds every state; a task only says "look at this document now"."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import httpx

from api.webhooks.pump import PumpReport, pump_webhooks
from models.db import session_scope
from models.documents import sweep_expired_leases, waiting_documents
from models.tables import Stage

if TYPE_CHECKING:
    from ordino.runtime import Runtime

log = logging.getLogger(__name__)
_TASKS: dict[int, object] = {}
_PUMPS: dict[int, object] = {}


def register_tasks(runtime: Runtime) -> None:
    """Register the stage task on the runtime's queue (one queue instance per runtime)."""
    from ordino.pipeline import run_stage
    from ordino.retraining import register_retraining

    @runtime.queue.task(name="ordino.run_stage")
    def run_stage_task(document_id: int, stage: str) -> None:
        run_stage(runtime, document_id, Stage(stage))

    @runtime.queue.task(name="ordino.pump_webhooks")
    def pump_webhooks_task() -> None:
        report = pump_webhooks_once(runtime)
        if report.next_due_at is not None:
            pump_webhooks_task.schedule(eta=report.next_due_at)

    _TASKS[id(runtime.queue)] = run_stage_task
    _PUMPS[id(runtime.queue)] = pump_webhooks_task
    register_retraining(runtime)


def pump_webhooks_once(runtime: Runtime) -> PumpReport:
    """Turn new outbox events into deliveries and make every attempt that is due."""
    with httpx.Client(timeout=10, follow_redirects=False) as client:
        return pump_webhooks(runtime.engine, client=client)


def ring_webhooks(runtime: Runtime) -> None:
    """Ask a worker to pump webhooks now (called after a commit that added an event)."""
    _PUMPS[id(runtime.queue)]()  # type: ignore[operator]


def enqueue_stage(runtime: Runtime, document_id: int, stage: str, *, delay: float = 0) -> None:
    task = _TASKS[id(runtime.queue)]
    if delay > 0:
        task.schedule((document_id, Stage(stage).value), delay=delay)  # type: ignore[attr-defined]
    else:
        task(document_id, Stage(stage).value)  # type: ignore[operator]


def sweep_once(runtime: Runtime) -> int:
    """Recover what a dead worker left: expired leases, waiting documents whose bell was lost."""
    settings = runtime.settings
    with session_scope(runtime.engine) as session:
        due = sweep_expired_leases(session, max_attempts=settings.stage_max_attempts)
        due += waiting_documents(session, older_than_seconds=settings.stage_lease_seconds)
    for document_id, stage in due:
        log.warning("re-enqueueing document %s for the %s stage", document_id, stage.value)
        enqueue_stage(runtime, document_id, stage.value)
    return len(due)


def start_sweeper(runtime: Runtime, stop: threading.Event) -> threading.Thread:
    """Every sweep interval: recover dead workers' documents, and pump webhooks as a safety net."""

    def loop() -> None:
        while not stop.is_set():
            try:
                sweep_once(runtime)
                pump_webhooks_once(runtime)
            except Exception:
                log.exception("sweep failed; trying again later")
            stop.wait(runtime.settings.sweep_interval_seconds)

    thread = threading.Thread(target=loop, name="ordino-sweeper", daemon=True)
    thread.start()
    return thread
