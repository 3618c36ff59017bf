"""Media types are judged by content first, by file name only when the content is ambiguous."""

from __future__ import annotations

import pytest

from extraction.reading import detect_media_type, read_document
from tests.extraction import reading_fixtures as make


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"%PDF-1.7\n...", "scan.jpg", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "order.pdf", "image/jpeg"),
        (b"II*\x00\x08\x00", "", "image/tiff"),
        (b"MM\x00*\x00\x08", "", "image/tiff"),
        (b"PK\x03\x04\x14\x00", "orders.xlsx", "application/zip"),
        (b'<?xml version="1.0"?><Order/>', "", "application/xml"),
        (b"UNA:+.? 'UNB+UNOC:3+SENDER'", "", "application/edifact"),
        (b"UNB+UNOA:2+5412345678908:14'", "order.txt", "application/edifact"),
        (
            b"From: a@example.com\r\nTo: b@example.com\r\nSubject: PO\r\n\r\nHi",
            "",
            "message/rfc822",
        ),
        (b"Bonjour, merci de livrer 12 vis.\n", "", "text/plain"),
        ("Größe: 12\n".encode("cp1252"), "", "text/plain"),
        (b"plain words", "order.xml", "application/xml"),
        (make.HTML_PAGE, "scan.jpg", "text/html"),
        (bytes(range(256)), "", "application/octet-stream"),
        (bytes(range(256)), "order.pdf", "application/pdf"),
        (b"", "", "application/octet-stream"),
    ],
)
def test_detect_media_type(data: bytes, filename: str, expected: str) -> None:
    assert detect_media_type(data, filename) == expected


def test_generated_documents_are_recognised() -> None:
    assert detect_media_type(make.text_pdf()) == "application/pdf"
    assert detect_media_type(make.fax_tiff([["Fax"]])) == "image/tiff"
    assert detect_media_type(make.png(make.scan(["x"], dpi=30))) == "image/png"


def test_content_wins_over_the_declared_type_and_the_mismatch_is_noted() -> None:
    result = read_document(make.text_pdf(), media_type="image/jpeg", filename="scan.jpg")

    assert result.media_type == "application/pdf"
    assert result.pages[0].source == "pdf"
    assert result.warnings[0] == "sent as image/jpeg, read as application/pdf (its content)"
