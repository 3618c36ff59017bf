"""Which column each word of a table line belongs to.

Words are placed a segment at a time (a run of words without a wide gap), by horizontal overlap
with the header's cells: a description that runs past the midpoint towards the next column is
still one segment starting under "Description". A segment under no header cell goes to the
nearest cell its text fits; a segment under several (a long description over the figures of a
two-row layout, or two columns printed too close together) is split: from the right, the words
that fit a typed column under them go there, the rest to the leftmost cell.
"""

from __future__ import annotations

from extraction.layout import Line
from extraction.normalize import parse_amount, parse_date, parse_unit
from extraction.pages import Word
from extraction.table_header import HeaderCell, TableHeader
from extraction.table_rows import SKU_RE

Cells = dict[str, list[Word]]

_NUMERIC_ROLES = frozenset({"col_quantity", "col_unit_price", "col_line_total", "col_per"})
_TEXT_ROLES = frozenset({"col_description", "col_sku", "col_customer_sku"})
_FIGURE_ROLES = _NUMERIC_ROLES | {"col_unit", "col_date"}
_START_TOLERANCE = 0.005
"""Page fractions a left-aligned word may start before its column's label."""


def line_cells(line: Line, header: TableHeader) -> Cells:
    """The line's words by column. Under a header without a description label (OCR lost it),
    a segment left of every label is no column's: it is the description or the position
    (`tables._description_from_unlabelled`), not the nearest labelled column's."""
    segments = [list(line.segment_words(n)) for n in range(len(line.segments))]
    columns = _columns_for(segments, header)
    first_label = min((c.x0 for c in columns if c.labelled), default=0.0)
    cells: Cells = {}
    for words in segments:
        if not header.labels_description and words[-1].x1 < first_label:
            cells.setdefault("other", []).extend(words)
            continue
        for role, part in _place_segment(words, columns):
            cells.setdefault(role, []).extend(part)
    for words in cells.values():
        words.sort(key=lambda w: w.x0)
    return cells


def _columns_for(segments: list[list[Word]], header: TableHeader) -> tuple[HeaderCell, ...]:
    """A header printed on several lines describes several kinds of body line (a two-row
    layout): each body line is read against the header line whose labels its segments fit
    best."""
    rows = sorted({c.row for c in header.cells if c.labelled})
    if len(rows) < 2:
        return header.cells

    def score(row: int) -> int:
        own = [c for c in header.cells if c.row == row and c.labelled]
        return sum(
            any(
                _overlap(words, c) > 0 and fits(c.role, " ".join(w.text for w in words))
                for c in own
            )
            for words in segments
        )

    best = max(rows, key=lambda r: (score(r), -r))
    if score(best) == 0:
        return header.cells
    return tuple(c for c in header.cells if c.row == best or not c.labelled)


def fits(role: str, text: str) -> bool:
    if role in _NUMERIC_ROLES:
        return parse_amount(text) is not None
    if role == "col_date":
        return parse_date(text) is not None
    if role == "col_unit":
        return parse_unit(text) is not None
    if role == "col_gtin":
        return text.isdigit() and len(text) >= 8
    if role == "col_position":
        return text.rstrip(".").isdigit()
    return True


def _overlap(words: list[Word], cell: HeaderCell) -> float:
    x0, x1 = words[0].x0, words[-1].x1
    return max(0.0, min(x1, cell.x1) - max(x0, cell.x0))


def _place_segment(
    words: list[Word], cells: tuple[HeaderCell, ...]
) -> list[tuple[str, list[Word]]]:
    text = " ".join(w.text for w in words)
    under = [c for c in cells if _overlap(words, c) > 0]
    if any(c.labelled for c in under):
        under = [c for c in under if c.labelled]
    if not under:
        return [(_nearest(words, text, cells).role, words)]
    roles = list(dict.fromkeys(c.role for c in sorted(under, key=lambda c: c.x0)))
    if len(roles) == 1:
        return [(roles[0], words)]
    whole = [r for r in roles if fits(r, text)]
    if whole and whole[0] not in _TEXT_ROLES and len(words) == 1:
        return [(max(under, key=lambda c: _overlap(words, c)).role, words)]
    return _split(words, sorted(under, key=lambda c: c.x0))


def _split(words: list[Word], under: list[HeaderCell]) -> list[tuple[str, list[Word]]]:
    """Figures first, from the right: each figure cell takes the trailing word under it that
    fits its type. The rest go to the text cells by where they start (text is left-aligned),
    each word to the rightmost cell starting before it whose type it fits."""
    placed: list[tuple[str, list[Word]]] = []
    rest = list(words)
    for cell in reversed(under[1:]):
        if cell.role not in _FIGURE_ROLES:
            continue
        near = rest and rest[-1].x1 > cell.x0 - (cell.x1 - cell.x0)
        if near and fits(cell.role, rest[-1].text):
            taken = [rest.pop()]
            joined = " ".join(w.text for w in rest[-1:] + taken)
            grouped = cell.role in _NUMERIC_ROLES and rest and rest[-1].text.isdigit()
            if grouped and fits(cell.role, joined):
                taken.insert(0, rest.pop())  # a thousands group printed apart: '4 392,00'
            placed.insert(0, (cell.role, taken))
    if under[0].role in _FIGURE_ROLES and len(rest) > 1 and fits(under[0].role, rest[0].text):
        placed.insert(0, (under[0].role, [rest.pop(0)]))  # '100 Zylinderschraube': Anz. first
        under = under[1:]
    text_cells = [c for c in under if c.role not in _FIGURE_ROLES] or under[:1]
    by_start: list[tuple[str, list[Word]]] = []
    floor = 0
    for word in rest:
        chosen = floor
        for k in range(len(text_cells) - 1, floor - 1, -1):
            if text_cells[k].x0 <= word.x0 + _START_TOLERANCE and fits(
                text_cells[k].role, word.text
            ):
                chosen = k
                break
        else:
            # an item number under no cell it fits ('40 ODS-10109' read as one run, the
            # number starting left of its heading): the item number's cell after it
            if SKU_RE.match(word.text) and any(c.isalpha() for c in word.text):
                roles = [c.role for c in text_cells]
                chosen = next(
                    (k for k in range(floor, len(roles)) if roles[k] in _ITEM_NUMBER_ROLES),
                    floor,
                )
        floor = chosen
        role = text_cells[chosen].role
        if by_start and by_start[-1][0] == role:
            by_start[-1][1].append(word)
        else:
            by_start.append((role, [word]))
    return by_start + placed


_ITEM_NUMBER_ROLES = frozenset({"col_sku", "col_customer_sku"})


def _nearest(words: list[Word], text: str, cells: tuple[HeaderCell, ...]) -> HeaderCell:
    x0, x1 = words[0].x0, words[-1].x1

    def distance(cell: HeaderCell) -> float:
        return max(cell.x0 - x1, x0 - cell.x1, 0.0)

    fitting = [c for c in cells if c.labelled and fits(c.role, text)]
    if any(c.role in _NUMERIC_ROLES for c in fitting) and parse_amount(text) is not None:
        fitting = [c for c in fitting if c.role not in _TEXT_ROLES]
    return min(fitting or list(cells), key=distance)
