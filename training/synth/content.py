"""What one synthetic order says, before any layout: its values, lines and distractors.

Everything a document prints is decided here (including which optional fields print at all),
so the renderers only place things, and the truth is exactly what was printed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from stdnum import ean

from training.synth.catalogue import NON_CATALOGUE_LINES
from training.synth.families import FamilySpec
from training.synth.formats import money
from training.synth.labels import (
    NOTES,
    PAYMENT_TERMS,
    REFERENCE_DISTRACTOR_LABELS,
    STAMPS,
    UNIT_WORDS,
)
from training.synth.world import Company, Product, World, make_unknown_company

UNKNOWN_CUSTOMER_RATE = 0.15
_MAIL_BOXES = {"fr": "achats", "en": "orders", "de": "einkauf"}
_FX = {"EUR": Decimal("1"), "GBP": Decimal("0.86"), "CHF": Decimal("0.94")}
_TIMEZONES = {
    "GB": "Europe/London",
    "CH": "Europe/Zurich",
    "DE": "Europe/Berlin",
    "AT": "Europe/Vienna",
}


@dataclass(frozen=True)
class Address:
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    country_printed: bool


@dataclass(frozen=True)
class LineItem:
    position: int
    product: Product | None
    """None for lines that are not catalogue items (freight, packaging)."""
    seller_sku: str | None
    """The seller's SKU as printed on the line, if the layout prints it."""
    customer_sku: str | None
    """The customer's own part number as printed, if the layout prints it."""
    description: str
    quantity: Decimal
    unit_code: str | None
    unit_word: str | None
    unit_price: Decimal
    """Per single unit (truth)."""
    printed_price: Decimal
    price_per: int
    """The printed price is for this many units (1, or 100 for 'per 100')."""
    line_total: Decimal
    delivery_date: dt.date | None = None
    gtin: str | None = None

    @property
    def sku(self) -> str | None:
        """The item number the truth gives: the customer's part number first."""
        return self.customer_sku or self.seller_sku


@dataclass
class OrderContent:
    spec: FamilySpec
    customer: Company
    po_number: str
    order_date: dt.date
    delivery_date: dt.date | None
    customer_number: str | None
    vendor_number: str | None
    quotation: tuple[str, dt.date] | None
    contact_name: str
    contact_email: str | None
    phone: str
    ship_to: Address | None
    payment_terms: tuple[str, int | None] | None
    currency: str
    lines: list[LineItem]
    subtotal: Decimal
    tax_rate: Decimal
    tax_total: Decimal
    total: Decimal
    notes: list[str]
    stamp: list[str] | None
    signature: bool
    sender_email: str | None
    mail_date: dt.datetime
    bill_to: Address | None = None
    """A billing address other than the letterhead's (invoices: the buyer)."""
    buyer_id: str | None = None
    """For an invoice the letterhead is the seller's: the catalogue id of the buyer."""
    reference_distractor: tuple[str, str] | None = None
    """(label, value) of a location, project or contract number printed among the references:
    an identifier under a reference label that is not the order's (stress corpora only)."""

    @property
    def language(self) -> str:
        return self.spec.language


def pick_customer(rng: random.Random, world: World, spec: FamilySpec) -> Company:
    """A catalogue customer that fits the family (by country or language), or an unknown one."""
    if rng.random() < UNKNOWN_CUSTOMER_RATE:
        known_names = {c.name for c in world.customers}
        known_domains = {c.email_domain for c in world.customers}
        for _ in range(20):
            company = make_unknown_company(rng)
            is_new = company.name not in known_names and company.email_domain not in known_domains
            if is_new and _fits(company, spec):
                return company
    candidates = [c for c in world.customers if _fits(c, spec)]
    if not candidates:
        candidates = [c for c in world.customers if c.language == spec.language]
    return rng.choice(candidates)


def _fits(company: Company, spec: FamilySpec) -> bool:
    if spec.countries:
        return company.country in spec.countries
    return company.language == spec.language


def make_po_number(rng: random.Random, style: str, year: int) -> str:
    if style == "sap":
        return f"45{rng.randint(0, 99999999):08d}"
    if style == "year":
        return f"{rng.choice(['BC', 'PO', 'B'])}-{year}-{rng.randint(1, 9999):04d}"
    if style == "slash":
        return f"{rng.choice(['CMD', 'PO', 'BE'])}/{year % 100:02d}/{rng.randint(1, 99999):05d}"
    if style == "plain":
        return str(rng.randint(10000, 999999))
    return f"{rng.choice(['PO', 'PO-', 'CDE', 'ORD'])}{rng.randint(10000, 99999)}".replace(
        "PO1", "PO-1"
    )


