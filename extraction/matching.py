"""Master-data matching: who sent the order, and which catalogue item each line is.

Customers by VAT id, printed customer number, sender e-mail domain (unless the printed name is
clearly another company's), then fuzzy name (+ postal code and city); products by SKU, the
customer's own part number (customer items), GTIN, an OCR'd SKU a slip off one whose description
the line reads as, then the description against the catalogue with TF-IDF over character
n-grams (read in the catalogue's words when it is in another language:
extraction/description_vocabulary.py), and lines in another language by their sizes and the
order's price factor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from sklearn.feature_extraction.text import TfidfVectorizer

from extraction.description_vocabulary import DescriptionVocabulary, fold_description
from extraction.masterdata import CustomerRecord, MasterData, ProductRecord
from extraction.normalize import compact_vat, normalize_identifier, normalize_text, parse_gtin

CustomerMethod = Literal["email_domain", "vat_id", "customer_number", "name"]
ProductMethod = Literal["sku", "customer_item", "gtin", "description"]

_NAME_MATCH_MIN = 88.0
NAME_CONTRADICTS_DOMAIN = 60.0
"""Name similarity below which the customer name a document prints is another company than the
one its sender's domain belongs to (an OCR'd name misread by a few letters scores 85 or more)."""
DISTINCT_WORD_MIN_LETTERS = 4
ALIKE_WORD_RATIO = 75.0
"""Two words of company names this alike (0..100) are one word, misread or spelt otherwise."""
_DESCRIPTION_MATCH_MIN = 0.55
_LEGAL_FORMS = re.compile(
    r"\b(?:gmbh|ag|kg|sas|sarl|sa|eurl|ltd|limited|plc|inc|llc|bv|nv|co|cie|se|ohg|ug|e\.k)\b\.?",
    re.I,
)


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    customer: CustomerRecord
    method: CustomerMethod
    score: float
    """0..1; 1 for exact identifier matches."""


@dataclass(frozen=True, slots=True)
class ProductMatch:
    product: ProductRecord
    method: ProductMethod
    score: float


def company_key(name: str) -> str:
    """A company name without legal form and punctuation, for fuzzy comparison."""
    return normalize_text(re.sub(r"[^\w\s]", " ", _LEGAL_FORMS.sub(" ", name)))


def name_similarity(a: str, b: str) -> float:
    """0..100, insensitive to legal forms, case, punctuation and word order."""
    return float(fuzz.token_set_ratio(company_key(a), company_key(b)))


def another_company(printed: str, known: str) -> bool:
    """A printed name that names another company than `known`: clearly unlike it, or each of
    the two names holding a word the other has nothing like ('Électricité Fontaine SARL' and
    'Boulangeries Fontaine SARL', two companies of one group). A word OCR misread, an
    abbreviation ('Boul.') and words added to the name ('– Magasin central') do not make
    another company."""
    if name_similarity(printed, known) < NAME_CONTRADICTS_DOMAIN:
        return True
    ours, theirs = company_key(printed).split(), company_key(known).split()
    return bool(_unlike_words(ours, theirs)) and bool(_unlike_words(theirs, ours))


def _unlike_words(words: list[str], others: list[str]) -> list[str]:
    return [
        w
        for w in words
        if len(w) >= DISTINCT_WORD_MIN_LETTERS
        and not any(
            fuzz.ratio(w, o) >= ALIKE_WORD_RATIO or o.startswith(w) or w.startswith(o)
            for o in others
        )
    ]


def match_customer(
    master: MasterData,
    *,
    sender_email: str | None = None,
    vat_id: str | None = None,
    customer_number: str | None = None,
    names: list[str] | tuple[str, ...] = (),
    postal_code: str | None = None,
) -> CustomerMatch | None:
    """The customer the document comes from, by the strongest evidence it prints.

    A printed VAT id is the legal entity: a customer whose own VAT id differs is never taken,
    however alike the name or shared the e-mail domain (a group's subsidiaries share both)."""
    customers = master.customers
    printed_vat = compact_vat(vat_id) if vat_id else None
    if printed_vat and printed_vat not in {compact_vat(v) for v in master.seller_vat_ids}:
        for c in customers:
            if c.vat_id and compact_vat(c.vat_id) == printed_vat:
                return CustomerMatch(c, "vat_id", 1.0)
        customers = tuple(c for c in customers if not c.vat_id)
    if customer_number:
        wanted = normalize_identifier(customer_number)
        for c in customers:
            if normalize_identifier(c.customer_id) == wanted:
                return CustomerMatch(c, "customer_number", 1.0)
    if sender_email and "@" in sender_email:
        domain = sender_email.rsplit("@", 1)[1].lower()
        owners = [c for c in customers if domain in {d.lower() for d in c.email_domains}]
        # a group's domain is also its other companies': a name printed that is clearly
        # another company's ('Imprimerie Martin SAS' from Transports Martin's martin-group.com)
        # outweighs it
        contradicted = bool(names) and all(
            another_company(name, owner.name) for name in names for owner in owners
        )
        if len(owners) == 1 and not contradicted:
            return CustomerMatch(owners[0], "email_domain", 1.0)
    # Names alike but for the legal form ('Koch Druckerei AG', 'Koch Druckerei GmbH & Co. KG':
    # two companies of a group, often sharing a domain) are told apart by the whole name.
    best: tuple[tuple[float, float], CustomerRecord] | None = None
    for name in names:
        for c in customers:
            score = name_similarity(name, c.name)
            if postal_code and c.postal_code and c.postal_code == postal_code:
                score += 5
            key = (score, fuzz.ratio(normalize_text(name), normalize_text(c.name)))
            if best is None or key > best[0]:
                best = (key, c)
    if best is not None and best[0][0] >= _NAME_MATCH_MIN:
        return CustomerMatch(best[1], "name", min(best[0][0], 100.0) / 100)
    return None


_LOOKALIKES = str.maketrans("OQDISBZG$", "000158265", " -./:_")
LOOKALIKE_SKU_SCORE = 0.95
NEAR_SKU_SCORE = 0.9
NEAR_SKU_DESCRIPTION_MIN = 0.7
"""Token-set similarity of an OCR'd description to the catalogue's that, with an item number a
slip away, names the product (a description alone needs 0.85)."""
NEAR_SKU_MARGIN = 0.15


def lookalike_key(code: str) -> str:
    """An item number with the characters OCR confuses folded together (O/Q/D/0, I/1, S/$/5,
    B/8, Z/2, G/6) and its separators dropped: 'OD5-10922', '0DS 10922' and 'ODS-10922' share it."""
    return normalize_identifier(code).translate(_LOOKALIKES)


def _resemblance(catalogue: str, printed: str) -> float:
    """How much an OCR'd description reads as a catalogue one: word for word, or as its start
    followed by a note or noise ('… transparent – selon fiche technique jointe 5402407)')."""
    return (
        max(fuzz.token_set_ratio(catalogue, printed), fuzz.partial_ratio(catalogue, printed)) / 100
    )


class ProductIndex:
    """Lookups over one master-data snapshot; built once and reused for every line."""

    def __init__(self, master: MasterData) -> None:
        self.master = master
        self._by_sku = {normalize_identifier(p.sku): p for p in master.products}
        self._by_gtin = {p.gtin: p for p in master.products if p.gtin}
        self._customer_items = {
            (ci.customer_id, normalize_identifier(ci.customer_sku)): ci.sku
            for ci in master.customer_items
        }
        self._any_customer_items: dict[str, set[str]] = {}
        for ci in master.customer_items:
            self._any_customer_items.setdefault(normalize_identifier(ci.customer_sku), set()).add(
                ci.sku
            )
        lookalikes: dict[str, list[ProductRecord]] = {}
        for p in master.products:
            lookalikes.setdefault(lookalike_key(p.sku), []).append(p)
        self._by_lookalike_sku = {key: ps[0] for key, ps in lookalikes.items() if len(ps) == 1}
        self._products = list(master.products)
        self._folded = [fold_description(p.description) for p in self._products]
        self._lookalike_keys = [lookalike_key(p.sku) for p in self._products]
        self._numbers = [_number_tokens(folded) for folded in self._folded]
        self._vectorizer: TfidfVectorizer | None = None
        self._matrix = None
        if self._products:
            self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), min_df=1)
            self._matrix = self._vectorizer.fit_transform(self._folded)

    def is_item_number(self, text: str, customer_id: str | None, *, ocr: bool = False) -> bool:
        """Whether `text` is a SKU of the catalogue or, for this customer, one of its own item
        numbers; `ocr`: also a SKU misread as look-alike characters."""
        key = normalize_identifier(text)
        return (
            key in self._by_sku
            or (customer_id is not None and (customer_id, key) in self._customer_items)
            or (ocr and lookalike_key(text) in self._by_lookalike_sku)
        )

    def match(
        self,
        *,
        sku: str | None,
        alt_sku: str | None = None,
        description: str | None,
        customer_id: str | None,
        vocabulary: DescriptionVocabulary | None = None,
        ocr: bool = False,
    ) -> ProductMatch | None:
        """`ocr`: the item numbers were OCR'd, and may show look-alike characters ('0DS-10922',
        'OD5-10922' for ODS-10922)."""
        for code in (sku, alt_sku):
            if not code:
                continue
            key = normalize_identifier(code)
            if customer_id and (key_sku := self._customer_items.get((customer_id, key))):
                product = self._by_sku.get(normalize_identifier(key_sku))
                if product is not None:
                    return ProductMatch(product, "customer_item", 1.0)
            if (product := self._by_sku.get(key)) is not None:
                return ProductMatch(product, "sku", 1.0)
            if (gtin := parse_gtin(code)) and (product := self._by_gtin.get(gtin)):
                return ProductMatch(product, "gtin", 1.0)
            if ocr and (product := self._by_lookalike_sku.get(lookalike_key(code))):
                return ProductMatch(product, "sku", LOOKALIKE_SKU_SCORE)
            owners = self._any_customer_items.get(key, set())
            if customer_id is None and len(owners) == 1:
                product = self._by_sku.get(normalize_identifier(next(iter(owners))))
                if product is not None:
                    return ProductMatch(product, "customer_item", 0.9)
        if ocr and description:
            for code in (sku, alt_sku):
                if code and (near := self._by_near_sku(code, description)) is not None:
                    return near
        if description:
            for token in description.split():
                if (gtin := parse_gtin(token)) and (product := self._by_gtin.get(gtin)):
                    return ProductMatch(product, "gtin", 1.0)
            found = self._by_description(description)
            if found is None and vocabulary is not None:
                translated = vocabulary.translate(description)
                if translated is not None:
                    found = self._by_description(translated, translated=True)
            return found
        return None

    def _by_near_sku(self, code: str, description: str) -> ProductMatch | None:
        """An OCR'd item number a slip away from catalogue SKUs (after look-alikes: 'ODS-11971'
        for ODS-11911): the one of them whose description the line's resembles, clearly
        better than any other. A catalogue of a few hundred items numbered in one range has
        several SKUs one digit from any code, so the number alone names none."""
        near = process.extract(
            lookalike_key(code),
            self._lookalike_keys,
            scorer=Levenshtein.distance,
            score_cutoff=1,
            limit=None,
        )
        text = fold_description(description)
        scored = sorted(
            ((_resemblance(self._folded[i], text), i) for _, _, i in near),
            reverse=True,
        )
        if not scored or scored[0][0] < NEAR_SKU_DESCRIPTION_MIN:
            return None
        if len(scored) > 1 and scored[1][0] > scored[0][0] - NEAR_SKU_MARGIN:
            return None
        return ProductMatch(self._products[scored[0][1]], "sku", NEAR_SKU_SCORE)

    def _by_description(self, description: str, *, translated: bool = False) -> ProductMatch | None:
        """TF-IDF over character n-grams shortlists; the printed description must then hold
        every size/number token of the catalogue one (99x38 is not 105x48) and the best
        token-set similarity wins.

        A description `translated` into catalogue words must also hold every word of the
        catalogue one, sizes aside (a colour the vocabulary does not know is not guessed), and
        the most specific such item wins ('jaune Premium' over 'jaune')."""
        if self._vectorizer is None or self._matrix is None:
            return None
        text = fold_description(description)
        query = self._vectorizer.transform([text])
        scores = (self._matrix @ query.T).toarray().ravel()
        shortlist = np.argsort(-scores)[:8]
        printed_numbers = _number_tokens(text)
        printed_words = set(text.split())
        best: tuple[int, float, int] | None = None
        for i in shortlist:
            if scores[i] < _DESCRIPTION_MATCH_MIN:
                break
            catalogue = self._folded[i]
            if not self._numbers[i] <= printed_numbers:
                continue
            words = {w for w in catalogue.split() if len(w) > 1 and not any(map(str.isdigit, w))}
            if translated and not words <= printed_words:
                continue
            similarity = fuzz.token_set_ratio(catalogue, text) / 100
            rank = (len(words) if translated else 0, similarity, int(i))
            if best is None or rank[:2] > best[:2]:
                best = rank
        if best is None or best[1] < 0.85:
            return None
        return ProductMatch(self._products[best[2]], "description", best[1])

    def match_by_common_factor(
        self,
        lines: list[tuple[str, Decimal]],
        known: Sequence[tuple[Decimal, ProductRecord]] = (),
    ) -> list[ProductMatch | None]:
        """Descriptions in another language than the catalogue's, matched by their sizes and
        prices: an order's prices are the list prices times one factor (the customer's
        discount, the exchange rate), so the factor most lines agree on picks, for each line,
        the catalogue item with exactly the printed sizes whose price fits it.

        `known` are the order's lines already matched by an identifier (SKU, GTIN, customer
        item), as (printed unit price, product): they show the factor even when few
        description-only lines do. A price fits when it is the list price times the factor
        rounded to the cent."""
        options: list[list[tuple[Decimal, Decimal, ProductRecord]]] = []
        for description, price in lines:
            printed = _number_tokens(fold_description(description))
            options.append(
                [
                    (price, p.unit_price, p)
                    for p, numbers in zip(self._products, self._numbers, strict=True)
                    if printed and p.unit_price and numbers == printed
                ]
            )
        anchors = [[(price, p.unit_price, p)] for price, p in known if p.unit_price and price]
        every = options + anchors
        # candidate factors: the known lines' when two or more show one, else every option's;
        # the dearest line's ratio first, the least blurred by rounding
        sources = anchors if len(anchors) >= 2 else every
        ratios = sorted(
            ((price / list_price, price) for line in sources for price, list_price, _ in line),
            key=lambda rp: -rp[1],
        )
        if not ratios:
            return [None] * len(lines)

        def support(f: Decimal) -> int:
            return sum(any(price_fits(price, lp, f) for price, lp, _ in line) for line in every)

        factor = max((r for r, _ in ratios), key=support)  # stable: ties keep the dearest
        if support(factor) < max(2, len(every) // 2):
            return [None] * len(lines)
        fits = [[o for o in line if price_fits(o[0], o[1], factor)] for line in every]
        bounds = _factor_bounds([line[0] for line in fits if len(line) == 1])
        found: list[ProductMatch | None] = []
        for line in fits[: len(options)]:
            if len(line) > 1 and bounds is not None:
                # list prices a cent apart both fit within the factor's slack: the one whose
                # rounding the other lines' factor allows is it
                line = [o for o in line if _within(_factor_bounds([o]), bounds)]
            found.append(ProductMatch(line[0][2], "description", 0.6) if len(line) == 1 else None)
        return found


def _factor_bounds(
    fits: Sequence[tuple[Decimal, Decimal, ProductRecord]],
) -> tuple[Decimal, Decimal] | None:
    """The factors under which every (printed price, list price) pair rounds as printed; None
    when none does."""
    if not fits:
        return None
    low = max((price - _CENT_ROUNDING) / list_price for price, list_price, _ in fits)
    high = min((price + _CENT_ROUNDING) / list_price for price, list_price, _ in fits)
    return (low, high) if low <= high else None


def _within(bounds: tuple[Decimal, Decimal] | None, allowed: tuple[Decimal, Decimal]) -> bool:
    return bounds is not None and bounds[0] <= allowed[1] and allowed[0] <= bounds[1]


def price_fits(price: Decimal, list_price: Decimal, factor: Decimal) -> bool:
    """`price` is `list_price × factor` rounded to the cent, give or take the factor's own
    uncertainty (it is itself read off a rounded price)."""
    return abs(price - list_price * factor) <= _CENT_ROUNDING + list_price * factor * _FACTOR_SLACK


_CENT_ROUNDING = Decimal("0.005")
_FACTOR_SLACK = Decimal("0.001")


def _number_tokens(text: str) -> set[str]:
    """Sizes and model numbers: '300x200x150', '2,5', '054' (not the '2' of 'mm²')."""
    return set(re.findall(r"\d+(?:[.,x×]\d+)*", text))


_index_cache: dict[int, ProductIndex] = {}


def product_index(master: MasterData) -> ProductIndex:
    """The index of this snapshot, cached while the same snapshot object is in use."""
    cached = _index_cache.get(id(master))
    if cached is not None and cached.master is master:
        return cached
    index = ProductIndex(master)
    _index_cache.clear()
    _index_cache[id(master)] = index
    return index
