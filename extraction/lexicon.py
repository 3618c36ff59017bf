"""The multilingual label lexicon, matched on page words with spaCy's PhraseMatcher.

Labels are what a human reads next to a value: "N° de commande", "Bestell-Nr.", "PO #". Each
phrase belongs to a label class (usually a field; some classes exist only to warn the model off,
such as the supplier block or the vendor number the buyer gives the seller) and a language.
Tokens are folded (lower case, no accents, edge punctuation stripped) on both sides, so OCR that
drops an accent or a colon still matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import spacy
from rapidfuzz.distance import Levenshtein
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extraction.layout import DocumentLayout
from extraction.normalize import strip_accents
from extraction.ocr_spelling import Spellings
from extraction.pages import Word

LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "po_number": {
        "en": (
            "po number",
            "po no",
            "po #",
            "po",
            "p.o. number",
            "p.o. no",
            "purchase order",
            "purchase order no",
            "purchase order number",
            "order no",
            "order number",
            "order #",
            "order ref",
            "order reference",
            "our order",
            "our order no",
            "your order",
        ),
        "fr": (
            "n° de commande",
            "numero de commande",
            "commande n°",
            "commande no",
            "bon de commande",
            "bon de commande n°",
            "n° commande",
            "ref. commande",
            "reference commande",
            "notre commande",
            "commande",
            "no de commande",
            "n° bc",
            "ref commande",
            "commande fournisseur",
            "commande fournisseur n°",
            "commande d'achat",
            "commande d'achat n°",
            "bon de commande fournisseur",
        ),
        "de": (
            "bestellnummer",
            "einkaufsbestellung",
            "einkaufsbestellung nr",
            "lieferantenbestellung",
            "lieferantenbestellung nr",
            "bestellschein nr",
            "bestell-nr",
            "bestellnr",
            "bestell nr",
            "bestellung nr",
            "bestellung",
            "bestellung-nr",
            "unsere bestellung",
            "unsere bestell-nr",
            "ihre bestellung",
            "auftrags-nr",
            "bestellreferenz",
        ),
    },
    "order_date": {
        "en": ("order date", "po date", "date of order", "dated", "date", "issue date"),
        "fr": (
            "date commande",
            "emise le",
            "emis le",
            "date de commande",
            "date de la commande",
            "date",
            "date d'emission",
            "le",
        ),
        "de": (
            "belegdatum",
            "datum der bestellung",
            "bestelldatum",
            "datum",
            "bestellung vom",
            "vom",
            "ausstellungsdatum",
        ),
    },
    "requested_delivery_date": {
        "en": (
            "delivery date",
            "requested delivery",
            "requested delivery date",
            "required by",
            "deliver by",
            "need by",
            "needed by",
            "required date",
            "ship date",
            "due date",
            "delivery",
        ),
        "fr": (
            "date de livraison",
            "livraison souhaitee",
            "date de livraison souhaitee",
            "livraison prevue",
            "livraison le",
            "a livrer le",
            "delai de livraison",
            "livraison",
        ),
        "de": (
            "liefertermin",
            "lieferdatum",
            "wunschtermin",
            "gewunschter liefertermin",
            "wunschliefertermin",
            "liefern bis",
            "lieferung bis",
            "anliefertermin",
            "lieferung",
        ),
    },
    "currency": {
        "en": ("currency", "all amounts in", "amounts in", "prices in"),
        "fr": ("devise", "monnaie", "montants en"),
        "de": ("wahrung", "betrage in", "preise in"),
    },
    "bill_to": {
        "en": (
            "bill to",
            "billing address",
            "invoice to",
            "invoice address",
            "customer",
            "buyer",
            "sold to",
            "ordered by",
            "purchaser",
            "company",
        ),
        "fr": (
            "facturer a",
            "adresse de facturation",
            "acheteur",
            "client",
            "donneur d'ordre",
            "facturation",
            "societe",
        ),
        "de": (
            "rechnungsadresse",
            "rechnungsanschrift",
            "kunde",
            "auftraggeber",
            "besteller",
            "rechnungsempfanger",
            "firma",
        ),
    },
    "customer_vat_id": {
        "en": (
            "vat",
            "vat no",
            "vat number",
            "vat id",
            "vat reg no",
            "vat registration",
            "tax id",
            "vat reg",
        ),
        "fr": (
            "tva",
            "n° tva",
            "tva intracommunautaire",
            "n° tva intracom",
            "n° tva intracommunautaire",
            "tva intracom",
            "numero de tva",
        ),
        "de": (
            "uid-nr",
            "uid",
            "ust-idnr",
            "ust-id",
            "ust-id-nr",
            "ust.-id-nr",
            "ust-ident-nr",
            "mwst-nr",
            "umsatzsteuer-id",
            "ust idnr",
            "ustid",
        ),
    },
    "customer_number": {
        "en": (
            "our account no",
            "your account no",
            "customer no",
            "customer number",
            "customer #",
            "customer id",
            "account no",
            "account number",
            "customer account",
            "cust no",
            "your customer no",
        ),
        "fr": (
            "notre n° client",
            "votre code client",
            "n° client",
            "code client",
            "numero client",
            "n° de client",
            "compte client",
            "ref client",
            "votre n° client",
        ),
        "de": (
            "unsere kd.-nr",
            "unsere kundennummer",
            "kd.-nr",
            "kunden-nr",
            "kundennummer",
            "kd-nr",
            "kundennr",
            "kunden nr",
            "ihre kundennummer",
        ),
    },
    "vendor_number": {
        "en": (
            "supplier code",
            "your vendor no",
            "vendor no",
            "vendor number",
            "supplier no",
            "supplier number",
            "vendor id",
            "supplier id",
            "vendor #",
            "supplier code",
        ),
        "fr": (
            "votre n° fournisseur",
            "notre n° fournisseur",
            "n° fournisseur",
            "code fournisseur",
            "numero fournisseur",
            "n° de fournisseur",
        ),
        "de": (
            "lief.-nr",
            "ihre lieferanten-nr",
            "lieferanten-nr",
            "lieferantennummer",
            "kreditor-nr",
            "kreditorennummer",
            "lieferantennr",
            "lief-nr",
            "kreditor",
        ),
    },
    "contact_email": {
        "en": ("requested by", "buyer", "email", "e-mail", "mail", "contact", "buyer email"),
        "fr": ("suivi par", "acheteur", "courriel", "e-mail", "email", "contact", "mel"),
        "de": ("einkaufer", "sachbearbeiter", "e-mail", "email", "ansprechpartner", "kontakt"),
    },
    "ship_to": {
        "en": (
            "ship to",
            "deliver to",
            "delivery address",
            "shipping address",
            "consignee",
            "ship-to",
            "delivery to",
            "deliver at",
        ),
        "fr": (
            "livrer a",
            "adresse de livraison",
            "lieu de livraison",
            "livraison a",
            "a livrer a",
        ),
        "de": (
            "lieferanschrift",
            "lieferadresse",
            "warenempfanger",
            "anlieferadresse",
            "anlieferung",
            "lieferung an",
            "versandadresse",
        ),
    },
    "seller": {
        "en": ("supplier", "vendor", "seller", "from", "to", "sold by", "remit to"),
        "fr": ("fournisseur", "vendeur", "a l'attention de", "destinataire"),
        "de": ("lieferant", "an", "verkaufer", "auftragnehmer"),
    },
    "payment_terms": {
        "en": ("payment terms", "terms", "terms of payment", "payment"),
        "fr": (
            "conditions de paiement",
            "conditions de reglement",
            "reglement",
            "paiement",
            "modalites de paiement",
            "echeance",
        ),
        "de": ("zahlungsbedingungen", "zahlungsziel", "zahlung", "zahlungskonditionen"),
    },
    "subtotal": {
        "en": (
            "total (excl. vat)",
            "total excl. vat",
            "order total net",
            "subtotal",
            "sub-total",
            "sub total",
            "net total",
            "total net",
            "net amount",
            "total excl. vat",
            "total excl vat",
            "total before tax",
            "net",
            "goods value",
            "total without vat",
            "total net amount",
            "invoice total net",
        ),
        "fr": (
            "sous-total ht",
            "montant total ht",
            "total ht",
            "montant ht",
            "sous-total",
            "sous total",
            "total hors taxes",
            "total hors tva",
            "net ht",
            "montant hors taxes",
            "total hors taxe",
            "total net ht",
            "montant net ht",
        ),
        "de": (
            "warenwert netto",
            "gesamtsumme netto",
            "bestellwert netto",
            "zwischensumme",
            "nettobetrag",
            "netto",
            "summe netto",
            "gesamt netto",
            "warenwert",
            "nettosumme",
            "gesamtbetrag netto",
            "rechnungssumme ohne ust.",
            "summe ohne ust.",
            "gesamtbetrag ohne ust.",
            "nettowert",
        ),
    },
    "tax_total": {
        "en": (
            "vat",
            "tax",
            "sales tax",
            "vat amount",
            "tax amount",
            "total vat",
            "total tax",
            "total vat amount",
            "vat total",
        ),
        "fr": ("tva", "montant tva", "total tva", "tva 20%", "taxes", "montant de la tva"),
        "de": (
            "ust",
            "mwst",
            "ust",
            "mehrwertsteuer",
            "umsatzsteuer",
            "zzgl. mwst",
            "mwst-betrag",
            "zzgl mwst",
            "steuerbetrag",
            "ust.-betrag",
            "umsatzsteuerbetrag",
            "mwst.-betrag",
            "summe ust.",
        ),
    },
    "total": {
        "en": (
            "total",
            "grand total",
            "total amount",
            "amount due",
            "total due",
            "order total",
            "total incl. vat",
            "total incl vat",
            "gross total",
            "total gross",
            "amount payable",
            "total payable",
            "invoice total",
            "balance due",
        ),
        "fr": (
            "total commande ttc",
            "total ttc",
            "montant ttc",
            "net a payer",
            "total a payer",
            "total general",
            "montant total",
            "montant total ttc",
            "montant a payer",
            "total a payer ttc",
            "total",
        ),
        "de": (
            "gesamtbetrag",
            "gesamtsumme",
            "endbetrag",
            "bruttobetrag",
            "summe brutto",
            "gesamt brutto",
            "gesamt",
            "summe",
            "rechnungsbetrag",
            "bestellwert",
            "bruttosumme",
            "zahlbetrag",
            "gesamtbetrag brutto",
            "gesamtsumme brutto",
            "endsumme",
            "rechnungssumme",
        ),
    },
    "quote": {
        "en": (
            "quote ref",
            "your quote",
            "quotation ref",
            "quote",
            "quotation",
            "quote no",
            "quotation no",
            "quote ref",
            "offer",
        ),
        "fr": (
            "votre devis n°",
            "votre devis",
            "ref. devis",
            "offre n°",
            "devis",
            "n° devis",
            "offre",
            "ref devis",
            "proposition",
        ),
        "de": (
            "ihr angebot",
            "angebots-nr",
            "angebot vom",
            "angebot",
            "angebotsnummer",
            "angebots-nr",
            "angebot nr",
            "unser angebot",
        ),
    },
    "other_reference": {
        "en": (
            "invoice no",
            "invoice number",
            "invoice #",
            "order confirmation",
            "confirmation no",
            "reference",
            "ref",
            "delivery note",
            "contract",
            "project",
            "gln",
            "global location number",
            "despatch advice",
            "delivery advice",
        ),
        "fr": (
            "facture n°",
            "n° facture",
            "numero de facture",
            "confirmation",
            "bon de livraison",
            "reference",
            "ref",
            "contrat",
            "projet",
            "gln",
            "avis d'expedition",
        ),
        "de": (
            "rechnungsnummer",
            "rechnung nr",
            "rechnungs-nr",
            "auftragsbestatigung",
            "lieferschein",
            "referenz",
            "gln",
            "globale nummer",
            "iln",
            "lieferavis",
            "vertrag",
            "projekt",
            "unser zeichen",
            "ihr zeichen",
        ),
    },
    "phone": {
        "en": ("tel", "phone", "fax", "telephone", "mobile"),
        "fr": ("tel", "telephone", "fax", "portable"),
        "de": ("tel", "telefon", "fax", "mobil", "telefax"),
    },
    "page": {"en": ("page",), "fr": ("page",), "de": ("seite",)},
    "carried_forward": {
        "en": ("carried forward", "brought forward", "carry forward", "balance forward"),
        "fr": ("a reporter", "report", "reporte", "report de la page precedente"),
        "de": ("ubertrag", "zwischenubertrag", "vortrag", "ubertrag von seite"),
    },
    "col_sku": {
        "en": (
            "item code",
            "item no",
            "item #",
            "sku",
            "part no",
            "part number",
            "product code",
            "code",
            "article no",
            "your part no",
            "supplier ref",
            "supplier part no",
        ),
        "fr": (
            "ref",
            "reference",
            "code article",
            "ref. article",
            "code",
            "ref article",
            "ref. fournisseur",
            "ref fournisseur",
        ),
        "de": (
            "art.-nr",
            "artikelnummer",
            "art-nr",
            "artikel-nr",
            "artnr",
            "art.nr",
            "ihre art.-nr",
            "teilenummer",
            "ihre artikel-nr",
        ),
    },
    "col_customer_sku": {
        "en": ("our part no", "our ref", "material", "our item no", "customer part no"),
        "fr": ("notre ref", "ref. interne", "code interne", "ref interne", "notre reference"),
        "de": ("unsere art.-nr", "material-nr", "materialnummer", "material", "unsere artikel-nr"),
    },
    "col_description": {
        "en": ("description", "product", "item description", "designation", "details", "article"),
        "fr": ("designation", "description", "libelle", "produit", "article"),
        "de": (
            "bezeichnung",
            "beschreibung",
            "artikelbezeichnung",
            "artikelbeschreibung",
            "produkt",
            "leistung",
            "text",
        ),
    },
    "col_quantity": {
        "en": ("qty", "quantity", "qty.", "quant", "ordered"),
        "fr": ("qte", "quantite", "qte."),
        "de": ("menge", "anz", "anzahl", "stuckzahl", "bestellmenge"),
    },
    "col_unit": {
        "en": ("unit", "uom", "u/m", "um"),
        "fr": ("unite", "u", "un"),
        "de": ("einheit", "me", "eh", "mengeneinheit"),
    },
    "col_unit_price": {
        "en": (
            "unit price",
            "price",
            "price each",
            "unit cost",
            "rate",
            "price/unit",
            "net price",
        ),
        "fr": (
            "prix unitaire",
            "prix",
            "pu",
            "p.u.",
            "pu ht",
            "prix unit. ht",
            "prix unit.",
            "p.u. ht",
            "prix unitaire ht",
        ),
        "de": (
            "einzelpreis",
            "preis",
            "e-preis",
            "stuckpreis",
            "ep",
            "preis/einheit",
            "nettopreis",
            "netto-einzelpreis",
        ),
    },
    "col_line_total": {
        "en": ("total", "amount", "line total", "net amount", "ext. price", "extended", "value"),
        "fr": ("montant", "total", "total ligne", "montant ht", "total ht"),
        "de": (
            "gesamtpreis",
            "betrag",
            "gesamt",
            "summe",
            "gesamtbetrag",
            "wert",
            "gp",
            "entgelt",
            "nettobetrag",
            "nettowert",
        ),
    },
    "col_per": {"en": ("per",), "fr": ("par",), "de": ("pe",)},
    "col_date": {
        "en": ("due", "delivery", "due date"),
        "fr": ("livraison", "delai"),
        "de": ("termin", "lieferdatum"),
    },
    "col_gtin": {"en": ("ean", "gtin"), "fr": ("ean", "gtin"), "de": ("ean", "gtin")},
    "col_position": {
        "en": ("pos", "line", "#", "no", "item"),
        "fr": ("pos", "ligne", "n°"),
        "de": ("pos", "position", "pos."),
    },
}
"""label class → language → phrases (folded form)."""

LABEL_CLASSES: tuple[str, ...] = tuple(LEXICON)
COLUMN_CLASSES: tuple[str, ...] = tuple(c for c in LEXICON if c.startswith("col_"))
HEADER_LABEL_CLASSES: tuple[str, ...] = tuple(c for c in LEXICON if not c.startswith("col_"))


def own_label_classes(field: str) -> frozenset[str]:
    """The label classes that belong to a header field: its own label ('payment_terms' for
    payment_terms_days) and, for an address field, its block's heading ('ship_to')."""
    return frozenset(label for label in HEADER_LABEL_CLASSES if field.startswith(label))


