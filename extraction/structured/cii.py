"""UN/CEFACT Cross Industry documents: Order-X orders (SCRDM CCBDA CIO) and CII invoices.

Factur-X / ZUGFeRD 2 invoices and Order-X share the CII vocabulary; ZUGFeRD 1.0 invoices name
the same things with `SpecifiedSupplyChain…` / `ApplicableSupplyChain…` prefixes, which the
alternative paths below cover.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from extraction.result import DocumentType
from extraction.structured.errors import StructuredFormatError
from extraction.structured.model import (
    StructuredFormat,
    StructuredLine,
    StructuredOrder,
    StructuredParty,
)
from extraction.structured.safexml import find, find_all, find_first, first_text, require, text
from extraction.structured.values import (
    clean_text,
    map_unit,
    normalise_country,
    normalise_vat_id,
    parse_coded_date,
    parse_decimal,
    payment_days_from_text,
    per_unit,
)

ORDERX_ROOT = "SCRDMCCBDACIOMessageStructure"
CII_INVOICE_ROOTS = ("CrossIndustryInvoice", "CrossIndustryDocument")

_GTIN_SCHEMES = {"0160", "GTIN", "EAN"}
_ORDER_TYPES: dict[str, DocumentType] = {"220": "purchase_order", "230": "order_change"}
_CANCELLATION_PURPOSE = "1"

_HEADER_DOC = ("ExchangedDocument", "HeaderExchangedDocument")
_TRANSACTION = ("SupplyChainTradeTransaction", "SpecifiedSupplyChainTradeTransaction")
_AGREEMENT = ("ApplicableHeaderTradeAgreement", "ApplicableSupplyChainTradeAgreement")
_DELIVERY = ("ApplicableHeaderTradeDelivery", "ApplicableSupplyChainTradeDelivery")
_SETTLEMENT = ("ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement")


def _require_child(element: etree._Element, names: tuple[str, ...], *, what: str) -> etree._Element:
    found = find_first(element, *names)
    if found is None:
        raise StructuredFormatError(
            f"{what} has no {names[0]}, which its standard requires; it cannot be read.",
            reason="missing_element",
        )
    return found


def read_cii(root: etree._Element, *, fmt: StructuredFormat) -> StructuredOrder:
    what = "The Order-X file" if fmt == "orderx" else "The CII invoice"
    header = _require_child(root, _HEADER_DOC, what=what)
    require(header, "ID", what=what)
    transaction = _require_child(root, _TRANSACTION, what=what)
    agreement = find_first(transaction, *_AGREEMENT)
    delivery = find_first(transaction, *_DELIVERY)
    settlement = find_first(transaction, *_SETTLEMENT)

    document_type, is_cancellation = _document_type(header, fmt)
    currency = first_text(settlement, "OrderCurrencyCode", "InvoiceCurrencyCode")
    buyer_order_ref = first_text(
        agreement,
        "BuyerOrderReferencedDocument/IssuerAssignedID",
        "BuyerOrderReferencedDocument/ID",
    )
    if fmt == "orderx":
        po_number = (
            text(header, "ID")
            if document_type == "purchase_order"
            else (buyer_order_ref or text(header, "ID"))
        )
        order_date = _cii_date(find(header, "IssueDateTime/DateTimeString"), "The order date")
    else:
        po_number = buyer_order_ref or _single_line_order_reference(transaction)
        order_date = _cii_date(
            find(agreement, "BuyerOrderReferencedDocument/FormattedIssueDateTime/DateTimeString"),
            "The order date",
        )
    ship_to_element = find(delivery, "ShipToTradeParty")
    summation = find_first(
        settlement,
        "SpecifiedTradeSettlementHeaderMonetarySummation",
        "SpecifiedTradeSettlementMonetarySummation",
    )
    return StructuredOrder(
        format=fmt,
        document_type=document_type,
        is_cancellation=is_cancellation,
        po_number=po_number,
        order_date=order_date,
        requested_delivery_date=_requested_delivery(delivery),
        currency=currency,
        buyer=_party(find(agreement, "BuyerTradeParty")),
        seller=_party(find(agreement, "SellerTradeParty")),
        ship_to=_party(ship_to_element) if ship_to_element is not None else None,
        payment_terms_days=payment_days_from_text(
            text(settlement, "SpecifiedTradePaymentTerms/Description")
        ),
        subtotal=_amount(summation, "TaxBasisTotalAmount", "LineTotalAmount"),
        tax_total=_tax_total(summation, currency),
        total=_amount(summation, "GrandTotalAmount"),
        lines=tuple(
            _line(item) for item in find_all(transaction, "IncludedSupplyChainTradeLineItem")
        ),
    )


def _single_line_order_reference(transaction: etree._Element) -> str | None:
    """The order an invoice bills when only its lines name it (EXTENDED), if they all name one."""
    references = {
        value
        for item in find_all(transaction, "IncludedSupplyChainTradeLineItem")
        if (
            value := text(
                item, "SpecifiedLineTradeAgreement/BuyerOrderReferencedDocument/IssuerAssignedID"
            )
        )
        is not None
    }
    return references.pop() if len(references) == 1 else None


def _document_type(header: etree._Element, fmt: StructuredFormat) -> tuple[DocumentType, bool]:
    if fmt == "cii_invoice":
        return "invoice", False
    if text(header, "PurposeCode") == _CANCELLATION_PURPOSE:
        return "order_change", True
    return _ORDER_TYPES.get(text(header, "TypeCode") or "", "other"), False


def _cii_date(element: etree._Element | None, what: str) -> date | None:
    if element is None:
        return None
    return parse_coded_date(element.text, element.get("format"), what=what)


def _requested_delivery(delivery: etree._Element | None) -> date | None:
    event = find(delivery, "RequestedDeliverySupplyChainEvent")
    return _cii_date(
        find_first(
            event,
            "OccurrenceDateTime/DateTimeString",
            "OccurrenceSpecifiedPeriod/StartDateTime/DateTimeString",
        ),
        "The requested delivery date",
    )


def _party(element: etree._Element | None) -> StructuredParty:
    if element is None:
        return StructuredParty()
    vat_id = None
    for registration in find_all(element, "SpecifiedTaxRegistration/ID"):
        if registration.get("schemeID") == "VA":
            vat_id = normalise_vat_id(registration.text)
            break
    email = text(element, "DefinedTradeContact/EmailURIUniversalCommunication/URIID")
    if email is None:
        for uri in find_all(element, "URIUniversalCommunication/URIID"):
            if uri.get("schemeID") == "EM" and uri.text:
                email = uri.text.strip()
                break
    address = find(element, "PostalTradeAddress")
    return StructuredParty(
        name=text(element, "Name"),
        vat_id=vat_id,
        account_id=text(element, "ID"),
        street=text(address, "LineOne"),
        postal_code=text(address, "PostcodeCode"),
        city=text(address, "CityName"),
        country=normalise_country(text(address, "CountryID")),
        email=email,
    )


def _amount(element: etree._Element | None, *paths: str) -> Decimal | None:
    """The first of `paths` that is present (a stated 0.00 counts as present)."""
    for path in paths:
        value = text(element, path)
        if value is not None:
            return parse_decimal(value, what=path)
    return None


def _tax_total(summation: etree._Element | None, currency: str | None) -> Decimal | None:
    """The tax total in the document's currency (invoices may add one in the tax currency)."""
    amounts = find_all(summation, "TaxTotalAmount")
    for amount in amounts:
        if amount.get("currencyID") in (None, currency):
            return parse_decimal(amount.text, what="TaxTotalAmount")
    return parse_decimal(amounts[0].text, what="TaxTotalAmount") if amounts else None


