"""Small HTTP helpers: ETags and preconditions, Content-Disposition."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Header, Path

from api.errors import PreconditionFailedError

MAX_ID = 2**63 - 1
"""The largest id a BIGINT holds; larger ones cannot name anything."""

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag you last read; the change is refused with 412 if it moved on",
    ),
]


def check_if_match(if_match: str | None, current_etag: str) -> None:
    """Refuse a change made against an older representation (optimistic concurrency)."""
    if if_match is None:
        return
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" in candidates or current_etag in candidates:
        return
    raise PreconditionFailedError(
        f"the resource changed since you read it (its ETag is now {current_etag}); "
        "read it again and reapply your change"
    )


def content_disposition(filename: str) -> str:
    """An attachment header that survives any file name (RFC 6266 / RFC 5987)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
