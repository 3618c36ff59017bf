"""Acknowledgements through a real SMTP server (aiosmtpd), from a poller on a real Dovecot."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from intake.acknowledge import reply_refusal
from intake.imap_source import ImapPoller
from intake.limits import IntakeLimits
from intake.mime import parse_mail
from models.blobs import BlobStore
from models.intake_tables import Acknowledgement, AcknowledgementStatus, ConnectionSecurity
from tests.intake.conftest import DovecotServer, MailboxFactory, Recorder, SmtpSink
from tests.intake.factories import make_mail, order_mail

pytestmark = pytest.mark.imap


def poll(
    server: DovecotServer,
    user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blobs: BlobStore,
    enqueue: Recorder,
    smtp: SmtpSink,
    limits: IntakeLimits = IntakeLimits(),
) -> None:
    mailbox = make_mailbox(
        server,
        user,
        acknowledge=True,
        ack_from="orders@seller.example",
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_security=ConnectionSecurity.NONE,
    )
    assert mailbox.id is not None
    ImapPoller(
        mailbox_id=mailbox.id, engine=engine, blobs=blobs, enqueue=enqueue, limits=limits
    ).poll_once()


def test_customer_gets_one_reply_with_the_reference_and_machines_get_none(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
    smtp_server: SmtpSink,
) -> None:
    order = order_mail(
        sender="Anna <anna@acme.example>", subject="PO 77", message_id="<po77@acme.example>"
    )
    machines = [
        order_mail(sender="robot@acme.example", headers={"Auto-Submitted": "auto-generated"}),
        order_mail(sender="list@acme.example", headers={"Precedence": "bulk"}),
        order_mail(sender="bounce@acme.example", headers={"Return-Path": "<>"}),
        order_mail(sender="news@acme.example", headers={"List-Id": "<news.acme.example>"}),
    ]
    dovecot.append(imap_user, [order, order, *machines])  # the same message twice, too

    poll(dovecot, imap_user, make_mailbox, engine, blob_store, enqueue, smtp_server)

    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["anna@acme.example"]
    reply = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[arg-type]
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["In-Reply-To"] == "<po77@acme.example>"
    with Session(engine) as session:
        sent = session.exec(
            select(Acknowledgement).where(Acknowledgement.status == AcknowledgementStatus.SENT)
        ).one()
        skipped = session.exec(
            select(Acknowledgement).where(Acknowledgement.status == AcknowledgementStatus.SKIPPED)
        ).all()
    assert sent.reference in str(reply["Subject"]) and sent.reference.startswith("ORD-")
    assert len(skipped) == 4


def test_replies_to_one_sender_are_rate_limited(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
    smtp_server: SmtpSink,
) -> None:
    dovecot.append(imap_user, [order_mail(sender="busy@acme.example") for _ in range(4)])
    poll(
        dovecot,
        imap_user,
        make_mailbox,
        engine,
        blob_store,
        enqueue,
        smtp_server,
        limits=IntakeLimits(ack_per_sender_per_hour=2),
    )
    assert len(smtp_server.messages) == 2


@pytest.mark.parametrize(
    ("headers", "sender"),
    [
        ({"Auto-Submitted": "auto-replied"}, "a@x.example"),
        ({"Precedence": "junk"}, "a@x.example"),
        ({"X-Autoreply": "yes"}, "a@x.example"),
        ({}, "MAILER-DAEMON@x.example"),
        ({}, "no-reply@x.example"),
    ],
)
def test_automatic_senders_are_never_answered(headers: dict[str, str], sender: str) -> None:
    assert reply_refusal(parse_mail(make_mail(sender=sender, headers=headers).as_bytes()))


def test_a_person_may_be_answered() -> None:
    assert reply_refusal(parse_mail(make_mail(sender="anna@acme.example").as_bytes())) is None
