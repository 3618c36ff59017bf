"""What the queue pages show: documents waiting for an agent, oldest first, with counts.

Pages are read with LIMIT/OFFSET over the (state, received_at) index; the counts are SQL
aggregates, except reasons, which are free text in a JSON column and are tallied by kind here.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, literal_column, or_, true
from sqlmodel import Session, col, select

from models.tables import Customer, Document, DocumentState, User, utcnow

REVIEW_SLA = timedelta(hours=4)
"""How long a document may wait for an agent before it shows as overdue."""
PAGE_SIZE = 50

_LINE_PREFIX_RE = re.compile(r"^line \d+:")
_DETAIL_RE = re.compile(r"\s*\([^)]*\)|\s*'[^']*'|\s*\"[^\"]*\"|\s*-?\d[\d.,]*")


@lru_cache(maxsize=4096)
def reason_kind(reason: str) -> str:
    """'line 3: unknown item 'X-1'' → 'line: unknown item'; 'po_number: low confidence in
    value (0.41)' → 'po_number: low confidence in value' — reasons grouped for the filter."""
    text = _LINE_PREFIX_RE.sub("line:", reason.strip())
    return re.sub(r"\s+", " ", _DETAIL_RE.sub("", text)).strip(" :") or reason


@dataclass(frozen=True)
class QueueFilters:
    reason: str | None = None
    """A reason kind (see `reason_kind`)."""
    source: str | None = None
    customer: str | None = None
    """A customer id or part of a customer's name."""
    search: str | None = None
    """Part of the file name, the sender or the PO number."""
    mine: bool = False

    @property
    def active(self) -> bool:
        return any((self.reason, self.source, self.customer, self.search, self.mine))


@dataclass(frozen=True)
class QueueRow:
    document_id: int
    filename: str
    source: str
    sender_email: str | None
    received_at: datetime
    age: timedelta
    overdue: bool
    reasons: list[str]
    customer_id: str | None
    customer_name: str | None
    locked_by: str | None
    locked_until: datetime | None
    state: str
    error: str | None


@dataclass(frozen=True)
class QueueCounts:
    waiting: int
    overdue: int
    locked: int
    quarantined: int
    """Quarantined or failed: documents someone must look at before they can go on."""
    rejected: int
    by_source: dict[str, int] = field(default_factory=dict)
    by_reason: list[tuple[str, int]] = field(default_factory=list)
    """The commonest kinds of reason and how often each occurs on waiting documents."""


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    offset: int
    counts: QueueCounts | None

    @property
    def next_offset(self) -> int | None:
        return self.offset + PAGE_SIZE if self.offset + PAGE_SIZE < self.total else None


def _row(
    document: Document, customer_name: str | None, locker: str | None, now: datetime
) -> QueueRow:
    age = now - document.received_at
    live_lock = document.locked_until is not None and document.locked_until >= now
    return QueueRow(
        document_id=document.id,  # type: ignore[arg-type]
        filename=document.filename or document.source_ref,
        source=document.source,
        sender_email=document.sender_email,
        received_at=document.received_at,
        age=age,
        overdue=age > REVIEW_SLA,
        reasons=list(document.review_reasons or []),
        customer_id=document.customer_id,
        customer_name=customer_name,
        locked_by=locker if live_lock else None,
        locked_until=document.locked_until if live_lock else None,
        state=document.state,
        error=document.error,
    )


def _filtered(query: Any, filters: QueueFilters, user: User) -> Any:
    if filters.source:
        query = query.where(Document.source == filters.source)
    if filters.customer:
        pattern = f"%{_like(filters.customer.lower())}%"
        query = query.where(
            or_(
                col(Document.customer_id) == filters.customer,
                func.lower(col(Customer.name)).like(pattern, escape="\\"),
            )
        )
    if filters.search:
        pattern = f"%{_like(filters.search.lower())}%"
        query = query.where(
            or_(
                func.lower(col(Document.filename)).like(pattern, escape="\\"),
                func.lower(col(Document.sender_email)).like(pattern, escape="\\"),
                func.lower(col(Document.po_number)).like(pattern, escape="\\"),
            )
        )
    if filters.mine:
        query = query.where(Document.locked_by == user.id, col(Document.locked_until) >= utcnow())
    return query


