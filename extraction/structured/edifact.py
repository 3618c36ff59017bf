"""UN/EDIFACT interchanges: ORDERS (D.96A, D.03B / EANCOM), ORDCHG and INVOIC, read with pydifact.

pydifact tokenises the interchange and checks UNA/UNB; the rest of the envelope is checked here
(every UNH closed by a UNT whose segment count and reference match; UNZ's message count and
reference when it is present: some senders omit it), so a truncated transfer is refused instead
of read as a shorter order.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pydifact.exceptions import EDISyntaxError, ValidationError
from pydifact.segmentcollection import Interchange, RawSegmentCollection
from pydifact.segments import Segment

from extraction.result import DocumentType
from extraction.structured.errors import StructuredFormatError
from extraction.structured.model import (
    StructuredFormat,
    StructuredLine,
    StructuredOrder,
    StructuredParty,
)
from extraction.structured.values import (
    clean_text,
    map_unit,
    normalise_country,
    normalise_vat_id,
    parse_coded_date,
    parse_decimal,
    per_unit,
)

_ORDER_QUANTITIES = ("21", "1", "47", "12")  # ordered, discrete, invoiced, despatched
_GTIN_TYPES = frozenset({"EN", "SRV", "UP", "EAN"})
_CANCELLATION_FUNCTION = "1"
_CHANGE_FUNCTIONS = frozenset({"4", "5"})
_SUBTOTAL_AMOUNTS = ("125", "79")
_TAX_AMOUNTS = ("176", "124", "150")
_TOTAL_AMOUNTS = ("86", "77", "128", "39")


def looks_like_edifact(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:3]
    return head in (b"UNA", b"UNB")


@dataclass(frozen=True, slots=True)
class EdifactMessage:
    reference: str
    message_type: str
    version: str
    segments: tuple[Segment, ...]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso8859-1")  # UNOA-UNOC repertoires fit in Latin-1


def parse_interchange(data: bytes) -> list[EdifactMessage]:
    """The messages of an interchange, after checking its envelope."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydifact warns for directories it has no tables for
            text = _decode(data)
            Interchange.from_str(text)  # checks UNA and UNB
            segments = list(RawSegmentCollection.from_str(text).segments)
    except (
        EDISyntaxError,
        ValidationError,
        ValueError,
        IndexError,
        AssertionError,
        StopIteration,
    ) as error:
        reason = "truncated_edifact" if "end of EDI" in str(error) else "malformed_edifact"
        raise StructuredFormatError(
            f"The EDIFACT file could not be read ({error}); ask the sender to transmit it again.",
            reason=reason,
        ) from None
    messages = _split_messages(segments)
    if not messages:
        raise StructuredFormatError(
            "The EDIFACT interchange holds no message (UNH … UNT)", reason="malformed_edifact"
        )
    return messages


def _split_messages(segments: list[Segment]) -> list[EdifactMessage]:
    messages: list[EdifactMessage] = []
    current: list[Segment] | None = None
    header: Segment | None = None
    trailer: Segment | None = None
    control_reference = next((_component(s, 4) for s in segments if s.tag == "UNB"), None)
    for segment in segments:
        if segment.tag == "UNH":
            if current is not None:
                raise _truncated("a message is not closed by UNT before the next UNH")
            current, header = [], segment
        elif segment.tag == "UNT":
            if current is None or header is None:
                raise StructuredFormatError("UNT without a UNH", reason="malformed_edifact")
            _check_trailer(header, segment, len(current) + 2)
            identifier = header.elements[1]
            if not isinstance(identifier, list) or len(identifier) < 3:
                raise StructuredFormatError(
                    "UNH does not name its message type and version", reason="malformed_edifact"
                )
            messages.append(
                EdifactMessage(
                    reference=_component(header, 0) or "",
                    message_type=identifier[0],
                    version=f"{identifier[1]}.{identifier[2]}",
                    segments=tuple(current),
                )
            )
            current = header = None
        elif segment.tag == "UNZ":
            trailer = segment
        elif current is not None:
            current.append(segment)
    if current is not None:
        raise _truncated("the last message has no UNT")
    if trailer is not None:
        announced = _component(trailer, 0)
        if announced != str(len(messages)):
            raise _truncated(f"UNZ announces {announced} messages, the file holds {len(messages)}")
        if _component(trailer, 1) != control_reference:
            raise StructuredFormatError(
                "UNZ's control reference does not match UNB's", reason="malformed_edifact"
            )
    return messages


def _truncated(detail: str) -> StructuredFormatError:
    return StructuredFormatError(
        f"The EDIFACT interchange is incomplete: {detail}. Ask the sender to transmit it again.",
        reason="truncated_edifact",
    )


def _check_trailer(header: Segment, trailer: Segment, counted: int) -> None:
    announced = _component(trailer, 0)
    if announced != str(counted):
        raise _truncated(f"UNT announces {announced} segments, the message has {counted}")
    if _component(trailer, 1) != _component(header, 0):
        raise StructuredFormatError(
            "UNT's reference does not match its UNH", reason="malformed_edifact"
        )


