"""The optional "order received" reply: at most one per message, never to machines, rate-limited.

The decision is written in the same transaction as the documents (status `pending`), and the
mail is sent after the commit. A crash in between leaves the row pending and nothing is sent
again: a customer may miss a reply, but never gets two (RFC 3834's rule for automatic replies).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from intake.limits import IntakeLimits
from intake.mime import ParsedMail
from intake.secrets import read_secret
from intake.unpack import Intake
from models.db import session_scope
from models.intake_tables import (
    Acknowledgement,
    AcknowledgementStatus,
    ConnectionSecurity,
    Mailbox,
)
from models.tables import utcnow

log = logging.getLogger(__name__)

MACHINE_SENDERS = (
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
)
SMTP_TIMEOUT_SECONDS = 30


def reply_refusal(mail: ParsedMail) -> str | None:
    """Why this message must get no automatic reply (RFC 3834), or None when it may."""
    headers = {name: value.strip().lower() for name, value in mail.headers.items()}
    if headers.get("auto-submitted", "no") not in ("", "no"):
        return "the message was sent automatically (Auto-Submitted)"
    if headers.get("precedence") in ("bulk", "list", "junk", "auto_reply"):
        return f"the message has Precedence: {headers['precedence']}"
    if headers.get("return-path") == "<>":
        return "the message is a bounce (empty Return-Path)"
    if headers.get("list-id") or headers.get("list-unsubscribe"):
        return "the message came through a mailing list"
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return "the message is an auto-reply"
    if headers.get("content-type", "").startswith("multipart/report"):
        return "the message is a delivery or read report"
    recipient = mail.reply_to or mail.sender_email
    if not recipient:
        return "the message has no sender address"
    if recipient.split("@", 1)[0] in MACHINE_SENDERS:
        return f"the sender {recipient} does not read replies"
    return None


def plan_acknowledgement(
    session: Session, *, mailbox: Mailbox, intake: Intake, limits: IntakeLimits
) -> Acknowledgement | None:
    """Record the reply decision for this message; the row to send after commit, or None."""
    mail = intake.mail
    if not mailbox.acknowledge or mail is None or intake.readable == 0:
        return None
    known = session.exec(
        select(Acknowledgement).where(Acknowledgement.message_key == mail.message_id)
    ).first()
    if known is not None:
        return None
    recipient = (mail.reply_to or mail.sender_email or "")[:320]
    refusal = reply_refusal(mail)
    if refusal is None and _sent_last_hour(session, recipient) >= limits.ack_per_sender_per_hour:
        refusal = f"{recipient} already got {limits.ack_per_sender_per_hour} replies this hour"
    ids = sorted(a.document.id for a in intake.accepted if a.document.id is not None)
    row = Acknowledgement(
        message_key=mail.message_id,
        recipient=recipient,
        reference=f"ORD-{ids[0]:06d}" if ids else "",
        status=AcknowledgementStatus.PENDING if refusal is None else AcknowledgementStatus.SKIPPED,
        reason=refusal,
    )
    session.add(row)
    return row if refusal is None else None


def _sent_last_hour(session: Session, recipient: str) -> int:
    since = utcnow() - timedelta(hours=1)
    count = session.exec(
        select(func.count()).where(
            Acknowledgement.recipient == recipient,
            col(Acknowledgement.status).in_(
                [AcknowledgementStatus.PENDING, AcknowledgementStatus.SENT]
            ),
            Acknowledgement.created_at >= since,
        )
    ).one()
    return int(count)


def build_reply(
    *, mailbox: Mailbox, mail: ParsedMail, reference: str, recipient: str
) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = mailbox.ack_from or mailbox.username
    reply["To"] = recipient
    subject = mail.subject or "your order"
    reply["Subject"] = f"Order received, reference {reference}: {subject}"[:250]
    reply["Date"] = formatdate(localtime=False)
    reply["Message-ID"] = make_msgid(
        domain=(mailbox.ack_from or mailbox.username).rpartition("@")[2] or None
    )
    reply["In-Reply-To"] = mail.message_id
    reply["References"] = mail.message_id
    reply["Auto-Submitted"] = "auto-replied"
    reply["X-Auto-Response-Suppress"] = "All"
    reply.set_content(
        "Thank you: we have received your order.\n"
        f"Our reference: {reference}\n\n"
        "Please quote this reference if you write to us about this order.\n"
        "This message was sent automatically; there is no need to answer it.\n"
    )
    return reply


def send_acknowledgement(
    engine: Engine, *, mailbox: Mailbox, mail: ParsedMail, ack_id: int
) -> bool:
    """Send the pending reply and record the result; False when the SMTP server refused it."""
    with session_scope(engine) as session:
        ack = session.get(Acknowledgement, ack_id)
        if ack is None or ack.status != AcknowledgementStatus.PENDING:
            return False
        reply = build_reply(
            mailbox=mailbox, mail=mail, reference=ack.reference, recipient=ack.recipient
        )
    try:
        _deliver(mailbox, reply)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("acknowledgement to %s not sent: %s", ack.recipient, error)
        _record(
            engine, ack_id, AcknowledgementStatus.FAILED, f"the SMTP server refused it: {error}"
        )
        return False
    _record(engine, ack_id, AcknowledgementStatus.SENT, None)
    return True


def _deliver(mailbox: Mailbox, reply: EmailMessage) -> None:
    if not mailbox.smtp_host:
        raise ValueError(f"mailbox {mailbox.name!r} has acknowledgements on but no SMTP host")
    security = ConnectionSecurity(mailbox.smtp_security)
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if security == ConnectionSecurity.TLS:
        smtp = smtplib.SMTP_SSL(
            mailbox.smtp_host, mailbox.smtp_port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        smtp = smtplib.SMTP(mailbox.smtp_host, mailbox.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
    with smtp:
        if security == ConnectionSecurity.STARTTLS:
            smtp.starttls(context=context)
        if mailbox.smtp_username:
            smtp.login(
                mailbox.smtp_username,
                read_secret(
                    env=mailbox.smtp_password_env,
                    file=mailbox.smtp_password_file,
                    what=f"the SMTP server of mailbox {mailbox.name!r}",
                ),
            )
        smtp.send_message(reply)


def _record(engine: Engine, ack_id: int, status: AcknowledgementStatus, reason: str | None) -> None:
    with session_scope(engine) as session:
        ack = session.get(Acknowledgement, ack_id)
        if ack is not None:
            ack.status = status
            ack.reason = reason
            ack.sent_at = utcnow() if status == AcknowledgementStatus.SENT else None
            session.add(ack)
