"""Opaque cursors for keyset pagination: the client passes back what the last page gave it."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated

from fastapi import Query

from api.errors import InvalidCursorError

MAX_PAGE_SIZE = 500

CursorQuery = Annotated[
    str | None,
    Query(
        description="`next_cursor` from the previous page; omit for the first page", max_length=200
    ),
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]


def encode_cursor(after: int | str) -> str:
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> object:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return json.loads(raw)["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidCursorError(
            "the cursor is not one this API issued; pass back `next_cursor` unchanged, "
            "or omit it to start from the first page"
        ) from None


def decode_int_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    after = _decode(cursor)
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
        raise InvalidCursorError("the cursor is not one this API issued for this list")
    return after


def decode_str_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    after = _decode(cursor)
    if not isinstance(after, str):
        raise InvalidCursorError("the cursor is not one this API issued for this list")
    return after
