"""OASIS UBL 2.x documents: Order, OrderChange, OrderCancellation, and (for classification)
invoices, quotations, RFQs and order responses. Peppol BIS 3 ordering is UBL 2.1."""

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
from extraction.structured.safexml import (
    find,
    find_all,
    find_first,
    first_text,
    local_name,
    text,
)
from extraction.structured.values import (
    clean_text,
    map_unit,
    normalise_country,
    normalise_vat_id,
    parse_decimal,
    parse_iso_date,
    payment_days_from_text,
    per_unit,
)

UBL_NAMESPACE_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"
UBL_FORMATS: dict[str, StructuredFormat] = {
    "Order": "ubl_order",
    "OrderChange": "ubl_order_change",
    "OrderCancellation": "ubl_order_cancellation",
}
_INVOICE_ROOTS = frozenset({"Invoice", "CreditNote"})
_REFERENCING_ROOTS = frozenset(
    {"OrderChange", "OrderCancellation", "OrderResponse", "OrderResponseSimple"}
)
_REQUIRED: dict[str, tuple[str, ...]] = {
    "Order": ("ID", "IssueDate", "BuyerCustomerParty", "SellerSupplierParty", "OrderLine"),
    "OrderChange": ("ID", "IssueDate", "OrderReference/ID"),
    "OrderCancellation": ("ID", "IssueDate", "OrderReference/ID"),
}
_LINE_PATHS = (
    "OrderLine/LineItem",
    "InvoiceLine",
    "CreditNoteLine",
    "QuotationLine/LineItem",
    "RequestForQuotationLine/LineItem",
)
_QUANTITY_PATHS = ("Quantity", "InvoicedQuantity", "CreditedQuantity")
_GTIN_SCHEMES = {"0160", "GTIN", "EAN"}


def read_ubl(root: etree._Element, *, fmt: StructuredFormat) -> StructuredOrder:
    kind = local_name(root)
    what = f"The UBL {kind}"
    for path in _REQUIRED.get(kind, ("ID",)):
        if find(root, path) is None:
            raise StructuredFormatError(
                f"{what} has no {path}, which UBL requires; it cannot be read as an order. "
                "Ask the sender for a complete file.",
                reason="missing_element",
            )
    document_type, is_cancellation = _document_type(kind)
    currency = first_text(root, "DocumentCurrencyCode", "PricingCurrencyCode") or _amount_currency(
        root
    )
    delivery = find(root, "Delivery")
    totals = find_first(
        root, "AnticipatedMonetaryTotal", "LegalMonetaryTotal", "QuotedMonetaryTotal"
    )
    buyer_wrapper = find_first(root, "BuyerCustomerParty", "AccountingCustomerParty")
    seller_wrapper = find_first(root, "SellerSupplierParty", "AccountingSupplierParty")
    return StructuredOrder(
        format=fmt,
        document_type=document_type,
        is_cancellation=is_cancellation,
        po_number=_po_number(root, kind),
        order_date=_order_date(root, kind),
        requested_delivery_date=_requested_delivery(delivery),
        currency=currency,
        buyer=_party(buyer_wrapper),
        seller=_party(seller_wrapper),
        ship_to=_ship_to(delivery),
        payment_terms_days=payment_days_from_text(text(root, "PaymentTerms/Note")),
        subtotal=_amount(totals, "TaxExclusiveAmount", "LineExtensionAmount"),
        tax_total=_tax_total(root, currency),
        total=_total(root, totals),
        lines=tuple(_line(item) for path in _LINE_PATHS for item in find_all(root, path)),
    )


def _document_type(kind: str) -> tuple[DocumentType, bool]:
    if kind == "Order":
        return "purchase_order", False
    if kind == "OrderChange":
        return "order_change", False
    if kind == "OrderCancellation":
        return "order_change", True
    if kind in _INVOICE_ROOTS:
        return "invoice", False
    return "other", False


def _po_number(root: etree._Element, kind: str) -> str | None:
    if kind == "Order":
        return text(root, "ID")
    if kind in _REFERENCING_ROOTS or kind in _INVOICE_ROOTS:
        return text(root, "OrderReference/ID")
    return None  # a quotation's or RFQ's number is not a purchase-order number


def _order_date(root: etree._Element, kind: str) -> date | None:
    if kind in ("Order", "OrderChange", "OrderCancellation"):
        return parse_iso_date(text(root, "IssueDate"), what="The order date")
    if kind in _INVOICE_ROOTS or kind in _REFERENCING_ROOTS:
        return parse_iso_date(text(root, "OrderReference/IssueDate"), what="The order date")
    return None


