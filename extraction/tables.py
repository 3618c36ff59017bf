"""The line-item table model: header → each line's words placed in columns → lines grouped into
rows → continuation across pages, checked by arithmetic.

A row's anchor is the line whose quantity cell holds a number and whose price or total cell an
amount. The other lines of the table (wrapped descriptions, or the text line of a two-row layout
printed above its figures) join the anchor before or after them: at a ruling line or shaded row
edge when the page draws one, else at the clearly widest gap, else by the table's own habit — a
table whose anchors carry their description continues rows downwards, one whose anchors carry
none prints the text above the figures. "Carried forward" rows are skipped; a page without a
header continues the previous page's table. Documents with no header at all go to the
header-less parser (extraction.table_free).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from extraction.layout import DocumentLayout, Line
from extraction.lexicon import LabelHit
from extraction.normalize import parse_amount, parse_date, parse_unit
from extraction.pages import Page, Word
from extraction.table_cells import Cells, line_cells
from extraction.table_free import lines_without_header
from extraction.table_header import TableHeader, find_header
from extraction.table_rows import (
    SKU_RE,
    TableLine,
    figure_repairs,
    printed_decimals,
    repair_ocr_figures,
    restore_dropped_decimals,
    settle_arithmetic,
)

__all__ = ["TableLine", "extract_line_items"]

_ROW_STOP_LABELS = frozenset({"subtotal", "total", "tax_total", "payment_terms", "currency"})
_FIGURES = ("col_quantity", "col_unit", "col_unit_price", "col_line_total", "col_per")
_CLEAR_GAP_RATIO = 1.3
_CONTINUATION_GAP = 1.6
"""A line further below the previous one than this many line heights does not continue it."""


@dataclass(frozen=True, slots=True)
class BodyLine:
    line: Line
    cells: Cells
    anchor: bool


def extract_line_items(
    layout: DocumentLayout, hits: list[LabelHit], *, decimal_mark: str, month_first: bool = False
) -> list[TableLine]:
    by_line: dict[int, list[LabelHit]] = {}
    for hit in hits:
        by_line.setdefault(hit.line, []).append(hit)
    pages = {p.number: p for p in layout.pages}
    rows: list[TableLine] = []
    header: TableHeader | None = None
    pending: list[BodyLine] = []

    def flush() -> None:
        if header is not None and pending:
            page = pages.get(pending[0].line.page)
            rows.extend(_rows(pending, header, page, decimal_mark, month_first))
        pending.clear()

    lines = layout.lines
    open_table = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if pending and line.page != pending[-1].line.page:
            flush()
        found = find_header(lines, i, by_line)
        if found is not None:
            flush()
            header, open_table = found, True
            i = found.line_indices[-1] + 1  # past specks read between its rows, too
            continue
        i += 1
        if not open_table or header is None:
            continue
        labels = {h.label for h in by_line.get(line.index, [])}
        if "carried_forward" in labels:
            continue
        cells = line_cells(line, header)
        if not header.labels_description:
            _description_from_unlabelled(cells)
        quantity = _number(cells.get("col_quantity"), decimal_mark)
        if labels & _ROW_STOP_LABELS and quantity is None and _has_amount(line, decimal_mark):
            flush()
            open_table = False
            continue
        pending.append(BodyLine(line, cells, _is_anchor(line, cells, decimal_mark)))
    flush()
    if not rows:
        rows = lines_without_header(layout, by_line, decimal_mark)
    return rows


def _has_amount(line: Line, decimal_mark: str) -> bool:
    """A totals or terms line prints a figure; a stray 'TVA' under the header does not."""
    return any(
        any(c.isdigit() for c in w.text) and parse_amount(w.text, decimal_mark=decimal_mark)
        for w in line.words
    )


def _is_anchor(line: Line, cells: Cells, decimal_mark: str) -> bool:
    """A row's line with its figures; on an OCR'd page also one with its own item number and
    quantity whose amounts OCR could not read (left out, it would join the next row and give
    it two item numbers)."""
    quantity = _quantity(cells, decimal_mark)
    if quantity is None:
        return False
    if (
        _amount(cells.get("col_unit_price"), decimal_mark) is not None
        or _amount(cells.get("col_line_total"), decimal_mark) is not None
    ):
        return True
    item = _code(cells.get("col_sku") or cells.get("col_customer_sku"))
    ocr = any(w.ocr_confidence is not None for w in line.words)
    return ocr and item is not None and SKU_RE.match(item) is not None


# ---- grouping lines into rows ----------------------------------------------------------------


def _rows(
    body: list[BodyLine],
    header: TableHeader,
    page: Page | None,
    decimal_mark: str,
    month_first: bool,
) -> list[TableLine]:
    anchors = [i for i, b in enumerate(body) if b.anchor]
    if not anchors:
        return []
    text_below = sum(bool(body[i].cells.get("col_description")) for i in anchors) * 2 >= len(
        anchors
    )
    groups: list[list[BodyLine]] = [[body[i]] for i in anchors]
    for k, (upper, lower) in enumerate(pairwise(anchors)):
        between = body[upper + 1 : lower]
        if not between:
            continue
        cut = _cut(body[upper : lower + 1], page, text_below)
        groups[k].extend(between[:cut])
        groups[k + 1][0:0] = between[cut:]
    if text_below:
        groups[-1].extend(_chained(body[anchors[-1] :], downwards=True))
    else:
        groups[0][0:0] = _chained(body[: anchors[0] + 1][::-1], downwards=False)
    read = [
        (row, group)
        for group in groups
        if (row := _row(group, decimal_mark, month_first)) is not None
    ]
    habits = printed_decimals([row for row, _ in read])
    for row, group in read:
        _settle(row, _anchor(group).cells, header.price_divisor, habits, decimal_mark)
    return [row for row, _ in read]


def _cut(span: list[BodyLine], page: Page | None, text_below: bool) -> int:
    """How many of the lines between two anchors (span[0] and span[-1]) belong to the upper one."""
    gaps = [lower.line.bbox[1] - upper.line.bbox[3] for upper, lower in pairwise(span)]
    ruled = [i for i in range(len(gaps)) if _ruled_between(span[i].line, span[i + 1].line, page)]
    if len(ruled) == 1:
        return ruled[0]
    widest = max(range(len(gaps)), key=lambda i: gaps[i])
    if gaps[widest] >= _CLEAR_GAP_RATIO * max(min(gaps), 1e-6):
        return widest
    return len(span) - 2 if text_below else 0


def _ruled_between(upper: Line, lower: Line, page: Page | None) -> bool:
    """A horizontal rule, or the top or bottom edge of a shaded row, between the two lines."""
    if page is None:
        return False
    top, bottom = upper.bbox[3], lower.bbox[1]
    left, right = min(upper.bbox[0], lower.bbox[0]), max(upper.bbox[2], lower.bbox[2])
    for rule in page.rules:
        x0, y0, x1, y1 = rule.bbox
        if min(x1, right) - max(x0, left) < 0.5 * (right - left):
            continue
        edges = (y0, y1) if rule.kind == "rect" else ((y0 + y1) / 2,)
        if any(top - 0.002 <= y <= bottom + 0.002 for y in edges) and (
            rule.kind == "rect" or y1 - y0 < 0.005
        ):
            return True
    return False


def _chained(lines: list[BodyLine], *, downwards: bool) -> list[BodyLine]:
    """The non-anchor lines that follow lines[0] (an anchor) closely, in page order."""
    chained: list[BodyLine] = []
    previous = lines[0].line
    for body in lines[1:]:
        if body.anchor or not _close(previous, body.line) or not _text_only(body.cells):
            break
        chained.append(body)
        previous = body.line
    return chained if downwards else chained[::-1]


def _close(a: Line, b: Line) -> bool:
    upper, lower = (a, b) if a.bbox[1] <= b.bbox[1] else (b, a)
    height = upper.bbox[3] - upper.bbox[1]
    return lower.bbox[1] - upper.bbox[3] <= _CONTINUATION_GAP * height


def _text_only(cells: Cells) -> bool:
    """A continuation line carries text, not figures: no amount in a figure column."""
    return bool(cells.get("col_description") or cells.get("col_sku")) and not any(
        parse_amount(w.text) is not None
        for role in ("col_unit_price", "col_line_total")
        for w in cells.get(role, [])
    )


# ---- reading a row ---------------------------------------------------------------------------


def _description_from_unlabelled(cells: Cells) -> None:
    """Under a header whose description label OCR lost ('Désignation' read as 'bl ='), the
    words under no label that read as text (a word of three letters or more) are the
    description, without the position number before them."""
    words = cells.get("other")
    if words and any(sum(c.isalpha() for c in w.text) >= 3 for w in words):
        cells.pop("other")
        while words and words[0].text.rstrip(".").isdigit():
            words = words[1:]  # the position number printed before it
        cells["col_description"] = words


def _anchor(group: list[BodyLine]) -> BodyLine:
    return next(b for b in group if b.anchor)


def _row(group: list[BodyLine], decimal_mark: str, month_first: bool) -> TableLine | None:
    """The row's cells as read, before any arithmetic."""
    anchor = _anchor(group)
    figures = anchor.cells
    texts: Cells = {}
    for body in group:
        for role, words in body.cells.items():
            if role not in _FIGURES or body is anchor:
                texts.setdefault(role, []).extend(words)
    quantity = _quantity(figures, decimal_mark)
    price = _amount(figures.get("col_unit_price"), decimal_mark)
    total = _amount(figures.get("col_line_total"), decimal_mark)
    if quantity is None or (price is None and total is None):
        return None
    if price is None and total is not None:
        price = _price_by_arithmetic(_price_words(figures), quantity, total, decimal_mark)
    if total is None:
        price, total = _price_and_total(
            figures.get("col_unit_price"), quantity, price, decimal_mark
        )
    unit_words = [
        w
        for w in (figures.get("col_quantity") or []) + (figures.get("col_unit") or [])
        if parse_amount(w.text) is None
    ]
    for role in ("col_sku", "col_customer_sku", "col_gtin"):
        _description_words_out_of(texts, role)
    seller_sku = _code(texts.get("col_sku"))
    customer_sku = _code(texts.get("col_customer_sku"))
    sku = customer_sku or seller_sku or _unlabelled_code(texts.get("other"))
    description = _clean_text(texts.get("col_description")) or None
    if sku is None and description:
        first, _, rest = description.partition(" ")
        if SKU_RE.match(first) and rest:
            sku, description = first, rest
    row = TableLine(
        sku=sku,
        alt_sku=seller_sku if customer_sku else None,
        gtin=_text(texts.get("col_gtin")).strip() or None,
        description=description,
        quantity=quantity,
        unit=parse_unit(unit_words[0].text) if unit_words else None,
        unit_price=price,
        line_total=total,
        delivery_date=parse_date(_text(figures.get("col_date")), month_first=month_first)
        if figures.get("col_date")
        else None,
        total_printed=total is not None,
        page=anchor.line.page,
        words=[w for body in group for w in body.line.words],
    )
    return row