def _component(segment: Segment, element: int, component: int = 0) -> str | None:
    if element >= len(segment.elements):
        return None
    raw = segment.elements[element]
    value: str | None
    if isinstance(raw, list):
        value = raw[component] if component < len(raw) else None
    else:
        value = raw if component == 0 else None
    if value is None:
        return None
    return value.strip() or None


def message_format(message: EdifactMessage) -> StructuredFormat:
    return "edifact_orders" if message.message_type == "ORDERS" else "edifact_other"


@dataclass
class _PartyDraft:
    qualifier: str
    name: str | None = None
    account_id: str | None = None
    vat_id: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    email: str | None = None

    def freeze(self) -> StructuredParty:
        return StructuredParty(
            name=self.name,
            vat_id=self.vat_id,
            account_id=self.account_id,
            street=self.street,
            postal_code=self.postal_code,
            city=self.city,
            country=self.country,
            email=self.email,
        )


@dataclass
class _LineDraft:
    ids: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    free_text: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    net_price: Decimal | None = None
    gross_price: Decimal | None = None
    line_total: Decimal | None = None

    def add_id(self, item_id: str | None, id_type: str | None) -> None:
        if item_id:
            self.ids.setdefault((id_type or "").upper(), item_id)

    def freeze(self) -> StructuredLine:
        gtin = next((v for k, v in self.ids.items() if k in _GTIN_TYPES), None)
        other = next((v for k, v in self.ids.items() if k not in _GTIN_TYPES | {"IN", "SA"}), None)
        return StructuredLine(
            buyer_item_id=self.ids.get("IN"),
            seller_item_id=self.ids.get("SA"),
            other_item_id=other,
            gtin=gtin,
            description=clean_text(self.description or self.free_text),
            quantity=self.quantity,
            unit=self.unit,
            unit_price=self.net_price if self.net_price is not None else self.gross_price,
            line_total=self.line_total,
        )


