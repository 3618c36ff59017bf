"""The hot folder: files written by a fax server (or by hand) become documents.

Only complete files are taken: a file must keep the same size and modification time for
`stable_seconds`, and names that writers use while writing (`.tmp`, `.part`, hidden files) are
ignored until they are renamed. After its documents are committed a file is moved to
`processed/` (or `failed/` when nothing in it could be read); a crash in between takes the file
again on the next scan and the content dedupe drops the double.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from intake.backoff import Backoff
from intake.errors import SourceRemovedError
from intake.limits import IntakeLimits
from intake.unpack import Intake, Origin, Unpacker
from models.blobs import BlobStore
from models.context import Enqueue
from models.db import session_scope
from models.intake_tables import HotFolder
from models.tables import Stage, utcnow

log = logging.getLogger(__name__)

PROCESSED_DIR = "processed"
FAILED_DIR = "failed"
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".filepart", ".lock")


@dataclass(frozen=True)
class FolderHooks:
    after_commit: Callable[[Path], None] = lambda path: None


@dataclass
class _Seen:
    signature: tuple[int, int]
    since: float


class HotFolderWatcher:
    def __init__(
        self,
        *,
        folder_id: int,
        engine: Engine,
        blobs: BlobStore,
        enqueue: Enqueue,
        limits: IntakeLimits = IntakeLimits(),
        hooks: FolderHooks = FolderHooks(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder_id = folder_id
        self.engine = engine
        self.blobs = blobs
        self.enqueue = enqueue
        self.limits = limits
        self.hooks = hooks
        self.clock = clock
        self._seen: dict[str, _Seen] = {}

    def run(self, stop: threading.Event) -> None:
        backoff = Backoff(initial=1.0, maximum=60.0)
        while not stop.is_set():
            try:
                folder = self._load()
                if not folder.enabled:
                    return
                self.scan_once(folder)
                backoff.reset()
                stop.wait(folder.poll_interval_seconds)
            except SourceRemovedError:
                return
            except Exception as error:  # a missing folder, a full disk, the database
                delay = backoff.next_delay()
                log.warning("hot folder %s: %s; retrying in %.0f s", self.folder_id, error, delay)
                self._record_error(f"{type(error).__name__}: {error}")
                stop.wait(delay)

    def scan_once(self, folder: HotFolder | None = None) -> int:
        """Take every file that has been complete for long enough; the number taken."""
        folder = folder or self._load()
        root = Path(folder.path)
        for sub in (PROCESSED_DIR, FAILED_DIR):
            (root / sub).mkdir(exist_ok=True)
        now = self.clock()
        present: set[str] = set()
        taken = 0
        with os.scandir(root) as entries:
            candidates = sorted((e for e in entries if _is_candidate(e)), key=lambda e: e.name)
        for entry in candidates:
            present.add(entry.name)
            try:
                stat = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            seen = self._seen.get(entry.name)
            if seen is None or seen.signature != signature:
                self._seen[entry.name] = _Seen(signature, now)
                continue
            if now - seen.since < folder.stable_seconds:
                continue
            self.take_file(folder, Path(entry.path))
            self._seen.pop(entry.name, None)
            taken += 1
        for gone in set(self._seen) - present:
            del self._seen[gone]
        if folder.last_error:
            self._record_error(None)
        return taken

    def take_file(self, folder: HotFolder, path: Path) -> Intake:
        data = path.read_bytes()
        with session_scope(self.engine) as session:
            intake = Unpacker(session, blobs=self.blobs, limits=self.limits).take_file(
                data, filename=path.name, origin=Origin(source=folder.source, ref=str(path))
            )
        self.hooks.after_commit(path)
        for document_id in intake.to_read:
            try:
                self.enqueue(document_id, Stage.READ.value)
            except Exception as error:
                log.warning("document %s saved but not enqueued: %s", document_id, error)
        target_dir = path.parent / (PROCESSED_DIR if intake.readable else FAILED_DIR)
        _move_aside(path, target_dir)
        log.info("hot folder %s: %s → %d document(s)", folder.path, path.name, len(intake.accepted))
        return intake

    def _load(self) -> HotFolder:
        with session_scope(self.engine) as session:
            folder = session.get(HotFolder, self.folder_id)
            if folder is None:
                raise SourceRemovedError(f"hot folder {self.folder_id} was removed")
            session.expunge(folder)
            return folder

    def _record_error(self, error: str | None) -> None:
        try:
            with session_scope(self.engine) as session:
                row = session.get(HotFolder, self.folder_id)
                if row is not None:
                    row.last_error = error
                    session.add(row)
        except Exception as db_error:
            log.warning("hot folder %s: status not recorded: %s", self.folder_id, db_error)


def _is_candidate(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    if name.startswith(".") or name.startswith("~") or name.lower().endswith(IN_PROGRESS_SUFFIXES):
        return False
    return entry.is_file(follow_symlinks=False)


def _move_aside(path: Path, target_dir: Path) -> Path:
    """Move into `target_dir`, never over an older file of the same name."""
    target = target_dir / path.name
    if target.exists():
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        target = target_dir / f"{path.stem}-{stamp}{path.suffix}"
    os.replace(path, target)
    return target
