"""Master-data matching of customers and products."""

from __future__ import annotations

from decimal import Decimal

from extraction.masterdata import CustomerItemRecord, CustomerRecord, MasterData, ProductRecord
from extraction.matching import ProductIndex, match_customer

MASTER = MasterData(
    customers=(
        CustomerRecord("C001", "Garage Lambert SA", vat_id="BE0991179949",
                       email_domains=("lambert-garage.be",), postal_code="4000", city="Liège"),
        CustomerRecord("C002", "Hôtellerie Moreau SAS", vat_id="FR02985053750",
                       email_domains=("moreau-hotell.fr",), postal_code="67000"),
    ),
    products=(
        ProductRecord("ODS-10796", "Gants nitrile taille L", unit="BOX", unit_price=Decimal("10.95"),
                      gtin="4006381333931"),
        ProductRecord("ODS-11712", "Palette bois perdue 1200x1000", unit_price=Decimal("14.34")),
        ProductRecord("ODS-10489", "Câble électrique H07V-U 2,5 mm² vert"),
    ),
    customer_items=(CustomerItemRecord("C002", "MOR-778", "ODS-11712"),),
)


def test_customer_found_by_sender_domain():
    match = match_customer(MASTER, sender_email="achats@lambert-garage.be")
    assert match is not None and match.customer.customer_id == "C001"
    assert match.method == "email_domain"


def test_customer_found_by_vat_id_in_any_spacing():
    match = match_customer(MASTER, vat_id="FR 02 985 053 750")
    assert match is not None and match.customer.customer_id == "C002" and match.method == "vat_id"


def test_customer_found_by_printed_customer_number():
    match = match_customer(MASTER, customer_number="c002")
    assert match is not None and match.customer.customer_id == "C002"


def test_customer_found_by_fuzzy_name_without_legal_form():
    match = match_customer(MASTER, names=["HOTELLERIE MOREAU"])
    assert match is not None and match.customer.customer_id == "C002" and match.method == "name"


def test_unrelated_name_matches_no_customer():
    assert match_customer(MASTER, names=["Brasserie du Port SARL"]) is None


def test_product_found_by_sku_ignoring_case():
    match = ProductIndex(MASTER).match(sku="ods-10796", description=None, customer_id=None)
    assert match is not None and match.product.sku == "ODS-10796" and match.method == "sku"


def test_product_found_by_the_customers_own_part_number():
    match = ProductIndex(MASTER).match(sku="MOR-778", description=None, customer_id="C002")
    assert match is not None and match.product.sku == "ODS-11712"
    assert match.method == "customer_item"


def test_product_found_by_gtin():
    match = ProductIndex(MASTER).match(sku="4006381333931", description=None, customer_id=None)
    assert match is not None and match.product.sku == "ODS-10796" and match.method == "gtin"


def test_product_found_by_description_despite_ocr_noise():
    match = ProductIndex(MASTER).match(
        sku=None, description="Cable electrique HO7V-U 2,5 mm? vert", customer_id=None
    )
    assert match is not None and match.product.sku == "ODS-10489"
    assert match.method == "description"


def test_unknown_description_matches_no_product():
    match = ProductIndex(MASTER).match(sku=None, description="Frais de port", customer_id=None)
    assert match is None
