"""Reviewing a document: the claim-and-lock, the agent's working copy, and the outcomes.

A document is worked on by one agent at a time. The lock is taken with one conditional UPDATE
(free, expired, or already ours), so two agents can never both hold it; it expires on its own
when an agent walks away, and every action renews it. Every edit is an audit event and a
`Correction` row (the training example); approval turns the working copy into the order.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, true, update
from sqlmodel import Session, col, select

from models.audit import record_audit
from models.errors import (
    DocumentLockedError,
    DocumentNotFoundError,
    InvalidStateError,
    ValidationFailedError,
)
from models.layout_memory_store import record_validation
from models.orders import REVIEWABLE_STATES, approve_document, reject_document
from models.review_tables import Correction, ReviewDraft
from models.tables import Document, DocumentState, ExtractionRecord, Order, User, UserRole, utcnow

LOCK_SECONDS = 300
"""How long a claim lasts without any action from the agent holding it."""

LINE_COLUMNS: tuple[str, ...] = (
    "sku",
    "product_sku",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "line_total",
)
TOP_LEVEL_FIELDS: frozenset[str] = frozenset({"customer_id", "document_type"})
NOT_ORDER_TYPES: tuple[str, ...] = ("invoice", "remittance_advice", "order_change", "other")
AGENT_VERSION = "agent"
"""`model_version` of the extraction row written when an agent finishes a document."""

_REVIEWABLE = [state.value for state in REVIEWABLE_STATES]


# --- the lock -------------------------------------------------------------------------------


def claim_document(
    session: Session,
    *,
    document_id: int,
    user: User,
    lock_seconds: int = LOCK_SECONDS,
    take_over: bool = False,
) -> Document:
    """Lock the document for `user`, or renew their lock; DocumentLockedError if another has it.

    `take_over` lets a supervisor break another agent's live lock.
    """
    if take_over and user.role == UserRole.AGENT:
        raise ValidationFailedError("only a supervisor or an admin can take over a document")
    now = utcnow()
    was_ours = session.exec(
        select(Document.locked_by, Document.locked_until).where(Document.id == document_id)
    ).first()
    free_or_ours = or_(
        col(Document.locked_by).is_(None),
        col(Document.locked_by) == user.id,
        col(Document.locked_until).is_(None),
        col(Document.locked_until) < now,
    )
    statement = (
        update(Document)
        .where(
            and_(
                col(Document.id) == document_id,
                col(Document.state).in_(_REVIEWABLE),
                true() if take_over else free_or_ours,
            )
        )
        .values(locked_by=user.id, locked_until=now + timedelta(seconds=lock_seconds))
    )
    claimed = session.connection().execute(statement).rowcount == 1
    document = session.get(Document, document_id, populate_existing=True)
    if document is None:
        raise DocumentNotFoundError(f"no document with id {document_id}", document_id=document_id)
    if not claimed:
        if document.state not in REVIEWABLE_STATES:
            raise InvalidStateError(
                f"document {document_id} is {document.state}; it is no longer waiting for review"
            )
        holder = session.get(User, document.locked_by) if document.locked_by else None
        name = holder.username if holder else "another agent"
        until = f"{document.locked_until:%H:%M} UTC" if document.locked_until else "soon"
        raise DocumentLockedError(
            f"{name} is reviewing document {document_id} (locked until {until}); "
            "pick another document from the queue",
            document_id=document_id,
            locked_by=name,
        )
    held_before = (
        was_ours is not None
        and was_ours[0] == user.id
        and was_ours[1] is not None
        and was_ours[1] >= now
    )
    if not held_before:
        record_audit(
            session,
            actor=user.username,
            action="document.claimed",
            entity_type="document",
            entity_id=document_id,
            details={"take_over": take_over} if take_over else None,
        )
    return document


def release_document(session: Session, *, document_id: int, user: User) -> bool:
    """Give the document back to the queue; False when the user did not hold it."""
    statement = (
        update(Document)
        .where(and_(col(Document.id) == document_id, col(Document.locked_by) == user.id))
        .values(locked_by=None, locked_until=None)
    )
    released = session.connection().execute(statement).rowcount == 1
    if released:
        record_audit(
            session,
            actor=user.username,
            action="document.released",
            entity_type="document",
            entity_id=document_id,
        )
    return released


def lock_holder(session: Session, document: Document) -> User | None:
    """Who holds a live lock on the document, if anyone."""
    if document.locked_by is None or document.locked_until is None:
        return None
    if document.locked_until < utcnow():
        return None
    return session.get(User, document.locked_by)


def claim_next_document(
    session: Session, *, user: User, lock_seconds: int = LOCK_SECONDS
) -> Document | None:
    """The document this user is already working on, else the oldest free one, claimed."""
    now = utcnow()
    mine = session.exec(
        select(Document)
        .where(
            col(Document.state).in_(_REVIEWABLE),
            Document.locked_by == user.id,
            col(Document.locked_until) >= now,
        )
        .order_by(col(Document.received_at))
    ).first()
    if mine is not None:
        assert mine.id is not None
        return claim_document(session, document_id=mine.id, user=user, lock_seconds=lock_seconds)
    free = or_(col(Document.locked_by).is_(None), col(Document.locked_until) < now)
    candidates = session.exec(
        select(Document.id)
        .where(col(Document.state) == DocumentState.NEEDS_REVIEW.value, free)
        .order_by(col(Document.received_at), col(Document.id))
        .limit(20)
    ).all()
    for document_id in candidates:
        if document_id is None:
            continue
        try:
            return claim_document(
                session, document_id=document_id, user=user, lock_seconds=lock_seconds
            )
        except (DocumentLockedError, InvalidStateError):
            continue
    return None


# --- the working copy -----------------------------------------------------------------------


def current_extraction(session: Session, document_id: int) -> ExtractionRecord | None:
    """The latest extraction row of the document: the current one."""
    return session.exec(
        select(ExtractionRecord)
        .where(ExtractionRecord.document_id == document_id)
        .order_by(col(ExtractionRecord.id).desc())
    ).first()


@dataclass(frozen=True)
class WorkingCopy:
    extraction_id: int
    data: dict[str, Any]
    """The extraction in the schema's JSON shape, with the agent's edits so far."""
    edited: bool


def working_copy(session: Session, document_id: int) -> WorkingCopy:
    """The agent's draft if there is one, else a copy of the current extraction."""
    draft = session.get(ReviewDraft, document_id)
    if draft is not None:
        return WorkingCopy(extraction_id=draft.extraction_id, data=draft.data, edited=True)
    extraction = current_extraction(session, document_id)
    if extraction is None:
        raise InvalidStateError(
            f"document {document_id} has no extraction yet; wait for the extract stage to finish"
        )
    return WorkingCopy(
        extraction_id=extraction.id,  # type: ignore[arg-type]
        data=copy.deepcopy(extraction.data),
        edited=False,
    )