def _reason_elements(session: Session) -> Any:
    """The reasons of a document as rows (`value`), by the database's JSON table function."""
    reasons = col(Document.review_reasons)
    if session.get_bind().dialect.name == "postgresql":
        safe: Any = literal_column(
            "CASE WHEN json_typeof(documents.review_reasons) = 'array' "
            "THEN documents.review_reasons ELSE '[]'::json END"
        )
        return func.json_array_elements_text(safe).table_valued("value").alias("reason")
    return func.json_each(reasons).table_valued("value").alias("reason")


def raw_reason_counts(session: Session, state: DocumentState) -> dict[str, int]:
    """How often each reason, as written, occurs on documents in `state`.

    Counted in SQL, which still reads every document's reasons; so the tally is kept for up to
    REASON_TALLY_SECONDS while the set of documents in `state` is the same (count, sum and max
    of their ids, read from the state index alone).
    """
    fingerprint = tuple(
        session.execute(
            select(func.count(), func.sum(col(Document.id)), func.max(col(Document.id))).where(
                Document.state == state.value
            )
        ).one()
    )
    key = (str(session.get_bind().engine.url), state.value)
    with _tally_lock:
        cached = _tallies.get(key)
    if cached and cached[0] == fingerprint and time.monotonic() - cached[1] < REASON_TALLY_SECONDS:
        return cached[2]
    tally = _count_reasons(session, state)
    with _tally_lock:
        _tallies[key] = (fingerprint, time.monotonic(), tally)
    return tally


REASON_TALLY_SECONDS = 60.0
_tallies: dict[tuple[str, str], tuple[tuple[Any, ...], float, dict[str, int]]] = {}
_tally_lock = threading.Lock()


def forget_reason_tallies() -> None:
    """Drop the kept reason tallies (a database was emptied and filled again, as tests do)."""
    with _tally_lock:
        _tallies.clear()


def _count_reasons(session: Session, state: DocumentState) -> dict[str, int]:
    reason = _reason_elements(session)
    rows = session.execute(
        select(reason.c.value, func.count())
        .select_from(Document)
        .join(reason, true())
        .where(Document.state == state.value)
        .group_by(reason.c.value)
    ).all()
    return {value: int(count) for value, count in rows if isinstance(value, str)}


def _has_reason_of_kind(session: Session, known: dict[str, int], kind: str) -> Any:
    """A condition: the document has a reason of this kind (see `reason_kind`)."""
    wanted = [r for r in known if reason_kind(r) == kind]
    reason = _reason_elements(session)
    return select(1).select_from(reason).where(reason.c.value.in_(wanted)).exists()


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _joined(query: Any) -> Any:
    return query.join(
        Customer, col(Customer.customer_id) == col(Document.customer_id), isouter=True
    ).join(User, col(User.id) == col(Document.locked_by), isouter=True)


