"""Finding a line-item table's header: one to four stacked lines of column labels.

A header may be printed on several lines: "Réf." above "fournisseur", or a two-row layout whose
first header line names the text columns (reference, description, EAN) and whose second names
the figures (quantity, unit, price, amount). Every label becomes a cell with its horizontal
extent and the header line it sits on; the body's rows are read against those cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from extraction.layout import Line
from extraction.lexicon import LEXICON, LabelHit, fold_token
from extraction.normalize import parse_amount

_MAX_HEADER_LINES = 4
_PER_RE = re.compile(r"(?:per|pro|les|/|je)\s*(100|1000)\b", re.I)
_FIGURE_ROLES = frozenset({"col_quantity", "col_unit_price", "col_line_total"})


@dataclass(frozen=True, slots=True)
class HeaderCell:
    role: str
    x0: float
    x1: float
    row: int
    """Which header line (0 = the top one) the label is on."""

    @property
    def labelled(self) -> bool:
        return self.role != "other"


@dataclass(frozen=True, slots=True)
class TableHeader:
    cells: tuple[HeaderCell, ...]
    price_divisor: Decimal
    """100 or 1000 when the header says prices are per hundred or per thousand."""
    line_indices: tuple[int, ...]
    """The layout lines the header occupies."""

    @property
    def labels_description(self) -> bool:
        return any(cell.role == "col_description" for cell in self.cells)


def find_header(
    lines: tuple[Line, ...], start: int, by_line: dict[int, list[LabelHit]]
) -> TableHeader | None:
    """The header whose first line is `lines[start]`, or None when no header starts there."""
    first = lines[start]
    if not _column_hits(by_line.get(first.index, [])) or not _mostly_labels(
        first, by_line.get(first.index, [])
    ):
        return None
    block = [first]
    for line in lines[start + 1 : start + _MAX_HEADER_LINES]:
        if _ocr_noise(line):
            continue  # specks of a shaded header read as ':' or 'a' between its two rows
        previous = block[-1]
        if line.page != previous.page or not _stacked(previous, line):
            break
        hits = by_line.get(line.index, [])
        if _has_number(line) or not (
            (_column_hits(hits) and _mostly_labels(line, hits))
            or _continues_labels(line, block, by_line)
        ):
            break
        block.append(line)
    while len(block) > 1 and not _continues_labels(block[-1], block[:-1], by_line):
        block.pop()
    roles = {h.label for line in block for h in _column_hits(by_line.get(line.index, []))}
    if len(roles) < 2 or not roles & {"col_quantity", "col_description"}:
        return None
    if not roles & _FIGURE_ROLES:
        return None
    cells: list[HeaderCell] = []
    for row, line in enumerate(block):
        cells.extend(_line_cells(line, by_line.get(line.index, []), row))
    if roles & _FIGURE_ROLES != _FIGURE_ROLES:
        cells = _with_misread_figure_labels(cells, block, by_line, roles)
    if start > 0:
        cells = _with_labels_above(cells, lines[start - 1], first, by_line, roles)
    cells = _with_amount_as_quantity(cells)
    divisor = Decimal(1)
    for line in block:
        if m := _PER_RE.search(line.text):
            divisor = Decimal(m.group(1))
    return TableHeader(
        cells=tuple(sorted(cells, key=lambda c: (c.x0, c.row))),
        price_divisor=divisor,
        line_indices=tuple(line.index for line in block),
    )


_MISREAD_LABEL_MIN_LENGTH = {"col_quantity": 3, "col_unit_price": 5, "col_line_total": 5}
"""The figure columns whose one-word labels are recognised one letter off in an OCR'd header,
and the shortest such label ('aty' for Qty; 'Gosamt' for Gesamt, but not 'Date' for Rate)."""


def _with_misread_figure_labels(
    cells: list[HeaderCell], block: list[Line], by_line: dict[int, list[LabelHit]], roles: set[str]
) -> list[HeaderCell]:
    """An OCR'd header without a quantity, price or total label, one of whose unlabelled words
    is a one-word label of that column with one letter misread: that word's cell is the
    column. Short words are otherwise matched as read and longer ones only beside the other
    words of their label (extraction/lexicon.py); among a header's labels, a word one letter
    off a figure column's label is that label."""
    unlabelled = [
        (row, word, fold_token(word.text))
        for row, line in enumerate(block)
        for i, word in enumerate(line.words)
        if word.ocr_confidence is not None
        and not any(h.start <= i < h.end for h in by_line.get(line.index, []))
    ]
    for role in _MISREAD_LABEL_MIN_LENGTH:
        if role in roles:
            continue
        found = [(row, word) for row, word, token in unlabelled if _one_letter_off(token, role)]
        if len(found) != 1:
            continue
        row, word = found[0]
        cells = [
            HeaderCell(role, c.x0, c.x1, c.row)
            if not c.labelled and c.row == row and c.x0 <= word.x_center <= c.x1
            else c
            for c in cells
        ]
    return cells


