"""The line-item table model: header row → typed columns → rows (with wrapped descriptions) →
continuation across pages, checked by arithmetic.

A header row is a line where the lexicon finds at least two column labels. Columns partition the
page width at the midpoints between header cells; each word of a row goes to the column its
centre falls in. A row starts on a line whose quantity cell is a number and whose price or total
cell is an amount; a text-only line just below continues the description. "Carried forward"
rows are skipped. When a page has no header the table continues with the previous page's
columns. Documents with no header at all (an order typed in a mail body) go through a per-line
parser that types tokens and keeps lines whose arithmetic closes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extraction.layout import DocumentLayout, Line, union_bbox
from extraction.lexicon import LabelHit
from extraction.normalize import parse_amount, parse_date, parse_unit
from extraction.pages import BBox, Word

_ROW_STOP_LABELS = frozenset({"subtotal", "total", "tax_total", "payment_terms", "currency"})
_SKU_RE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/_.-]{2,29}$")
_PER_RE = re.compile(r"(?:per|pro|les|/|je)\s*(100|1000)\b", re.I)
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Column:
    role: str
    x0: float
    x1: float


@dataclass(slots=True)
class TableLine:
    sku: str | None = None
    alt_sku: str | None = None
    """A second item number printed on the line (the seller's SKU beside the customer's)."""
    gtin: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    total_printed: bool = False
    page: int = 1
    words: list[Word] = field(default_factory=list)
    from_header_table: bool = True

    @property
    def bbox(self) -> BBox:
        return union_bbox(self.words)

    @property
    def arithmetic_ok(self) -> bool:
        if self.quantity is None or self.unit_price is None or self.line_total is None:
            return False
        return abs(self.quantity * self.unit_price - self.line_total) <= _CENT

    @property
    def ocr_confidence(self) -> float | None:
        values = [w.ocr_confidence for w in self.words if w.ocr_confidence is not None]
        return min(values) if values else None


def extract_line_items(
    layout: DocumentLayout, hits: list[LabelHit], *, decimal_mark: str
) -> list[TableLine]:
    by_line: dict[int, list[LabelHit]] = {}
    for hit in hits:
        by_line.setdefault(hit.line, []).append(hit)
    rows: list[TableLine] = []
    columns: list[Column] | None = None
    price_divisor = Decimal(1)
    current: TableLine | None = None
    last_row_line: Line | None = None
    current_page = 0
    open_table = False
    for line in layout.lines:
        line_hits = by_line.get(line.index, [])
        if line.page != current_page:
            current_page = line.page
            current, last_row_line = None, None
        header = _header_columns(line, line_hits)
        if header is not None:
            columns, price_divisor = header
            open_table, current, last_row_line = True, None, None
            continue
        if not open_table or columns is None:
            continue
        labels = {h.label for h in line_hits}
        if "carried_forward" in labels:
            continue
        cells = _cells(line, columns)
        if labels & _ROW_STOP_LABELS and not _number(cells.get("col_quantity"), decimal_mark):
            open_table, current = False, None
            continue
        row = _row_from_cells(cells, decimal_mark, price_divisor)
        if row is not None:
            row.page = line.page
            row.words = list(line.words)
            rows.append(row)
            current, last_row_line = row, line
        elif current is not None and last_row_line is not None and _continues(last_row_line, line):
            extra = cells.get("col_description")
            if extra and not _number(cells.get("col_line_total"), decimal_mark):
                current.description = f"{current.description or ''} {_text(extra)}".strip()
                current.words.extend(line.words)
                last_row_line = line
    if not rows:
        rows = _lines_without_header(layout, by_line, decimal_mark)
    return rows


def _header_columns(line: Line, hits: list[LabelHit]) -> tuple[list[Column], Decimal] | None:
    column_hits = [h for h in hits if h.label.startswith("col_")]
    roles = {h.label for h in column_hits}
    if len(roles) < 2 or not roles & {"col_quantity", "col_description"}:
        return None
    if not roles & {"col_quantity", "col_unit_price", "col_line_total"}:
        return None
    columns: list[Column] = []
    used: set[int] = set()
    for hit in sorted(column_hits, key=lambda h: h.start):
        if any(i in used for i in range(hit.start, hit.end)):
            continue
        used.update(range(hit.start, hit.end))
        words = line.words[hit.start : hit.end]
        columns.append(Column(role=hit.label, x0=words[0].x0, x1=words[-1].x1))
    for i, word in enumerate(line.words):
        if i not in used and not _is_divisor_word(word.text):
            columns.append(Column(role="other", x0=word.x0, x1=word.x1))
    columns.sort(key=lambda c: c.x0)
    divisor = Decimal(1)
    if m := _PER_RE.search(line.text):
        divisor = Decimal(m.group(1))
    return _merge_adjacent_other(columns), divisor


def _is_divisor_word(text: str) -> bool:
    return bool(
        re.fullmatch(
            r"\(?(?:per|pro|les|je|/)?\s*(?:100|1000)\)?|\(?(?:per|pro|les|je)", text, re.I
        )
    )


def _merge_adjacent_other(columns: list[Column]) -> list[Column]:
    merged: list[Column] = []
    for col in columns:
        if merged and col.role == "other" and merged[-1].role == "other":
            merged[-1] = Column("other", merged[-1].x0, col.x1)
        else:
            merged.append(col)
    return merged


def _cells(line: Line, columns: list[Column]) -> dict[str, list[Word]]:
    bounds = [(columns[i].x1 + columns[i + 1].x0) / 2 for i in range(len(columns) - 1)]
    cells: dict[str, list[Word]] = {}
    for word in line.words:
        index = sum(1 for b in bounds if word.x_center > b)
        cells.setdefault(columns[index].role, []).append(word)
    _return_overflow(cells, {c.role: c for c in reversed(columns)})
    return cells


def _fits(role: str, text: str) -> bool:
    if role in ("col_quantity", "col_unit_price", "col_line_total", "col_per"):
        return parse_amount(text) is not None
    if role == "col_date":
        return parse_date(text) is not None
    if role == "col_unit":
        return parse_unit(text) is not None
    if role == "col_gtin":
        return text.isdigit()
    return True


_TYPED_ROLES = (
    "col_quantity",
    "col_unit_price",
    "col_line_total",
    "col_per",
    "col_date",
    "col_unit",
    "col_gtin",
)


def _return_overflow(cells: dict[str, list[Word]], columns: dict[str, Column]) -> None:
    """A long description runs into the typed columns right of it: the words before the value
    of the cell's type nearest the column's header go back to the description."""
    for role in _TYPED_ROLES:
        words = cells.get(role)
        if not words or role not in columns:
            continue
        centre = (columns[role].x0 + columns[role].x1) / 2
        fitting = [i for i, w in enumerate(words) if _fits(role, w.text)]
        first = min(fitting, key=lambda i: abs(words[i].x_center - centre)) if fitting else None
        cut = len(words) if first is None else first
        while 0 < cut < len(words) and _fits(role, f"{words[cut - 1].text} {words[cut].text}"):
            cut -= 1  # a thousands group printed as its own word: '4 392,00'
        if cut and "col_description" in cells:
            cells["col_description"].extend(words[:cut])
            cells[role] = words[cut:]


def _text(words: list[Word] | None) -> str:
    return " ".join(w.text for w in words) if words else ""


def _number(words: list[Word] | None, decimal_mark: str) -> Decimal | None:
    if not words:
        return None
    return parse_amount(words[0].text, decimal_mark=decimal_mark) or (
        parse_amount(_text(words), decimal_mark=decimal_mark)
    )


def _amount(words: list[Word] | None, decimal_mark: str) -> Decimal | None:
    if not words:
        return None
    text = _text(words)
    value = parse_amount(text, decimal_mark=decimal_mark)
    if value is None:
        values = [parse_amount(w.text, decimal_mark=decimal_mark) for w in words]
        found = [v for v in values if v is not None]
        value = found[-1] if found else None
    return value


def _row_from_cells(
    cells: dict[str, list[Word]], decimal_mark: str, divisor: Decimal
) -> TableLine | None:
    quantity = _number(cells.get("col_quantity"), decimal_mark)
    if quantity is None and cells.get("col_unit"):
        quantity = _number(cells.get("col_unit"), decimal_mark)
    price = _amount(cells.get("col_unit_price"), decimal_mark)
    total = _amount(cells.get("col_line_total"), decimal_mark)
    if quantity is None or (price is None and total is None):
        return None
    unit_words = [
        w
        for w in (cells.get("col_quantity") or []) + (cells.get("col_unit") or [])
        if parse_amount(w.text) is None
    ]
    unit = parse_unit(unit_words[0].text) if unit_words else None
    seller_sku = _clean_code(_text(cells.get("col_sku")))
    customer_sku = _clean_code(_text(cells.get("col_customer_sku")))
    sku = customer_sku or seller_sku
    description = _text(cells.get("col_description")).strip() or None
    if sku is None and description:
        first, _, rest = description.partition(" ")
        if _SKU_RE.match(first) and rest:
            sku, description = first, rest
    row = TableLine(
        sku=sku,
        alt_sku=seller_sku if customer_sku else None,
        gtin=_text(cells.get("col_gtin")).strip() or None,
        description=description,
        quantity=quantity,
        unit=unit,
        unit_price=price,
        line_total=total,
        total_printed=total is not None,
    )
    per = _number(cells.get("col_per"), decimal_mark)
    _settle_arithmetic(row, per if per and per > 1 else divisor)
    return row


def _clean_code(text: str) -> str | None:
    """An item number without the table rules OCR reads as '|' or brackets."""
    return text.strip().strip("|[](){}!:;,'\"_").strip() or None


def _settle_arithmetic(row: TableLine, divisor: Decimal) -> None:
    """Divide a price printed per 100/1000; compute a missing line total."""
    if row.unit_price is not None and row.quantity is not None:
        if row.line_total is None:
            row.line_total = (row.quantity * row.unit_price / divisor).quantize(_CENT)
            row.unit_price = row.unit_price / divisor
            return
        if abs(row.quantity * row.unit_price - row.line_total) > _CENT:
            for d in (divisor, Decimal(100), Decimal(1000)):
                if d != 1 and abs(row.quantity * row.unit_price / d - row.line_total) <= _CENT:
                    row.unit_price = (row.unit_price / d).normalize()
                    return


def _continues(previous: Line, line: Line) -> bool:
    if previous.page != line.page:
        return False
    height = previous.bbox[3] - previous.bbox[1]
    return line.bbox[1] - previous.bbox[3] <= 1.6 * height


# ---- documents without a table header ------------------------------------------------------

_QTY_PREFIX_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:x|×)$", re.I)


def _lines_without_header(
    layout: DocumentLayout, by_line: dict[int, list[LabelHit]], decimal_mark: str
) -> list[TableLine]:
    rows: list[TableLine] = []
    for line in layout.lines:
        labels = {h.label for h in by_line.get(line.index, [])}
        if labels & (_ROW_STOP_LABELS | {"carried_forward"}):
            continue
        row = _segmented_line(line, decimal_mark) or _inline_line(line, decimal_mark)
        if row is not None:
            rows.append(row)
    return rows


_CURRENCY_WORDS = frozenset({"eur", "€", "gbp", "£", "usd", "$", "chf"})


def _segment_number(text: str, decimal_mark: str) -> tuple[Decimal, str | None] | None:
    """'1,26 EUR' → (1.26, None); '50 pk' → (50, 'PAC'); 'Palette' → None."""
    tokens = [t for t in text.split() if t.lower() not in _CURRENCY_WORDS]
    if not tokens:
        return None
    value = parse_amount(tokens[0], decimal_mark=decimal_mark)
    if value is None:
        return None
    rest = tokens[1:]
    if len(rest) > 1:
        return None
    unit = parse_unit(rest[0]) if rest else None
    if rest and unit is None:
        return None
    return value, unit


def _segmented_line(line: Line, decimal_mark: str) -> TableLine | None:
    """A row of a table typed without header: 'Wellrohr Ø 20 mm    25    1,26 EUR    31,50'."""
    texts = [" ".join(w.text for w in line.segment_words(i)) for i in range(len(line.segments))]
    numbers: list[tuple[Decimal, str | None]] = []
    while texts and len(numbers) < 3 and (n := _segment_number(texts[-1], decimal_mark)):
        numbers.insert(0, n)
        texts.pop()
    if len(numbers) < 2 or not texts:
        return None
    if len(numbers) == 3:
        (quantity, unit), (price, _), (total, _) = numbers
    else:
        (quantity, unit), (price, _) = numbers
        total = None
    sku: str | None = None
    if len(texts) > 1 and texts[0].isdigit():
        texts.pop(0)
    if texts and _SKU_RE.match(texts[0]) and " " not in texts[0]:
        sku = texts.pop(0)
    description = " ".join(texts).strip() or None
    if description is None and sku is None:
        return None
    row = TableLine(
        sku=sku,
        description=description,
        quantity=quantity,
        unit=unit,
        unit_price=price,
        line_total=total,
        total_printed=total is not None,
        page=line.page,
        words=list(line.words),
        from_header_table=False,
    )
    _settle_arithmetic(row, Decimal(1))
    return row if row.arithmetic_ok else None


def _inline_line(line: Line, decimal_mark: str) -> TableLine | None:
    """'10 x ABC-123 Widget blue @ 4.50 = 45.00' or 'ABC-123  Widget  10  4,50  45,00'."""
    tokens = [w.text.strip("@=:;") for w in line.words]
    amounts: list[tuple[int, Decimal]] = []
    quantity: Decimal | None = None
    quantity_at = -1
    sku: str | None = None
    sku_at = -1
    for i, tok in enumerate(tokens):
        if not tok:
            continue
        if m := _QTY_PREFIX_RE.match(tok):
            quantity, quantity_at = parse_amount(m.group(1), decimal_mark=decimal_mark), i
            continue
        value = parse_amount(tok, decimal_mark=decimal_mark)
        if value is not None and ("." in tok or "," in tok):
            amounts.append((i, value))
        elif value is not None and quantity is None and value <= 100000:
            quantity, quantity_at = value, i
        elif sku is None and _SKU_RE.match(tok) and (any(c.isalpha() for c in tok) or "-" in tok):
            sku, sku_at = tok, i
    if quantity is None or not amounts or sku is None:
        return None
    used = {quantity_at, sku_at, *(i for i, _ in amounts)}
    description = (
        " ".join(
            t
            for i, t in enumerate(tokens)
            if i not in used and t and t.lower() not in {"x", "@", "="}
        ).strip()
        or None
    )
    price = amounts[0][1]
    total = amounts[1][1] if len(amounts) > 1 else None
    row = TableLine(
        sku=sku,
        description=description,
        quantity=quantity,
        unit_price=price,
        line_total=total,
        total_printed=total is not None,
        page=line.page,
        words=list(line.words),
        from_header_table=False,
    )
    if description:
        first = description.split()[0]
        if (unit := parse_unit(first)) is not None:
            row.unit = unit
            row.description = description[len(first) :].strip() or None
    _settle_arithmetic(row, Decimal(1))
    return row