def _line_count(rng: random.Random, long_orders: bool) -> int:
    r = rng.random()
    if long_orders:
        r = r * 0.6 + 0.4
    if r < 0.55:
        return rng.randint(1, 5)
    if r < 0.85:
        return rng.randint(6, 15)
    if r < 0.97:
        return rng.randint(16, 35)
    return rng.randint(36, 60)


def _quantity(rng: random.Random, unit: str, per_100: bool) -> Decimal:
    if per_100:
        return Decimal(rng.choice([100, 200, 500, 1000, 2500]))
    if unit in ("M", "KG", "L"):
        return Decimal(rng.choice(["2.5", "5", "10", "12.5", "25", "50", "100", "7.25", "150"]))
    return Decimal(rng.choice([1, 1, 2, 3, 4, 5, 6, 10, 12, 20, 24, 25, 50, 100, 150, 250]))


def make_lines(
    rng: random.Random,
    world: World,
    spec: FamilySpec,
    customer: Company,
    order_date: dt.date,
    currency: str,
) -> list[LineItem]:
    count = _line_count(rng, spec.long_orders)
    products = rng.sample(world.products, k=count)
    cross = world.customer_items.get(customer.customer_id or "", {})
    language = spec.language
    factor = Decimal(rng.randint(85, 110)) / 100 * _FX[currency]
    lines: list[LineItem] = []
    for position, product in enumerate(products, start=1):
        non_catalogue = count > 2 and position == count and rng.random() < 0.25
        dated = "date" in spec.columns
        line_date = order_date + dt.timedelta(days=rng.randint(5, 60)) if dated else None
        if non_catalogue:
            price = (
                Decimal(rng.choice(["15.00", "25.00", "35.50", "49.90", "8.50"])) * _FX[currency]
            )
            price = money(price)
            unit_code = "EA"
            lines.append(
                LineItem(
                    position=position,
                    product=None,
                    seller_sku=None,
                    customer_sku=None,
                    description=rng.choice(NON_CATALOGUE_LINES[language]),
                    quantity=Decimal(1),
                    unit_code=unit_code if "unit" in spec.columns else None,
                    unit_word=rng.choice(UNIT_WORDS[unit_code][language])
                    if "unit" in spec.columns
                    else None,
                    unit_price=price,
                    printed_price=price,
                    price_per=1,
                    line_total=price,
                    delivery_date=line_date,
                )
            )
            continue
        per_100 = "per" in spec.columns and product.unit == "EA" and product.unit_price < 3
        price = (
            money(product.unit_price * factor)
            if not per_100
            else (money(product.unit_price * factor * 100))
        )
        unit_price = price / 100 if per_100 else price
        quantity = _quantity(rng, product.unit, per_100)
        seller_sku, customer_sku = _line_skus(rng, spec, product, cross)
        description = product.descriptions[language]
        if rng.random() < 0.25:
            description = _lengthen(rng, description, language)
        prints_unit = "unit" in spec.columns
        lines.append(
            LineItem(
                position=position,
                product=product,
                seller_sku=seller_sku,
                customer_sku=customer_sku,
                description=description,
                quantity=quantity,
                unit_code=product.unit if prints_unit else None,
                unit_word=rng.choice(UNIT_WORDS[product.unit][language]) if prints_unit else None,
                unit_price=unit_price,
                printed_price=price,
                price_per=100 if per_100 else 1,
                line_total=money(quantity * unit_price),
                delivery_date=line_date,
                gtin=product.gtin if "gtin" in spec.columns else None,
            )
        )
    if len(lines) > 1 and "date" in spec.columns:
        dates = {line.delivery_date for line in lines}
        if len(dates) == 1:  # per-line dates that do not differ would be a header date
            first = lines[0]
            assert first.delivery_date is not None
            lines[0] = replace(first, delivery_date=first.delivery_date - dt.timedelta(days=2))
    return lines


_LENGTHENERS = {
    "fr": (
        "conditionnement standard, livraison sur palette",
        "selon fiche technique jointe",
        "conforme à la norme en vigueur, marquage CE",
    ),
    "de": (
        "Standardverpackung, Lieferung auf Palette",
        "laut beiliegendem Datenblatt",
        "gemäß gültiger Norm, mit CE-Kennzeichnung",
    ),
    "en": (
        "standard packaging, delivered on pallet",
        "as per attached data sheet",
        "compliant with current standard, CE marked",
    ),
}


def _lengthen(rng: random.Random, description: str, language: str) -> str:
    return f"{description} – {rng.choice(_LENGTHENERS[language])}"


