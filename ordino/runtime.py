"""The running parts of one Ordino process: database, blobs, queue, model, worker threads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from huey.consumer import Consumer
from sqlalchemy.engine import Engine

from api.webhooks.bell import install_webhook_bell
from intake.limits import IntakeLimits
from models.blobs import BlobStore
from models.context import AppContext
from models.db import make_engine
from ordino.settings import Settings

if TYPE_CHECKING:
    from extraction.extractor import ExtractorModel

log = logging.getLogger(__name__)
QUEUE_MAX_POLL_SECONDS = 0.5
"""An idle consumer polls at least this often, so a new document or webhook waits < 1 s."""


class EmbeddedConsumer(Consumer):
    """A Huey consumer that runs inside a process owned by someone else (uvicorn, our worker).

    Huey's own consumer takes over SIGINT/SIGTERM, which would steal the server's shutdown;
    here the owner of the process handles signals and calls `stop()`.
    """

    def _set_signal_handlers(self) -> None:
        return None


def build_queue(settings: Settings) -> Huey:
    """RedisHuey when ORDINO_QUEUE_URL is redis://…, else a SQLite queue in the data dir."""
    if settings.queue_url:
        if not settings.queue_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"ORDINO_QUEUE_URL must be a redis:// URL; got {settings.queue_url!r}")
        return RedisHuey(settings.queue_name, url=settings.queue_url, results=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.queue_name, filename=str(settings.queue_path), results=False)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    queue: Huey
    _model: ExtractorModel | None = None
    _model_loaded: bool = False
    _consumer: Consumer | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _uninstall_bell: Callable[[], None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        from ordino.tasks import register_tasks, ring_webhooks

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        runtime = cls(
            settings=settings,
            engine=make_engine(settings.resolved_database_url),
            blobs=BlobStore(settings.blob_dir),
            queue=build_queue(settings),
        )
        register_tasks(runtime)
        runtime._uninstall_bell = install_webhook_bell(
            lambda: ring_webhooks(runtime), engine=runtime.engine
        )
        return runtime

    @property
    def context(self) -> AppContext:
        return AppContext(
            engine=self.engine,
            blobs=self.blobs,
            enqueue=self.enqueue,
            data_dir=self.settings.data_dir,
            secret_key=self.settings.secret_key,
            max_upload_bytes=self.settings.max_upload_bytes,
            seller_name=self.settings.seller_name,
            seller_vat_id=self.settings.seller_vat_id,
            environment=self.settings.environment,
        )

    def enqueue(self, document_id: int, stage: str, delay: float = 0) -> None:
        from ordino.tasks import enqueue_stage

        enqueue_stage(self, document_id, stage, delay=delay)

    def extractor_model(self) -> ExtractorModel | None:
        """The promoted model, loaded once per process (None: extraction falls back to rules)."""
        with self._lock:
            if not self._model_loaded:
                from extraction.extractor import load_model

                self._model = load_model(self.settings.resolved_model_dir)
                self._model_loaded = True
                log.info(
                    "extraction model %s",
                    self._model.version if self._model else "none (rules only)",
                )
            return self._model

    def reload_model(self) -> None:
        with self._lock:
            self._model_loaded = False

    def start_workers(self, *, threads: int | None = None, intake: bool = True) -> None:
        """Start queue consumers, the lease sweeper and the intake pollers in this process."""
        from ordino.tasks import start_sweeper

        self._stop.clear()
        self._consumer = EmbeddedConsumer(
            self.queue,
            workers=threads or self.settings.worker_concurrency,
            worker_type="thread",
            initial_delay=0.05,
            max_delay=QUEUE_MAX_POLL_SECONDS,
        )
        self._consumer.start()
        self._threads.append(start_sweeper(self, self._stop))
        if intake:
            from intake.service import start_intake

            self._threads.extend(
                start_intake(
                    engine=self.engine,
                    blobs=self.blobs,
                    enqueue=self.enqueue,
                    stop=self._stop,
                    limits=self.intake_limits(),
                )
            )

    def intake_limits(self) -> IntakeLimits:
        """The intake limits that follow from the settings (the rest keep their defaults)."""
        s = self.settings
        return IntakeLimits(
            max_attachment_bytes=s.max_upload_bytes,
            max_pages=s.max_pages,
            max_image_pixels=s.max_image_pixels,
        )

    def stop_workers(self) -> None:
        self._stop.set()
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    def close(self) -> None:
        """Stop the workers and release the database and the commit listener."""
        self.stop_workers()
        if self._uninstall_bell is not None:
            self._uninstall_bell()
            self._uninstall_bell = None
        self.engine.dispose()