def _with_labels_above(
    cells: list[HeaderCell],
    above: Line,
    first: Line,
    by_line: dict[int, list[LabelHit]],
    roles: set[str],
) -> list[HeaderCell]:
    """Labels the line right above a header adds to it, among words that are not labels
    ('Unsere Menge Meng.- Preis/' over 'Pos Art.Nr. Artikelbeschreibung einheit Einheit'):
    the quantity label of a header that has none, and a label split after its '/' or '-'
    ('Preis/' over 'Einheit' is the price per unit, not a second unit column)."""
    if above.page != first.page or not _stacked(above, first):
        return cells
    hits = by_line.get(above.index, [])
    quantity = [h for h in hits if h.label == "col_quantity"]
    if "col_quantity" not in roles and len(quantity) == 1:
        words = above.words[quantity[0].start : quantity[0].end]
        cells = [*cells, HeaderCell("col_quantity", words[0].x0, words[-1].x1, 0)]
    for upper in above.words:
        if not upper.text.endswith(("/", "-")):
            continue
        under = [w for w in first.words if min(w.x1, upper.x1) > max(w.x0, upper.x0)]
        if len(under) != 1:
            continue
        role = _split_label_role(fold_token(upper.text + under[0].text))
        if role is None:
            continue
        lower = under[0]
        cells = [
            HeaderCell(role, c.x0, c.x1, c.row)
            if c.row == 0 and c.x0 <= lower.x_center <= c.x1
            else c
            for c in cells
        ]
    return cells


def _split_label_role(token: str) -> str | None:
    """The column whose one-word label `token` is ('preis/einheit')."""
    roles = _one_word_column_labels().get(token, frozenset())
    return next(iter(roles)) if len(roles) == 1 else None


def _with_amount_as_quantity(cells: list[HeaderCell]) -> list[HeaderCell]:
    """'Amount  Product  VAT  Price  Total': a header without a quantity label whose amount
    label comes twice, the first before the price, uses it for the quantity (as 'Anzahl' is
    put into English)."""
    totals = sorted((c for c in cells if c.role == "col_line_total"), key=lambda c: c.x0)
    prices = [c.x0 for c in cells if c.role == "col_unit_price"]
    if (
        any(c.role == "col_quantity" for c in cells)
        or len(totals) != 2
        or not prices
        or totals[0].x0 >= min(prices)
    ):
        return cells
    first = totals[0]
    return [HeaderCell("col_quantity", c.x0, c.x1, c.row) if c is first else c for c in cells]


def _one_letter_off(token: str, role: str) -> bool:
    return any(
        len(label) == len(token) and Levenshtein.distance(label, token) == 1
        for label in _one_word_labels(role)
    )


