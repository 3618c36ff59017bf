"""The validation screen over HTTP: edits are normalised, audited and kept as corrections;
lines can be reshaped; approve, reject and "not an order" end the review."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models.review_tables import Correction, PageImage, ReviewDraft
from models.tables import AuditEvent, Document, DocumentState, ExtractionRecord, Order, OrderLine
from tests.review_ui.conftest import ScreensApp, sign_in
from tests.review_ui.factories import PASSWORD, RIGHT_PO, add_review_document, add_user


@pytest.fixture
def agent(screens: ScreensApp, client: TestClient) -> str:
    add_user(screens.engine, "alice")
    return sign_in(client, "alice", PASSWORD)


def _htmx(token: str) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": token}


def _draft(screens: ScreensApp, document_id: int) -> dict:
    with Session(screens.engine) as session:
        draft = session.get(ReviewDraft, document_id)
        assert draft is not None
        return draft.data


def test_extracted_text_is_shown_as_text_never_as_markup(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    html = client.get(f"/review/{doc.document_id}").text
    assert "<script>alert(1)</script>" not in html
    assert "Hex bolt M8 &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\u003cscript\\u003e" in html  # the page's words, embedded as JSON, escaped too


def test_picking_a_word_is_audited_and_kept_as_a_correction_with_its_box(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    response = client.post(
        f"/review/{doc.document_id}/save",
        data={"f:po_number": RIGHT_PO, "p:f:po_number": "1;0.2,0.1,0.3,0.12"},
        headers=_htmx(agent),
    )
    assert response.status_code == 200
    field = _draft(screens, doc.document_id)["fields"]["po_number"]
    assert field == {
        "value": RIGHT_PO,
        "confidence": 1.0,
        "method": "agent",
        "page": 1,
        "bbox": [0.2, 0.1, 0.3, 0.12],
    }
    with Session(screens.engine) as session:
        correction = session.exec(select(Correction)).one()
        assert (correction.field, correction.old_value, correction.new_value) == (
            "po_number",
            "Q-2231",
            RIGHT_PO,
        )
        assert (correction.page, correction.bbox, correction.username) == (
            1,
            [0.2, 0.1, 0.3, 0.12],
            "alice",
        )
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "field.changed")).one()
        assert (event.actor, event.field, event.old_value, event.new_value) == (
            "alice",
            "po_number",
            "Q-2231",
            RIGHT_PO,
        )


def test_typed_values_are_normalised_and_unchanged_ones_left_alone(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    url = f"/review/{doc.document_id}/save"
    client.post(
        url,
        data={"f:order_date": "29.11.2026", "f:total": "1.234,50", "l:0:quantity": "10"},
        headers=_htmx(agent),
    )
    data = _draft(screens, doc.document_id)
    assert data["fields"]["order_date"]["value"] == "2026-11-29"
    assert "bbox" not in data["fields"]["order_date"]  # typed: the model's box no longer holds
    assert data["fields"]["total"]["value"] == "1234.50"
    # The same values sent again (as every save does), typed or normal, record nothing.
    client.post(
        url,
        data={"f:order_date": "29.11.2026", "f:total": "1234.50", "l:0:quantity": "10"},
        headers=_htmx(agent),
    )
    with Session(screens.engine) as session:
        fields = session.exec(select(AuditEvent.field).where(AuditEvent.action == "field.changed"))
        assert sorted(f for f in fields.all() if f) == ["order_date", "total"]


def test_lines_are_added_split_moved_and_deleted(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    base = f"/review/{doc.document_id}/lines"
    assert client.post(f"{base}/0/split", headers=_htmx(agent)).status_code == 200
    lines = _draft(screens, doc.document_id)["lines"]
    assert [line["sku"] for line in lines] == ["ACME-100", "ACME-100", "ACME-200"]
    assert lines[1]["quantity"] is None and lines[1]["line_total"] is None
    client.post(f"{base}/2/up", headers=_htmx(agent))
    client.post(f"{base}/0/delete", headers=_htmx(agent))
    client.post(f"{base}/1/add", headers=_htmx(agent))
    lines = _draft(screens, doc.document_id)["lines"]
    assert [line["sku"] for line in lines] == ["ACME-200", "ACME-100", None]
    with Session(screens.engine) as session:
        actions = session.exec(
            select(AuditEvent.action).where(col(AuditEvent.action).startswith("line."))
        ).all()
        assert actions == ["line.split", "line.moved", "line.delete", "line.add"]


def test_preview_recomputes_totals_without_saving(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    response = client.post(
        f"/review/{doc.document_id}/preview",
        data={"l:0:line_total": "30.00"},
        headers=_htmx(agent),
    )
    assert "78.00" in response.text  # Σ lines with the typed line total
    assert "sum of lines 78.00 ≠ subtotal 73.00" in response.text
    with Session(screens.engine) as session:
        assert session.get(ReviewDraft, doc.document_id) is None


def test_approve_applies_the_last_edits_and_creates_the_order(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    response = client.post(
        f"/review/{doc.document_id}/approve",
        data={"csrf_token": agent, "f:po_number": RIGHT_PO, "l:1:quantity": "5"},
    )
    assert response.status_code == 303
    with Session(screens.engine) as session:
        order = session.exec(select(Order)).one()
        assert order.po_number == RIGHT_PO and order.approved_by == "alice"
        lines = session.exec(select(OrderLine).order_by(col(OrderLine.position))).all()
        assert [line.quantity for line in lines] == [Decimal("10"), Decimal("5")]
        latest = session.exec(
            select(ExtractionRecord).order_by(col(ExtractionRecord.id).desc())
        ).first()
        assert latest is not None and latest.model_version == "agent"
        assert latest.data["fields"]["po_number"]["value"] == RIGHT_PO
        assert session.get(ReviewDraft, doc.document_id) is None


def test_approve_with_an_invalid_amount_says_what_is_wrong(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    response = client.post(
        f"/review/{doc.document_id}/approve", data={"csrf_token": agent, "f:total": "lots"}
    )
    assert response.status_code == 422
    assert "total: &#39;lots&#39; is not a decimal number" in response.text
    with Session(screens.engine) as session:
        assert session.exec(select(Order)).first() is None
        document = session.get(Document, doc.document_id)
        assert document is not None and document.state == DocumentState.NEEDS_REVIEW


def test_reject_needs_a_reason(screens: ScreensApp, client: TestClient, agent: str) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    url = f"/review/{doc.document_id}/reject"
    assert client.post(url, data={"csrf_token": agent, "reason": " "}).status_code == 422
    assert client.post(url, data={"csrf_token": agent, "reason": "duplicate"}).status_code == 303
    with Session(screens.engine) as session:
        document = session.get(Document, doc.document_id)
        assert document is not None
        assert (document.state, document.error) == (DocumentState.REJECTED, "duplicate")


def test_not_an_order_reclassifies_the_document(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    response = client.post(
        f"/review/{doc.document_id}/reclassify",
        data={"csrf_token": agent, "document_type": "invoice"},
    )
    assert response.status_code == 303
    with Session(screens.engine) as session:
        document = session.get(Document, doc.document_id)
        assert document is not None and document.state == DocumentState.REJECTED
        latest = session.exec(
            select(ExtractionRecord).order_by(col(ExtractionRecord.id).desc())
        ).first()
        assert latest is not None and latest.data["document_type"] == "invoice"
        correction = session.exec(select(Correction)).one()
        assert (correction.field, correction.new_value) == ("document_type", "invoice")


def test_enter_on_a_doubtful_field_confirms_it(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    client.get(f"/review/{doc.document_id}")
    response = client.post(f"/review/{doc.document_id}/confirm/po_number", headers=_htmx(agent))
    assert response.status_code == 200
    assert "low confidence" not in response.text.split('id="reasons-f-po_number"')[1][:400]
    assert _draft(screens, doc.document_id)["fields"]["po_number"]["confidence"] == 1.0


def test_page_image_is_rendered_once_then_served_from_the_blob_store(
    screens: ScreensApp, client: TestClient, agent: str
) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    first = client.get(f"/review/{doc.document_id}/pages/1.png")
    assert first.status_code == 200 and first.content.startswith(b"\x89PNG")
    again = client.get(f"/review/{doc.document_id}/pages/1.png")
    assert again.content == first.content
    with Session(screens.engine) as session:
        cached = session.exec(select(PageImage)).one()
        assert screens.blobs.get(cached.png_sha256) == first.content
    assert client.get(f"/review/{doc.document_id}/pages/9.png").status_code == 404
