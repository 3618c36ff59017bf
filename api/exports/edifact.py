"""UN/EDIFACT ORDERS D.96A, written with pydifact (which escapes the service characters).

Segments, in the order of the D.96A ORDERS message: UNH, BGM, DTM (137 document, 2 delivery
requested), NAD+RFF (VA)+CTA+COM per party (BY buyer, SU seller, DP delivery point), CUX, PAT,
then per line LIN (GTIN), PIA (buyer's IN / seller's SA item numbers), IMD, QTY (21 ordered),
MOA (203 line amount), PRI (AAA net price per one unit), and UNS, MOA (125/176/86), CNT, UNT.
Texts longer than the directory allows are wrapped into the composite's repeated components
and cut beyond them (an item description keeps 70 characters).
"""

from __future__ import annotations

import textwrap
import unicodedata
import warnings
from datetime import date
from decimal import Decimal

from pydifact.control import Characters
from pydifact.segmentcollection import Interchange, Message
from pydifact.segments import Segment

from api.exports.base import ExportNotPossibleError
from api.exports.model import ExportLine, ExportParty, OrderExport
from extraction.structured.values import unit_code

SYNTAX = ("UNOC", 3)
SERVICE_CHARACTERS = ":+.? '"  # decimal mark '.', as the amounts are written
MESSAGE_IDENTIFIER = ["ORDERS", "D", "96A", "UN"]
SUPPLIER_ASSIGNED = "91"
MUTUALLY_DEFINED = "ZZZ"


_NOT_DECOMPOSABLE = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Œ": "OE",
        "œ": "oe",
        "€": "EUR",
        "–": "-",
        "—": "-",
        "’": "'",
    }
)


def _latin1(text: str) -> str:
    """UNOC is ISO 8859-1: other characters are decomposed ('ę' → 'e', 'ł' → 'l') or dropped."""
    kept = []
    for char in text.translate(_NOT_DECOMPOSABLE):
        if ord(char) < 256:
            kept.append(char)
        else:
            kept.extend(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256)
    return "".join(kept)


def _components(text: str | None, *, width: int, count: int) -> list[str] | str:
    """A text split at word boundaries into `count` components of `width` characters (the
    D.96A limits: party name 5 x 35, street 4 x 35, item description 2 x 35)."""
    if not text:
        return ""
    return textwrap.wrap(_latin1(text), width)[:count] or ""


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _dtm(qualifier: str, value: date) -> Segment:
    return Segment("DTM", [qualifier, value.strftime("%Y%m%d"), "102"])


def _party_segments(qualifier: str, party: ExportParty) -> list[Segment]:
    identification: list[str] | str = (
        [party.customer_id, "", SUPPLIER_ASSIGNED] if party.customer_id else ""
    )
    segments = [
        Segment(
            "NAD",
            qualifier,
            identification,
            "",
            _components(party.name, width=35, count=5),
            _components(party.street, width=35, count=4),
            _latin1(party.city or "")[:35],
            "",
            (party.postal_code or "")[:9],
            party.country or "",
        )
    ]
    if party.vat_id:
        segments.append(Segment("RFF", ["VA", _latin1(party.vat_id)]))
    if party.email:
        segments.append(Segment("CTA", "OC"))
        segments.append(Segment("COM", [_latin1(party.email), "EM"]))
    return segments


def _line_segments(line: ExportLine) -> list[Segment]:
    lin = (
        Segment("LIN", str(line.position), "", [line.gtin, "EN"])
        if line.gtin
        else Segment("LIN", str(line.position))
    )
    segments = [lin]
    item_numbers = []
    if line.sku and line.sku != line.product_sku:
        item_numbers.append([_latin1(line.sku), "IN"])
    if line.product_sku:
        item_numbers.append([_latin1(line.product_sku), "SA"])
    if item_numbers:
        segments.append(Segment("PIA", "1", *item_numbers))
    if line.description:
        description = _components(line.description, width=35, count=2)
        segments.append(Segment("IMD", "F", "", ["", "", "", *description]))
    quantity = ["21", _amount(line.quantity or Decimal(0)), unit_code(line.unit)]
    segments.append(Segment("QTY", quantity))
    if line.line_total is not None:
        segments.append(Segment("MOA", ["203", _amount(line.line_total)]))
    if line.unit_price is not None:
        segments.append(Segment("PRI", ["AAA", _amount(line.unit_price)]))
    return segments


def build_orders_message(order: OrderExport) -> Message:
    message = Message("1", MESSAGE_IDENTIFIER)
    segments = [
        Segment("BGM", "220", _latin1(order.document_number), "9"),
        _dtm("137", order.issue_date),
    ]
    if order.requested_delivery_date is not None:
        segments.append(_dtm("2", order.requested_delivery_date))
    segments += _party_segments("BY", order.buyer)
    segments += _party_segments("SU", order.seller)
    if order.ship_to is not None:
        segments += _party_segments("DP", order.ship_to)
    if order.currency:
        segments.append(Segment("CUX", ["2", order.currency, "9"]))
    if order.payment_terms_days is not None:
        segments.append(Segment("PAT", "1", "", ["5", "3", "D", str(order.payment_terms_days)]))
    for line in order.lines:
        segments += _line_segments(line)
    segments.append(Segment("UNS", "S"))
    for qualifier, value in (
        ("125", order.subtotal),
        ("176", order.tax_total),
        ("86", order.total),
    ):
        if value is not None:
            segments.append(Segment("MOA", [qualifier, _amount(value)]))
    segments.append(Segment("CNT", ["2", str(len(order.lines))]))
    message.add_segments(segments)
    return message


def _interchange_party(party: ExportParty, fallback: str) -> list[str]:
    identifier = party.vat_id or party.customer_id or party.name or fallback
    return [_latin1(identifier)[:35], MUTUALLY_DEFINED]


class EdifactOrdersExporter:
    name = "edifact"
    media_type = "application/EDIFACT"
    file_extension = "edi"

    def export(self, order: OrderExport) -> bytes:
        if not order.lines:
            raise ExportNotPossibleError(
                f"Order {order.order_id} has no lines; an ORDERS message needs one."
            )
        interchange = Interchange(
            sender=_interchange_party(order.buyer, "BUYER"),
            recipient=_interchange_party(order.seller, "SELLER"),
            control_reference=str(order.order_id),
            syntax_identifier=SYNTAX,
            timestamp=order.validated_at.replace(tzinfo=None),
            characters=Characters.from_str(SERVICE_CHARACTERS),
        )
        interchange.has_una_segment = True
        interchange.add_message(build_orders_message(order))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydifact has no tables for every directory
            text = interchange.serialize(break_lines=True)
        return text.encode("iso8859-1")
