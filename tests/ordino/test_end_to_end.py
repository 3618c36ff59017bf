"""The whole path: a PDF posted to the API is read, extracted, decided, reviewed and delivered."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from models.tables import FINAL_STATES
from ordino.app import create_app
from tests.ordino.conftest import MakeRuntime, api_key, load_demo_master_data
from training.synth import generate_corpus, load_truth


def wait_for_final_state(
    client: TestClient, document_id: int, headers: dict[str, str], timeout: float = 120
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document: dict[str, Any] = client.get(
            f"/api/v1/documents/{document_id}", headers=headers
        ).json()
        if document["state"] in FINAL_STATES:
            return document
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} still {document['state']} after {timeout}s")


def test_posted_pdf_becomes_an_order_in_the_erp_api(
    make_runtime: MakeRuntime, tmp_path: Path
) -> None:
    runtime = make_runtime()
    load_demo_master_data(runtime, tmp_path / "master")
    sample = generate_corpus(tmp_path / "corpus", seed=3, count=1, variants=("pdf",))[0]
    truth = load_truth(sample.truth_path)
    headers = {"Authorization": f"Bearer {api_key(runtime)}"}

    with TestClient(create_app(runtime.settings, runtime=runtime, start_worker=True)) as client:
        response = client.post(
            "/api/v1/documents",
            files={"file": (sample.path.name, sample.path.read_bytes(), "application/pdf")},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        document_id = response.json()["id"]

        document = wait_for_final_state(client, document_id, headers)
        assert document["state"] in {"needs_review", "auto_approved"}, document
        extraction = client.get(
            f"/api/v1/documents/{document_id}/extraction", headers=headers
        ).json()
        assert extraction["document_type"] == "purchase_order"
        assert extraction["pages"] >= 1

        if document["state"] == "needs_review":
            fixed = approve_as_agent(client, runtime, document_id, extraction, truth)
            assert fixed.status_code in (200, 303), fixed.text

        orders = client.get("/api/v1/orders", headers=headers).json()["data"]
        assert [o["document_id"] for o in orders] == [document_id]
        order = client.get(f"/api/v1/orders/{orders[0]['id']}", headers=headers).json()
        assert order["po_number"] == truth["fields"]["po_number"]["value"]
        assert len(order["lines"]) == len(truth["lines"])

        again = client.post(
            "/api/v1/documents",
            files={"file": (sample.path.name, sample.path.read_bytes(), "application/pdf")},
            headers=headers,
        )
        assert again.status_code == 200 and again.json()["id"] == document_id


def approve_as_agent(
    client: TestClient,
    runtime: Any,
    document_id: int,
    extraction: dict[str, Any],
    truth: dict[str, Any],
) -> Any:
    """Sign in to the review screen, correct the header from the truth, approve."""
    from tests.ordino.review_driver import approve_through_screen

    return approve_through_screen(client, runtime, document_id, extraction, truth)
