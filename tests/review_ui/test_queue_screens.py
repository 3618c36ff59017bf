"""The queue, its filters and counts; quarantine retry; upload; the dashboard."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.blobs import BlobStore
from models.tables import AuditEvent, Document, DocumentState, User, utcnow
from review_ui.dashboard import day_stats
from review_ui.queue_query import QueueFilters, list_documents, queue_counts, reason_kind
from tests.review_ui.conftest import ScreensApp, sign_in
from tests.review_ui.factories import PASSWORD, add_review_document, add_user, order_pdf


def _set(screens: ScreensApp, document_id: int, **values: object) -> None:
    with Session(screens.engine) as session:
        document = session.get(Document, document_id)
        assert document is not None
        for name, value in values.items():
            setattr(document, name, value)
        session.add(document)
        session.commit()


def test_queue_lists_waiting_documents_oldest_first_with_overdue_marked(
    screens: ScreensApp, client: TestClient
) -> None:
    newer = add_review_document(screens.engine, screens.blobs, filename="new.pdf", age_minutes=5)
    older = add_review_document(screens.engine, screens.blobs, filename="old.pdf", age_minutes=600)
    done = add_review_document(screens.engine, screens.blobs, filename="done.pdf", age_minutes=900)
    _set(screens, done.document_id, state=DocumentState.VALIDATED)
    add_user(screens.engine, "alice")
    sign_in(client, "alice", PASSWORD)
    html = client.get("/queue").text
    assert html.index("old.pdf") < html.index("new.pdf")
    assert "done.pdf" not in html
    assert '<tr class="overdue' in html
    assert f"#{older.document_id} old.pdf" in html and f"#{newer.document_id}" in html
    assert "<strong>1</strong> over the 4 h SLA" in html


def test_reason_filter_keeps_only_documents_with_that_kind_of_reason(
    screens: ScreensApp, client: TestClient
) -> None:
    a = add_review_document(screens.engine, screens.blobs, filename="a.pdf")
    b = add_review_document(screens.engine, screens.blobs, filename="b.pdf")
    _set(screens, a.document_id, review_reasons=["line 2: unknown item 'X-9'"])
    _set(screens, b.document_id, review_reasons=["sum of lines 10.00 ≠ subtotal 12.00"])
    add_user(screens.engine, "alice")
    sign_in(client, "alice", PASSWORD)
    html = client.get("/queue", params={"reason": "sum of lines ≠ subtotal"}).text
    assert "b.pdf" in html and "a.pdf" not in html
    assert "line: unknown item (1)" in html  # the filter offers every kind, with counts


def test_reason_kind_groups_reasons_that_differ_only_in_their_details() -> None:
    assert reason_kind("line 3: unknown item 'AB-1'") == reason_kind("line 7: unknown item 'Z'")
    assert reason_kind("po_number: low confidence in value (0.41)") == (
        "po_number: low confidence in value"
    )


def test_search_finds_by_file_name(screens: ScreensApp, client: TestClient) -> None:
    add_review_document(screens.engine, screens.blobs, filename="dupont-4711.pdf")
    add_review_document(screens.engine, screens.blobs, filename="martin.pdf")
    add_user(screens.engine, "alice")
    sign_in(client, "alice", PASSWORD)
    response = client.get(
        "/queue", params={"q": "4711"}, headers={"HX-Request": "true", "HX-Target": "queue-results"}
    )
    assert "dupont-4711.pdf" in response.text and "martin.pdf" not in response.text
    assert "<html" not in response.text  # only the results, for htmx


def test_quarantined_document_is_listed_with_its_reason_and_retried(
    screens: ScreensApp, client: TestClient
) -> None:
    doc = add_review_document(screens.engine, screens.blobs, filename="broken.pdf")
    _set(
        screens,
        doc.document_id,
        state=DocumentState.QUARANTINED,
        review_reasons=["encrypted: the PDF needs a password"],
    )
    add_user(screens.engine, "alice")
    token = sign_in(client, "alice", PASSWORD)
    html = client.get("/queue/quarantine").text
    assert "broken.pdf" in html and "encrypted: the PDF needs a password" in html
    response = client.post(f"/documents/{doc.document_id}/retry", data={"csrf_token": token})
    assert response.status_code == 303
    assert screens.queue.calls == [(doc.document_id, "read")]
    with Session(screens.engine) as session:
        document = session.get(Document, doc.document_id)
        assert document is not None and document.state == DocumentState.RECEIVED


def test_failed_document_is_listed_with_quarantine_and_can_be_retried(
    screens: ScreensApp, client: TestClient
) -> None:
    doc = add_review_document(screens.engine, screens.blobs, filename="crashed.pdf")
    _set(
        screens,
        doc.document_id,
        state=DocumentState.FAILED,
        review_reasons=None,
        error="the read stage did not finish after 3 attempts",
    )
    add_user(screens.engine, "alice")
    token = sign_in(client, "alice", PASSWORD)
    html = client.get("/queue/quarantine").text
    assert "crashed.pdf" in html and "did not finish after 3 attempts" in html
    assert (
        client.post(f"/documents/{doc.document_id}/retry", data={"csrf_token": token}).status_code
        == 303
    )
    assert screens.queue.calls == [(doc.document_id, "read")]


def test_uploaded_file_becomes_a_document_and_is_sent_to_reading(
    screens: ScreensApp, client: TestClient
) -> None:
    add_user(screens.engine, "alice")
    token = sign_in(client, "alice", PASSWORD)
    response = client.post(
        "/queue/upload",
        data={"csrf_token": token},
        files=[("files", ("dropped.pdf", order_pdf(), "application/octet-stream"))],
    )
    assert response.status_code == 303 and "uploaded=1" in response.headers["location"]
    with Session(screens.engine) as session:
        document = session.exec(select(Document)).one()
        assert (document.source, document.filename, document.media_type) == (
            "upload",
            "dropped.pdf",
            "application/pdf",
        )
    assert screens.queue.calls == [(document.id, "read")]


def test_dashboard_counts_today_and_measures_handling_time(
    screens: ScreensApp, client: TestClient
) -> None:
    auto = add_review_document(screens.engine, screens.blobs, filename="auto.pdf", age_minutes=1)
    _set(screens, auto.document_id, state=DocumentState.AUTO_APPROVED)
    reviewed = add_review_document(screens.engine, screens.blobs, filename="r.pdf", age_minutes=1)
    now = utcnow()
    with Session(screens.engine) as session:
        for action, at in (
            ("document.claimed", now - timedelta(seconds=40)),
            ("document.approved", now),
        ):
            session.add(
                AuditEvent(
                    actor="alice",
                    action=action,
                    entity_type="document",
                    entity_id=str(reviewed.document_id),
                    at=at,
                )
            )
        session.commit()
        stats = day_stats(session, now=now)
    assert stats.touchless_rate == 0.5
    assert stats.median_handling == timedelta(seconds=40)
    add_user(screens.engine, "alice")
    sign_in(client, "alice", PASSWORD)
    html = client.get("/dashboard").text
    assert "50 %" in html and "40 s" in html


def test_reasons_are_counted_and_filtered_in_sql_on_each_database(
    db_engine: Engine, blobs: BlobStore
) -> None:
    docs = [add_review_document(db_engine, blobs, filename=f"{n}.pdf") for n in range(3)]
    reasons = (
        ["line 2: unknown item 'A'", "line 3: unknown item 'B'"],
        ["line 1: unknown item 'C'", "total: not found"],
        None,
    )
    with Session(db_engine) as session:
        for doc, found in zip(docs, reasons, strict=True):
            document = session.get(Document, doc.document_id)
            assert document is not None
            document.review_reasons = found
            session.add(document)
        session.commit()
        alice = User(username="alice", password_hash="-")
        session.add(alice)
        session.flush()
        counts = queue_counts(session)
        assert dict(counts.by_reason) == {"line: unknown item": 3, "total: not found": 1}
        rows, total = list_documents(
            session,
            state=DocumentState.NEEDS_REVIEW,
            user=alice,
            filters=QueueFilters(reason="line: unknown item"),
        )
        assert total == 2
        assert {row.document_id for row in rows} == {docs[0].document_id, docs[1].document_id}
        past_the_end, still = list_documents(
            session,
            state=DocumentState.NEEDS_REVIEW,
            user=alice,
            filters=QueueFilters(reason="line: unknown item"),
            offset=50,
        )
        assert (past_the_end, still) == ([], 2)