_ONE_LOOK_ALIKES = frozenset({"I", "l", "|", "i", "]", "["})


def _quantity(cells: Cells, decimal_mark: str) -> Decimal | None:
    """The quantity cell's number (or, where the quantity and the unit share a cell, the unit
    cell's); on an OCR'd page a quantity read as a letter that looks like a 1 ('I bte') is 1
    where the row's price and total are the same amount."""
    quantity = _number(cells.get("col_quantity"), decimal_mark)
    if quantity is None and cells.get("col_unit"):
        quantity = _number(cells.get("col_unit"), decimal_mark)
    words = cells.get("col_quantity") or []
    if (
        quantity is None
        and words
        and words[0].ocr_confidence is not None
        and words[0].text in _ONE_LOOK_ALIKES
        and (price := _amount(cells.get("col_unit_price"), decimal_mark)) is not None
        and price == _amount(cells.get("col_line_total"), decimal_mark)
    ):
        return Decimal(1)
    return quantity


def _description_words_out_of(texts: Cells, role: str) -> None:
    """Words of the description that OCR's reading of the row put in the item number's or the
    GTIN's cell ('ODS-10109 Gants' | 'nitrile taille M', or the whole description when its
    heading was lost, after the number or before it: 'Gants nitrile taille L ODS-11895'),
    moved to the description: after the number, two words or more of three letters or one
    word of letters; before it, two words or more of three letters."""
    words = texts.get(role) or []
    if len(words) < 2 or words[0].ocr_confidence is None:
        return
    if SKU_RE.match(words[0].text):
        rest = words[1:]
        if _long_words(rest) >= 2 or (
            len(rest) == 1 and rest[0].text.isalpha() and len(rest[0].text) >= 3
        ):
            texts[role] = words[:1]
            texts["col_description"] = [*rest, *texts.get("col_description", [])]
        return
    last = words[-1].text
    if SKU_RE.match(last) and any(c.isalpha() for c in last) and _long_words(words[:-1]) >= 2:
        texts[role] = words[-1:]
        texts["col_description"] = [*texts.get("col_description", []), *words[:-1]]


