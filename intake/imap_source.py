"""The IMAP poller: one thread per mailbox, messages taken in UID order, each exactly once.

For each waiting message: fetch it, unpack it and commit its documents together with a
`ProcessedMessage` row keyed by (mailbox, folder, UIDVALIDITY, UID); only then move (or flag) it.
A crash after the commit finds the row on the next pass and only files the message away; after a
UIDVALIDITY change the rows no longer match, the message is unpacked again and the dedupe key
(Message-ID + attachment sha256) drops the doubles. New mail is awaited with IDLE where the
server has it, by polling otherwise; any network or server error ends the connection, and the
poller reconnects with exponential backoff.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from imapclient import IMAPClient
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import col, select

from intake.accept import quarantine_inbound
from intake.acknowledge import plan_acknowledgement, send_acknowledgement
from intake.backoff import Backoff
from intake.errors import ConnectionLostError, SourceRemovedError
from intake.imap_client import (
    FAILED_KEYWORD,
    PROCESSED_KEYWORD,
    close_quietly,
    connect_imap,
    ensure_folders,
    file_away,
    waiting_criteria,
)
from intake.inbound import InboundDocument
from intake.limits import IntakeLimits
from intake.mime import ParsedMail, parse_mail
from intake.unpack import PARSE_ERRORS, Intake, Origin, Unpacker
from models.blobs import BlobStore
from models.context import Enqueue
from models.db import session_scope
from models.intake_tables import Mailbox, MessageOutcome, ProcessedMessage
from models.tables import Stage, utcnow

log = logging.getLogger(__name__)

FETCH_BATCH_BYTES = 32 * 1024 * 1024
FETCH_BATCH_MESSAGES = 50
MAX_PASSES_BEFORE_WAITING = 100
STORE_AHEAD_THREADS = 4
SMALL_IMAGE_BYTES = 64 * 1024
"""Images smaller than this are mostly logos, which are skipped: not stored ahead."""


@dataclass(frozen=True)
class PollHooks:
    """Points where tests stop the poller the way a crash would (the process is killed)."""

    before_commit: Callable[[int], None] = lambda uid: None
    after_commit: Callable[[int], None] = lambda uid: None


class ImapPoller:
    def __init__(
        self,
        *,
        mailbox_id: int,
        engine: Engine,
        blobs: BlobStore,
        enqueue: Enqueue,
        limits: IntakeLimits = IntakeLimits(),
        hooks: PollHooks = PollHooks(),
        idle_refresh_seconds: float = 60.0,
        backoff: Backoff | None = None,
    ) -> None:
        self.mailbox_id = mailbox_id
        self.engine = engine
        self.blobs = blobs
        self.enqueue = enqueue
        self.limits = limits
        self.hooks = hooks
        self.idle_refresh_seconds = idle_refresh_seconds
        self.backoff = backoff or Backoff()

    def run(self, stop: threading.Event) -> None:
        """Take mail until `stop` is set; no error ends this loop, only `stop`."""
        while not stop.is_set():
            client: IMAPClient | None = None
            try:
                mailbox = self._load_mailbox()
                if not mailbox.enabled:
                    log.info("mailbox %s was disabled; its poller stops", mailbox.name)
                    return
                client = connect_imap(mailbox)
                ensure_folders(client, [mailbox.processed_folder, mailbox.failed_folder])
                self.backoff.reset()
                while not stop.is_set():
                    self._take_all_waiting(client, mailbox)
                    self._wait_for_mail(client, mailbox, stop)
            except SourceRemovedError:
                log.info("mailbox %s was removed; its poller stops", self.mailbox_id)
                return
            except Exception as error:  # network, server, database: reconnect after a pause
                delay = self.backoff.next_delay()
                log.warning(
                    "mailbox %s: %s; reconnecting in %.0f s",
                    self.mailbox_id,
                    _describe(error),
                    delay,
                )
                self._record_status(error=_describe(error))
                stop.wait(delay)
            finally:
                if client is not None:
                    close_quietly(client)

    def poll_once(self) -> int:
        """Connect, take every waiting message, disconnect; the number of messages taken."""
        mailbox = self._load_mailbox()
        client = connect_imap(mailbox)
        try:
            ensure_folders(client, [mailbox.processed_folder, mailbox.failed_folder])
            return self._take_all_waiting(client, mailbox)
        finally:
            close_quietly(client)

    def _take_all_waiting(self, client: IMAPClient, mailbox: Mailbox) -> int:
        taken = 0
        for _ in range(MAX_PASSES_BEFORE_WAITING):
            found = self.take_waiting(client, mailbox)
            taken += found
            if found == 0:
                break
        self._record_status(error=None)
        return taken

    def take_waiting(self, client: IMAPClient, mailbox: Mailbox) -> int:
        """One pass over the watched folder; the number of messages found waiting."""
        info = client.select_folder(mailbox.folder)
        uidvalidity = int(info[b"UIDVALIDITY"])
        if mailbox.uidvalidity != uidvalidity:
            self._record_uidvalidity(mailbox, uidvalidity)
        uids = sorted(int(uid) for uid in client.search(waiting_criteria()))
        for batch in _chunks(uids, FETCH_BATCH_MESSAGES):
            self._take_batch(client, mailbox, uidvalidity, batch)
        return len(uids)

    def _take_batch(
        self, client: IMAPClient, mailbox: Mailbox, uidvalidity: int, uids: list[int]
    ) -> None:
        outcomes = self._known_outcomes(mailbox, uidvalidity, uids)
        new = [uid for uid in uids if uid not in outcomes]
        sizes = {
            int(uid): int(data[b"RFC822.SIZE"])
            for uid, data in (client.fetch(new, ["RFC822.SIZE"]).items() if new else [])
        }
        fits = [uid for uid in new if sizes.get(uid, 0) <= self.limits.max_message_bytes]
        for group in _by_size(fits, sizes, FETCH_BATCH_BYTES):
            fetched = client.fetch(group, ["BODY.PEEK[]"])
            raws = {
                uid: bytes(fetched[uid][b"BODY[]"])
                for uid in group
                if b"BODY[]" in fetched.get(uid, {})  # else expunged meanwhile by another client
            }
            mails = {uid: _parse_or_none(raw, self.limits) for uid, raw in raws.items()}
            self._store_attachments_ahead(mails.values())
            for uid, raw in raws.items():
                outcomes[uid] = self._take_message(mailbox, uidvalidity, uid, raw, mails[uid])
        for uid in new:
            if uid in sizes and uid not in fits:
                outcomes[uid] = self._refuse_oversized(mailbox, uidvalidity, uid, sizes[uid])
        processed = sorted(u for u, o in outcomes.items() if o == MessageOutcome.PROCESSED)
        failed = sorted(u for u, o in outcomes.items() if o == MessageOutcome.FAILED)
        file_away(client, processed, folder=mailbox.processed_folder, keyword=PROCESSED_KEYWORD)
        file_away(client, failed, folder=mailbox.failed_folder, keyword=FAILED_KEYWORD)

    def _known_outcomes(
        self, mailbox: Mailbox, uidvalidity: int, uids: list[int]
    ) -> dict[int, MessageOutcome]:
        if not uids:
            return {}
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(ProcessedMessage.uid, ProcessedMessage.outcome).where(
                    ProcessedMessage.mailbox_id == self.mailbox_id,
                    ProcessedMessage.folder == mailbox.folder,
                    ProcessedMessage.uidvalidity == uidvalidity,
                    col(ProcessedMessage.uid).in_(uids),
                )
            ).all()
        return {uid: MessageOutcome(outcome) for uid, outcome in rows}

    def _store_attachments_ahead(self, mails: Iterable[ParsedMail | None]) -> None:
        """Write the attachments of a batch to the blob store in parallel.

        Storing a blob waits for the disk (fsync); doing it for the whole batch at once, before
        the messages are taken one by one in UID order, overlaps those waits. A blob stored for
        a message that then fails stays unreferenced, which the content-addressed store allows.
        """
        files = [
            part.data
            for mail in mails
            if mail is not None
            for part in mail.files
            if part.problem is None
            and 0 < len(part.data) <= self.limits.max_attachment_bytes
            and not (part.declared_type.startswith("image/") and len(part.data) < SMALL_IMAGE_BYTES)
        ]
        if len(files) > 1:
            with ThreadPoolExecutor(max_workers=STORE_AHEAD_THREADS) as pool:
                list(pool.map(self.blobs.put, files))

    def _take_message(
        self, mailbox: Mailbox, uidvalidity: int, uid: int, raw: bytes, mail: ParsedMail | None
    ) -> MessageOutcome:
        try:
            with session_scope(self.engine) as session:
                intake = Unpacker(session, blobs=self.blobs, limits=self.limits).take_message(
                    raw, origin=Origin(source=mailbox.source, ref=""), mail=mail
                )
                outcome, reason = _judge_outcome(intake)
                session.add(
                    ProcessedMessage(
                        mailbox_id=self.mailbox_id,
                        folder=mailbox.folder,
                        uidvalidity=uidvalidity,
                        uid=uid,
                        message_id=intake.mail.message_id if intake.mail else None,
                        outcome=outcome,
                        documents=sum(1 for a in intake.accepted if a.created),
                        reason=reason,
                    )
                )
                ack = plan_acknowledgement(
                    session, mailbox=mailbox, intake=intake, limits=self.limits
                )
                session.flush()
                ack_id = ack.id if ack is not None else None
                self.hooks.before_commit(uid)
        except IntegrityError:
            log.info("mailbox %s: message %s was taken by another poller", self.mailbox_id, uid)
            return MessageOutcome.PROCESSED
        except (SQLAlchemyError, OSError):
            raise  # the database or the disk, not the message: retried after a reconnect
        except Exception as error:  # a message that trips a bug must not stop the mailbox
            log.exception("mailbox %s: message %s could not be taken", self.mailbox_id, uid)
            return self._keep_unexpected_failure(mailbox, uidvalidity, uid, raw, error)
        self.hooks.after_commit(uid)
        self._ring(intake)
        if ack_id is not None and intake.mail is not None:
            send_acknowledgement(self.engine, mailbox=mailbox, mail=intake.mail, ack_id=ack_id)
        log.info(
            "mailbox %s: message %s (%s) %s, %d document(s)",
            self.mailbox_id,
            uid,
            intake.mail.message_id if intake.mail else "?",
            outcome,
            len(intake.accepted),
        )
        return outcome

    def _keep_unexpected_failure(
        self, mailbox: Mailbox, uidvalidity: int, uid: int, raw: bytes, error: Exception
    ) -> MessageOutcome:
        """Quarantine the whole message with the error, so that it is seen and can be retried
        once the cause is fixed, and file it away as failed."""
        reason = (
            f"intake failed on this message ({type(error).__name__}: {error}); it is kept "
            f"whole here and in the mail folder {mailbox.failed_folder or mailbox.folder!r}"
        )
        with session_scope(self.engine) as session:
            quarantine_inbound(
                session,
                blobs=self.blobs,
                inbound=InboundDocument(
                    data=raw,
                    filename="message.eml",
                    source=mailbox.source,
                    source_ref=f"{mailbox.name} uid {uid}",
                    media_type="message/rfc822",
                ),
                reason=reason[:2000],
            )
            session.add(
                ProcessedMessage(
                    mailbox_id=self.mailbox_id,
                    folder=mailbox.folder,
                    uidvalidity=uidvalidity,
                    uid=uid,
                    outcome=MessageOutcome.FAILED,
                    reason=reason[:2000],
                )
            )
        return MessageOutcome.FAILED

    def _refuse_oversized(
        self, mailbox: Mailbox, uidvalidity: int, uid: int, size: int
    ) -> MessageOutcome:
        reason = (
            f"the message is {size / 1e6:.1f} MB; messages over "
            f"{self.limits.max_message_bytes / 1e6:.0f} MB are not downloaded. It was left in "
            f"{mailbox.failed_folder or mailbox.folder!r}: raise the limit and move it back, or "
            "ask the sender to split it"
        )
        log.warning("mailbox %s: message %s refused: %s", self.mailbox_id, uid, reason)
        with session_scope(self.engine) as session:
            session.add(
                ProcessedMessage(
                    mailbox_id=self.mailbox_id,
                    folder=mailbox.folder,
                    uidvalidity=uidvalidity,
                    uid=uid,
                    outcome=MessageOutcome.FAILED,
                    reason=reason,
                )
            )
        return MessageOutcome.FAILED

    def _ring(self, intake: Intake) -> None:
        """Ring the bell for each new document; a lost bell is found again by the sweep."""
        for document_id in intake.to_read:
            try:
                self.enqueue(document_id, Stage.READ.value)
            except Exception as error:
                log.warning("document %s saved but not enqueued: %s", document_id, error)

    def _wait_for_mail(self, client: IMAPClient, mailbox: Mailbox, stop: threading.Event) -> None:
        if not (mailbox.use_idle and client.has_capability("IDLE")):
            stop.wait(mailbox.poll_interval_seconds)
            client.noop()
            return
        client.idle()
        deadline = time.monotonic() + self.idle_refresh_seconds
        while not stop.is_set() and time.monotonic() < deadline:
            responses = client.idle_check(timeout=1)
            if any(r[0] == b"BYE" for r in responses):
                raise ConnectionLostError("the IMAP server said BYE (shutting down?)")
            if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                break
        client.idle_done()

    def _load_mailbox(self) -> Mailbox:
        with session_scope(self.engine) as session:
            mailbox = session.get(Mailbox, self.mailbox_id)
            if mailbox is None:
                raise SourceRemovedError(f"mailbox {self.mailbox_id} was removed")
            session.expunge(mailbox)
            return mailbox

    def _record_uidvalidity(self, mailbox: Mailbox, uidvalidity: int) -> None:
        if mailbox.uidvalidity is not None:
            log.warning(
                "mailbox %s: UIDVALIDITY of %s changed from %s to %s; its messages are read again "
                "and doubles dropped by Message-ID",
                mailbox.name,
                mailbox.folder,
                mailbox.uidvalidity,
                uidvalidity,
            )
        with session_scope(self.engine) as session:
            row = session.get(Mailbox, self.mailbox_id)
            if row is not None:
                row.uidvalidity = uidvalidity
                session.add(row)
        mailbox.uidvalidity = uidvalidity

    def _record_status(self, *, error: str | None) -> None:
        try:
            with session_scope(self.engine) as session:
                row = session.get(Mailbox, self.mailbox_id)
                if row is not None:
                    row.last_error = error
                    if error is None:
                        row.last_polled_at = utcnow()
                    session.add(row)
        except Exception as db_error:  # the database may be what failed
            log.warning("mailbox %s: status not recorded: %s", self.mailbox_id, db_error)


def _parse_or_none(raw: bytes, limits: IntakeLimits) -> ParsedMail | None:
    """The parsed message, or None to let the unpacker quarantine it with the reason."""
    if len(raw) > limits.max_message_bytes:
        return None
    try:
        return parse_mail(raw, limits=limits)
    except PARSE_ERRORS:
        return None


def _judge_outcome(intake: Intake) -> tuple[MessageOutcome, str | None]:
    if intake.readable:
        return MessageOutcome.PROCESSED, None
    if intake.accepted:
        reasons = {a.document.error for a in intake.accepted if a.document.error}
        return MessageOutcome.FAILED, "every file was quarantined: " + "; ".join(sorted(reasons))
    return MessageOutcome.FAILED, (
        "no order found in the message: no attachment could be read and the body has no text"
    )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _by_size(uids: list[int], sizes: dict[int, int], budget: int) -> Iterator[list[int]]:
    group: list[int] = []
    total = 0
    for uid in uids:
        if group and total + sizes.get(uid, 0) > budget:
            yield group
            group, total = [], 0
        group.append(uid)
        total += sizes.get(uid, 0)
    if group:
        yield group
