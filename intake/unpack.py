"""Messages and files turned into documents: the one path every source goes through.

A file is judged (`intake.inspection`), then read, quarantined, skipped or unpacked (a zip, an
attached mail, an HTML page). A mail's body becomes a document of its own when nothing else in
the mail did: that is how an order typed in the mail arrives. Nothing here commits; the caller
commits once per message or file, then enqueues the documents to read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from extraction.reading.media_types import EMAIL, PLAIN_TEXT, detect_media_type
from intake.accept import Accepted, quarantine_inbound, store_inbound
from intake.archives import ArchiveRejectedError, unpack_zip
from intake.filenames import safe_filename
from intake.htmltext import html_to_text
from intake.inbound import InboundDocument
from intake.inspection import Action, judge_file
from intake.limits import IntakeLimits
from intake.mime import ParsedMail, decode_text, parse_mail
from models.blobs import BlobStore
from models.tables import DocumentState

log = logging.getLogger(__name__)

MAX_NESTED_CONTAINERS = 3
"""A zip in a mail in a zip…: deeper than this is quarantined, not unpacked."""
BODY_FILENAME = "mail-body.txt"
PARSE_ERRORS = (RecursionError, ValueError, TypeError, LookupError, IndexError)
"""What the stdlib parser raises on messages it cannot take apart."""


@dataclass(frozen=True)
class Origin:
    """Where the files at hand came from; copied onto every document made from them."""

    source: str
    ref: str
    message_id: str | None = None
    sender_email: str | None = None
    mail_date: datetime | None = None


@dataclass
class Intake:
    """What one message or file became."""

    accepted: list[Accepted] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    body_texts: list[str] = field(default_factory=list)
    mail: ParsedMail | None = None

    @property
    def to_read(self) -> list[int]:
        """Ids of the new documents that wait for the read stage."""
        return [
            a.document.id
            for a in self.accepted
            if a.created
            and a.document.id is not None
            and a.document.state == DocumentState.RECEIVED
        ]

    @property
    def readable(self) -> int:
        """Documents (new or already known) that went to the pipeline rather than quarantine."""
        return sum(1 for a in self.accepted if a.document.state != DocumentState.QUARANTINED)


class Unpacker:
    def __init__(self, session: Session, *, blobs: BlobStore, limits: IntakeLimits) -> None:
        self.session = session
        self.blobs = blobs
        self.limits = limits

    def take_message(self, raw: bytes, *, origin: Origin, mail: ParsedMail | None = None) -> Intake:
        """One RFC 5322 message; one that cannot be taken apart is quarantined whole.

        `mail` is `raw` already parsed, when the caller needed to look inside first.
        """
        intake = Intake()
        if len(raw) > self.limits.max_message_bytes:
            self._quarantine_raw(
                raw,
                origin,
                intake,
                f"the message is {len(raw) / 1e6:.1f} MB; messages over "
                f"{self.limits.max_message_bytes / 1e6:.0f} MB are not unpacked",
            )
            return intake
        if mail is None:
            try:
                mail = parse_mail(raw, limits=self.limits)
            except PARSE_ERRORS as error:
                self._quarantine_raw(
                    raw, origin, intake, f"the message cannot be unpacked ({error!r})"
                )
                return intake
        intake.mail = mail
        mail_origin = Origin(
            source=origin.source,
            ref=origin.ref or mail.message_id,
            message_id=mail.message_id,
            sender_email=mail.sender_email,
            mail_date=mail.date,
        )
        self._take_mail_parts(mail, mail_origin, intake, depth=0)
        if intake.body_texts or mail.body_text:
            self._take_body(mail, mail_origin, intake)
        if mail.problems:
            self._quarantine_raw(raw, mail_origin, intake, "; ".join(mail.problems))
        return intake

    def take_file(self, data: bytes, *, filename: str, origin: Origin) -> Intake:
        """One file from a folder or an upload (a mail file is unpacked like a message)."""
        if detect_media_type(data, filename) == EMAIL:
            return self.take_message(data, origin=origin)
        intake = Intake()
        self._take_file(
            data,
            filename=filename,
            declared_type="",
            origin=origin,
            intake=intake,
            depth=0,
            may_skip=False,
        )
        if not intake.accepted and intake.body_texts:
            text = "\n\n".join(intake.body_texts).strip() + "\n"
            self._keep(
                intake,
                origin,
                data=text.encode("utf-8"),
                filename=safe_filename(filename, media_type=PLAIN_TEXT, fallback_stem="page")
                + ".txt",
                media_type=PLAIN_TEXT,
            )
        return intake

    def _take_mail_parts(
        self, mail: ParsedMail, origin: Origin, intake: Intake, *, depth: int
    ) -> None:
        for index, part in enumerate(mail.files, start=1):
            if part.problem:
                self._keep(
                    intake,
                    origin,
                    data=part.data,
                    filename=safe_filename(
                        part.filename, media_type="", fallback_stem=f"attachment-{index}"
                    ),
                    media_type=part.declared_type,
                    reason=part.problem,
                )
                continue
            self._take_file(
                part.data,
                filename=part.filename,
                declared_type=part.declared_type,
                origin=origin,
                intake=intake,
                depth=depth,
                referenced_by_html=part.referenced_by_html,
                index=index,
            )

    def _take_file(
        self,
        data: bytes,
        *,
        filename: str,
        declared_type: str,
        origin: Origin,
        intake: Intake,
        depth: int,
        referenced_by_html: bool = False,
        may_skip: bool = True,
        index: int = 1,
    ) -> None:
        verdict = judge_file(
            data,
            filename=filename,
            declared_type=declared_type,
            referenced_by_html=referenced_by_html,
            limits=self.limits,
        )
        name = safe_filename(
            filename, media_type=verdict.media_type, fallback_stem=f"attachment-{index}"
        )
        if (
            verdict.action in (Action.UNPACK_ZIP, Action.UNPACK_MAIL)
            and depth >= MAX_NESTED_CONTAINERS
        ):
            self._keep(
                intake,
                origin,
                data=data,
                filename=name,
                media_type=verdict.media_type,
                reason=f"archives or mails nested more than {MAX_NESTED_CONTAINERS} deep "
                "are not unpacked",
            )
        elif verdict.action == Action.READ:
            self._keep(intake, origin, data=data, filename=name, media_type=verdict.media_type)
        elif verdict.action == Action.QUARANTINE:
            self._keep(
                intake,
                origin,
                data=data,
                filename=name,
                media_type=verdict.media_type,
                reason=verdict.reason or "the file was refused",
            )
        elif verdict.action == Action.SKIP and not may_skip:
            self._keep(intake, origin, data=data, filename=name, media_type=verdict.media_type)
        elif verdict.action == Action.SKIP:
            intake.skipped.append(f"{name}: {verdict.reason}")
        elif verdict.action == Action.BODY_TEXT:
            intake.body_texts.append(html_to_text(decode_text(data, None)))
        elif verdict.action == Action.UNPACK_ZIP:
            self._take_zip(data, name=name, origin=origin, intake=intake, depth=depth)
        elif verdict.action == Action.UNPACK_MAIL:
            self._take_attached_mail(data, name=name, origin=origin, intake=intake, depth=depth)

    def _take_zip(
        self, data: bytes, *, name: str, origin: Origin, intake: Intake, depth: int
    ) -> None:
        try:
            members = unpack_zip(data, limits=self.limits)
        except ArchiveRejectedError as error:
            self._keep(
                intake,
                origin,
                data=data,
                filename=name,
                media_type="application/zip",
                reason=str(error),
            )
            return
        for number, member in enumerate(members, start=1):
            self._take_file(
                member.data,
                filename=member.name,
                declared_type="",
                origin=Origin(
                    source=origin.source,
                    ref=f"{origin.ref} {name}",
                    message_id=origin.message_id,
                    sender_email=origin.sender_email,
                    mail_date=origin.mail_date,
                ),
                intake=intake,
                depth=depth + 1,
                index=number,
            )

    def _take_attached_mail(
        self, data: bytes, *, name: str, origin: Origin, intake: Intake, depth: int
    ) -> None:
        try:
            inner = parse_mail(data, limits=self.limits)
        except PARSE_ERRORS as error:
            self._keep(
                intake,
                origin,
                data=data,
                filename=name,
                media_type=EMAIL,
                reason=f"the attached message cannot be unpacked ({error!r})",
            )
            return
        intake.body_texts.append(inner.body_text)
        self._take_mail_parts(inner, origin, intake, depth=depth + 1)

    def _take_body(self, mail: ParsedMail, origin: Origin, intake: Intake) -> None:
        """The body as a document, when no file of the mail became one and it says enough."""
        if intake.accepted:
            return
        body = "\n\n".join(t for t in (mail.body_text, *intake.body_texts) if t.strip()).strip()
        if len("".join(body.split())) < self.limits.min_body_chars:
            return
        text = f"Subject: {mail.subject}\n\n{body}\n" if mail.subject else body + "\n"
        self._keep(
            intake, origin, data=text.encode("utf-8"), filename=BODY_FILENAME, media_type=PLAIN_TEXT
        )

    def _quarantine_raw(self, raw: bytes, origin: Origin, intake: Intake, reason: str) -> None:
        self._keep(
            intake, origin, data=raw, filename="message.eml", media_type=EMAIL, reason=reason
        )

    def _keep(
        self,
        intake: Intake,
        origin: Origin,
        *,
        data: bytes,
        filename: str,
        media_type: str,
        reason: str | None = None,
    ) -> None:
        inbound = InboundDocument(
            data=data,
            filename=filename,
            source=origin.source,
            source_ref=f"{origin.ref} {filename}".strip(),
            media_type=media_type or None,
            message_id=origin.message_id,
            sender_email=origin.sender_email,
            mail_date=origin.mail_date,
        )
        if reason is None:
            accepted = store_inbound(self.session, blobs=self.blobs, inbound=inbound)
        else:
            log.info("quarantined %s from %s: %s", filename, origin.ref, reason)
            accepted = quarantine_inbound(
                self.session, blobs=self.blobs, inbound=inbound, reason=reason
            )
        intake.accepted.append(accepted)
