"""Hostile and odd messages: each keeps what can be kept, quarantines the rest, never crashes."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from PIL import Image
from sqlalchemy.engine import Engine

from intake.limits import MB, IntakeLimits
from models.blobs import BlobStore
from models.tables import Document, DocumentState
from tests.intake.factories import make_mail, make_pdf
from tests.intake.test_unpack import ingest, only


def by_state(documents: list[Document]) -> dict[str, list[str]]:
    states: dict[str, list[str]] = {}
    for document in documents:
        states.setdefault(document.state, []).append(document.filename)
    return states


def nested_message(depth: int, leaf: bytes) -> bytes:
    boundary_lines = [b"From: deep@customer.example", b"Subject: nested", b"MIME-Version: 1.0"]
    head = b""
    tail = b""
    for level in range(depth):
        head += f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode()
        tail = f"\r\n--b{level}--\r\n".encode() + tail
    return b"\r\n".join(boundary_lines) + b"\r\n" + head + leaf + tail


def pdf_part(name: str, data: bytes) -> bytes:
    return (
        f'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="{name}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + base64.encodebytes(data).replace(b"\n", b"\r\n")


def test_deeply_nested_mime_is_quarantined_whole_and_does_not_crash(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = nested_message(60, pdf_part("deep.pdf", make_pdf()))
    document = only(ingest(engine, blob_store, raw))
    assert (document.filename, document.state) == ("message.eml", DocumentState.QUARANTINED)
    assert "nested deeper" in (document.error or "")
    assert blob_store.get(document.sha256) == raw


def test_pathologically_nested_mime_beyond_the_parser_is_quarantined(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = nested_message(3000, b"Content-Type: text/plain\r\n\r\nhello")
    document = only(ingest(engine, blob_store, raw))
    assert document.state == DocumentState.QUARANTINED


def test_nested_within_the_limit_is_read(engine: Engine, blob_store: BlobStore) -> None:
    raw = nested_message(5, pdf_part("po.pdf", make_pdf()))
    document = only(ingest(engine, blob_store, raw))
    assert (document.filename, document.state) == ("po.pdf", DocumentState.RECEIVED)


def test_empty_attachment_is_quarantined_and_the_rest_goes_through(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = make_mail(
        attachments=[
            ("empty.pdf", b"", "application/pdf"),
            ("po.pdf", make_pdf(), "application/pdf"),
        ]
    ).as_bytes()
    states = by_state(ingest(engine, blob_store, raw))
    assert states == {DocumentState.QUARANTINED: ["empty.pdf"], DocumentState.RECEIVED: ["po.pdf"]}


@pytest.mark.slow
def test_200_mb_message_is_kept_whole_in_quarantine_without_being_unpacked(
    engine: Engine, blob_store: BlobStore
) -> None:
    head = make_mail(body="Our order, with a very large scan.").as_bytes().split(b"\n\n", 1)[0]
    raw = (
        head.replace(b"Content-Type: text/plain", b'Content-Type: multipart/mixed; boundary="X"')
        + b"\n\n--X\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(b"%PDF-1.4\n" + bytes(200 * MB))
        + b"--X--\n"
    )
    document = only(ingest(engine, blob_store, raw))
    assert (document.filename, document.state) == ("message.eml", DocumentState.QUARANTINED)
    assert "not unpacked" in (document.error or "")
    assert document.size_bytes == len(raw) > 200 * MB


def test_attachment_over_the_size_limit_is_quarantined_and_the_rest_goes_through(
    engine: Engine, blob_store: BlobStore
) -> None:
    big = b"%PDF-1.4\n" + bytes(3 * MB)
    raw = make_mail(
        attachments=[("big.pdf", big, "application/pdf"), ("po.pdf", make_pdf(), "application/pdf")]
    ).as_bytes()
    documents = ingest(engine, blob_store, raw, limits=IntakeLimits(max_attachment_bytes=2 * MB))
    assert by_state(documents) == {
        DocumentState.QUARANTINED: ["big.pdf"],
        DocumentState.RECEIVED: ["po.pdf"],
    }
    quarantined = next(d for d in documents if d.filename == "big.pdf")
    assert "MB" in (quarantined.error or "")
    assert blob_store.get(quarantined.sha256) == big


def test_message_over_the_message_limit_is_kept_whole_in_quarantine(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = make_mail(attachments=[("po.pdf", make_pdf(), "application/pdf")]).as_bytes()
    document = only(ingest(engine, blob_store, raw, limits=IntakeLimits(max_message_bytes=1000)))
    assert (document.filename, document.state) == ("message.eml", DocumentState.QUARANTINED)


def test_broken_base64_does_not_stop_the_message(engine: Engine, blob_store: BlobStore) -> None:
    raw = (
        b"From: b@customer.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\n'
        b"Content-Type: text/plain\r\n\r\nOrder attached, two files.\r\n--X\r\n"
        b'Content-Type: application/pdf; name="bad.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"JVBERi0xLjQK%%%%not*base64!!!\r\nAAA\r\n--X\r\n"
        + pdf_part("good.pdf", make_pdf())
        + b"\r\n--X--\r\n"
    )
    states = by_state(ingest(engine, blob_store, raw))
    assert states[DocumentState.RECEIVED] == ["good.pdf"]
    assert states[DocumentState.QUARANTINED] == ["bad.pdf"]


def test_header_injection_and_path_traversal_in_file_names_are_neutralised(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = (
        b"From: b@customer.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\n'
        + pdf_part("..\\..\\windows/../../etc/passwd.pdf", make_pdf("a"))
        + b"\r\n--X\r\n"
        + pdf_part("=?utf-8?q?po=0D=0ABcc=3A_victim=40example=2Ecom.pdf?=", make_pdf("b"))
        + b"\r\n--X--\r\n"
    )
    names = sorted(d.filename for d in ingest(engine, blob_store, raw))
    assert names == ["passwd.pdf", "po Bcc: victim@example.com.pdf"]
    assert not any(c in "".join(names) for c in "\r\n/\\")


def test_unknown_binary_type_is_quarantined(engine: Engine, blob_store: BlobStore) -> None:
    raw = make_mail(
        attachments=[("setup.exe", b"MZ\x90\x00" + bytes(2000), "application/x-msdownload")]
    )
    document = only(ingest(engine, blob_store, raw.as_bytes()))
    assert document.state == DocumentState.QUARANTINED
    assert "not supported" in (document.error or "")


def test_decompression_bomb_image_is_quarantined(engine: Engine, blob_store: BlobStore) -> None:
    buffer = io.BytesIO()
    Image.new("1", (9_000, 9_000)).save(buffer, format="PNG")  # 81 M pixels
    assert len(buffer.getvalue()) < 1 * MB
    raw = make_mail(attachments=[("scan.png", buffer.getvalue(), "image/png")]).as_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert document.state == DocumentState.QUARANTINED
    assert "pixels" in (document.error or "") or "too large" in (document.error or "")


def test_zip_bomb_and_encrypted_zip_are_quarantined(engine: Engine, blob_store: BlobStore) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.pdf", b"\0" * (50 * MB))
    too_many = io.BytesIO()
    with zipfile.ZipFile(too_many, "w") as zf:
        for n in range(60):
            zf.writestr(f"po-{n}.pdf", make_pdf())
    raw = make_mail(
        attachments=[
            ("bomb.zip", bomb.getvalue(), "application/zip"),
            ("many.zip", too_many.getvalue(), "application/zip"),
        ]
    ).as_bytes()
    documents = ingest(engine, blob_store, raw)
    reasons = {d.filename: d.error or "" for d in documents}
    assert set(reasons) == {"bomb.zip", "many.zip"}
    assert "zip bomb" in reasons["bomb.zip"]
    assert "60 files" in reasons["many.zip"]
    assert all(d.state == DocumentState.QUARANTINED for d in documents)


def test_pgp_encrypted_message_is_quarantined(engine: Engine, blob_store: BlobStore) -> None:
    raw = (
        b"From: b@customer.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; '
        b'boundary="X"\r\n\r\n'
        b"--X\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
        b"--X\r\nContent-Type: application/octet-stream\r\n\r\n"
        b"-----BEGIN PGP MESSAGE-----\r\nxyz\r\n"
        b"--X--\r\n"
    )
    document = only(ingest(engine, blob_store, raw))
    assert document.state == DocumentState.QUARANTINED
    assert "encrypted" in (document.error or "")


def test_bytes_that_are_no_message_at_all_are_kept_as_text(
    engine: Engine, blob_store: BlobStore
) -> None:
    document = only(ingest(engine, blob_store, bytes(range(256)) * 40))
    assert (document.media_type, document.state) == ("text/plain", DocumentState.RECEIVED)
