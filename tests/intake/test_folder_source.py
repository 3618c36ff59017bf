"""The hot folder: only complete files are taken, once each, then moved aside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from intake.folder_source import FolderHooks, HotFolderWatcher
from intake.registry import add_hot_folder
from models.blobs import BlobStore
from models.db import session_scope
from models.intake_tables import HotFolder
from models.tables import Document, DocumentState
from tests.intake.conftest import Recorder
from tests.intake.factories import make_fax_tiff, order_mail


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def hot_folder(tmp_path: Path, engine: Engine) -> HotFolder:
    path = tmp_path / "fax-in"
    path.mkdir()
    with session_scope(engine) as session:
        folder = add_hot_folder(session, path=path, source="fax", stable_seconds=2.0)
        session.expunge(folder)
    return folder


def watcher_for(
    folder: HotFolder,
    engine: Engine,
    blobs: BlobStore,
    enqueue: Recorder,
    clock: Clock,
    hooks: FolderHooks = FolderHooks(),
) -> HotFolderWatcher:
    assert folder.id is not None
    return HotFolderWatcher(
        folder_id=folder.id, engine=engine, blobs=blobs, enqueue=enqueue, clock=clock, hooks=hooks
    )


def documents(engine: Engine) -> list[Document]:
    with Session(engine) as session:
        return list(session.exec(select(Document)).all())


def test_file_is_taken_only_once_its_size_has_been_stable_and_is_moved_to_processed(
    hot_folder: HotFolder, engine: Engine, blob_store: BlobStore, enqueue: Recorder
) -> None:
    clock = Clock()
    watcher = watcher_for(hot_folder, engine, blob_store, enqueue, clock)
    fax = Path(hot_folder.path) / "fax-0001.tif"
    tiff = make_fax_tiff(pages=2)
    fax.write_bytes(tiff[: len(tiff) // 2])  # the fax server is still writing

    assert watcher.scan_once() == 0
    clock.now += 5
    with fax.open("ab") as handle:
        handle.write(tiff[len(tiff) // 2 :])
    os.utime(fax, ns=(1, 2))
    assert watcher.scan_once() == 0, "the size changed: it must wait again"
    clock.now += 1
    assert watcher.scan_once() == 0
    clock.now += 1.5
    assert watcher.scan_once() == 1

    (document,) = documents(engine)
    assert (document.source, document.media_type, document.state) == (
        "fax",
        "image/tiff",
        DocumentState.RECEIVED,
    )
    assert blob_store.get(document.sha256) == tiff
    assert not fax.exists() and (Path(hot_folder.path) / "processed" / "fax-0001.tif").exists()
    assert enqueue.rings == [(document.id, "read")]


def test_files_being_written_under_a_temporary_name_are_left_alone(
    hot_folder: HotFolder, engine: Engine, blob_store: BlobStore, enqueue: Recorder
) -> None:
    clock = Clock()
    watcher = watcher_for(hot_folder, engine, blob_store, enqueue, clock)
    partial = Path(hot_folder.path) / "fax-0002.tif.part"
    partial.write_bytes(make_fax_tiff(pages=1))
    for _ in range(3):
        watcher.scan_once()
        clock.now += 10
    assert documents(engine) == []
    partial.rename(partial.with_suffix(""))  # the atomic rename that completes it
    watcher.scan_once()
    clock.now += 3
    assert watcher.scan_once() == 1


def test_unreadable_file_is_quarantined_and_moved_to_failed(
    hot_folder: HotFolder, engine: Engine, blob_store: BlobStore, enqueue: Recorder
) -> None:
    clock = Clock()
    watcher = watcher_for(hot_folder, engine, blob_store, enqueue, clock)
    (Path(hot_folder.path) / "broken.tif").write_bytes(b"II*\x00 not really a tiff")
    watcher.scan_once()
    clock.now += 3
    watcher.scan_once()
    (document,) = documents(engine)
    assert document.state == DocumentState.QUARANTINED
    assert (Path(hot_folder.path) / "failed" / "broken.tif").exists()
    assert enqueue.rings == []


def test_mail_file_dropped_in_the_folder_is_unpacked_like_a_message(
    hot_folder: HotFolder, engine: Engine, blob_store: BlobStore, enqueue: Recorder
) -> None:
    clock = Clock()
    watcher = watcher_for(hot_folder, engine, blob_store, enqueue, clock)
    (Path(hot_folder.path) / "order.eml").write_bytes(order_mail(sender="x@fax-gw.example"))
    watcher.scan_once()
    clock.now += 3
    watcher.scan_once()
    (document,) = documents(engine)
    assert (document.filename, document.sender_domain) == ("order.pdf", "fax-gw.example")


def test_crash_after_commit_takes_the_file_again_without_a_double(
    hot_folder: HotFolder, engine: Engine, blob_store: BlobStore, enqueue: Recorder
) -> None:
    class Crash(Exception):
        pass

    def crash(_path: Path) -> None:
        raise Crash

    clock = Clock()
    (Path(hot_folder.path) / "fax.tif").write_bytes(make_fax_tiff(pages=1))
    crashing = watcher_for(
        hot_folder, engine, blob_store, enqueue, clock, FolderHooks(after_commit=crash)
    )
    crashing.scan_once()
    clock.now += 3
    with pytest.raises(Crash):
        crashing.scan_once()
    assert len(documents(engine)) == 1 and (Path(hot_folder.path) / "fax.tif").exists()

    watcher = watcher_for(hot_folder, engine, blob_store, enqueue, clock)
    watcher.scan_once()
    clock.now += 3
    assert watcher.scan_once() == 1
    assert len(documents(engine)) == 1
    assert (Path(hot_folder.path) / "processed" / "fax.tif").exists()
