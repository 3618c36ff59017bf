"""The synthetic world every generated order lives in: the seller, its customers and products.

The world is a pure function of the seed, so the master-data CSVs written by
`write_master_data(seed=s)` describe exactly the customers and products the orders of
`generate_corpus(seed=s)` refer to.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from schwifty import IBAN
from stdnum import ean, get_cc_module

from training.synth.catalogue import GRADES, PRODUCT_TEMPLATES, ProductTemplate

SELLER_NAME = "Ordino Demo Supplies SAS"
SELLER_VAT = "FR40303265045"
SELLER_VAT_PRINTED = "FR 40 303 265 045"
SELLER_STREET = "12 rue des Entrepreneurs"
SELLER_POSTAL_CODE = "69007"
SELLER_CITY = "Lyon"
SELLER_COUNTRY = "FR"
SELLER_PHONE = "+33 4 78 00 12 34"
SELLER_EMAIL = "commandes@ordino-demo.fr"
SELLER_IBAN = "FR76 3000 4000 0300 0102 0304 015"

CUSTOMER_COUNT = 40
PRODUCT_COUNT = 300

TAX_RATES: dict[str, Decimal] = {
    "FR": Decimal("0.20"),
    "DE": Decimal("0.19"),
    "GB": Decimal("0.20"),
    "BE": Decimal("0.21"),
    "CH": Decimal("0.081"),
    "NL": Decimal("0.21"),
    "AT": Decimal("0.20"),
    "LU": Decimal("0.17"),
    "IT": Decimal("0.22"),
    "ES": Decimal("0.21"),
}
CURRENCY_BY_COUNTRY = {"GB": "GBP", "CH": "CHF"}
LANGUAGE_BY_COUNTRY = {
    "FR": "fr",
    "BE": "fr",
    "LU": "fr",
    "CH": "de",
    "DE": "de",
    "AT": "de",
    "GB": "en",
    "NL": "en",
    "IT": "en",
    "ES": "en",
}
COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "fr": {
        "FR": "France",
        "DE": "Allemagne",
        "GB": "Royaume-Uni",
        "BE": "Belgique",
        "CH": "Suisse",
        "NL": "Pays-Bas",
        "AT": "Autriche",
        "LU": "Luxembourg",
        "IT": "Italie",
        "ES": "Espagne",
    },
    "de": {
        "FR": "Frankreich",
        "DE": "Deutschland",
        "GB": "Vereinigtes Königreich",
        "BE": "Belgien",
        "CH": "Schweiz",
        "NL": "Niederlande",
        "AT": "Österreich",
        "LU": "Luxemburg",
        "IT": "Italien",
        "ES": "Spanien",
    },
    "en": {
        "FR": "France",
        "DE": "Germany",
        "GB": "United Kingdom",
        "BE": "Belgium",
        "CH": "Switzerland",
        "NL": "Netherlands",
        "AT": "Austria",
        "LU": "Luxembourg",
        "IT": "Italy",
        "ES": "Spain",
    },
}

_SURNAMES = {
    "FR": [
        "Martin",
        "Durand",
        "Lefèvre",
        "Moreau",
        "Girard",
        "Bonnet",
        "Mercier",
        "Rousseau",
        "Fontaine",
        "Chevalier",
        "Garnier",
        "Faure",
    ],
    "BE": ["Dubois", "Peeters", "Lambert", "Janssens", "Dupont", "Claes"],
    "LU": ["Schmit", "Weber", "Muller", "Hoffmann"],
    "DE": [
        "Müller",
        "Schneider",
        "Fischer",
        "Weber",
        "Becker",
        "Wagner",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
    ],
    "AT": ["Huber", "Gruber", "Pichler", "Steiner", "Moser"],
    "CH": ["Keller", "Meier", "Brunner", "Baumann", "Frei", "Zimmermann"],
    "GB": [
        "Harper",
        "Whitfield",
        "Ashworth",
        "Pemberton",
        "Bradley",
        "Holloway",
        "Fletcher",
        "Carter",
    ],
    "NL": ["de Vries", "Bakker", "Visser", "Smit", "Meijer"],
    "IT": ["Rossi", "Bianchi", "Ferrari", "Colombo", "Ricci"],
    "ES": ["García", "Fernández", "López", "Martínez", "Sánchez"],
}
_TRADES = {
    "fr": [
        "Transports",
        "Atelier",
        "Boulangeries",
        "Menuiserie",
        "Imprimerie",
        "Laboratoires",
        "Garage",
        "Hôtellerie",
        "Électricité",
        "Bureautique",
    ],
    "de": [
        "Maschinenbau",
        "Logistik",
        "Elektrotechnik",
        "Haustechnik",
        "Metallbau",
        "Druckerei",
        "Bürobedarf",
        "Kältetechnik",
    ],
    "en": [
        "Engineering",
        "Logistics",
        "Facilities",
        "Print",
        "Catering",
        "Packaging",
        "Laboratories",
        "Building Services",
    ],
}
_LEGAL_FORMS = {
    "FR": ["SAS", "SARL", "SA"],
    "BE": ["SRL", "SA", "NV"],
    "LU": ["S.à r.l.", "SA"],
    "DE": ["GmbH", "AG", "GmbH & Co. KG"],
    "AT": ["GmbH", "AG"],
    "CH": ["AG", "GmbH"],
    "GB": ["Ltd", "plc", "Limited"],
    "NL": ["B.V."],
    "IT": ["S.r.l.", "S.p.A."],
    "ES": ["S.L.", "S.A."],
}
_STREETS = {
    "fr": [
        "rue de la République",
        "avenue Jean Jaurès",
        "boulevard Gambetta",
        "rue du Moulin",
        "chemin des Vignes",
        "rue Victor Hugo",
        "allée des Tilleuls",
        "rue de l'Industrie",
        "place du Marché",
        "route de Paris",
    ],
    "de": [
        "Hauptstraße",
        "Industriestraße",
        "Bahnhofstraße",
        "Gartenweg",
        "Lindenallee",
        "Am Hafen",
        "Schillerstraße",
        "Gewerbepark",
    ],
    "en": [
        "High Street",
        "Station Road",
        "Mill Lane",
        "Church Street",
        "Victoria Road",
        "Park Avenue",
        "Kingsway",
        "Riverside Drive",
    ],
}
_CITIES: dict[str, list[tuple[str, str]]] = {
    "FR": [
        ("75011", "Paris"),
        ("69003", "Lyon"),
        ("13008", "Marseille"),
        ("31000", "Toulouse"),
        ("33000", "Bordeaux"),
        ("59000", "Lille"),
        ("44000", "Nantes"),
        ("67000", "Strasbourg"),
        ("35000", "Rennes"),
        ("21000", "Dijon"),
    ],
    "BE": [("1000", "Bruxelles"), ("4000", "Liège"), ("5000", "Namur"), ("6000", "Charleroi")],
    "LU": [("L-1616", "Luxembourg"), ("L-4002", "Esch-sur-Alzette")],
    "DE": [
        ("10115", "Berlin"),
        ("80331", "München"),
        ("20095", "Hamburg"),
        ("50667", "Köln"),
        ("70173", "Stuttgart"),
        ("60311", "Frankfurt am Main"),
        ("04109", "Leipzig"),
        ("90402", "Nürnberg"),
    ],
    "AT": [("1010", "Wien"), ("4020", "Linz"), ("8010", "Graz"), ("5020", "Salzburg")],
    "CH": [("8001", "Zürich"), ("3011", "Bern"), ("4051", "Basel"), ("6003", "Luzern")],
    "GB": [
        ("EC1A 1BB", "London"),
        ("M1 1AE", "Manchester"),
        ("B1 1AA", "Birmingham"),
        ("LS1 4AP", "Leeds"),
        ("BS1 5TR", "Bristol"),
        ("EH1 1YZ", "Edinburgh"),
    ],
    "NL": [("1012 AB", "Amsterdam"), ("3011 AD", "Rotterdam"), ("3511 AX", "Utrecht")],
    "IT": [("20121", "Milano"), ("10121", "Torino"), ("40121", "Bologna")],
    "ES": [("28001", "Madrid"), ("08001", "Barcelona"), ("46001", "Valencia")],
}
_FIRST_NAMES = {
    "fr": ["Marie", "Julien", "Sophie", "Nicolas", "Camille", "Thomas", "Claire", "Antoine"],
    "de": ["Anna", "Jonas", "Katrin", "Lukas", "Sabine", "Markus", "Julia", "Stefan"],
    "en": ["Emma", "James", "Olivia", "Daniel", "Charlotte", "Oliver", "Grace", "Henry"],
}
_MAIL_LOCALS = {
    "fr": ["achats", "commandes", "appro"],
    "de": ["einkauf", "bestellung"],
    "en": ["purchasing", "orders", "procurement"],
}
_COUNTRY_MIX = (
    ["FR"] * 12
    + ["DE"] * 9
    + ["GB"] * 6
    + ["BE"] * 4
    + ["CH"] * 3
    + ["AT"] * 2
    + ["NL", "LU", "IT", "ES"]
)
_IBAN_BANKS: dict[str, list[tuple[str, int]]] = {
    "FR": [("3000400003", 11), ("3000600001", 11)],
    "DE": [("37040044", 10), ("10070000", 10)],
    "GB": [("NWBK601613", 8)],
    "CH": [("00762", 12)],
    "AT": [("19043", 11)],
    "BE": [("539", 7)],
    "NL": [("ABNA", 10)],
    "LU": [("001", 13)],
}


@dataclass(frozen=True)
class Company:
    """A buyer: a catalogue customer (with `customer_id`) or an unknown one (`customer_id` None)."""

    customer_id: str | None
    name: str
    country: str
    language: str
    vat_id: str | None
    """Normalised: upper case letters and digits only."""
    vat_printed: str | None
    street: str
    postal_code: str
    city: str
    email_domain: str
    extra_domain: str | None
    contact_first: str
    contact_last: str
    phone: str
    currency: str
    payment_terms_days: int
    credit_limit: Decimal | None
    iban: str | None
    delivery_sites: tuple[tuple[str, str, str, str], ...]
    """(name, street, postal_code, city) of other sites goods may be shipped to."""

    @property
    def contact_email(self) -> str:
        local = f"{_ascii(self.contact_first)}.{_ascii(self.contact_last)}".lower()
        return f"{local}@{self.email_domain}"

    @property
    def tax_rate(self) -> Decimal:
        return TAX_RATES.get(self.country, Decimal("0.20"))


@dataclass(frozen=True)
class Product:
    sku: str
    descriptions: dict[str, str]
    """Description by language; the catalogue (products.csv) holds the French one."""
    unit: str
    unit_price: Decimal
    gtin: str
    tax_rate: Decimal


@dataclass(frozen=True)
class World:
    seed: int
    customers: tuple[Company, ...]
    products: tuple[Product, ...]
    customer_items: dict[str, dict[str, str]]
    """customer_id -> {seller sku -> customer part number}."""


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return re.sub(r"[^A-Za-z0-9]", "", decomposed.encode("ascii", "ignore").decode())


def _complete_digits(
    rng: random.Random,
    valid: Callable[[str], bool],
    make: Callable[[str, str], str],
    body_len: int,
    check_len: int,
) -> str:
    """Random body digits completed with the check digits that make `valid(make(...))` true."""
    while True:
        body = "".join(rng.choice("0123456789") for _ in range(body_len))
        for n in range(10**check_len):
            candidate = make(body, f"{n:0{check_len}d}")
            if valid(candidate):
                return candidate


def _validator(country: str, kind: str) -> Callable[[str], bool]:
    module = get_cc_module(country, kind)
    if module is None:
        raise ValueError(f"python-stdnum has no {kind} module for {country}")
    return module.is_valid


def make_vat_id(rng: random.Random, country: str) -> tuple[str, str]:
    """A VAT id with valid check digits: (normalised, as printed on a document)."""
    valid = _validator(country.lower(), "vat")
    if country == "FR":
        siren = _complete_digits(rng, _validator("fr", "siren"), lambda b, c: b + c, 8, 1)
        key = next(f"{k:02d}" for k in range(100) if valid(f"FR{k:02d}{siren}"))
        return f"FR{key}{siren}", f"FR {key} {siren[:3]} {siren[3:6]} {siren[6:]}"
    if country == "DE":
        n = _complete_digits(rng, valid, lambda b, c: "DE" + str(rng.randint(1, 9)) + b + c, 7, 1)
        return n, n
    if country == "GB":
        n = _complete_digits(rng, valid, lambda b, c: "GB" + b + c, 7, 2)
        return n, f"GB {n[2:5]} {n[5:9]} {n[9:]}"
    if country == "BE":
        n = _complete_digits(rng, valid, lambda b, c: "BE0" + b + c, 7, 2)
        return n, f"BE {n[2:6]}.{n[6:9]}.{n[9:]}"
    if country == "CH":
        n = _complete_digits(rng, valid, lambda b, c: "CHE" + b + c + "MWST", 8, 1)
        digits = n[3:12]
        return "CHE" + digits, f"CHE-{digits[:3]}.{digits[3:6]}.{digits[6:]} MWST"
    if country == "NL":
        n = _complete_digits(rng, valid, lambda b, c: "NL" + b + c + "B01", 8, 1)
        return n, n
    if country == "IT":
        n = _complete_digits(rng, valid, lambda b, c: "IT" + b + "001" + c, 7, 1)
        return n, n
    if country == "ES":
        n = _complete_digits(rng, valid, lambda b, c: "ESB" + b + c, 7, 1)
        return n, n
    if country == "AT":
        n = _complete_digits(rng, valid, lambda b, c: "ATU" + b + c, 7, 1)
        return n, n
    if country == "LU":
        n = _complete_digits(rng, valid, lambda b, c: "LU" + b + c, 6, 2)
        return n, n
    raise ValueError(f"no VAT id scheme for country {country}")


def make_iban(rng: random.Random, country: str) -> str | None:
    """A valid IBAN for the country (formatted in groups of four), or None if unsupported."""
    banks = _IBAN_BANKS.get(country)
    if not banks:
        return None
    bank, account_len = rng.choice(banks)
    account = "".join(rng.choice("0123456789") for _ in range(account_len))
    return str(IBAN.generate(country, bank_code=bank, account_code=account).formatted)


def make_gtin(rng: random.Random) -> str:
    body = rng.choice(["300", "400", "376", "540", "761"]) + "".join(
        rng.choice("0123456789") for _ in range(9)
    )
    return body + ean.calc_check_digit(body)


def make_company(rng: random.Random, country: str, customer_id: str | None) -> Company:
    language = LANGUAGE_BY_COUNTRY[country]
    surname = rng.choice(_SURNAMES[country])
    trade = rng.choice(_TRADES[language])
    form = rng.choice(_LEGAL_FORMS[country])
    if language == "fr":
        name = f"{trade} {surname} {form}"
    elif language == "de":
        name = f"{surname} {trade} {form}"
    else:
        name = rng.choice([f"{surname} {trade} {form}", f"{surname} & Sons {form}"])
    slug = _ascii(surname).lower() + "-" + _ascii(trade).lower()[:6]
    tld = "co.uk" if country == "GB" else country.lower()
    domain = f"{slug}.{tld}"
    extra = f"{_ascii(surname).lower()}-group.com" if rng.random() < 0.3 else None
    vat, vat_printed = make_vat_id(rng, country)
    postal, city = rng.choice(_CITIES[country])
    street = _street(rng, language)
    sites = tuple(
        (f"{name} – {label}", _street(rng, language), *rng.choice(_CITIES[country]))
        for label in rng.sample(_SITE_LABELS[language], k=rng.randint(0, 2))
    )
    return Company(
        customer_id=customer_id,
        name=name,
        country=country,
        language=language,
        vat_id=vat,
        vat_printed=vat_printed,
        street=street,
        postal_code=postal,
        city=city,
        email_domain=domain,
        extra_domain=extra,
        contact_first=rng.choice(_FIRST_NAMES[language]),
        contact_last=rng.choice(_SURNAMES[country]),
        phone=_phone(rng, country),
        currency=CURRENCY_BY_COUNTRY.get(country, "EUR"),
        payment_terms_days=rng.choice([30, 30, 45, 60, 14, 0]),
        credit_limit=Decimal(rng.choice([5000, 10000, 25000, 50000]))
        if rng.random() < 0.7
        else None,
        iban=make_iban(rng, country),
        delivery_sites=sites,
    )


_SITE_LABELS = {
    "fr": ["Entrepôt", "Dépôt Nord", "Magasin central", "Site de production"],
    "de": ["Lager", "Werk 2", "Zentrallager", "Niederlassung Süd"],
    "en": ["Warehouse", "Depot", "Distribution Centre", "Site 2"],
}


def _street(rng: random.Random, language: str) -> str:
    number = rng.randint(1, 180)
    name = rng.choice(_STREETS[language])
    return f"{name} {number}" if language == "de" else f"{number} {name}"


def _phone(rng: random.Random, country: str) -> str:
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    if country == "FR":
        return f"+33 {rng.randint(1, 5)} {digits(2)} {digits(2)} {digits(2)} {digits(2)}"
    if country in ("DE", "AT", "CH"):
        code = {"DE": "49", "AT": "43", "CH": "41"}[country]
        return f"+{code} {rng.randint(20, 99)} {digits(3)} {digits(4)}"
    if country == "GB":
        return f"+44 {rng.randint(20, 199)} {digits(3)} {digits(4)}"
    code = {"BE": "32", "NL": "31", "LU": "352", "IT": "39", "ES": "34"}[country]
    return f"+{code} {digits(3)} {digits(3)} {digits(3)}"


def make_product(rng: random.Random, index: int, template: ProductTemplate) -> Product:
    variant = rng.choice(template.variants)
    grade = rng.choice(GRADES)
    descriptions = {
        lang: " ".join(filter(None, (template.nouns[lang], variant[lang], grade[lang])))
        for lang in ("fr", "de", "en")
    }
    low, high = template.price_range
    price = (Decimal(rng.randint(int(low * 100), int(high * 100))) / 100).quantize(Decimal("0.01"))
    return Product(
        sku=f"ODS-{10000 + index * 7 + rng.randint(0, 6)}",
        descriptions=descriptions,
        unit=template.unit,
        unit_price=price,
        gtin=make_gtin(rng),
        tax_rate=Decimal("0.20"),
    )


@lru_cache(maxsize=8)
def build_world(seed: int) -> World:
    """The customers, products and cross references for `seed` (cached: it is pure)."""
    rng = random.Random(f"world:{seed}")
    countries = list(_COUNTRY_MIX)
    rng.shuffle(countries)
    customers = tuple(
        make_company(rng, country, f"C{index + 1:04d}")
        for index, country in enumerate(countries[:CUSTOMER_COUNT])
    )
    products: list[Product] = []
    seen_descriptions: set[str] = set()
    while len(products) < PRODUCT_COUNT:
        product = make_product(rng, len(products), rng.choice(PRODUCT_TEMPLATES))
        if product.descriptions["fr"] in seen_descriptions:
            continue
        seen_descriptions.add(product.descriptions["fr"])
        products.append(product)
    customer_items: dict[str, dict[str, str]] = {}
    for company in rng.sample(customers, k=12):
        assert company.customer_id is not None
        style = rng.choice(["{n:06d}", "ART-{n:05d}", "{p}-{n:04d}", "M{n:07d}"])
        prefix = _ascii(company.name)[:3].upper()
        chosen = rng.sample(products, k=rng.randint(25, 60))
        start, step = rng.randint(1000, 90000), rng.randint(1, 37)
        customer_items[company.customer_id] = {
            product.sku: style.format(n=start + i * step, p=prefix)
            for i, product in enumerate(chosen)
        }
    return World(
        seed=seed, customers=customers, products=tuple(products), customer_items=customer_items
    )


def make_unknown_company(rng: random.Random) -> Company:
    """A buyer that is not in the master data (a first order, a prospect)."""
    return make_company(rng, rng.choice(_COUNTRY_MIX), None)