def _save_draft(session: Session, *, document_id: int, copy_: WorkingCopy, user: User) -> None:
    draft = session.get(ReviewDraft, document_id)
    if draft is None:
        draft = ReviewDraft(
            document_id=document_id,
            extraction_id=copy_.extraction_id,
            data=copy_.data,
            updated_by=user.username,
        )
    else:
        # A new dict, so that SQLAlchemy sees the JSON column change.
        draft.data = copy.deepcopy(copy_.data)
        draft.updated_by = user.username
        draft.updated_at = utcnow()
    session.add(draft)


@dataclass(frozen=True)
class ValueEdit:
    """One value the agent set: a header field, a top-level value, or a line column."""

    field: str
    value: str | None
    line_index: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    """Where on the page the agent picked the value, when they picked it from the image."""


def current_value(data: dict[str, Any], edit: ValueEdit) -> str | None:
    """The value the edit would replace, as a string (None when absent)."""
    if edit.line_index is not None:
        lines = data.get("lines") or []
        if not 0 <= edit.line_index < len(lines):
            raise ValidationFailedError(f"line {edit.line_index + 1} does not exist any more")
        value = lines[edit.line_index].get(edit.field)
        return None if value is None else str(value)
    if edit.field in TOP_LEVEL_FIELDS:
        value = data.get(edit.field)
        return None if value is None else str(value)
    found = (data.get("fields") or {}).get(edit.field)
    if isinstance(found, dict):
        value = found.get("value")
        return None if value is None else str(value)
    return None


