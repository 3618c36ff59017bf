"""A poller process that is killed at a chosen point of its first message, as a crash would.

Run as `python -m tests.intake.crashing_poller DB_URL BLOB_DIR MAILBOX_ID POINT`, POINT being
before_commit or after_commit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import models.all_tables  # noqa: F401
from intake.imap_source import ImapPoller, PollHooks
from models.blobs import BlobStore
from models.db import make_engine

KILLED_EXIT_CODE = 137


def _die(_uid: int) -> None:
    os._exit(KILLED_EXIT_CODE)


def main() -> None:
    database_url, blob_dir, mailbox_id, point = sys.argv[1:5]
    hooks = (
        PollHooks(before_commit=_die) if point == "before_commit" else PollHooks(after_commit=_die)
    )
    poller = ImapPoller(
        mailbox_id=int(mailbox_id),
        engine=make_engine(database_url),
        blobs=BlobStore(Path(blob_dir)),
        enqueue=lambda document_id, stage: None,
        hooks=hooks,
    )
    poller.poll_once()


if __name__ == "__main__":
    main()
