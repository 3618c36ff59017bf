"""The master data's spelling of what OCR read of the matched customer's name, address, e-mail
domain, postal code, VAT id and customer number.

OCR drops accents and confuses letters ('Schafer Kaltetechnik', 'SchillerstraRe 79', 'Nurnberg',
'mullor-elektt.de') where the text layer of a PDF is exact. When the customer is matched and a
value read by OCR is the customer's own but for such slips, the master data's spelling is what
was printed. Digits must agree in addresses: '103 Station Road' is another site than the
customer's '89 Station Road', not a misreading of it. A VAT id whose check digits OCR broke is
not a VAT id to the reader; the customer's is taken when a line prints it all but three
characters after its intact country prefix, or a VAT-labelled line all but two.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz
from rapidfuzz.distance import Hamming, Levenshtein

from extraction.description_vocabulary import fold_description
from extraction.masterdata import CustomerRecord
from extraction.normalize import compact_vat

MIN_RATIO = 90.0
"""Similarity (rapidfuzz ratio, accents folded) from which a reading is the master's value."""
MAX_DOMAIN_EDITS = 2
MAX_VAT_EDITS = 2
MAX_PREFIXED_VAT_EDITS = 3


def master_spelling(field: str, read: str, record: CustomerRecord) -> str | None:
    """The master data's spelling of `read` for `field` (ship_to_name, ship_to_street,
    ship_to_city, contact_email's domain), or None when `read` is not the customer's value
    misread. A ship-to name that starts with the customer's name ('… GmbH – Werk 2') gets that
    part corrected."""
    if field == "ship_to_street":
        return _respelt(read, record.street)
    if field == "ship_to_city":
        return _respelt(read, record.city)
    if field == "contact_email":
        return _respelt_email(read, record.email_domains)
    if field == "ship_to_name":
        whole = _respelt(read, record.name)
        if whole is not None:
            return whole
        words = read.split()
        size = len(record.name.split())
        if len(words) > size:
            head = _respelt(" ".join(words[:size]), record.name)
            if head is not None:
                return " ".join([head, *words[size:]])
    return None


def master_postal_code(
    read: str, street: str | None, city: str | None, record: CustomerRecord
) -> str | None:
    """The customer's postal code when `read` is one character off it and printed with the
    customer's own street and city (in the master's spelling): the same address, one digit
    misread ('04108 Leipzig' for 04109). Otherwise None."""
    if record.postal_code is None or read == record.postal_code:
        return None
    if (street, city) != (record.street, record.city):
        return None
    return record.postal_code if Hamming.distance(read, record.postal_code) == 1 else None


_CODE_LOOKALIKES = str.maketrans("OQDILS!|BZG", "00011511826")
MAX_CUSTOMER_NUMBER_EDITS = 1
"""Characters of the customer's number OCR may have misread beyond look-alikes ('C001%')."""


def printed_customer_number(labelled: Iterable[str], record: CustomerRecord) -> str | None:
    """The customer's number (their id in the master data) when one of the `labelled` lines
    (a customer-number label's line and the line under it) prints it but for look-alike
    characters ('Cool!' for C0011) and one more character that is no digit ('C001%' for C0013;
    'C0014' is another customer's number)."""
    wanted = _code_key(record.customer_id)
    for line in labelled:
        for token in line.split():
            token = token.strip(".,;:()")
            key = _code_key(token)
            if len(key) != len(wanted):
                continue
            misread = [raw for raw, a, b in zip(token, key, wanted, strict=True) if a != b]
            # a digit where the customer's has another is another number, not a misreading
            if len(misread) <= MAX_CUSTOMER_NUMBER_EDITS and not any(c.isdigit() for c in misread):
                return record.customer_id
    return None


def _code_key(code: str) -> str:
    return code.upper().translate(_CODE_LOOKALIKES)


def printed_vat_id(
    lines: Iterable[str], record: CustomerRecord, *, labelled: Iterable[str] = ()
) -> str | None:
    """The customer's VAT id (compact) when one of `lines` prints it after its intact country
    prefix but for at most MAX_PREFIXED_VAT_EDITS characters OCR misread ('CHE-024 294.747'
    for CHE624293787), or one of the `labelled` lines (those with a VAT-id label) prints it
    anywhere but for at most MAX_VAT_EDITS ('PR 38 628 741 43}' for FR38628741431); else None."""
    if not record.vat_id:
        return None
    wanted = compact_vat(record.vat_id)
    for line in lines:
        text = compact_vat(line)
        start = text.find(wanted[:2])
        while start >= 0:
            if _near_vat(text, start, wanted, MAX_PREFIXED_VAT_EDITS):
                return wanted
            start = text.find(wanted[:2], start + 1)
    for line in labelled:
        text = compact_vat(line)
        if any(_near_vat(text, i, wanted, MAX_VAT_EDITS) for i in range(len(text))):
            return wanted
    return None


def _near_vat(text: str, start: int, wanted: str, edits: int) -> bool:
    """`text` from `start` is `wanted` but for `edits` characters (one more or less read)."""
    return any(
        Levenshtein.distance(text[start : start + n], wanted, score_cutoff=edits) <= edits
        for n in (len(wanted) - 1, len(wanted), len(wanted) + 1)
    )


def near_domains(domain: str, domains: Iterable[str]) -> list[str]:
    """The `domains` that `domain` is but for at most MAX_DOMAIN_EDITS letters OCR misread
    ('mullor-elektt.de' for muller-elektr.de)."""
    return [
        known
        for known in domains
        if Levenshtein.distance(domain, known, score_cutoff=MAX_DOMAIN_EDITS) <= MAX_DOMAIN_EDITS
    ]


def _respelt_email(read: str, domains: tuple[str, ...]) -> str | None:
    local, at, domain = read.rpartition("@")
    if not at or not domains or domain in domains:
        return None
    near = near_domains(domain, domains)
    return f"{local}@{near[0]}" if len(near) == 1 else None


def _respelt(read: str, known: str | None) -> str | None:
    if not known or read == known or _digits(read) != _digits(known):
        return None
    ratio = fuzz.ratio(fold_description(read), fold_description(known))
    return known if ratio >= MIN_RATIO else None


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
