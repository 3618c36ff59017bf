"""Tables of the intake sources: mailboxes, the messages already taken, hot folders, replies sent.

Passwords are never stored: a mailbox names the environment variable or the secret file that
holds its password, read when the poller connects.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import utcnow


class ConnectionSecurity(StrEnum):
    TLS = "tls"
    """TLS from the first byte (IMAPS 993, SMTPS 465)."""
    STARTTLS = "starttls"
    """Plain connection upgraded with STARTTLS before login (IMAP 143, SMTP 587)."""
    NONE = "none"
    """No encryption: only for servers on this machine or in tests."""


class Mailbox(SQLModel, table=True):
    __tablename__ = "intake_mailboxes"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    host: str = Field(max_length=255)
    port: int = 993
    security: str = Field(default=ConnectionSecurity.TLS, max_length=10)
    username: str = Field(max_length=320)
    password_env: str | None = Field(default=None, max_length=200)
    password_file: str | None = Field(default=None, max_length=1000)
    folder: str = Field(default="INBOX", max_length=500)
    processed_folder: str = Field(
        default="Ordino-Processed", max_length=500, description="empty: flag instead of moving"
    )
    failed_folder: str = Field(
        default="Ordino-Failed", max_length=500, description="empty: flag instead of moving"
    )
    source: str = Field(default="mail", max_length=20, description="mail, or fax for a gateway")
    use_idle: bool = True
    poll_interval_seconds: int = 60
    enabled: bool = True
    acknowledge: bool = False
    ack_from: str | None = Field(default=None, max_length=320)
    smtp_host: str | None = Field(default=None, max_length=255)
    smtp_port: int = 587
    smtp_security: str = Field(default=ConnectionSecurity.STARTTLS, max_length=10)
    smtp_username: str | None = Field(default=None, max_length=320)
    smtp_password_env: str | None = Field(default=None, max_length=200)
    smtp_password_file: str | None = Field(default=None, max_length=1000)
    uidvalidity: int | None = Field(default=None, description="last UIDVALIDITY seen")
    last_polled_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)


class MessageOutcome(StrEnum):
    PROCESSED = "processed"
    """Its documents are committed (some may be quarantined)."""
    FAILED = "failed"
    """Nothing usable came out of it, or it could not be taken at all; see `reason`."""


class ProcessedMessage(SQLModel, table=True):
    """One IMAP message already taken: written in the transaction that commits its documents."""

    __tablename__ = "intake_processed_messages"
    __table_args__ = (
        UniqueConstraint(
            "mailbox_id", "folder", "uidvalidity", "uid", name="uq_intake_processed_message"
        ),
        Index("ix_intake_processed_message_id", "message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    mailbox_id: int = Field(foreign_key="intake_mailboxes.id", index=True)
    folder: str = Field(max_length=500)
    uidvalidity: int
    uid: int
    message_id: str | None = Field(default=None, max_length=500)
    outcome: str = Field(default=MessageOutcome.PROCESSED, max_length=20)
    documents: int = 0
    reason: str | None = Field(default=None, sa_column=Column(Text))
    processed_at: datetime = Field(default_factory=utcnow)


class HotFolder(SQLModel, table=True):
    __tablename__ = "intake_hot_folders"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(max_length=1000, unique=True)
    source: str = Field(default="fax", max_length=20, description="fax or folder")
    stable_seconds: float = Field(default=2.0, description="unchanged this long = complete")
    poll_interval_seconds: float = 1.0
    enabled: bool = True
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)


class AcknowledgementStatus(StrEnum):
    PENDING = "pending"
    """Decided and committed with the documents; a crash before sending leaves it unsent."""
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Acknowledgement(SQLModel, table=True):
    """At most one reply per received message: the message key is unique."""

    __tablename__ = "intake_acknowledgements"

    id: int | None = Field(default=None, primary_key=True)
    message_key: str = Field(max_length=500, unique=True)
    recipient: str = Field(max_length=320, index=True)
    reference: str = Field(max_length=200)
    status: str = Field(default=AcknowledgementStatus.PENDING, max_length=20)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = None
