"""Health, readiness, metrics and request ids."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ordino.app import create_app
from tests.ordino.conftest import MakeRuntime


def test_health_readiness_and_metrics_report_the_real_state(
    make_runtime: MakeRuntime, tmp_path: Path
) -> None:
    runtime = make_runtime()
    with TestClient(create_app(runtime.settings, runtime=runtime, start_worker=False)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "blobs": "ok", "queue": "ok"}

        from models.db import session_scope
        from models.documents import NewDocument, create_document

        with session_scope(runtime.engine) as session:
            create_document(
                session,
                new=NewDocument(
                    source="upload",
                    source_ref="x",
                    filename="x.pdf",
                    sha256="b" * 64,
                    media_type="application/pdf",
                    size_bytes=1,
                    dedupe_key="k",
                ),
            )
        metrics = client.get("/metrics").text
        assert 'ordino_documents{state="received"} 1.0' in metrics
        assert "ordino_stage_duration_seconds" in metrics


def test_readiness_fails_when_the_blob_store_is_gone(make_runtime: MakeRuntime) -> None:
    runtime = make_runtime()
    with TestClient(create_app(runtime.settings, runtime=runtime, start_worker=False)) as client:
        runtime.blobs.root.rmdir()
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["blobs"].startswith("error")


def test_every_response_carries_a_request_id_that_is_logged(
    make_runtime: MakeRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = make_runtime()
    app = create_app(runtime.settings, runtime=runtime, start_worker=False)
    with TestClient(app) as client, caplog.at_level(logging.INFO, logger="ordino.http"):
        given = client.get("/healthz", headers={"X-Request-ID": "erp-call-42"})
        made = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert given.headers["x-request-id"] == "erp-call-42"
    assert len(made.headers["x-request-id"]) == 32
    assert any("GET /healthz 200" in record.getMessage() for record in caplog.records)