def _line_skus(
    rng: random.Random, spec: FamilySpec, product: Product, cross: dict[str, str]
) -> tuple[str | None, str | None]:
    """(seller SKU printed, customer part number printed) for one catalogue line."""
    customer_sku = cross.get(product.sku)
    mode = spec.sku_mode
    if mode == "none":
        return None, None
    if mode == "seller":
        return product.sku, None
    if mode == "both":
        return product.sku, customer_sku
    if mode == "customer":
        if customer_sku is not None:
            return None, customer_sku
        return (None, None) if "cpn" in spec.columns else (product.sku, None)
    # mixed: some lines with a SKU, some description only
    return (product.sku, None) if rng.random() < 0.7 else (None, None)


def reference_distractor(rng: random.Random, language: str) -> tuple[str, str]:
    """A GLN (13 digits with its check digit) or a project or contract code, with its label."""
    label = rng.choice(REFERENCE_DISTRACTOR_LABELS[language])
    if label == "GLN":
        digits = "".join(str(rng.randint(0, 9)) for _ in range(12))
        return label, digits + ean.calc_check_digit(digits)
    return label, f"{rng.choice(['PRJ-', 'CT-', 'PRJ '])}{rng.randint(100, 99999)}"


def make_order(
    rng: random.Random, world: World, spec: FamilySpec, customer: Company | None = None
) -> OrderContent:
    """The values of one order of family `spec` (from `customer` when given)."""
    company = customer or pick_customer(rng, world, spec)
    order_date = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 720))
    delivery = (
        order_date + dt.timedelta(days=rng.randint(3, 45))
        if rng.random() < spec.delivery_date_rate
        else None
    )
    currency = company.currency
    lines = make_lines(rng, world, spec, company, order_date, currency)
    subtotal = sum((line.line_total for line in lines), Decimal(0))
    tax_rate = company.tax_rate
    tax_total = money(subtotal * tax_rate)
    known = company.customer_id is not None
    quotation = None
    if spec.prints_quotation or rng.random() < 0.2:
        quotation = (
            f"{rng.choice(['DV', 'Q', 'ANG', 'OF'])}-{rng.randint(1000, 99999)}",
            order_date - dt.timedelta(days=rng.randint(3, 40)),
        )
    terms = None
    if spec.payment_terms != "none" and rng.random() < 0.8:
        terms = rng.choice(PAYMENT_TERMS[spec.language])
    contact_email = company.contact_email if rng.random() < spec.email_rate else None
    mail_date = _mail_datetime(rng, order_date, company.country)
    sender_email = (
        None
        if rng.random() < 0.1
        else rng.choice(
            [
                company.contact_email,
                company.contact_email,
                f"{_MAIL_BOXES[company.language]}@{company.extra_domain or company.email_domain}",
            ]
        )
    )
    return OrderContent(
        spec=spec,
        customer=company,
        po_number=make_po_number(rng, spec.po_style, order_date.year),
        order_date=order_date,
        delivery_date=delivery,
        customer_number=company.customer_id if known and spec.prints_customer_number else None,
        vendor_number=f"{rng.choice(['F', 'K', '7', 'V'])}{rng.randint(10000, 99999)}"
        if spec.prints_vendor_number
        else None,
        quotation=quotation,
        contact_name=f"{company.contact_first} {company.contact_last}",
        contact_email=contact_email,
        phone=company.phone,
        ship_to=_ship_to(rng, spec, company),
        payment_terms=terms,
        currency=currency,
        lines=lines,
        subtotal=subtotal,
        tax_rate=tax_rate,
        tax_total=tax_total,
        total=subtotal + tax_total,
        notes=rng.sample(NOTES[spec.language], k=rng.randint(1, 2))
        if rng.random() < spec.notes_rate
        else [],
        stamp=[rng.choice(STAMPS[spec.language])] if rng.random() < spec.stamp_rate else None,
        signature=rng.random() < spec.signature_rate,
        sender_email=sender_email,
        mail_date=mail_date,
    )


def _ship_to(rng: random.Random, spec: FamilySpec, company: Company) -> Address | None:
    if rng.random() >= spec.ship_to_rate:
        return None
    printed = spec.country_printed or rng.random() < 0.3
    if company.delivery_sites and rng.random() < 0.7:
        name, street, postal, city = rng.choice(company.delivery_sites)
        return Address(name, street, postal, city, company.country, printed)
    return Address(
        company.name, company.street, company.postal_code, company.city, company.country, printed
    )


def _mail_datetime(rng: random.Random, order_date: dt.date, country: str) -> dt.datetime:
    zone = ZoneInfo(_TIMEZONES.get(country, "Europe/Paris"))
    day = order_date + dt.timedelta(days=rng.choice([0, 0, 0, 1]))
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(7, 18), rng.randint(0, 59), tzinfo=zone
    )