def _long_words(words: list[Word]) -> int:
    return sum(sum(c.isalpha() for c in w.text) >= 3 for w in words)


def _settle(
    row: TableLine, figures: Cells, divisor: Decimal, habits: dict[str, int], decimal_mark: str
) -> None:
    """The row's figures put right: a price per 100 or 1000 divided, OCR slips repaired where
    the arithmetic or the column's habit shows them."""
    per = _number(figures.get("col_per"), decimal_mark)
    price_unit = per if per and per > 1 else divisor
    ocr = row.ocr_confidence is not None  # a text layer's digits are what was printed
    if ocr:
        restore_dropped_decimals(row, habits)
    if ocr and price_unit == 1:
        # '6000' read for 6,000 closes as a price per thousand too; OCR slips are likelier
        # than a price unit no heading announces
        repair_ocr_figures(row)
    settle_arithmetic(row, price_unit)
    if ocr and price_unit != 1:
        repair_ocr_figures(row)
    if ocr and row.unit_price is None:
        _price_by_repair(row, _price_words(figures), decimal_mark)


def _price_words(figures: Cells) -> list[Word]:
    """Where the unit price of a row whose price column was not found may be: under an unknown
    label, or before the total in the total's cell (the price column's heading lost, its
    figures went to the nearest column)."""
    return (figures.get("other") or []) + (figures.get("col_line_total") or [])[:-1]


