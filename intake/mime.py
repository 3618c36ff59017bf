"""One RFC 5322 message unpacked into what intake needs: who sent it, its body text, its files.

Parsing uses the stdlib `email` package with `policy.default`. Nothing here decides whether a
file is an order or is safe: it only takes the message apart, bounded in depth and part count,
and never raises on a malformed message (problems are listed instead).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from intake.htmltext import html_to_text
from intake.limits import IntakeLimits

NOT_ORDER_TYPES = frozenset(
    {
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
        "application/pgp-keys",
        "text/vcard",
        "text/x-vcard",
        "text/calendar",
        "application/ics",
    }
)
"""Signatures, keys, business cards and invitations: never an order, left out silently."""
ENCRYPTED_TYPES = frozenset({"multipart/encrypted", "application/pgp-encrypted"})


@dataclass(frozen=True)
class MailFile:
    """A leaf part that is not body text: an attachment, an inline image, a forwarded file."""

    filename: str
    data: bytes
    declared_type: str
    content_id: str | None = None
    referenced_by_html: bool = False
    problem: str | None = None
    """Set when the part itself is unusable (encrypted, undecodable)."""


@dataclass
class ParsedMail:
    message_id: str
    subject: str
    sender_email: str | None
    sender_name: str | None
    reply_to: str | None
    date: datetime | None
    headers: dict[str, str]
    """The headers that decide about replies: Auto-Submitted, Precedence, Return-Path, List-Id…"""
    body_text: str = ""
    files: list[MailFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


REPLY_HEADERS = (
    "auto-submitted",
    "precedence",
    "return-path",
    "list-id",
    "list-unsubscribe",
    "x-auto-response-suppress",
    "x-autoreply",
    "x-autorespond",
    "content-type",
)


class _MemoisingPolicy(EmailPolicy):
    """`policy.default`, remembering parsed header values: the parser and the walk ask for the
    same Content-Type many times, and parsing it anew each time was most of intake's time."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        return _parsed_header(self, name, value)


@lru_cache(maxsize=4096)
def _parsed_header(policy_: EmailPolicy, name: str, value: str) -> Any:
    return EmailPolicy.header_fetch_parse(policy_, name, value)


POLICY = _MemoisingPolicy()


def parse_mail(raw: bytes, *, limits: IntakeLimits = IntakeLimits()) -> ParsedMail:
    """Take a message apart; a message with no Message-ID gets one made from its bytes."""
    message = BytesParser(policy=POLICY).parsebytes(raw)
    sender_name, sender_email = _first_address(_header(message, "from"))
    _, reply_to = _first_address(_header(message, "reply-to"))
    message_id = _header(message, "message-id").strip()
    if not message_id:
        message_id = f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id.ordino.invalid>"
    parsed = ParsedMail(
        message_id=message_id[:500],
        subject=_one_line(_header(message, "subject")),
        sender_email=sender_email,
        sender_name=sender_name,
        reply_to=reply_to,
        date=_parse_date(_header(message, "date")),
        headers=_raw_headers(message, REPLY_HEADERS),
    )
    walker = _Walker(parsed, limits)
    walker.walk(message, depth=0)
    parsed.files = [
        replace(f, referenced_by_html=f.content_id.lower() in walker.html_cids)
        if f.content_id
        else f
        for f in parsed.files
    ]
    parsed.body_text = "\n\n".join(text for text in walker.bodies if text.strip()).strip()
    return parsed


@dataclass(frozen=True)
class _Facts:
    """What the walk asks of a part, parsed from its headers once."""

    content_type: str
    disposition: str | None
    filename: str
    charset: str | None

    @property
    def is_body(self) -> bool:
        return (
            self.content_type in ("text/plain", "text/html")
            and self.disposition != "attachment"
            and not self.filename
        )


