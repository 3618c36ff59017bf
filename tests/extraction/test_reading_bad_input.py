"""Bad input gives a typed error with a machine reason, quickly, and never a crash."""

from __future__ import annotations

import os
import signal
import time
import warnings

import pytest

from extraction.reading import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ImageTooLargeError,
    ReadError,
    ReadLimits,
    ReadTimeoutError,
    TooManyPagesError,
    UnsupportedMediaTypeError,
    pdf_sandbox,
    read_document,
)
from models.errors import OrdinoError
from tests.extraction import reading_fixtures as make


@pytest.fixture(scope="module")
def ten_thousand_page_pdf() -> bytes:
    return make.pdf_with_pages(10_000)


def _refused(data: bytes, **kwargs: object) -> ReadError:
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        read_document(data, **kwargs)  # type: ignore[arg-type]
    assert time.monotonic() - started < 5, "bad input must be refused before any heavy work"
    assert isinstance(caught.value, OrdinoError)
    return caught.value


def test_empty_file_is_refused_as_empty() -> None:
    error = _refused(b"", filename="order.pdf")
    assert isinstance(error, EmptyDocumentError) and error.reason == "empty"


def test_truncated_pdf_is_refused_as_corrupt() -> None:
    data = make.text_pdf()
    error = _refused(data[: len(data) // 2])
    assert isinstance(error, CorruptDocumentError) and error.reason == "corrupt"


def test_pdf_with_damaged_body_is_refused_as_corrupt() -> None:
    error = _refused(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert isinstance(error, CorruptDocumentError)


def test_password_protected_pdf_is_refused_as_encrypted() -> None:
    error = _refused(make.encrypted_pdf())
    assert isinstance(error, EncryptedDocumentError) and error.reason == "encrypted"


def test_ten_thousand_page_pdf_is_refused_before_reading_pages(
    ten_thousand_page_pdf: bytes,
) -> None:
    error = _refused(ten_thousand_page_pdf)
    assert isinstance(error, TooManyPagesError) and error.reason == "too_many_pages"
    assert error.context["pages"] == 10_000


def test_image_of_fifty_thousand_pixels_square_is_refused_without_decoding() -> None:
    error = _refused(make.png_header_only(50_000, 50_000))
    assert isinstance(error, ImageTooLargeError) and error.reason == "image_too_large"


def test_image_over_the_limit_is_refused_without_a_decompression_bomb_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a worker run with -W error must not die either
        error = _refused(make.png_header_only(10_000, 10_000))
    assert isinstance(error, ImageTooLargeError)


def test_jpeg_that_is_really_html_is_refused_as_unsupported() -> None:
    error = _refused(make.HTML_PAGE, media_type="image/jpeg", filename="scan.jpg")
    assert isinstance(error, UnsupportedMediaTypeError) and error.reason == "unsupported_type"
    assert "HTML" in str(error)


def test_jpeg_with_broken_data_is_refused_as_corrupt() -> None:
    error = _refused(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x13" * 500, filename="scan.jpg")
    assert isinstance(error, CorruptDocumentError)


def test_document_over_the_byte_limit_is_refused_as_too_large() -> None:
    error = _refused(make.text_pdf(), limits=ReadLimits(max_bytes=1000))
    assert isinstance(error, DocumentTooLargeError)


def test_unknown_binary_is_refused_as_unsupported() -> None:
    error = _refused(bytes(range(256)) * 4, filename="blob.bin")
    assert isinstance(error, UnsupportedMediaTypeError)


@pytest.mark.slow
def test_page_that_outlasts_the_ocr_time_limit_raises_timeout() -> None:
    dense = [
        f"Line {n} Schrauben M8 Muttern Unterlegscheiben quantité 40 boîtes" for n in range(60)
    ]
    data = make.png(make.scan(dense, size=10))

    started = time.monotonic()
    with pytest.raises(ReadTimeoutError) as caught:
        read_document(data, limits=ReadLimits(ocr_page_timeout_seconds=1))
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 4


def _crash_renderer(*_: object) -> int:
    os.kill(os.getpid(), signal.SIGSEGV)  # what a PDFium bug does to the process
    return 0


def _hang_renderer(*_: object) -> int:
    time.sleep(60)
    return 0


def test_pdf_that_crashes_the_renderer_is_refused_and_the_worker_lives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_sandbox, "_probe", _crash_renderer)

    error = _refused(make.text_pdf())

    assert isinstance(error, CorruptDocumentError) and error.context["crash"] == "SIGSEGV"
    monkeypatch.undo()
    assert read_document(make.text_pdf()).pages[0].words  # this process is still reading


def test_pdf_that_hangs_the_renderer_is_refused_after_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_sandbox, "_probe", _hang_renderer)
    monkeypatch.setattr(pdf_sandbox, "PROBE_TIMEOUT_SECONDS", 0.5)

    error = _refused(make.text_pdf())

    assert isinstance(error, CorruptDocumentError) and error.context["crash"] == "timeout"