def _requested_delivery(delivery: etree._Element | None) -> date | None:
    return parse_iso_date(
        first_text(
            delivery,
            "RequestedDeliveryPeriod/StartDate",
            "RequestedDeliveryPeriod/EndDate",
            "LatestDeliveryDate",
        ),
        what="The requested delivery date",
    )


def _street(address: etree._Element | None) -> str | None:
    street = text(address, "StreetName")
    number = text(address, "BuildingNumber")
    if street and number:
        return f"{street} {number}"
    return street or text(address, "AddressLine/Line")


def _address_fields(address: etree._Element | None) -> dict[str, str | None]:
    return {
        "street": _street(address),
        "postal_code": text(address, "PostalZone"),
        "city": text(address, "CityName"),
        "country": normalise_country(text(address, "Country/IdentificationCode")),
    }


def _party(wrapper: etree._Element | None) -> StructuredParty:
    if wrapper is None:
        return StructuredParty()
    party = find(wrapper, "Party")
    vat_id = None
    for scheme in find_all(party, "PartyTaxScheme"):
        if (text(scheme, "TaxScheme/ID") or "VAT").upper() == "VAT":
            vat_id = normalise_vat_id(text(scheme, "CompanyID"))
            if vat_id:
                break
    return StructuredParty(
        name=first_text(party, "PartyName/Name", "PartyLegalEntity/RegistrationName"),
        vat_id=vat_id,
        account_id=text(wrapper, "SupplierAssignedAccountID"),
        email=text(party, "Contact/ElectronicMail"),
        **_address_fields(find(party, "PostalAddress")),
    )


def _ship_to(delivery: etree._Element | None) -> StructuredParty | None:
    if delivery is None:
        return None
    address = find_first(delivery, "DeliveryLocation/Address", "DeliveryAddress")
    name = first_text(delivery, "DeliveryParty/PartyName/Name", "DeliveryLocation/Name")
    if address is None and name is None:
        return None
    ship_to = StructuredParty(
        name=name,
        email=text(delivery, "DeliveryParty/Contact/ElectronicMail"),
        **_address_fields(address),
    )
    return None if ship_to.is_empty() else ship_to


def _amount(element: etree._Element | None, *paths: str) -> Decimal | None:
    """The first of `paths` that is present (a stated 0.00 counts as present)."""
    for path in paths:
        value = text(element, path)
        if value is not None:
            return parse_decimal(value, what=path)
    return None


def _amount_currency(root: etree._Element) -> str | None:
    """The currency of the stated amounts, for a document with no currency code of its own."""
    amount = find_first(
        root,
        "AnticipatedMonetaryTotal/PayableAmount",
        "LegalMonetaryTotal/PayableAmount",
        "OrderLine/LineItem/Price/PriceAmount",
    )
    return amount.get("currencyID") if amount is not None else None


def _total(root: etree._Element, totals: etree._Element | None) -> Decimal | None:
    """The gross total; a payable amount stands for it only when the document states tax (an
    order that shows only a net amount has no total, per the field conventions)."""
    if find(totals, "TaxInclusiveAmount") is not None or find(root, "TaxTotal") is None:
        return _amount(totals, "TaxInclusiveAmount")
    return _amount(totals, "PayableAmount")


def _tax_total(root: etree._Element, currency: str | None) -> Decimal | None:
    amounts = find_all(root, "TaxTotal/TaxAmount")
    for amount in amounts:
        if amount.get("currencyID") in (None, currency):
            return parse_decimal(amount.text, what="TaxAmount")
    return parse_decimal(amounts[0].text, what="TaxAmount") if amounts else None


def _line(item: etree._Element) -> StructuredLine:
    product = find(item, "Item")
    quantity = find_first(item, *_QUANTITY_PATHS)
    gtin = None
    standard = find(product, "StandardItemIdentification/ID")
    if standard is not None and standard.text:
        scheme = (standard.get("schemeID") or "0160").upper()
        gtin = standard.text.strip() if scheme in _GTIN_SCHEMES else None
    return StructuredLine(
        buyer_item_id=text(product, "BuyersItemIdentification/ID"),
        seller_item_id=text(product, "SellersItemIdentification/ID"),
        other_item_id=text(product, "ManufacturersItemIdentification/ID"),
        gtin=gtin,
        description=clean_text(first_text(product, "Name", "Description")),
        quantity=parse_decimal(
            quantity.text if quantity is not None else None, what="The line quantity"
        ),
        unit=map_unit(quantity.get("unitCode") if quantity is not None else None),
        unit_price=per_unit(
            parse_decimal(text(item, "Price/PriceAmount"), what="The line price"),
            parse_decimal(text(item, "Price/BaseQuantity"), what="The price base quantity"),
        ),
        line_total=parse_decimal(text(item, "LineExtensionAmount"), what="The line total"),
    )