@dataclass
class _MessageReader:
    message: EdifactMessage
    document_number: str | None = None
    document_code: str | None = None
    function_code: str | None = None
    order_reference: str | None = None
    order_date: date | None = None
    delivery_dates: dict[str, date] = field(default_factory=dict)
    currency: str | None = None
    payment_terms_days: int | None = None
    parties: dict[str, _PartyDraft] = field(default_factory=dict)
    lines: list[_LineDraft] = field(default_factory=list)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    _party: _PartyDraft | None = None
    _in_summary: bool = False

    def read(self) -> StructuredOrder:
        for segment in self.message.segments:
            handler = getattr(self, f"_on_{segment.tag.lower()}", None)
            if handler is not None:
                handler(segment)
        document_type, is_cancellation = self._document_type()
        return StructuredOrder(
            format=message_format(self.message),
            document_type=document_type,
            is_cancellation=is_cancellation,
            po_number=self._po_number(),
            order_date=self.order_date if self.message.message_type != "INVOIC" else None,
            requested_delivery_date=next(
                (self.delivery_dates[q] for q in ("2", "64", "63") if q in self.delivery_dates),
                None,
            ),
            currency=self.currency,
            buyer=self._find_party("BY", "BT", "IV"),
            seller=self._find_party("SU", "SE"),
            ship_to=self._ship_to(),
            payment_terms_days=self.payment_terms_days,
            subtotal=self._amount(_SUBTOTAL_AMOUNTS),
            tax_total=self._amount(_TAX_AMOUNTS),
            total=self._amount(_TOTAL_AMOUNTS),
            lines=tuple(line.freeze() for line in self.lines),
        )

    def _document_type(self) -> tuple[DocumentType, bool]:
        kind = self.message.message_type
        if kind == "INVOIC":
            return "invoice", False
        if kind not in ("ORDERS", "ORDCHG"):
            return "other", False
        if self.function_code == _CANCELLATION_FUNCTION:
            return "order_change", True
        if kind == "ORDCHG" or self.function_code in _CHANGE_FUNCTIONS:
            return "order_change", False
        return "purchase_order", False

    def _po_number(self) -> str | None:
        kind = self.message.message_type
        if kind == "ORDERS":
            return self.document_number
        if kind == "ORDCHG":
            return self.order_reference or self.document_number
        if kind == "INVOIC":
            return self.order_reference
        return None

    def _find_party(self, *qualifiers: str) -> StructuredParty:
        for qualifier in qualifiers:
            if qualifier in self.parties:
                return self.parties[qualifier].freeze()
        return StructuredParty()

    def _ship_to(self) -> StructuredParty | None:
        for qualifier in ("DP", "ST"):
            if qualifier in self.parties:
                return self.parties[qualifier].freeze()
        return None

    def _amount(self, qualifiers: tuple[str, ...]) -> Decimal | None:
        return next((self.amounts[q] for q in qualifiers if q in self.amounts), None)

    # ---- segments ------------------------------------------------------------------------

    def _on_bgm(self, segment: Segment) -> None:
        self.document_code = _component(segment, 0)
        self.document_number = _component(segment, 1)
        self.function_code = _component(segment, 2)

    def _on_dtm(self, segment: Segment) -> None:
        if self.lines or self._in_summary:
            return  # per-line dates do not set the header's
        qualifier = _component(segment, 0, 0)
        value = parse_coded_date(
            _component(segment, 0, 1), _component(segment, 0, 2), what=f"DTM {qualifier}"
        )
        if value is None:
            return
        if qualifier == "137":
            self.order_date = value
        elif qualifier in ("2", "63", "64"):
            self.delivery_dates.setdefault(qualifier, value)

    def _on_rff(self, segment: Segment) -> None:
        qualifier, value = _component(segment, 0, 0), _component(segment, 0, 1)
        if qualifier in ("ON", "CO") and self.order_reference is None:
            self.order_reference = value
        elif qualifier == "VA" and self._party is not None and not self.lines:
            self._party.vat_id = normalise_vat_id(value)
        elif qualifier == "IT" and self._party is not None and not self.lines:
            self._party.account_id = value

    def _on_nad(self, segment: Segment) -> None:
        qualifier = _component(segment, 0) or ""
        party = _PartyDraft(qualifier=qualifier)
        party_id, agency = _component(segment, 1, 0), _component(segment, 1, 2)
        if party_id and agency in ("91", "ZZZ"):  # 91: code assigned by the supplier
            party.account_id = party_id
        party.name = clean_text(_join(segment, 3) or _join(segment, 2))
        party.street = clean_text(_join(segment, 4))
        party.city = _component(segment, 5)
        party.postal_code = _component(segment, 7)
        party.country = normalise_country(_component(segment, 8))
        self.parties.setdefault(qualifier, party)
        self._party = party

    def _on_com(self, segment: Segment) -> None:
        if self._party is not None and _component(segment, 0, 1) == "EM" and not self.lines:
            self._party.email = self._party.email or _component(segment, 0, 0)

    def _on_cux(self, segment: Segment) -> None:
        if self.currency is None and _component(segment, 0, 0) in ("2", None):
            self.currency = _component(segment, 0, 1)

    def _on_pat(self, segment: Segment) -> None:
        if _component(segment, 2, 2) == "D" and self.payment_terms_days is None:
            periods = _component(segment, 2, 3)
            if periods and periods.isdigit():
                self.payment_terms_days = int(periods)

    def _on_lin(self, segment: Segment) -> None:
        self._party = None
        line = _LineDraft()
        line.add_id(_component(segment, 2, 0), _component(segment, 2, 1))
        self.lines.append(line)

    def _on_pia(self, segment: Segment) -> None:
        if not self.lines:
            return
        for index in range(1, len(segment.elements)):
            self.lines[-1].add_id(_component(segment, index, 0), _component(segment, index, 1))

    def _on_imd(self, segment: Segment) -> None:
        if self.lines and self.lines[-1].description is None:
            described = " ".join(
                part for part in (_component(segment, 2, 3), _component(segment, 2, 4)) if part
            )
            self.lines[-1].description = described or _component(segment, 2, 0)

    def _on_ftx(self, segment: Segment) -> None:
        if self.lines and self.lines[-1].free_text is None:
            self.lines[-1].free_text = _join(segment, 3)

    def _on_qty(self, segment: Segment) -> None:
        if not self.lines:
            return
        line, qualifier = self.lines[-1], _component(segment, 0, 0)
        if qualifier in _ORDER_QUANTITIES and line.quantity is None:
            line.quantity = parse_decimal(_component(segment, 0, 1), what="QTY")
            line.unit = map_unit(_component(segment, 0, 2))

    def _on_pri(self, segment: Segment) -> None:
        if not self.lines:
            return
        price = per_unit(
            parse_decimal(_component(segment, 0, 1), what="PRI"),
            parse_decimal(_component(segment, 0, 4), what="PRI unit price basis"),
        )
        if _component(segment, 0, 0) == "AAA":
            self.lines[-1].net_price = price
        elif _component(segment, 0, 0) == "AAB":
            self.lines[-1].gross_price = price

    def _on_moa(self, segment: Segment) -> None:
        qualifier = _component(segment, 0, 0) or ""
        amount = parse_decimal(_component(segment, 0, 1), what=f"MOA {qualifier}")
        if amount is None:
            return
        if self.lines and not self._in_summary:
            if qualifier in ("203", "66") and self.lines[-1].line_total is None:
                self.lines[-1].line_total = amount
            return
        self.amounts.setdefault(qualifier, amount)

    def _on_uns(self, segment: Segment) -> None:
        self._in_summary = True
        self._party = None


def _join(segment: Segment, element: int) -> str | None:
    """All components of a composite (name and address lines), space-joined."""
    if element >= len(segment.elements):
        return None
    value = segment.elements[element]
    parts = value if isinstance(value, list) else [value]
    joined = " ".join(part.strip() for part in parts if part and part.strip())
    return joined or None


def read_message(message: EdifactMessage) -> StructuredOrder:
    reader = _MessageReader(message)
    order = reader.read()
    if message.message_type == "ORDERS" and order.po_number is None:
        raise StructuredFormatError(
            "The ORDERS message has no order number in BGM", reason="missing_element"
        )
    return order
