"""Documents over the API: upload (with doubles), status, extraction, original, retry."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image
from reportlab.pdfgen import canvas
from sqlalchemy.engine import Engine

from models.db import session_scope
from models.tables import DocumentState, ExtractionRecord
from tests.api.conftest import Auth, RecordingQueue, add_document


def _two_page_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in (1, 2):
        pdf.drawString(72, 720, f"Purchase order, page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


PDF = _two_page_pdf()


def test_upload_creates_document_and_rings_the_read_stage(
    client: TestClient, queue: RecordingQueue, auth: Auth
) -> None:
    response = client.post(
        "/api/v1/documents",
        files={"file": ("commande 12.pdf", PDF, "application/pdf")},
        headers=auth["write"],
    )
    assert response.status_code == 201
    document = response.json()
    assert document["state"] == "received"
    assert document["source"] == "upload"
    assert document["filename"] == "commande 12.pdf"
    assert document["size_bytes"] == len(PDF)
    assert response.headers["location"].endswith(f"/documents/{document['id']}")
    assert queue.calls == [(document["id"], "read")]

    status = client.get(f"/api/v1/documents/{document['id']}", headers=auth["read"]).json()
    assert status["id"] == document["id"]
    assert status["reasons"] == []
    assert status["received_at"].endswith("Z")


def test_same_file_uploaded_twice_returns_the_first_document(
    client: TestClient, queue: RecordingQueue, auth: Auth
) -> None:
    files = {"file": ("po.pdf", PDF, "application/pdf")}
    first = client.post("/api/v1/documents", files=files, headers=auth["write"])
    again = client.post("/api/v1/documents", files=files, headers=auth["write"])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert len(queue.calls) == 1


def test_upload_refuses_empty_and_oversized_files(client: TestClient, auth: Auth) -> None:
    empty = client.post("/api/v1/documents", files={"file": ("a.pdf", b"")}, headers=auth["write"])
    assert empty.status_code == 422
    big = client.post(
        "/api/v1/documents", files={"file": ("a.pdf", b"x" * 200_001)}, headers=auth["write"]
    )
    assert big.status_code == 413
    assert big.headers["content-type"].startswith("application/problem+json")
    huge = client.post(
        "/api/v1/documents", files={"file": ("a.pdf", b"x" * 400_000)}, headers=auth["write"]
    )
    assert huge.status_code == 413


def test_upload_needs_write_scope(client: TestClient, auth: Auth) -> None:
    response = client.post(
        "/api/v1/documents", files={"file": ("a.pdf", PDF)}, headers=auth["read"]
    )
    assert response.status_code == 403


def test_original_file_comes_back_byte_for_byte(client: TestClient, auth: Auth) -> None:
    created = client.post(
        "/api/v1/documents", files={"file": ("Bestellung Müller.pdf", PDF)}, headers=auth["write"]
    ).json()
    response = client.get(f"/api/v1/documents/{created['id']}/original", headers=auth["read"])
    assert response.status_code == 200
    assert response.content == PDF
    assert (
        "filename*=UTF-8''Bestellung%20M%C3%BCller.pdf" in response.headers["content-disposition"]
    )


def test_extraction_is_404_until_one_exists_then_the_latest(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        document_id = add_document(session, state=DocumentState.READ)
    missing = client.get(f"/api/v1/documents/{document_id}/extraction", headers=auth["read"])
    assert missing.status_code == 404
    assert "no extraction yet" in missing.json()["detail"]

    with session_scope(engine) as session:
        for version in ("m1", "m2"):
            session.add(
                ExtractionRecord(
                    document_id=document_id, model_version=version, data={"model_version": version}
                )
            )
    latest = client.get(f"/api/v1/documents/{document_id}/extraction", headers=auth["read"]).json()
    assert latest == {"model_version": "m2"}


def test_list_filters_by_state_and_pages_with_a_cursor(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        failed = [add_document(session, state=DocumentState.FAILED) for _ in range(3)]
        add_document(session, state=DocumentState.NEEDS_REVIEW)
    first = client.get("/api/v1/documents?state=failed&limit=2", headers=auth["read"]).json()
    second = client.get(
        f"/api/v1/documents?state=failed&limit=2&cursor={first['next_cursor']}",
        headers=auth["read"],
    ).json()
    assert [d["id"] for d in first["data"] + second["data"]] == failed
    assert second["next_cursor"] is None


def test_retry_sends_failed_document_back_to_reading(
    client: TestClient, engine: Engine, queue: RecordingQueue, auth: Auth
) -> None:
    with session_scope(engine) as session:
        failed = add_document(session, state=DocumentState.FAILED)
        reviewing = add_document(session, state=DocumentState.NEEDS_REVIEW)
    response = client.post(f"/api/v1/documents/{failed}:retry", headers=auth["write"])
    assert response.status_code == 200
    assert response.json()["state"] == "received"
    assert queue.calls == [(failed, "read")]
    refused = client.post(f"/api/v1/documents/{reviewing}:retry", headers=auth["write"])
    assert refused.status_code == 409


def test_page_image_is_a_png_of_the_asked_width(client: TestClient, auth: Auth) -> None:
    created = client.post(
        "/api/v1/documents", files={"file": ("po.pdf", PDF)}, headers=auth["write"]
    ).json()
    response = client.get(
        f"/api/v1/documents/{created['id']}/pages/2/image?width=400", headers=auth["read"]
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.width == 400
        assert image.height > image.width
    missing = client.get(f"/api/v1/documents/{created['id']}/pages/3/image", headers=auth["read"])
    assert missing.status_code == 404
