"""Try a PDF in a forked child before PDFium touches it in the worker.

PDFium is C++: a malformed PDF can crash it (segfault) or send it into an endless loop, which no
Python `except` can catch. The child opens the PDF and loads, text-parses and renders every page
at a tiny size; if that kills or hangs the child, the document is refused as corrupt and the
worker lives on. Forking is cheap (the child shares the parent's memory) and costs a few
milliseconds per document.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager

import pypdfium2 as pdfium

from extraction.reading.errors import CorruptDocumentError

PROBE_TIMEOUT_SECONDS = 30.0
_PROBE_SCALE = 0.05
"""About 30 x 42 pixels for an A4 page: enough to run every drawing operation."""


def check_pdf_in_child(
    data: bytes,
    *,
    max_pages: int,
    lock: AbstractContextManager[object],
    pages: Sequence[int] | None = None,
) -> None:
    """Raise CorruptDocumentError if PDFium crashes or hangs on `data` (on the given 0-based
    `pages`, or on every page up to `max_pages`). Errors PDFium reports
    normally (wrong password, unparsable file) are left to the caller's own attempt, which
    turns them into their typed errors. `lock` (the PDFium lock) is held while forking so that
    the child never inherits PDFium in the middle of a call."""
    with lock:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            faulthandler.disable()  # a crash here is expected and reported by the parent
            os._exit(_probe(data, max_pages, pages))
    status = _wait(pid, PROBE_TIMEOUT_SECONDS)
    if status is None:
        raise CorruptDocumentError(
            f"Reading the PDF did not finish within {PROBE_TIMEOUT_SECONDS:.0f} seconds: it is "
            "malformed. Ask the sender for the document again.",
            crash="timeout",
        )
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise CorruptDocumentError(
            f"The PDF crashed the PDF renderer ({name}): it is malformed. Ask the sender for "
            "the document again, or print it to a new PDF.",
            crash=name,
        )


def _probe(data: bytes, max_pages: int, pages: Sequence[int] | None) -> int:
    try:
        document = pdfium.PdfDocument(data)
        count = min(len(document), max_pages)
        for index in range(count) if pages is None else [i for i in pages if 0 <= i < count]:
            page = document[index]
            page.get_textpage().close()
            page.render(scale=_PROBE_SCALE, grayscale=True).close()
            page.close()
        document.close()
    except BaseException:
        return 1
    return 0


def _wait(pid: int, timeout: float) -> int | None:
    """The child's wait status, or None after killing it when it outlives `timeout`."""
    deadline = time.monotonic() + timeout
    pause = 0.0005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.02)
