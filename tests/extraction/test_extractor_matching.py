"""Master-data matching of customers and products."""

from __future__ import annotations

from decimal import Decimal

from extraction.masterdata import CustomerItemRecord, CustomerRecord, MasterData, ProductRecord
from extraction.matching import ProductIndex, match_customer

MASTER = MasterData(
    customers=(
        CustomerRecord(
            "C001",
            "Garage Lambert SA",
            vat_id="BE0991179949",
            email_domains=("lambert-garage.be",),
            postal_code="4000",
            city="Liège",
        ),
        CustomerRecord(
            "C002",
            "Hôtellerie Moreau SAS",
            vat_id="FR02985053750",
            email_domains=("moreau-hotell.fr",),
            postal_code="67000",
        ),
    ),
    products=(
        ProductRecord(
            "ODS-10796",
            "Gants nitrile taille L",
            unit="BOX",
            unit_price=Decimal("10.95"),
            gtin="4006381333931",
        ),
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


def test_a_printed_vat_id_of_another_entity_outweighs_a_shared_domain_and_a_like_name():
    # a sister company: same group domain, near-identical name, its own VAT id
    sender, names = "achats@lambert-garage.be", ["Garage Lambert SPRL"]
    assert match_customer(MASTER, sender_email=sender, names=names) is not None
    assert (
        match_customer(MASTER, sender_email=sender, names=names, vat_id="BE 0403.170.701") is None
    )


def test_companies_of_a_group_sharing_a_domain_are_told_apart_by_their_legal_form():
    group = MasterData(
        customers=tuple(
            CustomerRecord(cid, name, email_domains=("koch-drucke.de",))
            for cid, name in (
                ("C010", "Koch Druckerei AG"),
                ("C018", "Koch Druckerei GmbH & Co. KG"),
            )
        )
    )
    for printed, wanted in (
        ("Koch Druckerei GmbH & Co. KG", "C018"),
        ("Koch Druckerei AG", "C010"),
    ):
        match = match_customer(group, sender_email="k.muller@koch-drucke.de", names=[printed])
        assert match is not None and match.customer.customer_id == wanted


def test_a_group_domain_does_not_make_another_company_of_the_group_the_customer():
    group = MasterData(
        customers=(
            CustomerRecord("C037", "Transports Martin SAS", email_domains=("martin-group.com",)),
        )
    )
    sender = "achats@martin-group.com"
    assert match_customer(group, sender_email=sender, names=["Imprimerie Martin SAS"]) is None
    # as alike as two group names get: the family name in common, each its own trade
    fontaine = MasterData(
        customers=(
            CustomerRecord(
                "C004", "Boulangeries Fontaine SARL", email_domains=("fontaine-group.com",)
            ),
        )
    )
    printed = ["Électricité Fontaine SARL"]
    assert match_customer(fontaine, sender_email="achats@fontaine-group.com", names=printed) is None
    # the customer's own name, however OCR misread it, shortened, with its site, or none
    # printed: the domain stands
    for names in (
        ["Transports Martln SAS"],
        ["Transp. Martin"],
        ["Transports Martin SAS – Dépôt Nord"],
        [],
    ):
        match = match_customer(group, sender_email=sender, names=names)
        assert match is not None and match.method == "email_domain"


def test_the_sellers_own_vat_id_says_nothing_about_the_customer():
    master = MasterData(customers=MASTER.customers, seller_vat_ids=("FR40303265045",))
    match = match_customer(
        master, sender_email="achats@lambert-garage.be", vat_id="FR 40 303 265 045"
    )
    assert match is not None and match.customer.customer_id == "C001"


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


def test_product_found_by_description_despite_lost_accents_and_symbols():
    match = ProductIndex(MASTER).match(
        sku=None, description="Cable electrique H07V-U 2,5 mm? vert", customer_id=None
    )
    assert match is not None and match.product.sku == "ODS-10489"
    assert match.method == "description"


def test_unknown_description_matches_no_product():
    match = ProductIndex(MASTER).match(sku=None, description="Frais de port", customer_id=None)
    assert match is None


def test_description_with_other_sizes_is_not_taken_for_a_catalogue_item():
    match = ProductIndex(MASTER).match(
        sku=None, description="Palette bois perdue 1200x800", customer_id=None
    )
    assert match is None


def test_descriptions_in_another_language_match_by_sizes_and_one_price_factor():
    catalogue = MasterData(
        products=(
            ProductRecord("P-1", "Graisse lithium seau 5 kg Eco", unit_price=Decimal("6.55")),
            ProductRecord("P-2", "Graisse lithium seau 5 kg Pro", unit_price=Decimal("10.76")),
            ProductRecord("P-3", "Vis 5x30 mm inox A2", unit_price=Decimal("20.00")),
            ProductRecord("P-4", "Vis 5x30 mm inox A2 Premium", unit_price=Decimal("25.00")),
        )
    )
    # every printed price is the list price × 0.90 (the customer's discount)
    found = ProductIndex(catalogue).match_by_common_factor(
        [
            ("Lithiumfett Eimer 5 kg Pro", Decimal("9.68")),
            ("Zylinderschraube 5x30 mm Edelstahl A2", Decimal("18.00")),
        ]
    )
    assert [m.product.sku if m else None for m in found] == ["P-2", "P-3"]


FACTOR_ANCHORS = (
    ProductRecord("P-OIL", "Huile hydraulique HLP 46 bidon 20 L", unit_price=Decimal("6.35")),
    ProductRecord("P-PEN", "Stylo bille bleu", unit_price=Decimal("1.16")),
)
"""Items an order's SKU-matched lines name, whose prices show the customer's factor."""


def test_lines_matched_by_sku_show_the_price_factor_of_a_lone_description_line():
    cable = "Câble électrique H07V-U 1,5 mm²"
    catalogue = MasterData(
        products=(
            ProductRecord("P-RED", f"{cable} rouge Eco", unit_price=Decimal("0.34")),
            ProductRecord("P-BLUE", f"{cable} bleu Eco", unit_price=Decimal("0.97")),
            ProductRecord("P-BLACK", f"{cable} noir Premium", unit_price=Decimal("0.30")),
            *FACTOR_ANCHORS,
        )
    )
    index = ProductIndex(catalogue)
    by_sku = {p.sku: p for p in catalogue.products}
    # the order's factor is 0.93: 6.35 → 5.91, 1.16 → 1.08; 0.34 × 0.93 = 0.3162 prints 0.32,
    # a ratio of 0.941 to the list price that rounding alone explains
    found = index.match_by_common_factor(
        [("Aderleitung H07V-U 1,5 mm² rot Eco", Decimal("0.32"))],
        [(Decimal("5.91"), by_sku["P-OIL"]), (Decimal("1.08"), by_sku["P-PEN"])],
    )
    assert [m.product.sku if m else None for m in found] == ["P-RED"]
    # with no line to show the factor, one description line alone is not matched by price
    assert index.match_by_common_factor(
        [("Aderleitung H07V-U 1,5 mm² rot Eco", Decimal("0.32"))]
    ) == [None]


def test_of_two_list_prices_that_fit_the_factor_the_one_the_other_lines_allow_is_the_item():
    toner = "Cartouche toner compatible Canon 054"
    catalogue = MasterData(
        products=(
            ProductRecord("P-BLACK", f"{toner} noir", unit_price=Decimal("59.52")),
            ProductRecord("P-BLUE", f"{toner} bleu", unit_price=Decimal("59.50")),
            *FACTOR_ANCHORS,
            ProductRecord("P-DESK", "Bureau 160x80", unit_price=Decimal("100.00")),
        )
    )
    index = ProductIndex(catalogue)
    by_sku = {p.sku: p for p in catalogue.products}
    loose = [(Decimal("5.78"), by_sku["P-OIL"]), (Decimal("1.06"), by_sku["P-PEN"])]  # × 0.91
    tight = [*loose, (Decimal("91.00"), by_sku["P-DESK"])]  # 0.9100 give or take 0.00005

    def matched(price: str, known: list) -> str | None:
        (found,) = index.match_by_common_factor(
            [("Tonerkartusche Canon 054", Decimal(price))], known
        )
        return found.product.sku if found else None

    # 59.52 × 0.91 = 54.163 and 59.50 × 0.91 = 54.145: both within the slack of a factor read
    # off 5.78 and 1.06, but only one rounds right under the factor 91.00 / 100.00 allows
    assert matched("54.16", loose) is None
    assert matched("54.16", tight) == "P-BLACK"
    assert matched("54.15", tight) == "P-BLUE"


def test_an_ocr_item_number_a_digit_off_names_the_neighbour_its_description_reads_as():
    catalogue = MasterData(
        customers=(),
        products=(
            ProductRecord("ODS-11911", "Stylo bille bleu Eco"),
            ProductRecord("ODS-11971", "Classeur à levier dos 50 mm"),  # a SKU not printed here
            ProductRecord("ODS-11918", "Stylo bille noir Eco"),
            ProductRecord("ODS-11961", "Ruban adhésif 38 mm x 66 m transparent"),
        ),
    )
    index = ProductIndex(catalogue)

    # 'ODS-11971' exists: a printed SKU is taken as printed
    exact = index.match(
        sku="ODS-11971", description="Stylo bille blou Bea", customer_id=None, ocr=True
    )
    assert exact is not None and exact.product.sku == "ODS-11971"
    misread = index.match(
        sku="ODS-11941", description="Stylo bille blou Bea", customer_id=None, ocr=True
    )
    assert misread is not None and (misread.product.sku, misread.method) == ("ODS-11911", "sku")
    # the two stylos one digit from 'ODS-11919' read alike to 'Stylo bilIe bl Eco': neither
    assert index._by_near_sku("ODS-11919", "Stylo bilIe bl Eco") is None
    assert index._by_near_sku("ODS-11919", "Stylo bilIe bleu Eco") is not None
    # a text layer's item number is what was printed
    assert (
        index.match(sku="ODS-11941", description="Stylo bille blou Bea", customer_id=None) is None
    )