class _Walker:
    def __init__(self, parsed: ParsedMail, limits: IntakeLimits) -> None:
        self.parsed = parsed
        self.limits = limits
        self.bodies: list[str] = []
        self.parts_seen = 0
        self.html_cids: set[str] = set()
        self._facts: dict[int, _Facts] = {}

    def facts(self, part: Message) -> _Facts:
        key = id(part)
        if key not in self._facts:
            self._facts[key] = _Facts(
                content_type=part.get_content_type(),
                disposition=part.get_content_disposition(),
                filename=_raw_filename(part),
                charset=part.get_content_charset(),
            )
        return self._facts[key]

    def walk(self, part: Message, *, depth: int) -> None:
        self.parts_seen += 1
        if self.parts_seen > self.limits.max_parts:
            if self.parts_seen == self.limits.max_parts + 1:
                self.parsed.problems.append(
                    f"the message has more than {self.limits.max_parts} MIME parts; "
                    "the rest was not read"
                )
            return
        if depth > self.limits.max_mime_depth:
            self.parsed.problems.append(
                f"MIME parts nested deeper than {self.limits.max_mime_depth} levels were not read"
            )
            return
        content_type = self.facts(part).content_type
        if content_type in ENCRYPTED_TYPES:
            self._add_file(part, problem="the message part is encrypted (PGP); it cannot be read")
        elif content_type == "message/rfc822":
            self._walk_attached_message(part, depth=depth)
        elif part.is_multipart():
            self._walk_multipart(part, content_type, depth=depth)
        else:
            self._walk_leaf(part, content_type)

    def _walk_multipart(self, part: Message, content_type: str, *, depth: int) -> None:
        payload = part.get_payload()
        if not isinstance(payload, list):
            return
        children = [child for child in payload if isinstance(child, Message)]
        if content_type == "multipart/alternative":
            self._walk_alternative(children, depth=depth)
            return
        for child in children:
            self.walk(child, depth=depth + 1)

    def _walk_alternative(self, children: list[Message], *, depth: int) -> None:
        """Keep one body of the alternatives (plain text unless it is empty); walk the rest."""
        bodies = [c for c in children if self.facts(c).is_body]
        plain = [c for c in bodies if self.facts(c).content_type == "text/plain"]
        html = [c for c in bodies if self.facts(c).content_type == "text/html"]
        for chosen in (plain, html):
            texts = [self._body_text(c) for c in chosen]
            if any(t.strip() for t in texts):
                self.bodies.extend(texts)
                break
        for child in html:
            self._note_cids(child)
        for child in children:
            if not self.facts(child).is_body:
                self.walk(child, depth=depth + 1)

    def _walk_attached_message(self, part: Message, *, depth: int) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            self._add_file(part, problem="the attached message is empty or unreadable")
            return
        heading = _forward_heading(inner)
        self.bodies.append(heading)
        self.walk(inner, depth=depth + 1)

    def _walk_leaf(self, part: Message, content_type: str) -> None:
        if self.facts(part).is_body:
            if content_type == "text/html":
                self._note_cids(part)
            self.bodies.append(self._body_text(part))
        elif content_type in NOT_ORDER_TYPES:
            return
        elif content_type in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
            self._add_file(
                part,
                problem="the part is S/MIME encrypted or opaque-signed; it cannot be read",
            )
        else:
            self._add_file(part)

    def _note_cids(self, part: Message) -> None:
        html = self._body_text(part, as_html=True)
        self.html_cids.update(
            cid.lower() for cid in re.findall(r"""cid:([^"'\s>)]+)""", html, flags=re.I)
        )

    def _body_text(self, part: Message, *, as_html: bool = False) -> str:
        data = _payload_bytes(part)
        facts = self.facts(part)
        text = decode_text(data, facts.charset)
        if facts.content_type == "text/html" and not as_html:
            return html_to_text(text)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def _add_file(self, part: Message, *, problem: str | None = None) -> None:
        facts = self.facts(part)
        content_id = _raw_headers(part, ("content-id",))["content-id"].strip("<>") or None
        data = _part_bytes(part) if part.is_multipart() else _payload_bytes(part)
        defects = [type(d).__name__ for d in part.defects if "Base64" in type(d).__name__]
        if defects and problem is None and not data:
            problem = "the attachment's base64 encoding is broken; nothing could be decoded"
        self.parsed.files.append(
            MailFile(
                filename=facts.filename,
                data=data,
                declared_type=facts.content_type,
                content_id=content_id,
                problem=problem,
            )
        )


def _part_bytes(part: Message) -> bytes:
    """A container part kept whole (an encrypted or unreadable one), headers included."""
    try:
        return part.as_bytes()
    except Exception:  # the generator refuses some malformed parts
        return b""


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding must not stop the message
        return b""
    return data if isinstance(data, bytes) else b""


def decode_text(data: bytes, charset: str | None) -> str:
    """Bytes of a text part as text: the declared charset when it is known and fits, else
    UTF-8, else windows-1252 (what mail declared as latin-1 usually is), else latin-1."""
    declared = (charset or "").strip().lower()
    if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        declared = "windows-1252"
    for candidate in (declared, "utf-8", "windows-1252"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _raw_filename(part: Message) -> str:
    """The file name as the sender wrote it (RFC 2231 and 2047 decoded), or ""."""
    try:
        name = part.get_filename()
    except Exception:  # a malformed RFC 2231 parameter
        name = None
    if not name:
        try:
            name = part.get_param("name", header="content-type")  # type: ignore[assignment]
        except Exception:
            name = None
    if isinstance(name, tuple):
        name = name[2]
    return str(name or "") or _unquoted_encoded_name(part)


_UNQUOTED_NAME = re.compile(r"""(?:file)?name\*?=\s*(=\?[^;\s"]+\?=)""", re.IGNORECASE)


def _unquoted_encoded_name(part: Message) -> str:
    """An RFC 2047 name that a mailer left unquoted (`filename==?utf-8?B?…?=`), which the
    parameter parser drops: decoded by `safe_filename` later."""
    for raw_name, raw_value in part.raw_items():
        if raw_name.lower() in ("content-disposition", "content-type"):
            match = _UNQUOTED_NAME.search(str(raw_value))
            if match:
                return match.group(1)
    return ""


def _raw_headers(message: Message, names: tuple[str, ...]) -> dict[str, str]:
    """Headers as sent, without the policy's (slow) parsing: enough to test their values."""
    found: dict[str, str] = dict.fromkeys(names, "")
    for raw_name, raw_value in message.raw_items():
        key = raw_name.lower()
        if key in found and not found[key]:
            found[key] = re.sub(r"\r?\n[ \t]+", " ", str(raw_value)).strip()
    return found


def _header(message: Message, name: str) -> str:
    """A header as text; a header that the policy cannot parse is returned raw."""
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except Exception:
        for raw_name, raw_value in message.raw_items():
            if raw_name.lower() == name:
                return str(raw_value)
        return ""


def _first_address(value: str) -> tuple[str | None, str | None]:
    for display_name, address in getaddresses([value]):
        if "@" in address:
            return (display_name or None), address.strip().lower()[:320]
    return None, None


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()[:500]


def _forward_heading(inner: Message) -> str:
    sender = _header(inner, "from")
    subject = _one_line(_header(inner, "subject"))
    return f"---------- Forwarded message ----------\nFrom: {_one_line(sender)}\nSubject: {subject}"
