"""TLS from the first byte and STARTTLS against Dovecot, with certificate verification."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from intake.imap_source import ImapPoller
from intake.registry import check_mailbox
from models.blobs import BlobStore
from models.intake_tables import ConnectionSecurity
from tests.intake.conftest import DovecotServer, MailboxFactory, Recorder
from tests.intake.factories import order_mail

pytestmark = pytest.mark.imap


@pytest.mark.parametrize("security", [ConnectionSecurity.TLS, ConnectionSecurity.STARTTLS])
def test_mail_is_taken_over_a_verified_tls_connection(
    security: ConnectionSecurity,
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.certificate))
    port = dovecot.tls_port if security == ConnectionSecurity.TLS else dovecot.port
    mailbox = make_mailbox(dovecot, imap_user, security=security, port=port)
    dovecot.append(imap_user, [order_mail()])
    assert mailbox.id is not None
    poller = ImapPoller(mailbox_id=mailbox.id, engine=engine, blobs=blob_store, enqueue=enqueue)
    assert poller.poll_once() == 1


def test_server_certificate_that_is_not_trusted_is_refused(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    mailbox = make_mailbox(
        dovecot, imap_user, security=ConnectionSecurity.TLS, port=dovecot.tls_port
    )
    check = check_mailbox(mailbox)
    assert not check.ok
    assert "CERTIFICATE_VERIFY_FAILED" in check.detail or "certificate" in check.detail
