"""Typed value candidates: every date, amount, identifier, e-mail, VAT id, postal code, country,
currency, payment-terms phrase and text run a document shows, already in normal form.

Label words found by the lexicon are not part of a value: "Bestell-Nr.: 4711" yields the
identifier "4711" with the label just left of it, which is what the scorer learns from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from extraction.layout import DocumentLayout, Line, union_bbox
from extraction.lexicon import LabelHit
from extraction.normalize import (
    parse_amount,
    parse_country,
    parse_currency,
    parse_date,
    parse_email,
    parse_ocr_vat_id,
    parse_payment_terms_days,
    parse_vat_id,
)
from extraction.pages import BBox, Word

CandidateKind = Literal[
    "date", "amount", "identifier", "email", "vat", "postal", "country", "currency", "terms", "text"
]
CANDIDATE_KINDS: tuple[CandidateKind, ...] = (
    "date",
    "amount",
    "identifier",
    "email",
    "vat",
    "postal",
    "country",
    "currency",
    "terms",
    "text",
)

_IDENTIFIER_RE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/_.-]{2,29}$")
_POSTAL_RE = re.compile(r"^(?:[A-Z]{1,2}-)?\d{4,5}$")
_GLUED_POSTAL_RE = re.compile(r"^(\d{4,5})([^\W\d][\w-]+)$")
_NL_POSTAL_RE = re.compile(r"^\d{4} [A-Z]{2}$")
_UK_OUTWARD_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
_UK_INWARD_RE = re.compile(r"^\d[A-Z]{2}$")
_PUNCT_EDGES = re.compile(r"^[\s:;,()\[\]\"'#*]+|[\s:;,()\[\]\"'*]+$")


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: CandidateKind
    value: str
    """Normal form (field-conventions.md)."""
    raw: str
    line: int
    start: int
    end: int
    """Word range [start, end) in the line."""
    page: int
    bbox: BBox
    ocr_confidence: float | None


def generate_candidates(
    layout: DocumentLayout, hits: list[LabelHit], *, language: str, month_first: bool = False
) -> list[Candidate]:
    labelled: dict[int, set[int]] = {}
    for hit in hits:
        labelled.setdefault(hit.line, set()).update(range(hit.start, hit.end))
    decimal_mark = "." if language == "en" else ","
    found: list[Candidate] = []
    for line in layout.lines:
        label_words = labelled.get(line.index, set())
        for seg_start, seg_end in line.segments:
            for run_start, run_end in _value_runs(seg_start, seg_end, label_words):
                found.extend(
                    _run_candidates(line, run_start, run_end, decimal_mark, language, month_first)
                )
        terms = parse_payment_terms_days(line.text)
        if terms is not None:
            found.append(_make(line, 0, len(line.words), "terms", str(terms)))
    return _dedupe(found)


def _value_runs(start: int, end: int, label_words: set[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    run_start: int | None = None
    for i in range(start, end):
        if i in label_words:
            if run_start is not None:
                runs.append((run_start, i))
                run_start = None
        elif run_start is None:
            run_start = i
    if run_start is not None:
        runs.append((run_start, end))
    return runs


def _run_candidates(
    line: Line, start: int, end: int, decimal_mark: str, language: str, month_first: bool
) -> list[Candidate]:
    words = line.words
    texts = [_PUNCT_EDGES.sub("", w.text) for w in words]
    out: list[Candidate] = []
    for i in range(start, end):
        for n in range(1, min(6, end - i) + 1):
            raw = " ".join(texts[i : i + n]).strip()
            if not raw:
                continue
            ocr = any(w.ocr_confidence is not None for w in words[i : i + n])
            if n <= 4 and (
                d := parse_date(raw, language=language, month_first=month_first, ocr=ocr)
            ):
                out.append(_make(line, i, i + n, "date", d.isoformat()))
            if n <= 3 and (a := parse_amount(raw, decimal_mark=decimal_mark)) is not None:
                out.append(_make(line, i, i + n, "amount", format(a, "f")))
            vat_id = parse_ocr_vat_id if ocr else parse_vat_id
            if (ocr or texts[i][:2].isalpha()) and (v := vat_id(raw)) is not None:
                out.append(_make(line, i, i + n, "vat", v))
            if n <= 3 and (c := parse_country(raw)) is not None:
                out.append(_make(line, i, i + n, "country", c))
        token = texts[i].rstrip(".")
        if _IDENTIFIER_RE.match(token) and parse_date(token) is None:
            out.append(_make(line, i, i + 1, "identifier", token))
        if (email := _email_starting_at(words, texts, i, start, end)) is not None:
            address, span = email
            out.append(_make(line, i, i + span, "email", address))
        if (cur := parse_currency(token)) is not None:
            out.append(_make(line, i, i + 1, "currency", cur))
        out.extend(_postal_candidates(line, i, end, texts))
    text = " ".join(texts[start:end]).strip()
    if sum(c.isalpha() for c in text) >= 2:
        out.append(_make(line, start, end, "text", text))
        if (days := parse_payment_terms_days(text)) is not None:
            out.append(_make(line, start, end, "terms", str(days)))
    return out


def _postal_candidates(line: Line, i: int, end: int, texts: list[str]) -> list[Candidate]:
    """A postal code, and the city written after (or, UK style, before) it in the same run."""
    token = texts[i]
    out: list[Candidate] = []
    if glued := _GLUED_POSTAL_RE.match(token):
        out.append(_make(line, i, i + 1, "postal", glued.group(1)))
        city = " ".join([glued.group(2), *texts[i + 1 : _city_end(texts, i + 1, end)]])
        out.append(_make(line, i, _city_end(texts, i + 1, end), "text", city.strip(" ,")))
    elif i + 1 < end and _NL_POSTAL_RE.match(f"{token} {texts[i + 1]}"):
        out.append(_make(line, i, i + 2, "postal", f"{token} {texts[i + 1]}"))
        if i + 2 < end:
            city_end = _city_end(texts, i + 2, end)
            out.append(_make(line, i + 2, city_end, "text", " ".join(texts[i + 2 : city_end])))
    elif _POSTAL_RE.match(token):
        # a country prefix is part of the code as written: L-1616
        out.append(_make(line, i, i + 1, "postal", token))
        if i + 1 < end:
            city_end = _city_end(texts, i + 1, end)
            city = " ".join(texts[i + 1 : city_end]).strip(" ,")
            if city:
                out.append(_make(line, i + 1, city_end, "text", city))
    elif i + 1 < end and _UK_OUTWARD_RE.match(token) and _UK_INWARD_RE.match(texts[i + 1]):
        out.append(_make(line, i, i + 2, "postal", f"{token} {texts[i + 1]}"))
        run_start = _run_start(line, i)
        city = " ".join(texts[run_start:i]).strip(" ,")
        if city and any(c.isalpha() for c in city):
            out.append(_make(line, run_start, i, "text", city))
    return out


def _email_starting_at(
    words: Sequence[Word], texts: list[str], i: int, start: int, end: int
) -> tuple[str, int] | None:
    """The address starting at word `i` and its word count: whole, split beside its '@', or
    with the first name OCR parted from the rest ('marie. weber@…'); None where such a first
    name just before makes the address start a word earlier."""
    previous_is_name = i > start and (
        _is_local_part_head(words[i - 1].text) or _is_ocr_first_name(words, i - 1)
    )
    if previous_is_name:
        return None
    if (found := _email_at(words, texts, i, end)) is not None:
        return found
    if _is_local_part_head(words[i].text) and (rest := _email_at(words, texts, i + 1, end)):
        return words[i].text + rest[0], rest[1] + 1
    if _is_ocr_first_name(words, i) and (rest := _email_at(words, texts, i + 1, end)):
        return f"{words[i].text}.{rest[0]}", rest[1] + 1  # the dot read as a space
    return None


def _is_ocr_first_name(words: Sequence[Word], i: int) -> bool:
    """An OCR'd lower-case word right before an address whose dot OCR read as a space
    ('sophie lefevre @bonnet-menuis.fr'): names are written lower case only in addresses."""
    text = words[i].text
    return (
        words[i].ocr_confidence is not None
        and len(text) >= 3
        and text.isalpha()
        and text.islower()
        and text not in _EMAIL_LABEL_WORDS
    )


_EMAIL_LABEL_WORDS = frozenset({"mail", "email", "courriel", "contact", "mel"})


def _email_at(words: Sequence[Word], texts: list[str], i: int, end: int) -> tuple[str, int] | None:
    """The address starting at word `i`, whole or split beside its '@', and its word count."""
    if i >= end:
        return None
    if (address := parse_email(words[i].text)) is not None:
        return address, 1
    return _spaced_email(texts, i, end) or _joined_email(words, texts, i, end)


def _is_local_part_head(text: str) -> bool:
    """'marie.': a first name and its dot, which OCR parted from the rest of the address."""
    return len(text) >= 3 and text.endswith(".") and text[:-1].isalpha() and text[:-1].islower()


def _spaced_email(texts: list[str], i: int, end: int) -> tuple[str, int] | None:
    """An address OCR split beside the '@' ('julien.girard @rousseau-boulan.fr', 'julia.weber @
    weber-hauste.de'), and the number of words it spans."""
    if i + 2 < end and texts[i + 1] == "@":
        address = parse_email(f"{texts[i]}@{texts[i + 2]}")
        return (address, 3) if address else None
    if i + 1 < end and (texts[i].endswith("@") or texts[i + 1].startswith("@")):
        address = parse_email(texts[i] + texts[i + 1])
        return (address, 2) if address else None
    return None


MAX_EMAIL_PIECES = 5


def _joined_email(
    words: Sequence[Word], texts: list[str], i: int, end: int
) -> tuple[str, int] | None:
    """An address OCR split at several of its dots and its '@' ('julien. giturd @rousseau-boulun.
    fr', 'markus.fischer@muller-elektr. de', the dot before the domain's ending read as a comma:
    'chevalier-bureau, fr'): the longest run of words from `i`, each joined to the next at a dot
    or an '@', that reads as an address."""
    joined, found = texts[i], None
    for j in range(i + 1, min(end, i + MAX_EMAIL_PIECES)):
        piece = texts[j]
        if words[j - 1].text.endswith(",") and "@" in joined and words[j - 1].ocr_confidence:
            joined += "."
        elif not (joined.endswith((".", "@")) or piece.startswith((".", "@"))):
            break
        joined += piece
        if (address := parse_email(joined)) is not None:
            found = (address, j - i + 1)
    return found


def _run_start(line: Line, i: int) -> int:
    for start, end in line.segments:
        if start <= i < end:
            return start
    return 0


def _city_end(texts: list[str], start: int, end: int) -> int:
    """The city stops before a country name or a comma-separated tail ('Paris, France')."""
    for j in range(start, end):
        if parse_country(texts[j]) is not None and j > start:
            return j
        if texts[j].endswith(",") and j + 1 < end:
            return j + 1
    return end


def _make(line: Line, start: int, end: int, kind: CandidateKind, value: str) -> Candidate:
    words = line.words[start:end]
    confidences = [w.ocr_confidence for w in words if w.ocr_confidence is not None]
    return Candidate(
        kind=kind,
        value=value,
        raw=" ".join(w.text for w in words),
        line=line.index,
        start=start,
        end=end,
        page=line.page,
        bbox=union_bbox(words),
        ocr_confidence=min(confidences) if confidences else None,
    )


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[tuple[str, str, int, int, int]] = set()
    out: list[Candidate] = []
    for c in candidates:
        key = (c.kind, c.value, c.line, c.start, c.end)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
