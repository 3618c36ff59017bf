"""What every intake source hands on: one file, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class InboundDocument:
    data: bytes
    filename: str
    source: str
    """mail, fax, folder, upload or cli."""
    source_ref: str = ""
    """Where to find it again: message id + attachment name, a path, an upload id."""
    media_type: str | None = None
    message_id: str | None = None
    sender_email: str | None = None
    mail_date: datetime | None = None