def _set_value(data: dict[str, Any], edit: ValueEdit) -> None:
    if edit.line_index is not None:
        line = data["lines"][edit.line_index]
        line[edit.field] = edit.value
        line["confidence"] = 1.0
        return
    if edit.field in TOP_LEVEL_FIELDS:
        data[edit.field] = edit.value
        return
    fields = data.setdefault("fields", {})
    if edit.value is None:
        fields[edit.field] = None
        return
    # A typed value keeps no box: the model's box may be exactly what was wrong.
    field: dict[str, Any] = {"value": edit.value, "confidence": 1.0, "method": "agent"}
    if edit.page is not None and edit.bbox is not None:
        field["page"] = edit.page
        field["bbox"] = list(edit.bbox)
    fields[edit.field] = field


def _check_field_name(data: dict[str, Any], edit: ValueEdit) -> None:
    """Only the extraction's own header fields (the schema lists them all), line columns and
    the matched customer can be edited."""
    if edit.line_index is not None:
        if edit.field not in LINE_COLUMNS:
            raise ValidationFailedError(f"{edit.field!r} is not a line column")
    elif edit.field == "document_type":
        raise ValidationFailedError("change the document type with 'not an order'")
    elif edit.field not in TOP_LEVEL_FIELDS and edit.field not in (data.get("fields") or {}):
        raise ValidationFailedError(f"{edit.field!r} is not a field of this extraction")


def _record_change(
    session: Session,
    *,
    document_id: int,
    extraction_id: int,
    user: User,
    field: str,
    line_index: int | None,
    old: str | None,
    new: str | None,
    page: int | None = None,
    bbox: Sequence[float] | None = None,
    action: str = "field.changed",
) -> None:
    path = field if line_index is None else f"lines[{line_index}].{field}"
    record_audit(
        session,
        actor=user.username,
        action=action,
        entity_type="document",
        entity_id=document_id,
        field=path,
        old_value=old,
        new_value=new,
        details={"page": page, "bbox": list(bbox)} if page is not None and bbox else None,
    )
    session.add(
        Correction(
            document_id=document_id,
            extraction_id=extraction_id,
            field=field,
            line_index=line_index,
            old_value=old,
            new_value=new,
            page=page,
            bbox=list(bbox) if bbox else None,
            user_id=user.id,
            username=user.username,
        )
    )


def apply_edits(
    session: Session, *, document_id: int, user: User, edits: Sequence[ValueEdit]
) -> WorkingCopy:
    """Apply the values that differ from the working copy; each change is audited and kept.

    Values equal to the current ones are ignored, so the whole form can be sent every time.
    """
    claim_document(session, document_id=document_id, user=user)
    working = working_copy(session, document_id)
    changed = False
    for edit in edits:
        _check_field_name(working.data, edit)
        old = current_value(working.data, edit)
        if old == edit.value:
            continue
        _set_value(working.data, edit)
        _record_change(
            session,
            document_id=document_id,
            extraction_id=working.extraction_id,
            user=user,
            field=edit.field,
            line_index=edit.line_index,
            old=old,
            new=edit.value,
            page=edit.page,
            bbox=edit.bbox,
        )
        changed = True
    if changed:
        _save_draft(session, document_id=document_id, copy_=working, user=user)
    return WorkingCopy(working.extraction_id, working.data, edited=working.edited or changed)


def preview_edits(data: dict[str, Any], edits: Sequence[ValueEdit]) -> dict[str, Any]:
    """A copy of `data` with the edits applied, saving nothing (totals as the agent types)."""
    preview = copy.deepcopy(data)
    for edit in edits:
        _check_field_name(preview, edit)
        current_value(preview, edit)  # refuses a line that does not exist
        _set_value(preview, edit)
    return preview


def confirm_field(session: Session, *, document_id: int, user: User, field: str) -> WorkingCopy:
    """The agent says a header field's value is right as it is: it is no longer in doubt."""
    claim_document(session, document_id=document_id, user=user)
    working = working_copy(session, document_id)
    found = (working.data.get("fields") or {}).get(field)
    if not isinstance(found, dict) or found.get("confidence") == 1.0:
        return working
    found["confidence"] = 1.0
    record_audit(
        session,
        actor=user.username,
        action="field.confirmed",
        entity_type="document",
        entity_id=document_id,
        field=field,
        old_value=_text(found.get("value")),
        new_value=_text(found.get("value")),
    )
    _save_draft(session, document_id=document_id, copy_=working, user=user)
    return WorkingCopy(working.extraction_id, working.data, edited=True)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# --- line items -----------------------------------------------------------------------------


def _blank_line() -> dict[str, Any]:
    return {column: None for column in LINE_COLUMNS} | {"confidence": 1.0}