def list_documents(
    session: Session,
    *,
    state: DocumentState | tuple[DocumentState, ...],
    user: User,
    filters: QueueFilters = QueueFilters(),
    offset: int = 0,
    newest_first: bool = False,
    reason_counts: dict[str, int] | None = None,
) -> tuple[list[QueueRow], int]:
    """One page of documents in `state` (one or several; oldest first unless `newest_first`)
    and how many match.

    `reason_counts` (from `raw_reason_counts`) spares counting the reasons a second time.
    """
    states = (state,) if isinstance(state, DocumentState) else state
    in_state = col(Document.state).in_([s.value for s in states])
    order = (
        (col(Document.received_at).desc(), col(Document.id).desc())
        if newest_first
        else (col(Document.received_at), col(Document.id))
    )
    # With filters, the total rides along with the page (a window count): one pass over what
    # matches. Without, the state index counts alone, faster than any pass over the rows.
    total_column = func.count().over() if filters.active else literal_column("0")
    rows_query = _filtered(
        _joined(select(Document, Customer.name, User.username, total_column)),
        filters,
        user,
    ).where(in_state)
    has_reason = None
    if filters.reason:
        known: dict[str, int] = dict(reason_counts or {})
        if reason_counts is None:
            for one in states:
                known.update(raw_reason_counts(session, one))
        has_reason = _has_reason_of_kind(session, known, filters.reason)
        rows_query = rows_query.where(has_reason)
    found = session.exec(rows_query.order_by(*order).offset(offset).limit(PAGE_SIZE)).all()
    if found and filters.active:
        total = found[0][3]
    else:  # no filters, or past the last page: count on its own
        count_query = select(func.count()).select_from(Document)
        if filters.customer:  # the only filter that needs a joined table
            count_query = count_query.join(
                Customer, col(Customer.customer_id) == col(Document.customer_id), isouter=True
            )
        count_query = _filtered(count_query, filters, user).where(in_state)
        if has_reason is not None:
            count_query = count_query.where(has_reason)
        total = session.exec(count_query).one()
    now = utcnow()
    return [_row(doc, name, locker, now) for doc, name, locker, _ in found], int(total)


def queue_counts(session: Session, reason_counts: dict[str, int] | None = None) -> QueueCounts:
    now = utcnow()
    waiting_state = Document.state == DocumentState.NEEDS_REVIEW.value
    by_state = dict(
        session.exec(
            select(Document.state, func.count())
            .where(
                col(Document.state).in_(
                    [
                        DocumentState.NEEDS_REVIEW.value,
                        DocumentState.QUARANTINED.value,
                        DocumentState.FAILED.value,
                        DocumentState.REJECTED.value,
                    ]
                )
            )
            .group_by(Document.state)
        ).all()
    )
    # One pass over the waiting documents for the per-source, overdue and locked counts.
    per_source = session.execute(
        select(
            Document.source,
            func.count(),
            func.sum(case((col(Document.received_at) < now - REVIEW_SLA, 1), else_=0)),
            func.sum(case((col(Document.locked_until) >= now, 1), else_=0)),
        )
        .where(waiting_state)
        .group_by(Document.source)
    ).all()
    by_source = {str(source): int(count) for source, count, _, _ in per_source}
    overdue = sum(int(n or 0) for _, _, n, _ in per_source)
    locked = sum(int(n or 0) for _, _, _, n in per_source)
    reasons: Counter[str] = Counter()
    if reason_counts is None:
        reason_counts = raw_reason_counts(session, DocumentState.NEEDS_REVIEW)
    for reason, count in reason_counts.items():
        reasons[reason_kind(reason)] += count
    return QueueCounts(
        waiting=int(by_state.get(DocumentState.NEEDS_REVIEW.value, 0)),
        overdue=int(overdue),
        locked=int(locked),
        quarantined=int(by_state.get(DocumentState.QUARANTINED.value, 0))
        + int(by_state.get(DocumentState.FAILED.value, 0)),
        rejected=int(by_state.get(DocumentState.REJECTED.value, 0)),
        by_source=by_source,
        by_reason=reasons.most_common(12),
    )


def queue_page(
    session: Session, *, user: User, filters: QueueFilters, offset: int = 0, counts: bool = True
) -> QueuePage:
    """The queue as shown; `counts=False` for a refresh of the results alone (no counts)."""
    reasons = raw_reason_counts(session, DocumentState.NEEDS_REVIEW)
    rows, total = list_documents(
        session,
        state=DocumentState.NEEDS_REVIEW,
        user=user,
        filters=filters,
        offset=offset,
        reason_counts=reasons,
    )
    return QueuePage(
        rows=rows,
        total=total,
        offset=offset,
        counts=queue_counts(session, reasons) if counts else None,
    )