def _one_word_labels(role: str) -> list[str]:
    """The labels of `role` in the lexicon that are one word, long enough to be told apart."""
    return [
        label
        for label, roles in _one_word_column_labels().items()
        if role in roles and len(label) >= _MISREAD_LABEL_MIN_LENGTH[role]
    ]


@lru_cache(maxsize=1)
def _one_word_column_labels() -> dict[str, frozenset[str]]:
    """Every one-word column label of the lexicon, folded, with the columns it names."""
    labels: dict[str, set[str]] = {}
    for role, languages in LEXICON.items():
        if not role.startswith("col_"):
            continue
        for phrases in languages.values():
            for phrase in phrases:
                if " " not in (folded := fold_token(phrase)):
                    labels.setdefault(folded, set()).add(role)
    return {label: frozenset(roles) for label, roles in labels.items()}


def _ocr_noise(line: Line) -> bool:
    """An OCR'd line of specks: no word with more than one letter or digit."""
    return all(
        w.ocr_confidence is not None and sum(ch.isalnum() for ch in w.text) <= 1 for w in line.words
    )


def _continues_labels(line: Line, above: list[Line], by_line: dict[int, list[LabelHit]]) -> bool:
    """A header line of its own, or the second line of labels above it ('fournisseur' under
    'Réf.', 'TVA' under 'Taux'): at most two words, each under a word of the header."""
    if _column_hits(by_line.get(line.index, [])) and _mostly_labels(
        line, by_line.get(line.index, [])
    ):
        return True
    if len(line.words) > 2:
        return False
    labels = [word for line_above in above for word in line_above.words]
    return all(any(min(w.x1, x.x1) > max(w.x0, x.x0) for x in labels) for w in line.words)


def _column_hits(hits: list[LabelHit]) -> list[LabelHit]:
    return [h for h in hits if h.label.startswith("col_")]


def _mostly_labels(line: Line, hits: list[LabelHit]) -> bool:
    """At least half the words of a header line belong to column labels ('Code client C0020'
    above a table is not a header). Specks OCR reads off a shaded header band ('—', '=.',
    'Be') do not count against it."""
    covered = {i for h in _column_hits(hits) for i in range(h.start, h.end)}
    others = sum(
        1
        for i, w in enumerate(line.words)
        if i not in covered and sum(c.isalnum() for c in w.text) >= 3
    )
    return bool(covered) and len(covered) >= others


def _has_number(line: Line) -> bool:
    return any(
        parse_amount(w.text) is not None and any(c.isdigit() for c in w.text)
        for w in line.words
        if not _is_divisor_word(w.text)
    )


def _stacked(upper: Line, lower: Line) -> bool:
    height = upper.bbox[3] - upper.bbox[1]
    return lower.bbox[1] - upper.bbox[3] <= 0.8 * height


def _line_cells(line: Line, hits: list[LabelHit], row: int) -> list[HeaderCell]:
    cells: list[HeaderCell] = []
    used: set[int] = set()
    for hit in sorted(_column_hits(hits), key=lambda h: h.start):
        if any(i in used for i in range(hit.start, hit.end)):
            continue
        used.update(range(hit.start, hit.end))
        words = line.words[hit.start : hit.end]
        cells.append(HeaderCell(role=hit.label, x0=words[0].x0, x1=words[-1].x1, row=row))
    others: list[HeaderCell] = []
    for segment in range(len(line.segments)):
        start, end = line.segments[segment]
        for i in range(start, end):
            word = line.words[i]
            if i in used or _is_divisor_word(word.text):
                continue
            if others and others[-1].row == row and i - 1 not in used and i > start:
                others[-1] = HeaderCell("other", others[-1].x0, word.x1, row)
            else:
                others.append(HeaderCell("other", word.x0, word.x1, row))
    return cells + others


def _is_divisor_word(text: str) -> bool:
    return bool(
        re.fullmatch(
            r"\(?(?:per|pro|les|je|/)?\s*(?:100|1000)\)?|\(?(?:per|pro|les|je)", text, re.I
        )
    )