def _line_json(line: dict[str, Any] | None) -> str | None:
    if line is None:
        return None
    return json.dumps({k: line.get(k) for k in LINE_COLUMNS}, ensure_ascii=False)


def change_lines(
    session: Session, *, document_id: int, user: User, operation: str, index: int
) -> WorkingCopy:
    """Add a line after `index` (-1: at the top), delete, split or move a line up or down.

    Splitting copies the line below itself with the quantity and line total left empty, for the
    agent to share out (one printed row that holds two items, or two delivery parts).
    """
    claim_document(session, document_id=document_id, user=user)
    working = working_copy(session, document_id)
    lines: list[dict[str, Any]] = working.data.setdefault("lines", [])
    if operation != "add" and not 0 <= index < len(lines):
        raise ValidationFailedError(f"line {index + 1} does not exist")
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    if operation == "add":
        new = _blank_line()
        lines.insert(max(index + 1, 0), new)
    elif operation == "delete":
        old = lines.pop(index)
    elif operation == "split":
        old = lines[index]
        new = {**copy.deepcopy(old), "quantity": None, "line_total": None, "confidence": 1.0}
        new.pop("bbox", None)
        lines.insert(index + 1, new)
    elif operation in ("up", "down"):
        target = index - 1 if operation == "up" else index + 1
        if not 0 <= target < len(lines):
            return working
        lines[index], lines[target] = lines[target], lines[index]
    else:
        raise ValidationFailedError(f"unknown line operation {operation!r}")
    action = f"line.{'moved' if operation in ('up', 'down') else operation}"
    if operation in ("up", "down"):
        record_audit(
            session,
            actor=user.username,
            action=action,
            entity_type="document",
            entity_id=document_id,
            field=f"lines[{index}]",
            new_value=f"lines[{target}]",
        )
    else:
        _record_change(
            session,
            document_id=document_id,
            extraction_id=working.extraction_id,
            user=user,
            field="line",
            line_index=index,
            old=_line_json(old),
            new=_line_json(new),
            action=action,
        )
    _save_draft(session, document_id=document_id, copy_=working, user=user)
    return WorkingCopy(working.extraction_id, working.data, edited=True)


# --- outcomes -------------------------------------------------------------------------------


def _store_reviewed_extraction(session: Session, *, document_id: int, data: dict[str, Any]) -> None:
    """The reviewed extraction becomes the document's current one; the draft is done with."""
    session.add(ExtractionRecord(document_id=document_id, model_version=AGENT_VERSION, data=data))
    draft = session.get(ReviewDraft, document_id)
    if draft is not None:
        session.delete(draft)


def approve_reviewed(
    session: Session, *, document_id: int, user: User, edits: Sequence[ValueEdit] = ()
) -> Order:
    """Apply the last edits, then create the order from the working copy."""
    working = apply_edits(session, document_id=document_id, user=user, edits=edits)
    data = copy.deepcopy(working.data)
    order = approve_document(session, document_id=document_id, extraction=data, actor=user.username)
    _store_reviewed_extraction(session, document_id=document_id, data=data)
    record_validation(session, document_id=document_id, validated=data)
    return order


def reject_reviewed(session: Session, *, document_id: int, user: User, reason: str) -> Document:
    """Reject the document (spam, duplicate, unreadable…) with the agent's reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailedError("say why the document is rejected")
    claim_document(session, document_id=document_id, user=user)
    return reject_document(session, document_id=document_id, reason=reason, actor=user.username)


def reclassify_document(
    session: Session, *, document_id: int, user: User, document_type: str
) -> Document:
    """'Not an order': the document type is corrected and the document leaves the queue."""
    if document_type not in NOT_ORDER_TYPES:
        raise ValidationFailedError(
            f"document type must be one of {', '.join(NOT_ORDER_TYPES)}; got {document_type!r}"
        )
    claim_document(session, document_id=document_id, user=user)
    working = working_copy(session, document_id)
    old = working.data.get("document_type")
    working.data["document_type"] = document_type
    working.data["document_type_confidence"] = 1.0
    _record_change(
        session,
        document_id=document_id,
        extraction_id=working.extraction_id,
        user=user,
        field="document_type",
        line_index=None,
        old=old,
        new=document_type,
        action="document.reclassified",
    )
    _store_reviewed_extraction(session, document_id=document_id, data=working.data)
    return reject_document(
        session,
        document_id=document_id,
        actor=user.username,
        reason=f"not an order: reclassified as {document_type}",
    )
