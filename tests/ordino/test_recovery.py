"""Crashes and dead workers: nothing is lost, nothing stays stuck, failures are visible."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from intake.accept import accept_inbound
from intake.inbound import InboundDocument
from models.db import session_scope
from models.tables import FINAL_STATES, Document
from ordino.runtime import Runtime
from tests.ordino.conftest import MakeRuntime
from training.synth import generate_corpus


def receive_sample(runtime: Runtime, corpus: Path) -> int:
    sample = generate_corpus(corpus, seed=9, count=1, variants=("pdf",))[0]
    with session_scope(runtime.engine) as session:
        accepted = accept_inbound(
            session,
            blobs=runtime.blobs,
            inbound=InboundDocument(
                data=sample.path.read_bytes(), filename=sample.path.name, source="upload"
            ),
        )
        document_id = accepted.document.id
    assert document_id is not None
    return document_id


def wait_until(
    runtime: Runtime, document_id: int, condition: Callable[[Document], bool], timeout: float = 90
) -> Document:
    deadline = time.monotonic() + timeout
    while True:
        with Session(runtime.engine) as session:
            document = session.get(Document, document_id)
            assert document is not None
            if condition(document):
                return document
        if time.monotonic() > deadline:
            raise AssertionError(
                f"document {document_id} is {document.state}/{document.running_stage} "
                f"after {timeout}s"
            )
        time.sleep(0.2)


def test_stage_that_keeps_crashing_is_retried_then_failed_with_its_error(
    make_runtime: MakeRuntime, tmp_path: Path
) -> None:
    runtime = make_runtime(test_faults="read=crash", stage_max_attempts=3)
    document_id = receive_sample(runtime, tmp_path / "corpus")
    runtime.start_workers(threads=1, intake=False)
    runtime.enqueue(document_id, "read")

    document = wait_until(runtime, document_id, lambda d: d.state in FINAL_STATES)

    assert document.state == "failed"
    assert document.attempts == 3
    assert document.error is not None and "injected crash in the read stage" in document.error
    assert document.running_stage is None and document.lease_owner is None


def test_worker_killed_mid_stage_is_recovered_by_another_worker(
    make_runtime: MakeRuntime, tmp_path: Path
) -> None:
    runtime = make_runtime(stage_lease_seconds=3)
    document_id = receive_sample(runtime, tmp_path / "corpus")
    settings = runtime.settings
    env = {
        **os.environ,
        "ORDINO_ENVIRONMENT": "test",
        "ORDINO_DATA_DIR": str(settings.data_dir),
        "ORDINO_DATABASE_URL": settings.resolved_database_url,
        "ORDINO_QUEUE_NAME": settings.queue_name,
        "ORDINO_STAGE_LEASE_SECONDS": "3",
        "ORDINO_TEST_FAULTS": "read=hang",
        "ORDINO_LOG_FORMAT": "console",
    }
    if settings.queue_url:
        env["ORDINO_QUEUE_URL"] = settings.queue_url
    worker = subprocess.Popen(
        [sys.executable, "-m", "ordino", "worker", "--threads", "1", "--no-intake"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        runtime.enqueue(document_id, "read")
        held = wait_until(runtime, document_id, lambda d: d.running_stage == "read", timeout=60)
        assert held.lease_owner is not None and f":{worker.pid}:" in held.lease_owner
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    with Session(runtime.engine) as session:
        stuck = session.get(Document, document_id)
        assert stuck is not None and stuck.running_stage == "read"

    runtime.start_workers(threads=1, intake=False)
    document = wait_until(runtime, document_id, lambda d: d.state in FINAL_STATES)

    assert document.state in {"needs_review", "auto_approved"}, document.error
    assert document.running_stage is None and document.lease_owner is None
