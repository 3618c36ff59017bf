"""OASIS UBL 2.1 Order (Peppol BIS 3 order-only customization). Element order is normative in
UBL; it follows UBL-Order-2.1.xsd and the common aggregate components, which the tests
validate against."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from api.exports.base import ExportNotPossibleError
from api.exports.model import ExportLine, ExportParty, OrderExport
from extraction.structured.values import unit_code

ORDER_NS = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NSMAP = {None: ORDER_NS, "cac": CAC, "cbc": CBC}
CUSTOMIZATION_ID = "urn:fdc:peppol.eu:poacc:trns:order:3"
PROFILE_ID = "urn:fdc:peppol.eu:poacc:bis:order_only:3"
ORDER_TYPE_CODE = "220"


def _cbc(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CBC}}}{tag}", attributes)
    element.text = text
    return element


def _cac(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{tag}")


def _amount(parent: etree._Element, tag: str, value: Decimal, currency: str) -> None:
    _cbc(parent, tag, format(value, "f"), currencyID=currency)


def _address(parent: etree._Element, tag: str, party: ExportParty) -> None:
    if not any((party.street, party.city, party.postal_code, party.country)):
        return
    address = _cac(parent, tag)
    if party.street:
        _cbc(address, "StreetName", party.street)
    if party.city:
        _cbc(address, "CityName", party.city)
    if party.postal_code:
        _cbc(address, "PostalZone", party.postal_code)
    if party.country:
        country = _cac(address, "Country")
        _cbc(country, "IdentificationCode", party.country)


def _party(parent: etree._Element, tag: str, party: ExportParty, *, is_customer: bool) -> None:
    wrapper = _cac(parent, tag)
    if is_customer and party.customer_id:
        _cbc(wrapper, "SupplierAssignedAccountID", party.customer_id)
    element = _cac(wrapper, "Party")
    if party.name:
        _cbc(_cac(element, "PartyName"), "Name", party.name)
    _address(element, "PostalAddress", party)
    if party.vat_id:
        scheme = _cac(element, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_id)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    if party.name:
        _cbc(_cac(element, "PartyLegalEntity"), "RegistrationName", party.name)
    if party.email:
        _cbc(_cac(element, "Contact"), "ElectronicMail", party.email)


def _delivery(root: etree._Element, order: OrderExport) -> None:
    if order.ship_to is None and order.requested_delivery_date is None:
        return
    delivery = _cac(root, "Delivery")
    if order.ship_to is not None:
        location = _cac(delivery, "DeliveryLocation")
        _address(location, "Address", order.ship_to)
    if order.requested_delivery_date is not None:
        period = _cac(delivery, "RequestedDeliveryPeriod")
        _cbc(period, "StartDate", order.requested_delivery_date.isoformat())
    if order.ship_to is not None and order.ship_to.name:
        party = _cac(delivery, "DeliveryParty")
        _cbc(_cac(party, "PartyName"), "Name", order.ship_to.name)


def _line(root: etree._Element, line: ExportLine, currency: str) -> None:
    item_line = _cac(_cac(root, "OrderLine"), "LineItem")
    _cbc(item_line, "ID", str(line.position))
    _cbc(
        item_line,
        "Quantity",
        format(line.quantity or Decimal(0), "f"),
        unitCode=unit_code(line.unit),
    )
    if line.line_total is not None:
        _amount(item_line, "LineExtensionAmount", line.line_total, currency)
    if line.unit_price is not None:
        price = _cac(item_line, "Price")
        _amount(price, "PriceAmount", line.unit_price, currency)
    item = _cac(item_line, "Item")
    _cbc(item, "Name", line.description or line.sku or line.product_sku or "")
    if line.sku and line.sku != line.product_sku:
        _cbc(_cac(item, "BuyersItemIdentification"), "ID", line.sku)
    if line.product_sku:
        _cbc(_cac(item, "SellersItemIdentification"), "ID", line.product_sku)
    if line.gtin:
        _cbc(_cac(item, "StandardItemIdentification"), "ID", line.gtin, schemeID="0160")


def build_ubl_order(order: OrderExport) -> etree._Element:
    if order.currency is None:
        raise ExportNotPossibleError(
            f"Order {order.order_id} has no currency; UBL amounts need one. "
            "Set it and export again."
        )
    if not order.lines:
        raise ExportNotPossibleError(f"Order {order.order_id} has no lines; a UBL Order needs one.")
    currency = order.currency
    root = etree.Element(f"{{{ORDER_NS}}}Order", nsmap=NSMAP)  # type: ignore[arg-type]
    _cbc(root, "UBLVersionID", "2.1")
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", order.document_number)
    _cbc(root, "IssueDate", order.issue_date.isoformat())
    _cbc(root, "OrderTypeCode", ORDER_TYPE_CODE)
    _cbc(root, "DocumentCurrencyCode", currency)
    _party(root, "BuyerCustomerParty", order.buyer, is_customer=True)
    _party(root, "SellerSupplierParty", order.seller, is_customer=False)
    _delivery(root, order)
    if order.payment_terms_days is not None:
        _cbc(_cac(root, "PaymentTerms"), "Note", f"Net {order.payment_terms_days} days")
    if order.tax_total is not None:
        _amount(_cac(root, "TaxTotal"), "TaxAmount", order.tax_total, currency)
    totals = _cac(root, "AnticipatedMonetaryTotal")
    lines_total = sum(
        (line.line_total for line in order.lines if line.line_total is not None), Decimal(0)
    )
    _amount(totals, "LineExtensionAmount", lines_total, currency)
    if order.subtotal is not None:
        _amount(totals, "TaxExclusiveAmount", order.subtotal, currency)
    if order.total is not None:
        _amount(totals, "TaxInclusiveAmount", order.total, currency)
    payable = order.total if order.total is not None else order.subtotal or lines_total
    _amount(totals, "PayableAmount", payable, currency)
    for line in order.lines:
        _line(root, line, currency)
    return root


class UblOrderExporter:
    name = "ubl"
    media_type = "application/xml"
    file_extension = "xml"

    def export(self, order: OrderExport) -> bytes:
        return etree.tostring(
            build_ubl_order(order), xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