_EDGE_MARKS = r"\s:;,()\[\]\"'*|!_“”„‘’`«»~"
"""Quotes and marks at a label's edges, printed or OCR's reading of specks ('“Datum')."""
_EDGE_PUNCT = re.compile(rf"^[{_EDGE_MARKS}]+|[{_EDGE_MARKS}]+$")


_NUMERO_RE = re.compile(r"^n[\"“”?º°]$")
"""'N°' as printed or as OCR reads its ring ('N"', 'N“', 'N?')."""


def fold_token(text: str) -> str:
    """Lower case, accents removed, colons/brackets/quotes at the edges stripped; 'No.' → 'no',
    'N"' → 'n°'."""
    if _NUMERO_RE.match(text.casefold()):
        return "n°"
    folded = _EDGE_PUNCT.sub("", strip_accents(text.casefold()))
    if folded.endswith(".") and len(folded) > 1 and any(c.isalpha() for c in folded):
        folded = folded[:-1]
    return folded.replace("nº", "n°").replace("no°", "n°")


@dataclass(frozen=True, slots=True)
class LabelHit:
    label: str
    language: str
    line: int
    """Index of the line in the document layout."""
    start: int
    end: int
    """Word index range [start, end) within the line."""


OCR_LABEL_MIN_LENGTH = 7
"""OCR'd words shorter than this are respelt only beside a label word they are printed with
(`SHORT_LABEL_WORD`): among short words one letter is all that sets 'Tot.' apart from 'Rot',
or the name 'Keller' from the label 'Seller'."""
LABEL_WORD_MIN_LENGTH = 5
"""Label words a longer OCR'd word may be respelt as."""
SHORT_LABEL_WORD = (3, OCR_LABEL_MIN_LENGTH - 1)
"""Lengths of the OCR'd words respelt only beside the label word they are printed with."""
NEIGHBOURED_LABEL_EDITS = 2
"""Letters a long OCR'd word may be off the label word its neighbour is printed beside."""
OCR_LABEL_LONG_WORD = 9
"""OCR'd words this long may be two letters off a label word ('Lisferanten-Nr'), shorter ones
one."""