def _price_by_arithmetic(
    words: list[Word] | None, quantity: Decimal, total: Decimal, decimal_mark: str
) -> Decimal | None:
    """The unit price from a column whose label was not read ('PU.HT' as one OCR word): the
    amount under an unknown label that times the quantity gives the line total."""
    for word in words or []:
        value = parse_amount(word.text, decimal_mark=decimal_mark)
        if value is not None and abs(quantity * value - total) <= Decimal("0.01"):
            return value
    return None


def _price_and_total(
    words: list[Word] | None, quantity: Decimal, price: Decimal | None, decimal_mark: str
) -> tuple[Decimal | None, Decimal | None]:
    """The price and the total, when both came under the price heading: OCR lost the total
    column's heading ('Pos Ihre Art-Nr. Bezeichnung Anz. Einzelpreis' over '6 2,39 14,34'), so
    the last column's cell reaches the right edge. Two amounts of which the second is the
    quantity times the first are taken as the price and the total; otherwise (price, None)."""
    amounts = _amounts(words, decimal_mark)
    if len(amounts) == 2 and abs(quantity * amounts[0] - amounts[1]) <= Decimal("0.01"):
        return amounts[0], amounts[1]
    return price, None


def _price_by_repair(row: TableLine, words: list[Word], decimal_mark: str) -> None:
    """The unit price from a column whose label was not read, when OCR also misread the
    quantity or the total: the one amount of `words` (see _price_words) with which the repair
    of one misread figure (repair_ocr_figures) closes the row's arithmetic ('6.000' read for
    6,000 beside 3,52 and 21,12). When none does, but one amount closes the row with a slip
    that could be in the price or in the total (3 × '18,64' = 55,62), that amount is taken as
    read, for the order's subtotal to settle (extraction/subtotal_line_repair.py). The row is
    left as it is otherwise."""
    if row.quantity is None or row.line_total is None:
        return
    closing: list[TableLine] = []
    undecided: list[Decimal] = []
    for word in words:
        value = parse_amount(_without_specks(word.text), decimal_mark=decimal_mark)
        if value is None:
            continue
        trial = replace(row, unit_price=value)
        if len(figure_repairs(trial)) > 1:
            undecided.append(value)
        repair_ocr_figures(trial)
        if trial.arithmetic_ok:
            closing.append(trial)
    if not closing and len(undecided) == 1:
        row.unit_price = undecided[0]
    elif len(closing) == 1:
        found = closing[0]
        row.quantity, row.unit_price, row.line_total = (
            found.quantity,
            found.unit_price,
            found.line_total,
        )
        row.repaired = found.repaired


