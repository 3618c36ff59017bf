"""Features of a value candidate: its type and shape, the label words left of it and above it,
the address block it sits in, its position and font, how it relates to the other values of the
document (is this amount the sum of the lines? the latest date?) and to the master data.

One vector layout serves every field; each field's scorer learns which parts matter to it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from rapidfuzz import fuzz, process

from extraction.candidates import CANDIDATE_KINDS, Candidate
from extraction.layout import DocumentLayout
from extraction.lexicon import HEADER_LABEL_CLASSES, LabelHit
from extraction.master_spelling import near_domains
from extraction.masterdata import MasterData
from extraction.matching import company_key
from extraction.normalize import compact_vat, normalize_identifier

BLOCK_CLASSES: tuple[str, ...] = ("bill_to", "ship_to", "seller")
_STREET_RE = re.compile(
    r"\b(?:rue|avenue|av|bd|boulevard|chemin|allée|allee|impasse|place|route|quai|street|st|road|"
    r"rd|lane|way|drive|avenue|park|straße|strasse|str|weg|platz|allee|ring|gasse|damm)\b|"
    r"(?:straße|strasse|str\.|weg|platz|gasse|ring)\b",
    re.I,
)
_LEGAL_RE = re.compile(
    r"\b(?:gmbh|ag|kg|sas|sarl|sa|eurl|ltd|limited|plc|inc|llc|bv|nv|se|ohg|ug|s\.a\.s|co\.?)\b",
    re.I,
)
TAX_RATES = (
    Decimal("0.2"),
    Decimal("0.19"),
    Decimal("0.1"),
    Decimal("0.07"),
    Decimal("0.055"),
    Decimal("0.21"),
    Decimal("0.077"),
    Decimal("0.081"),
    Decimal("0.17"),
    Decimal("0.22"),
)
"""VAT rates an order's tax may be at: the standard rates of France, the UK, Austria, Germany,
Belgium, the Netherlands, Spain, Switzerland (8.1 %, 7.7 % before 2024), Luxembourg and Italy,
and the reduced rates of France and Germany."""
_CENT = Decimal("0.01")
_HEADER_LABELS = frozenset(HEADER_LABEL_CLASSES)


def _feature_names() -> tuple[str, ...]:
    names = [f"kind_{k}" for k in CANDIDATE_KINDS]
    for label in HEADER_LABEL_CLASSES:
        names += [f"left_{label}", f"adjacent_{label}", f"above_{label}"]
    for block in BLOCK_CLASSES:
        names += [f"block_{block}", f"block_{block}_offset"]
    names += [
        "block_nearest_offset",
        "block_column_shift",
        "page_index",
        "is_first_page",
        "is_last_page",
        "x0",
        "y0",
        "x1",
        "width",
        "line_rank",
        "font_ratio",
        "bold",
        "ocr_confidence",
        "has_ocr",
        "length",
        "n_words",
        "digit_ratio",
        "alpha_ratio",
        "upper_ratio",
        "has_dash",
        "has_slash",
        "starts_alpha",
        "n_digits",
        "segment_is_whole_line",
        "is_run_start",
        "run_len",
        "amount_log",
        "amount_rank",
        "amount_is_max",
        "amount_money_rank",
        "amount_is_max_money",
        "amount_eq_lines_sum",
        "amount_is_sum_of_two",
        "amount_is_tax_of_other",
        "amount_has_decimals",
        "amount_is_integer",
        "n_same_value",
        "in_table",
        "below_table",
        "above_table",
        "date_rank",
        "date_count",
        "date_days_after_first",
        "date_eq_mail_date",
        "text_customer_similarity",
        "text_seller_similarity",
        "text_has_legal_form",
        "text_has_street_word",
        "text_has_digit",
        "text_next_has_postal",
        "text_prev_is_heading",
        "text_is_label_like",
        "id_is_customer_id",
        "id_is_product_sku",
        "id_digits_only",
        "id_looks_phone",
        "email_domain_is_customer",
        "email_eq_sender",
        "email_domain_is_seller",
        "vat_is_seller",
        "vat_is_customer",
        "same_line_has_postal",
        "line_has_colon_before",
    ]
    return tuple(names)


FEATURE_NAMES: tuple[str, ...] = _feature_names()
FEATURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(FEATURE_NAMES)}


@dataclass(frozen=True, slots=True)
class DocumentContext:
    layout: DocumentLayout
    hits: list[LabelHit]
    candidates: list[Candidate]
    master: MasterData
    sender_email: str | None
    mail_date_iso: str | None
    lines_sum: Decimal | None
    table_lines: tuple[int, int] | None
    """First and last layout line index of the line-item rows."""


def candidate_features(context: DocumentContext) -> np.ndarray:
    """A (n_candidates, n_features) float matrix, rows in `context.candidates` order."""
    layout, hits = context.layout, context.hits
    lines = layout.lines
    hits_by_line: dict[int, list[LabelHit]] = {}
    for hit in hits:
        hits_by_line.setdefault(hit.line, []).append(hit)
    headings = _block_headings(layout, hits)
    amounts = sorted(
        {Decimal(c.value) for c in context.candidates if c.kind == "amount"}, reverse=True
    )
    amount_set = set(amounts)
    # Amounts printed with cents: totals rank among these, not among the phone numbers and
    # registration numbers that also read as amounts.
    money = sorted(
        {Decimal(c.value) for c in context.candidates if c.kind == "amount" and "." in c.value},
        reverse=True,
    )
    dates = sorted({c.value for c in context.candidates if c.kind == "date"})
    value_counts: dict[tuple[str, str], int] = {}
    for c in context.candidates:
        value_counts[(c.kind, c.value)] = value_counts.get((c.kind, c.value), 0) + 1
    postal_lines = {c.line for c in context.candidates if c.kind == "postal"}
    customer_ids = {normalize_identifier(c.customer_id) for c in context.master.customers}
    product_skus = {normalize_identifier(p.sku) for p in context.master.products}
    customer_domains = {d.lower() for c in context.master.customers for d in c.email_domains}
    seller_vats = {compact_vat(v) for v in context.master.seller_vat_ids}
    customer_vats = {compact_vat(c.vat_id) for c in context.master.customers if c.vat_id}
    sender = (context.sender_email or "").lower()
    seller_names = context.master.seller_names
    name_cache: dict[str, tuple[float, float]] = {}
    customer_keys = [company_key(cu.name) for cu in context.master.customers]
    seller_keys = [company_key(name) for name in seller_names]
    last_page = layout.page_count
    n_lines = max(len(lines), 1)
    out = np.zeros((len(context.candidates), len(FEATURE_NAMES)), dtype=np.float32)
    idx = FEATURE_INDEX
    for row, c in enumerate(context.candidates):
        f = out[row]
        line = lines[c.line]
        f[idx[f"kind_{c.kind}"]] = 1
        x0, y0, x1, _y1 = c.bbox
        for hit in hits_by_line.get(c.line, []):
            if hit.end <= c.start and hit.label in _HEADER_LABELS:
                gap = x0 - line.words[hit.end - 1].x1
                f[idx[f"left_{hit.label}"]] = max(
                    f[idx[f"left_{hit.label}"]], 1 - 0.8 * min(gap, 1)
                )
                if hit.end == c.start:
                    f[idx[f"adjacent_{hit.label}"]] = 1
        if c.kind == "terms" and any(
            hit.label == "payment_terms" and c.start <= hit.start and hit.end <= c.end
            for hit in hits_by_line.get(c.line, [])
        ):
            f[idx["left_payment_terms"]] = 1  # a terms line reads "Payment terms: Net 30"
        for distance in range(1, 4):
            above = c.line - distance
            if above < 0 or lines[above].page != c.page:
                break
            # of the labels above within reach, the value belongs to the one it sits under
            reachable = []
            for hit in hits_by_line.get(above, []):
                if hit.label not in _HEADER_LABELS:
                    continue
                words = lines[above].words[hit.start : hit.end]
                hx0, hx1 = words[0].x0, words[-1].x1
                if hx0 <= x1 + 0.02 and x0 <= hx1 + 0.15 and abs(hx0 - x0) < 0.25:
                    reachable.append((abs(hx0 - x0), hit.label))
            if reachable:
                key = idx[f"above_{min(reachable)[1]}"]
                f[key] = max(f[key], 1 / distance)
        nearest = _nearest_heading(headings, c, lines)
        if nearest is not None:
            block, offset, shift = nearest
            f[idx[f"block_{block}"]] = 1
            f[idx[f"block_{block}_offset"]] = offset
            f[idx["block_nearest_offset"]] = offset
            f[idx["block_column_shift"]] = shift
        f[idx["page_index"]] = c.page - 1
        f[idx["is_first_page"]] = c.page == 1
        f[idx["is_last_page"]] = c.page == last_page
        f[idx["x0"]], f[idx["y0"]], f[idx["x1"]] = x0, y0, x1
        f[idx["width"]] = x1 - x0
        f[idx["line_rank"]] = c.line / n_lines
        word0 = line.words[c.start]
        f[idx["font_ratio"]] = (
            word0.font_size or layout.median_font_size
        ) / layout.median_font_size
        f[idx["bold"]] = word0.bold
        f[idx["ocr_confidence"]] = c.ocr_confidence if c.ocr_confidence is not None else 1.0
        f[idx["has_ocr"]] = c.ocr_confidence is not None
        value = c.value
        n = max(len(value), 1)
        f[idx["length"]] = len(value)
        f[idx["n_words"]] = c.end - c.start
        f[idx["digit_ratio"]] = sum(ch.isdigit() for ch in value) / n
        f[idx["alpha_ratio"]] = sum(ch.isalpha() for ch in value) / n
        f[idx["upper_ratio"]] = sum(ch.isupper() for ch in value) / n
        f[idx["has_dash"]] = "-" in value
        f[idx["has_slash"]] = "/" in value
        f[idx["starts_alpha"]] = value[:1].isalpha()
        f[idx["n_digits"]] = sum(ch.isdigit() for ch in value)
        seg = next((s for s in line.segments if s[0] <= c.start < s[1]), (0, len(line.words)))
        f[idx["segment_is_whole_line"]] = len(line.segments) == 1
        f[idx["is_run_start"]] = c.start == seg[0]
        f[idx["run_len"]] = seg[1] - seg[0]
        f[idx["n_same_value"]] = value_counts[(c.kind, c.value)]
        if context.table_lines is not None:
            first, last = context.table_lines
            f[idx["in_table"]] = first <= c.line <= last
            f[idx["below_table"]] = c.line > last
            f[idx["above_table"]] = c.line < first
        if c.kind == "amount":
            amount = Decimal(value)
            f[idx["amount_log"]] = math.log1p(abs(float(amount)))
            f[idx["amount_rank"]] = amounts.index(amount) if amount in amount_set else -1
            f[idx["amount_is_max"]] = bool(amounts) and amount == amounts[0]
            f[idx["amount_money_rank"]] = money.index(amount) if "." in value else -1
            f[idx["amount_is_max_money"]] = "." in value and amount == money[0]
            if context.lines_sum is not None:
                f[idx["amount_eq_lines_sum"]] = abs(amount - context.lines_sum) <= _CENT
            f[idx["amount_is_sum_of_two"]] = _is_sum_of_two(amount, amounts)
            f[idx["amount_is_tax_of_other"]] = _is_tax_of_other(amount, amounts)
            f[idx["amount_has_decimals"]] = "." in value
            f[idx["amount_is_integer"]] = amount == amount.to_integral_value()
        elif c.kind == "date":
            f[idx["date_rank"]] = dates.index(value)
            f[idx["date_count"]] = len(dates)
            f[idx["date_days_after_first"]] = _days_between(dates[0], value)
            f[idx["date_eq_mail_date"]] = value == context.mail_date_iso
        elif c.kind == "text":
            if value not in name_cache:
                folded = company_key(value)
                name_cache[value] = (
                    _best_similarity(folded, customer_keys) / 100,
                    _best_similarity(folded, seller_keys) / 100,
                )
            f[idx["text_customer_similarity"]], f[idx["text_seller_similarity"]] = name_cache[value]
            f[idx["text_has_legal_form"]] = bool(_LEGAL_RE.search(value))
            f[idx["text_has_street_word"]] = bool(_STREET_RE.search(value))
            f[idx["text_has_digit"]] = any(ch.isdigit() for ch in value)
            f[idx["text_next_has_postal"]] = (c.line + 1) in postal_lines
            f[idx["text_prev_is_heading"]] = nearest is not None and nearest[1] == 1
            f[idx["text_is_label_like"]] = c.raw.rstrip().endswith(":")
        elif c.kind == "identifier":
            code = normalize_identifier(value)
            f[idx["id_is_customer_id"]] = code in customer_ids
            f[idx["id_is_product_sku"]] = code in product_skus
            f[idx["id_digits_only"]] = value.isdigit()
            f[idx["id_looks_phone"]] = value.startswith(("+", "0")) and len(value) >= 9
        elif c.kind == "email":
            domain = value.rsplit("@", 1)[-1]
            f[idx["email_domain_is_customer"]] = domain in customer_domains or (
                # a domain OCR misread ('mullor-elektt.de'), which the customer's then respells
                c.ocr_confidence is not None and bool(near_domains(domain, customer_domains))
            )
            f[idx["email_eq_sender"]] = value == sender
            f[idx["email_domain_is_seller"]] = any(
                company_word in domain
                for s in seller_names
                for company_word in s.lower().split()[:1]
            )
        elif c.kind == "vat":
            f[idx["vat_is_seller"]] = value in seller_vats
            f[idx["vat_is_customer"]] = value in customer_vats
        f[idx["same_line_has_postal"]] = c.line in postal_lines
        f[idx["line_has_colon_before"]] = c.start > 0 and line.words[c.start - 1].text.endswith(":")
    return out


def _best_similarity(key: str, keys: list[str]) -> float:
    """As `name_similarity` against the most similar of `keys` (company keys), in one pass."""
    best = process.extractOne(key, keys, scorer=fuzz.token_set_ratio) if keys else None
    return float(best[1]) if best is not None else 0.0


def _block_headings(layout: DocumentLayout, hits: list[LabelHit]) -> list[tuple[str, int, float]]:
    """(block class, line index, x0) of every address-block heading."""
    out = []
    for hit in hits:
        if hit.label in BLOCK_CLASSES:
            out.append((hit.label, hit.line, layout.lines[hit.line].words[hit.start].x0))
    return out


def _nearest_heading(
    headings: list[tuple[str, int, float]], c: Candidate, lines: tuple
) -> tuple[str, int, float] | None:
    """The closest block heading at or above the candidate in roughly the same column."""
    best: tuple[str, int, float] | None = None
    x0 = c.bbox[0]
    for block, line_index, hx0 in headings:
        offset = c.line - line_index
        if not 0 <= offset <= 7 or lines[line_index].page != c.page:
            continue
        shift = x0 - hx0
        if offset > 0 and not -0.05 <= shift <= 0.3:
            continue
        if best is None or offset < best[1]:
            best = (block, offset, shift)
    return best


def _is_sum_of_two(amount: Decimal, amounts: list[Decimal]) -> bool:
    others = [a for a in amounts if 0 < a < amount][:12]
    return any(abs(a + b - amount) <= _CENT for i, a in enumerate(others) for b in others[i:])


def _is_tax_of_other(amount: Decimal, amounts: list[Decimal]) -> bool:
    return any(
        abs(other * rate - amount) <= _CENT
        for other in amounts[:12]
        if other > amount
        for rate in TAX_RATES
    )


def _days_between(first_iso: str, other_iso: str) -> float:
    from datetime import date

    return float((date.fromisoformat(other_iso) - date.fromisoformat(first_iso)).days)
