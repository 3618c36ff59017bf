"""What the web layers and tasks need from the composition root, as plain values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from models.blobs import BlobStore

Enqueue = Callable[[int, str], None]
"""Ring the bell for (document id, stage name); the database already holds the state."""


@dataclass(frozen=True)
class AppContext:
    engine: Engine
    blobs: BlobStore
    enqueue: Enqueue
    data_dir: Path
    secret_key: str
    max_upload_bytes: int
    seller_name: str
    seller_vat_id: str | None
    environment: str = "development"