def _unlabelled_code(words: list[Word] | None) -> str | None:
    """The item number of a column whose heading OCR did not read ('komcode' for Item code):
    the one word of the row's unlabelled cells that is an item number with letters and
    digits; None when there is none or more than one."""
    codes = [
        code
        for w in words or []
        if (code := _code([w])) is not None
        and SKU_RE.match(code)
        and any(c.isalpha() for c in code)
        and any(c.isdigit() for c in code)
    ]
    return codes[0] if len(codes) == 1 else None


def _code(words: list[Word] | None) -> str | None:
    """An item number without the table rules OCR reads as '|' or brackets, nor the specks it
    reads as a lone '-' in an empty cell; a wrapped number ('ODS-' above '10021') is joined
    without a space."""
    if not words:
        return None
    parts = [w.text.strip().strip("|[](){}!:;,'\"_~‘’`=").strip() for w in words]
    parts = [p for p in parts if any(c.isalnum() for c in p)]
    if not parts:
        return None
    if len(parts) > 1 and parts[0].endswith(("-", "/", ".")):
        return "".join(parts)
    return " ".join(parts)


_RULE_CHARS = "|[]!_"


def _clean_text(words: list[Word] | None) -> str:
    """A cell's text without the table rules OCR reads as '|' or brackets, alone or glued to a
    word ('|Beschreibung'), and without marks before its first word."""
    parts = [p for w in words or [] if (p := w.text.strip(_RULE_CHARS))]
    while parts and not any(ch.isalnum() for ch in parts[0]):
        parts.pop(0)  # a speck or rule read as ':', '=' or '~' before the first word
    return " ".join(parts)


def _text(words: list[Word] | None) -> str:
    return " ".join(w.text for w in words) if words else ""


def _number(words: list[Word] | None, decimal_mark: str) -> Decimal | None:
    """The number a cell starts with; OCR's stray full stop, bar, bracket or degree sign after
    it (a speck: '3°'), and specks read before it (': 150,00'), are ignored."""
    words = [w for w in words or [] if any(ch.isalnum() for ch in w.text)]
    if not words:
        return None
    first = words[0].text.rstrip(".:;|°)]")
    return parse_amount(first, decimal_mark=decimal_mark) or (
        parse_amount(_text(words), decimal_mark=decimal_mark)
    )


def _amount(words: list[Word] | None, decimal_mark: str) -> Decimal | None:
    """The amount of a price or total cell: the cell's text as one amount, an OCR'd amount
    whose decimal mark was read as a gap, or else the last amount in it."""
    if not words:
        return None
    value = parse_amount(_text(words), decimal_mark=decimal_mark)
    if value is None:
        value = _mark_read_as_gap(words)
    if value is None:
        found = _amounts(words, decimal_mark)
        value = found[-1] if found else None
    return value


def _mark_read_as_gap(words: list[Word]) -> Decimal | None:
    """'33 72' for 33.72: an OCR'd cell of two whole numbers, the second of two digits (the
    cents), is one amount whose decimal mark OCR read as a gap (a faint full stop on a fax)."""
    if len(words) != 2 or words[0].ocr_confidence is None:
        return None
    units, cents = (w.text.strip(_TRAILING_SPECKS) for w in words)
    if units.isdigit() and cents.isdigit() and len(cents) == 2:
        return Decimal(f"{units}.{cents}")
    return None


def _amounts(words: list[Word] | None, decimal_mark: str) -> list[Decimal]:
    """Each word of the cell that is an amount, without the specks beside it."""
    return [
        v
        for w in words or []
        if (v := parse_amount(_without_specks(w.text), decimal_mark=decimal_mark)) is not None
    ]


_LEADING_SPECKS = "~_|'`‘’:;"
_TRAILING_SPECKS = ",.:;|'`~_‘’"


def _without_specks(text: str) -> str:
    """A figure without the marks a speck of noise adds beside it ('1.98,', '~47.52'); a leading
    full stop or comma is kept ('.50')."""
    return text.lstrip(_LEADING_SPECKS).rstrip(_TRAILING_SPECKS)