def _line(item: etree._Element) -> StructuredLine:
    product = find(item, "SpecifiedTradeProduct")
    agreement = find_first(
        item, "SpecifiedLineTradeAgreement", "SpecifiedSupplyChainTradeAgreement"
    )
    delivery = find_first(item, "SpecifiedLineTradeDelivery", "SpecifiedSupplyChainTradeDelivery")
    settlement = find_first(
        item, "SpecifiedLineTradeSettlement", "SpecifiedSupplyChainTradeSettlement"
    )
    gtin = other_id = None
    global_id = find(product, "GlobalID")
    if global_id is not None and global_id.text:
        if (global_id.get("schemeID") or "0160").upper() in _GTIN_SCHEMES:
            gtin = global_id.text.strip()
        else:
            other_id = global_id.text.strip()
    quantity_element = find_first(delivery, "RequestedQuantity", "BilledQuantity", "AgreedQuantity")
    price = find_first(agreement, "NetPriceProductTradePrice", "GrossPriceProductTradePrice")
    line_total = first_text(
        settlement,
        "SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount",
        "SpecifiedTradeSettlementMonetarySummation/LineTotalAmount",
    )
    return StructuredLine(
        buyer_item_id=text(product, "BuyerAssignedID"),
        seller_item_id=text(product, "SellerAssignedID"),
        other_item_id=other_id,
        gtin=gtin,
        description=clean_text(first_text(product, "Name", "Description")),
        quantity=parse_decimal(
            quantity_element.text if quantity_element is not None else None,
            what="The line quantity",
        ),
        unit=map_unit(quantity_element.get("unitCode") if quantity_element is not None else None),
        unit_price=per_unit(
            parse_decimal(text(price, "ChargeAmount"), what="The line price"),
            parse_decimal(text(price, "BasisQuantity"), what="The price basis quantity"),
        ),
        line_total=parse_decimal(line_total, what="The line total"),
    )