_GLUED_RATE_RE = re.compile(r"^([a-z]+)\d{1,2}(?:[.,]\d{1,2})?%$")
"""A label word with the VAT rate glued to it ('VAT21%', 'MwSt19%'): the label word."""


def _folded_tokens(phrase: str) -> list[str]:
    return [fold_token(t) or "_" for t in phrase.split()]


class LabelMatcher:
    """All label phrases of the lexicon in one PhraseMatcher over folded tokens."""

    def __init__(self, lexicon: dict[str, dict[str, tuple[str, ...]]] = LEXICON) -> None:
        self._nlp = spacy.blank("xx")
        self._matcher = PhraseMatcher(self._nlp.vocab)
        self._keys: dict[int, tuple[str, str]] = {}
        spellings: set[str] = set()
        self._known: set[str] = set()
        # per label word, the words printed right before it and right after it in some label
        self._words_before: dict[str, set[str]] = {}
        self._words_after: dict[str, set[str]] = {}
        for label, languages in lexicon.items():
            for language, phrases in languages.items():
                key = f"{label}|{language}"
                token_lists = [_folded_tokens(p) for p in phrases]
                # OCR glues the words of a label together ('Summenett0' for 'Summe netto')
                glued = [["".join(w for w in t if w != "_")] for t in token_lists if len(t) > 1]
                for tokens in token_lists + glued:
                    spellings.update(t for t in tokens if len(t) >= LABEL_WORD_MIN_LENGTH)
                    self._known.update(tokens)
                    for before, after in pairwise(tokens):
                        self._words_before.setdefault(after, set()).add(before)
                        self._words_after.setdefault(before, set()).add(after)
                docs = [Doc(self._nlp.vocab, words=t) for t in token_lists + glued]
                self._matcher.add(key, docs)
                self._keys[self._nlp.vocab.strings[key]] = (label, language)
        self._hyphenated = sorted(
            w for w in self._known if "-" in w.strip("-") and len(w) >= SHORT_LABEL_WORD[0]
        )
        self._ocr_spellings = Spellings(
            frozenset(spellings), min_length=OCR_LABEL_MIN_LENGTH, long_word=OCR_LABEL_LONG_WORD
        )

    def _token(self, word: Word) -> str:
        """The word as the phrases are matched; an OCR'd word one letter off a label word
        ('Einzeipreis', 'Beachreibung') as that label word."""
        folded = fold_token(word.text)
        if (glued := _GLUED_RATE_RE.match(folded)) and glued[1] in self._known:
            return glued[1]
        if word.ocr_confidence is not None and folded:
            folded = self._ocr_spellings.respell(folded)
        return folded or "_"

    def _short_token(self, tokens: list[str], i: int) -> str:
        """An OCR'd word off the label word its neighbour is printed beside in some label: a
        short word by one letter ('Dato' before 'de commande' as 'date'), a longer one by two
        ('Lieu de Ivralson' as 'livraison'). Short words are otherwise matched as read
        (`OCR_LABEL_MIN_LENGTH`), longer ones one letter off any label word."""
        token = tokens[i]
        if token in self._known or len(token) < SHORT_LABEL_WORD[0]:
            return token
        short = len(token) <= SHORT_LABEL_WORD[1]
        if short and "-" in token and (compound := self._hyphenated_label(token)) is not None:
            return compound
        candidates: set[str] = set()
        if i + 1 < len(tokens):
            candidates |= self._words_before.get(tokens[i + 1], set())
        if i > 0:
            candidates |= self._words_after.get(tokens[i - 1], set())
        if short:
            near = [
                c
                for c in candidates
                if len(c) == len(token) and Levenshtein.distance(c, token) == 1
            ]
        else:
            near = [
                c
                for c in candidates
                if len(c) >= OCR_LABEL_MIN_LENGTH
                and Levenshtein.distance(c, token) <= NEIGHBOURED_LABEL_EDITS
            ]
        return near[0] if len(near) == 1 else token

    def _hyphenated_label(self, token: str) -> str | None:
        """A short hyphenated label word one letter off as OCR read it ('VID-Nr.' for UID-Nr.):
        no name or word of a description is spelt like one."""
        near = [
            w
            for w in self._hyphenated
            if len(w) == len(token) and Levenshtein.distance(w, token) == 1
        ]
        return near[0] if len(near) == 1 else None

    def match(self, layout: DocumentLayout) -> list[LabelHit]:
        """Every label phrase on every line; no phrase spans two lines or a wide gap."""
        hits: list[LabelHit] = []
        tokens: list[str] = []
        owners: list[tuple[int, int]] = []
        for line in layout.lines:
            own = [self._token(word) for word in line.words]
            for i, word in enumerate(line.words):
                tokens.append(
                    self._short_token(own, i) if word.ocr_confidence is not None else own[i]
                )
                owners.append((line.index, i))
            tokens.append("\n")
            owners.append((line.index, -1))
        if not tokens:
            return hits
        doc = Doc(self._nlp.vocab, words=tokens)
        for match_id, start, end in self._matcher(doc):
            label, language = self._keys[match_id]
            line_index, first = owners[start]
            if _crosses_segments(layout.lines[line_index].segments, first, first + end - start):
                continue
            hits.append(
                LabelHit(
                    label=label,
                    language=language,
                    line=line_index,
                    start=first,
                    end=first + (end - start),
                )
            )
        return _longest_only(hits)


def _crosses_segments(segments: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """A label never spans a wide gap: 'Réf.' and 'Article' in two table columns are two labels."""
    return not any(s <= start and end <= e for s, e in segments)


def _longest_only(hits: list[LabelHit]) -> list[LabelHit]:
    """Drop a hit contained in a longer hit on the same words ('total' inside 'total ht')."""
    kept: list[LabelHit] = []
    for hit in hits:
        inside = any(
            o.line == hit.line
            and o.start <= hit.start
            and hit.end <= o.end
            and (o.end - o.start) > (hit.end - hit.start)
            for o in hits
        )
        if not inside:
            kept.append(hit)
    return kept


@lru_cache(maxsize=1)
def default_matcher() -> LabelMatcher:
    return LabelMatcher()
