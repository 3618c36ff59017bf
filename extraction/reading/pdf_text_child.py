"""Read a PDF's text layer in a forked child, under a time limit per page and per document.

pdfminer (under pdfplumber) is pure Python, and a hostile page (a content stream of millions of
operators, a decompression bomb, forms nested in forms) can keep it busy for minutes; a running
Python function cannot be stopped from another thread. So a child process parses the PDF and
sends each page's text layer back as soon as it has read it. When one page takes longer than its
limit, the parent kills the child, leaves that page out (it is OCRed instead: rendering with
PDFium is not troubled by what stalls pdfminer) and goes on with the next page in a new child;
when opening the PDF, or the whole document, takes longer than its limit, it raises
ReadTimeoutError.
Forking and sending the pages back cost about 4 ms per document (bench/reading.py, text PDFs).
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import struct
import time
from dataclasses import dataclass, field

import pdfplumber

from extraction.reading.errors import ReadTimeoutError
from extraction.reading.pdf_text import TextLayerPage, extract_text_layer

_HEADER = struct.Struct("!I")
_CHUNK = 1 << 16


@dataclass(slots=True)
class TextLayers:
    pages: dict[int, TextLayerPage] = field(default_factory=dict)
    """The text layer of each page pdfplumber could parse, by 0-based index."""
    failures: list[str] = field(default_factory=list)
    """Why pages (or the whole document) could not be parsed; those pages are OCRed."""


def read_text_layers(
    data: bytes, page_count: int, *, page_timeout: float, document_timeout: float
) -> TextLayers:
    """The text layers of the first `page_count` pages; a page that takes longer than
    `page_timeout` seconds is left out and reported in `failures`. Raises ReadTimeoutError when
    opening the PDF takes longer than `page_timeout`, or all of it longer than
    `document_timeout`."""
    layers = TextLayers()
    deadline = time.monotonic() + document_timeout
    start = 0
    while start < page_count:
        stuck = _read_pages_from(
            data,
            start,
            page_count,
            layers,
            page_timeout=page_timeout,
            deadline=deadline,
            document_timeout=document_timeout,
        )
        if stuck is None:
            break
        layers.failures.append(
            f"page {stuck + 1}: text layer took longer than {page_timeout:g} s to parse; OCRed"
        )
        start = stuck + 1
    return layers


def _read_pages_from(
    data: bytes,
    start: int,
    page_count: int,
    layers: TextLayers,
    *,
    page_timeout: float,
    deadline: float,
    document_timeout: float,
) -> int | None:
    """Parse pages `start`… in a child into `layers`; the 0-based index of a page that ran
    out of time, or None when the child got to the end."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            os.close(read_end)
            code = _send_text_layers(data, start, page_count, write_end)
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        return _receive(read_end, layers, start, page_timeout, deadline, document_timeout)
    finally:
        os.close(read_end)
        _stop(pid)


def _send_text_layers(data: bytes, start: int, page_count: int, fd: int) -> int:
    """Child: ("opened",), then ("page", index, layer) or ("failed", index, reason) per page
    from `start`, then ("done",); or ("unopenable", reason) when pdfplumber cannot open the PDF
    at all."""
    with os.fdopen(fd, "wb") as out:
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as error:
            _send(out, ("unopenable", str(error)))
            _send(out, ("done",))
            return 0
        _send(out, ("opened",))
        with pdf:
            for index, page in enumerate(pdf.pages[start:page_count], start=start):
                try:
                    _send(out, ("page", index, extract_text_layer(page)))
                except Exception as error:  # pdfminer raises many kinds on broken content
                    _send(out, ("failed", index, str(error)))
                finally:
                    page.close()
        _send(out, ("done",))
    return 0


def _send(out: io.BufferedWriter, message: tuple[object, ...]) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(payload)) + payload)
    out.flush()


def _receive(
    fd: int,
    layers: TextLayers,
    start: int,
    page_timeout: float,
    deadline: float,
    document_timeout: float,
) -> int | None:
    page_started = time.monotonic()
    page_number = 0
    """The 1-based number of the page being read: 0 while the PDF is being opened."""
    buffer = bytearray()
    poller = select.poll()  # not select.select: a busy worker may hold descriptors past 1024
    poller.register(fd, select.POLLIN)
    while True:
        now = time.monotonic()
        remaining = min(page_started + page_timeout, deadline) - now
        if remaining <= 0 or not poller.poll(max(1, round(remaining * 1000))):
            # the nearer deadline is the one that ran out (poll may wake a millisecond early)
            whole = deadline <= page_started + page_timeout
            if whole or page_number == 0:
                raise _timeout(page_number, page_timeout if not whole else None, document_timeout)
            return page_number - 1
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            layers.failures.append("the PDF parser stopped unexpectedly; remaining pages OCRed")
            return None
        buffer += chunk
        for message in _messages(buffer):
            if message[0] == "done":
                return None
            page_started = time.monotonic()
            page_number = _record(layers, message, start)


def _messages(buffer: bytearray) -> list[tuple[object, ...]]:
    """The complete messages at the start of `buffer`, removed from it."""
    messages = []
    while len(buffer) >= _HEADER.size:
        (size,) = _HEADER.unpack_from(buffer)
        if len(buffer) < _HEADER.size + size:
            break
        messages.append(pickle.loads(buffer[_HEADER.size : _HEADER.size + size]))
        del buffer[: _HEADER.size + size]
    return messages


def _record(layers: TextLayers, message: tuple[object, ...], start: int) -> int:
    """Keep what the message says; the 1-based number of the page the child reads next."""
    kind = message[0]
    if kind == "page":
        index, layer = message[1], message[2]
        assert isinstance(index, int) and isinstance(layer, TextLayerPage)
        layers.pages[index] = layer
        return index + 2
    if kind == "failed":
        index = message[1]
        assert isinstance(index, int)
        layers.failures.append(f"page {index + 1}: text layer unreadable ({message[2]})")
        return index + 2
    if kind == "unopenable":
        layers.failures.append(f"text layer unreadable, every page OCRed ({message[1]})")
    return start + 1


def _timeout(
    page_number: int, page_timeout: float | None, document_timeout: float
) -> ReadTimeoutError:
    """`page_timeout` None: the document's limit was reached; else opening the PDF took longer
    than one page may (a slow page is OCRed instead, see `read_text_layers`)."""
    if page_timeout is None:
        where = f"page {page_number}" if page_number else "opening the PDF"
        return ReadTimeoutError(
            f"Reading the PDF's text took longer than {document_timeout:g} seconds in all "
            f"(stopped at {where}): the document is unusually complex or malformed. Ask the "
            "sender for a simpler copy, or print it to a new PDF.",
            page=page_number or None,
            limit_seconds=document_timeout,
        )
    return ReadTimeoutError(
        f"Opening the PDF took longer than {page_timeout:g} seconds: the document is unusually "
        "complex or malformed. Ask the sender for a simpler copy, or print it to a new PDF.",
        page=None,
        limit_seconds=page_timeout,
    )


def _stop(pid: int) -> None:
    """Reap the child, killing it first if it is still running."""
    done, _ = os.waitpid(pid, os.WNOHANG)
    if not done:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
