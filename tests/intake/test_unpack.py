"""Messages into documents: real MIME edge cases, structured orders, bodies and charsets."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from intake.limits import IntakeLimits
from intake.service import ingest_message
from models.blobs import BlobStore
from models.documents import retry_document
from models.outbox import OutboxEvent
from models.tables import Document, DocumentState
from tests.intake.factories import make_fax_tiff, make_mail, make_pdf, make_png, order_mail

EMAILS = "06_emails"
ORDERS = "02_purchase_orders"


def ingest(
    engine: Engine, blobs: BlobStore, raw: bytes, *, limits: IntakeLimits = IntakeLimits()
) -> list[Document]:
    with Session(engine, expire_on_commit=False) as session:
        accepted = ingest_message(session, blobs=blobs, raw=raw, limits=limits)
        session.commit()
        return [a.document for a in accepted if a.created]


def only(documents: list[Document]) -> Document:
    assert len(documents) == 1, [(d.filename, d.state, d.error) for d in documents]
    return documents[0]


def test_attachment_of_a_forwarded_message_becomes_a_document(
    realdata: Path, engine: Engine, blob_store: BlobStore
) -> None:
    raw = (realdata / EMAILS / "mikel_mail" / "attachment_message_rfc822.eml").read_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert document.filename == "broken.pdf"
    # the sample's PDF really is cut short: kept, with the reason
    assert document.state == DocumentState.QUARANTINED
    assert document.error and "end-of-file" in document.error


def test_message_with_bare_lf_line_endings_yields_the_same_file_as_crlf(
    realdata: Path, engine: Engine, blob_store: BlobStore
) -> None:
    folder = realdata / EMAILS / "mikel_mail"
    crlf = only(ingest(engine, blob_store, (folder / "attachment_pdf.eml").read_bytes()))
    with Session(engine) as session:
        session.delete(session.get(Document, crlf.id))
        session.commit()
    lf = only(ingest(engine, blob_store, (folder / "attachment_pdf_lf.eml").read_bytes()))
    assert (lf.sha256, lf.filename) == (crlf.sha256, crlf.filename)


def test_unquoted_encoded_file_name_is_decoded_and_smime_wrapped_file_quarantined(
    realdata: Path, engine: Engine, blob_store: BlobStore
) -> None:
    raw = (
        realdata / EMAILS / "mikel_mail" / "attachment_with_base64_encoded_name.eml"
    ).read_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert document.filename == "This is a test.pdf"
    assert document.state == DocumentState.QUARANTINED
    assert "S/MIME" in (document.error or "")


def test_outlook_quoted_boundary_is_split_into_its_parts(
    realdata: Path, engine: Engine, blob_store: BlobStore
) -> None:
    name = "raw_email_with_multipart_mixed_quoted_boundary.eml"
    raw = (realdata / EMAILS / "mikel_mail" / name).read_bytes()
    assert only(ingest(engine, blob_store, raw)).filename == "broken.pdf"


def test_pdf_sent_as_octet_stream_is_recognised_by_its_content(
    realdata: Path, engine: Engine, blob_store: BlobStore
) -> None:
    raw = (realdata / EMAILS / "spamscope_mail-parser" / "mail_test_10.eml").read_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert (document.media_type, document.state) == ("application/pdf", DocumentState.RECEIVED)
    assert document.sender_domain == "it.ibm.com"


@pytest.mark.parametrize("name", ["mail_test_2.eml", "mail_test_7.eml"])
def test_inline_logos_and_signature_images_are_skipped(
    name: str, realdata: Path, engine: Engine, blob_store: BlobStore
) -> None:
    raw = (realdata / EMAILS / "spamscope_mail-parser" / name).read_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert document.media_type == "application/pdf"


@pytest.mark.parametrize(
    ("folder", "name", "media_type"),
    [
        ("ubl_peppol_orders", "Order_Example.xml", "application/xml"),
        ("orderx_xml_only", "akretion_order-x-basic.xml", "application/xml"),
        (
            "orderx_pdf_with_xml",
            "mustang_ORDER-X_EX01_ORDER_FULL_DATA-COMFORT.pdf",
            "application/pdf",
        ),
        ("edifact_orders", "pydifact_order.edi", "application/edifact"),
    ],
)
def test_structured_order_attachments_become_documents(
    folder: str, name: str, media_type: str, realdata: Path, engine: Engine, blob_store: BlobStore
) -> None:
    data = (realdata / ORDERS / folder / name).read_bytes()
    raw = make_mail(attachments=[(name, data, "application/octet-stream")]).as_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert (document.media_type, document.state) == (media_type, DocumentState.RECEIVED)
    assert blob_store.get(document.sha256) == data


def test_order_typed_in_the_body_becomes_a_text_document(
    engine: Engine, blob_store: BlobStore
) -> None:
    body = "Bonjour,\nmerci de nous livrer :\n10 x Vis M8 réf. VM8-40\n5 x Écrous M8\nCordialement"
    raw = make_mail(subject="Commande 4711", body=body, sender="jean@client.example").as_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert (document.media_type, document.filename) == ("text/plain", "mail-body.txt")
    text = blob_store.get(document.sha256).decode("utf-8")
    assert "Subject: Commande 4711" in text and "10 x Vis M8 réf. VM8-40" in text
    assert document.sender_email == "jean@client.example"


def test_body_of_a_mail_with_an_order_attached_is_not_a_document(
    engine: Engine, blob_store: BlobStore
) -> None:
    document = only(
        ingest(engine, blob_store, order_mail(body="Please find our order attached. " * 5))
    )
    assert document.filename == "order.pdf"


def test_html_only_body_is_turned_into_text_without_scripts_or_styles(
    engine: Engine, blob_store: BlobStore
) -> None:
    message = EmailMessage()
    message["From"] = "buyer@customer.example"
    message["Subject"] = "Order"
    message.set_content(
        "<html><head><style>td{color:red}</style><script>alert('x')</script></head><body>"
        "<p>Please deliver:</p><table><tr><td>SKU-1</td><td>12</td></tr>"
        "<tr><td>SKU-2</td><td>3</td></tr></table></body></html>",
        subtype="html",
    )
    text = blob_store.get(only(ingest(engine, blob_store, message.as_bytes())).sha256).decode()
    assert "SKU-1\t12" in text and "SKU-2\t3" in text
    assert "alert" not in text and "color" not in text


@pytest.mark.parametrize(
    ("charset", "declared"),
    [
        ("utf-8", "utf-8"),
        ("latin-1", "iso-8859-1"),
        ("cp1252", "windows-1252"),
        ("cp1252", "iso-8859-1"),
        ("utf-8", "x-no-such-charset"),
    ],
)
def test_body_charsets_are_decoded(
    charset: str, declared: str, engine: Engine, blob_store: BlobStore
) -> None:
    body = (
        "Bestellung für Müller: 3 Stück à 12,50 €"
        if charset != "latin-1"
        else "Bestellung für Müller: 3 Stück"
    )
    raw = (
        (
            f"From: b@customer.example\r\nSubject: Order\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset={declared}\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
        ).encode()
        + body.encode(charset)
        + b"\r\n"
    )
    text = blob_store.get(only(ingest(engine, blob_store, raw)).sha256).decode("utf-8")
    assert body in text


def test_rfc2231_file_name_is_decoded(engine: Engine, blob_store: BlobStore) -> None:
    message = make_mail()
    message.add_attachment(
        make_pdf(),
        maintype="application",
        subtype="pdf",
        filename=("utf-8", "", "Bestellung Müller €.pdf"),
    )
    assert "filename*=utf-8''" in message.as_string()
    assert (
        only(ingest(engine, blob_store, message.as_bytes())).filename == "Bestellung Müller €.pdf"
    )


def test_fax_tiffs_g3_and_g4_are_read_as_multipage_documents(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = make_mail(
        body="",
        attachments=[
            ("fax-g4.tif", make_fax_tiff(pages=3, compression="group4"), "image/tiff"),
            ("fax-g3.tif", make_fax_tiff(pages=2, compression="group3"), "image/tiff"),
        ],
    ).as_bytes()
    documents = ingest(engine, blob_store, raw)
    assert [(d.filename, d.media_type, d.state) for d in documents] == [
        ("fax-g4.tif", "image/tiff", DocumentState.RECEIVED),
        ("fax-g3.tif", "image/tiff", DocumentState.RECEIVED),
    ]


def test_zip_of_pdfs_is_unpacked_into_one_document_per_pdf(
    engine: Engine, blob_store: BlobStore
) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("orders/po-1.pdf", make_pdf("PO 1"))
        zf.writestr("../../po-2.pdf", make_pdf("PO 2"))
        zf.writestr("__MACOSX/._po-1.pdf", b"resource fork")
    raw = make_mail(attachments=[("orders.zip", archive.getvalue(), "application/zip")]).as_bytes()
    documents = ingest(engine, blob_store, raw)
    assert sorted(d.filename for d in documents) == ["po-1.pdf", "po-2.pdf"]
    assert all(d.state == DocumentState.RECEIVED for d in documents)


def test_same_message_taken_twice_makes_its_documents_once(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = order_mail()
    assert len(ingest(engine, blob_store, raw)) == 1
    assert ingest(engine, blob_store, raw) == []


def test_message_without_message_id_is_still_deduplicated(
    engine: Engine, blob_store: BlobStore
) -> None:
    message = make_mail(attachments=[("order.pdf", make_pdf(), "application/pdf")])
    del message["Message-ID"]
    assert len(ingest(engine, blob_store, message.as_bytes())) == 1
    assert ingest(engine, blob_store, message.as_bytes()) == []


def test_quarantined_file_is_announced_and_can_be_retried(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = make_mail(attachments=[("big.pdf", make_pdf(pages=3), "application/pdf")]).as_bytes()
    document = only(ingest(engine, blob_store, raw, limits=IntakeLimits(max_pages=2)))
    assert document.state == DocumentState.QUARANTINED
    assert document.review_reasons and "3 pages" in document.review_reasons[0]
    with Session(engine) as session:
        events = session.exec(select(OutboxEvent.type)).all()
        assert sorted(events) == ["document.quarantined", "document.received"]
        retry_document(session, document_id=document.id)  # type: ignore[arg-type]
        session.commit()
        assert session.get(Document, document.id).state == DocumentState.RECEIVED  # type: ignore[union-attr]


def test_encrypted_pdf_is_quarantined_with_the_reason(
    engine: Engine, blob_store: BlobStore
) -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt="secret")
    pdf.drawString(72, 720, "Order")
    pdf.save()
    raw = make_mail(attachments=[("locked.pdf", buffer.getvalue(), "application/pdf")]).as_bytes()
    document = only(ingest(engine, blob_store, raw))
    assert document.state == DocumentState.QUARANTINED
    assert "password" in (document.error or "")


def test_small_inline_image_is_skipped_but_a_page_sized_one_is_read(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = make_mail(
        body="",
        attachments=[
            ("logo.png", make_png(200, 80), "image/png"),
            ("scan.png", make_png(1240, 1754), "image/png"),
        ],
    ).as_bytes()
    assert only(ingest(engine, blob_store, raw)).filename == "scan.png"


def test_business_cards_invitations_and_signatures_are_left_out(
    engine: Engine, blob_store: BlobStore
) -> None:
    raw = make_mail(
        attachments=[
            ("po.pdf", make_pdf(), "application/pdf"),
            ("anna.vcf", b"BEGIN:VCARD\r\nFN:Anna\r\nEND:VCARD\r\n", "text/vcard"),
            ("invite.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
            ("smime.p7s", b"0\x82\x01\x00", "application/pkcs7-signature"),
        ]
    ).as_bytes()
    assert only(ingest(engine, blob_store, raw)).filename == "po.pdf"
