"""Line items of a document with no table header (an order typed in a mail body, a fax whose
shaded header row OCR could not read): each line is typed token by token and kept only when its
arithmetic closes or its shape is unmistakable. A line of figures alone under a line of text is
one item printed on two rows; a line of text alone under an item, starting where its description
starts, is the rest of that description."""

from __future__ import annotations

import re
from decimal import Decimal

from extraction.layout import DocumentLayout, Line
from extraction.lexicon import LabelHit
from extraction.normalize import parse_amount, parse_unit
from extraction.table_rows import (
    SKU_RE,
    TableLine,
    figure_repairs,
    repair_ocr_figures,
    settle_arithmetic,
)

SKIPPED_LABELS = frozenset(
    {"subtotal", "total", "tax_total", "payment_terms", "currency", "carried_forward"}
)

_QTY_PREFIX_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:x|×)$", re.I)


def lines_without_header(
    layout: DocumentLayout, by_line: dict[int, list[LabelHit]], decimal_mark: str
) -> list[TableLine]:
    rows: list[TableLine] = []
    previous: Line | None = None
    previous_row: TableLine | None = None
    for line in layout.lines:
        labels = {h.label for h in by_line.get(line.index, [])}
        if labels & SKIPPED_LABELS:
            previous = previous_row = None
            continue
        row = (
            _closing_row(line, decimal_mark)
            or _segmented_line(line, decimal_mark)
            or _listed_line(line, decimal_mark)
            or _inline_line(line, decimal_mark)
        )
        if row is None and previous is not None:
            row = _two_row_item(previous, line, decimal_mark)
            if row is not None and previous_row is not None:
                rows.remove(previous_row)  # the text row's sizes were taken for figures
        if row is not None:
            rows.append(row)
        elif previous_row is not None and previous is not None and _continues(previous_row, line):
            previous_row.description = f"{previous_row.description} {line.text}"
            previous_row.words = [*previous_row.words, *line.words]
            continue  # a third row may continue the description too
        if any(c.isalnum() for c in line.text):  # not a stray mark between the two rows
            previous, previous_row = line, row
    return rows


_CENT = Decimal("0.01")
_VAT_RATE_RE = re.compile(r"^\d{1,2}(?:[.,]\d{1,2})?\s*%$")
MAX_WORDS_BESIDE_FIGURES = 3
"""A figures row prints the unit and OCR makes a word or two of noise ('150 holte AR 0%')."""
MAX_ROW_GAP = 1.5
"""The text row and the figures row of an item lie at most this many line heights apart."""


def _two_row_item(text_line: Line, figures_line: Line, decimal_mark: str) -> TableLine | None:
    """An item printed on two rows: the item number, the description (and a GTIN) on the
    first, 'quantity unit price VAT-rate total' on the second (' 25 boîte 25,95 20% 648,75').
    Kept only when the figures close (after the repair of one misread figure); a figure OCR
    lost is what the other two give when that is a whole quantity or a price in cents."""
    if not _rows_adjacent(text_line, figures_line):
        return None
    words = text_line.text.split()
    while words and not any(c.isalnum() for c in words[0]):
        words.pop(0)
    if sum(1 for w in words if any(c.isalpha() for c in w)) < 2:
        return None
    if words and _looks_like_gtin(words[-1]):
        words.pop()
    sku = words.pop(0) if words and _is_item_number(words[0]) else None
    if not words:
        return None
    for quantity, price, total in _row_figures(figures_line, decimal_mark):
        row = _free_row(text_line, sku, " ".join(words), quantity, None, price, total)
        row.words = [*text_line.words, *figures_line.words]
        if not row.arithmetic_ok:
            repair_ocr_figures(row)
        if row.arithmetic_ok:
            return row
    return None


def _rows_adjacent(upper: Line, lower: Line) -> bool:
    """The lower row starts below the upper one's top (the two may overlap: the figures row of
    a two-row item is often set half a line down) and not far under it."""
    height = upper.bbox[3] - upper.bbox[1]
    return (
        upper.page == lower.page
        and lower.bbox[1] > upper.bbox[1]
        and lower.bbox[1] - upper.bbox[3] <= MAX_ROW_GAP * height
    )


def _row_figures(line: Line, decimal_mark: str) -> list[tuple[Decimal, Decimal, Decimal]]:
    """The readings (quantity, price, total) of a line of figures, VAT rates left out, with and
    without a thousands group OCR split off ('1 471,80'); none when the line holds more than a
    unit and a little noise besides, or ends in no amount with cents."""
    tokens = _joined_percent_signs(
        [t for t in line.text.split() if t.lower() not in _CURRENCY_WORDS]
    )
    numbers: list[str] = []
    others = 0
    for token in tokens:
        if _VAT_RATE_RE.match(token):
            continue
        if _ocr_amount(token, decimal_mark) is not None:
            numbers.append(token.rstrip("."))
        elif any(c.isdigit() for c in token):
            return []
        else:
            others += 1
    if others > MAX_WORDS_BESIDE_FIGURES or not numbers or not _CENTS_RE.search(numbers[-1]):
        return []
    readings = [numbers]
    split_group = len(numbers) >= 2 and numbers[-2].isdigit() and len(numbers[-2]) <= 3
    if split_group and re.match(r"^\d{3}[.,]\d{2}$", numbers[-1]):
        readings = [[*numbers[:-2], numbers[-2] + numbers[-1]]]
        if len(numbers) >= 4:
            readings.append(numbers)
    if len(readings[0]) >= 3:
        readings.append(readings[0][1:])  # the quantity misread ('$2' for 12)
    found = []
    for reading in readings:
        values = [v for t in reading if (v := _ocr_amount(t, decimal_mark)) is not None]
        found.extend(_figure_triples(values))
    return found


_CENTS_RE = re.compile(r"[.,]\d{2}$")


def _ocr_amount(token: str, decimal_mark: str) -> Decimal | None:
    """An amount as OCR read it: a trailing '.' is a speck, and '644.75' in a table of
    decimal commas is 644,75 (OCR confuses the two marks)."""
    token = token.rstrip(".")
    if _CENTS_RE.search(token) and re.fullmatch(r"\d+[.,]\d{2}", token):
        return Decimal(token[:-3] + "." + token[-2:])
    value = parse_amount(token, decimal_mark=decimal_mark)
    return value if value is not None and any(c.isdigit() for c in token) else None


def _figure_triples(values: list[Decimal]) -> list[tuple[Decimal, Decimal, Decimal]]:
    if len(values) >= 3:
        return [(values[0], values[-2], values[-1])]
    if len(values) != 2 or values[0] <= 0:
        return []
    first, total = values
    triples = []
    if (quantity := total / first) == quantity.to_integral_value():
        triples.append((quantity.quantize(Decimal(1)), first, total))
    whole = first == first.to_integral_value() and first > 1
    if whole and (price := total / first) == price.quantize(_CENT):
        triples.append((first, price.quantize(_CENT), total))
    return triples


def _joined_percent_signs(tokens: list[str]) -> list[str]:
    """'20 %' → '20%'."""
    joined: list[str] = []
    for token in tokens:
        if token == "%" and joined:
            joined[-1] += "%"
        else:
            joined.append(token)
    return joined


def _looks_like_gtin(token: str) -> bool:
    """A code of 12 or more characters, nearly all digits: the GTIN column, however OCR read it."""
    digits = sum(c.isdigit() for c in token)
    return len(token) >= 12 and digits >= len(token) - 2


_CURRENCY_WORDS = frozenset({"eur", "€", "gbp", "£", "usd", "$", "chf"})


MAX_CLOSING_FIGURES = 3
MAX_UNIT_LETTERS = 6
_POSITION_MAX_LENGTH = 3
_SPLIT_ITEM_NUMBER_RE = re.compile(r"^[A-Za-z]{2,}-[\dIl|!}\]]{0,2}$")
_ONE_LOOKALIKES = str.maketrans("Il|!}]", "111111")
_THOUSANDTHS_RE = re.compile(r"^(\d+)[.,](\d{3})$")


def _closing_row(line: Line, decimal_mark: str) -> TableLine | None:
    """A row of a table whose header OCR could not read, all its columns on one line: 'pos,
    description, item number, GTIN, quantity, unit, price, total' ('20 Vis à tête 6x20 mm
    ODS-11623 3764326707483 5,000 carton 5,58 27,90'). The figures are those at the end of the
    line, kept only when they close (quantity × price = total, after the repair of one misread
    figure); the description is the text before the item number (or after it, when the line
    starts with it), without the position number and the GTIN. Only OCR'd lines: it is the
    reading of a table whose header was lost, and it takes two figures for price and total,
    which a typed 'quantity price' line is not."""
    if not line.words or line.words[0].ocr_confidence is None:
        return None
    tokens = _joined_percent_signs(
        [w.text for w in line.words if w.text.lower() not in _CURRENCY_WORDS]
    )
    figures: list[str] = []
    unit: str | None = None
    unit_seen = False
    end = len(tokens)
    while end > 0 and len(figures) < MAX_CLOSING_FIGURES:
        token = tokens[end - 1]
        if _looks_like_gtin(token):
            break
        if _ocr_amount(token, decimal_mark) is not None:
            figures.insert(0, token)
        elif not unit_seen and figures and (unit := parse_unit(token)) is not None:
            unit_seen = True
        elif not unit_seen and len(figures) == 2 and _misread_unit(tokens, end - 1, decimal_mark):
            unit_seen = True  # a unit OCR misread ('butte'), before the quantity: passed over
        elif not _VAT_RATE_RE.match(token):
            break
        end -= 1
    if len(figures) < 2 or not _CENTS_RE.search(figures[-1].rstrip(".")):
        return None
    text = _row_text(tokens[:end])
    if text is None:
        return None
    sku, description = text
    readings = _closing_figures(figures, decimal_mark)
    exact = [r for r in readings if abs(r[0] * r[1] - r[2]) <= _CENT]
    for quantity, price, total in exact or readings:
        row = _free_row(line, sku, description, quantity, unit, price, total)
        if _nearly_closes(row):
            return row
    return None


def _nearly_closes(row: TableLine) -> bool:
    """The row's arithmetic closes, after the repair of one misread figure where only one
    repair closes it, or with two possible repairs, which the order's subtotal may choose
    between (extraction/subtotal_line_repair.py)."""
    if not row.arithmetic_ok:
        repair_ocr_figures(row)
    return row.arithmetic_ok or bool(figure_repairs(row))


def _closing_figures(
    figures: list[str], decimal_mark: str
) -> list[tuple[Decimal, Decimal, Decimal]]:
    """The readings (quantity, price, total) of a row's last figures: a quantity printed with
    three decimals reads either way ('3.000' for 3,000 in a table of decimal commas), and with
    three figures, the quantity may be one OCR made a word of."""
    values = [v for t in figures if (v := _ocr_amount(t, decimal_mark)) is not None]
    price, total = values[-2], values[-1]
    readings: list[tuple[Decimal, Decimal, Decimal]] = []
    if len(values) == MAX_CLOSING_FIGURES:
        readings.append((values[0], price, total))
        if thousandths := _THOUSANDTHS_RE.match(figures[0].rstrip(".")):
            whole = Decimal(f"{thousandths[1]}.{thousandths[2]}")
            if whole != values[0]:
                readings.append((whole, price, total))
    return readings + _figure_triples([price, total])


def _row_text(tokens: list[str]) -> tuple[str | None, str] | None:
    """The item number and the description of a row's text; None when no words are left."""
    words = list(tokens)
    while words and not any(c.isalnum() for c in words[0]):
        words.pop(0)
    if len(words) > 1 and _is_position(words[0]):
        words.pop(0)
    words = [w for w in _joined_item_numbers(words) if not _looks_like_gtin(w)]
    numbers = [i for i, w in enumerate(words) if _is_item_number(w.replace("$", "5"))]
    if not numbers:
        return (None, " ".join(words)) if _reads_as_description(words) else None
    # a model code of the description ('H07V-U') may come before the item number
    at = 0 if numbers[0] == 0 else numbers[-1]
    description = words[at + 1 :] if at == 0 else words[:at]
    sku = words[at].replace("$", "5")
    return (sku, " ".join(description)) if _reads_as_description(description) else None


def _reads_as_description(words: list[str]) -> bool:
    """Two words or more, one of them a real word: not the unit and the noise OCR made of a
    figures row ('rouleuu', 'I ds')."""
    lettered = [w for w in words if sum(c.isalpha() for c in w) >= 2]
    return len(lettered) >= 2 and any(sum(c.isalpha() for c in w) >= 4 for w in lettered)


def _misread_unit(tokens: list[str], at: int, decimal_mark: str) -> bool:
    """A short word between a number and the price: the quantity's unit, misread."""
    word = tokens[at]
    return (
        at > 0
        and word.isalpha()
        and len(word) <= MAX_UNIT_LETTERS
        and parse_amount(tokens[at - 1], decimal_mark=decimal_mark) is not None
    )


_POSITION_LOOKALIKES = frozenset("0123456789OoSsIlB$")


def _is_position(word: str) -> bool:
    """A row's position number as OCR read it ('10', 's0', 'SO' for 80)."""
    return len(word) <= _POSITION_MAX_LENGTH and all(c in _POSITION_LOOKALIKES for c in word)


def _joined_item_numbers(words: list[str]) -> list[str]:
    """An item number OCR split after its first digit ('ODS-1 1499', 'ODS-} 1623') joined
    again, a '1' OCR read as a bracket or a bar put back."""
    joined: list[str] = []
    for word in words:
        if joined and _SPLIT_ITEM_NUMBER_RE.match(joined[-1]) and word.isdigit():
            joined[-1] = joined[-1].translate(_ONE_LOOKALIKES) + word
        else:
            joined.append(word)
    return joined


MAX_CONTINUATION_GAP = 0.6
"""A description's next row lies at most this many line heights under the row before."""


def _continues(row: TableLine, line: Line) -> bool:
    """A line of text only, set just under a row read without header and starting where that
    row's description starts: the rest of its description."""
    if row.from_header_table or not row.description or not line.words:
        return False
    if any(any(c.isdigit() for c in w.text) and _CENTS_RE.search(w.text) for w in line.words):
        return False  # a row of figures
    last = row.words[-1]
    bottom = max(w.y1 for w in row.words)
    height = max(bottom - min(w.y0 for w in row.words), last.y1 - last.y0)
    gap = line.bbox[1] - bottom
    if line.page != row.page or not 0 <= gap <= MAX_CONTINUATION_GAP * height:
        return False
    first = row.description.split()[0]
    start = next((w for w in row.words if w.text == first), None)
    width = (last.x1 - last.x0) / max(len(last.text), 1)
    return start is not None and abs(line.words[0].x0 - start.x0) <= 2 * width


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
    """A row of a table typed without header: 'Wellrohr Ø 20 mm    25    1,26 EUR    31,50';
    the quantity's unit may stand in a column of its own ('12 | Stück'), and the item number
    after the description ('Toner blau | ODS-11588 | 12 ...'). OCR'd figures that do not close
    get the repair of one misread figure (repair_ocr_figures)."""
    texts = [" ".join(w.text for w in line.segment_words(i)) for i in range(len(line.segments))]
    numbers: list[tuple[Decimal, str | None]] = []
    while texts and len(numbers) < 3:
        if (n := _segment_number(texts[-1], decimal_mark)) is not None:
            numbers.insert(0, n)
            texts.pop()
        elif (
            len(texts) > 1
            and (unit := parse_unit(texts[-1])) is not None
            and (n := _segment_number(texts[-2], decimal_mark)) is not None
            and n[1] is None
        ):
            numbers.insert(0, (n[0], unit))
            del texts[-2:]
        elif len(numbers) == 2 and (quantity := _counted(texts[-1], decimal_mark)) is not None:
            numbers.insert(0, (quantity, None))  # a unit OCR misread: the arithmetic decides
            texts.pop()
        else:
            break
    if len(numbers) < 2 or not texts:
        return None
    if len(numbers) == 3:
        (quantity, unit), (price, _), (total, _) = numbers
    else:
        (quantity, unit), (price, _) = numbers
        total = None
    if len(texts) > 1 and texts[0].isdigit():
        texts.pop(0)
    sku = next((t for t in texts if " " not in t and _is_item_number(t)), None)
    if sku is not None:
        texts.remove(sku)
    description = " ".join(texts).strip() or None
    if description is None and sku is None:
        return None
    row = _free_row(line, sku, description, quantity, unit, price, total)
    if not row.arithmetic_ok and row.ocr_confidence is not None:
        repair_ocr_figures(row)
    return row if row.arithmetic_ok else None


def _counted(text: str, decimal_mark: str) -> Decimal | None:
    """'12 Stick' (Stück as OCR read it) → 12: a number and one word that is not a known unit."""
    tokens = text.split()
    if len(tokens) != 2 or not tokens[1].isalpha():
        return None
    return parse_amount(tokens[0], decimal_mark=decimal_mark)


def _is_item_number(text: str) -> bool:
    """'ODS-11588', 'A-778'; not a size ('4x50') or a plain number, which descriptions print."""
    return bool(SKU_RE.match(text)) and any(c.isalpha() for c in text) and "-" in text


_BULLETS = frozenset({"-", "–", "•", "*", "·", "o"})
_TIMES = frozenset({"x", "×", "*"})
_PRICE_MARKERS = frozenset({"à", "a", "at", "@", "zu", "je", "for", "per", "par", "pour"})
_PARENTHESISED_RE = re.compile(r"^\(([^()]+)\)$")


def _listed_line(line: Line, decimal_mark: str) -> TableLine | None:
    """An item typed as a sentence: '- 50 x ODS-11693 Aderleitung 2,5 mm² à 1,06 EUR',
    '50 u Cartouche toner noir (ODS-10950) à 30,67 EUR', '4 rl x ODS-1 Tape at 1.23 EUR = 4.92'."""
    tokens = [w.text for w in line.words]
    if tokens and tokens[0] in _BULLETS:
        tokens = tokens[1:]
    if len(tokens) < 4 or (quantity := parse_amount(tokens[0], decimal_mark=decimal_mark)) is None:
        return None
    at = 1
    unit: str | None = None
    if tokens[at].lower() not in _TIMES and (unit := parse_unit(tokens[at])) is not None:
        at += 1
    if at < len(tokens) and tokens[at].lower() in _TIMES:
        at += 1
    marker = next(
        (i for i in range(len(tokens) - 2, at, -1) if tokens[i].lower() in _PRICE_MARKERS), None
    )
    if marker is None:
        return None
    figures = _price_and_total(tokens[marker + 1 :], decimal_mark)
    if figures is None:
        return None
    middle = tokens[at:marker]
    sku: str | None = None
    if middle and (inner := _PARENTHESISED_RE.match(middle[-1])) and SKU_RE.match(inner[1]):
        sku, middle = inner[1], middle[:-1]
    elif len(middle) > 1 and SKU_RE.match(middle[0]) and not middle[0].replace(",", "").isdigit():
        sku, middle = middle[0], middle[1:]
    if not middle:
        return None
    price, total = figures
    row = _free_row(line, sku, " ".join(middle), quantity, unit, price, total)
    return row


def _price_and_total(tokens: list[str], decimal_mark: str) -> tuple[Decimal, Decimal | None] | None:
    """'1,06 EUR' → (1.06, None); '1.23 EUR = 4.92 EUR' → (1.23, 4.92); anything else → None."""
    rest = [t for t in tokens if t.lower() not in _CURRENCY_WORDS]
    if not rest or (price := parse_amount(rest[0], decimal_mark=decimal_mark)) is None:
        return None
    if len(rest) == 1:
        return price, None
    if len(rest) == 3 and rest[1] in {"=", "→", ":"}:
        total = parse_amount(rest[2], decimal_mark=decimal_mark)
        return (price, total) if total is not None else None
    return None


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
        elif sku is None and SKU_RE.match(tok) and (any(c.isalpha() for c in tok) or "-" in tok):
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
    unit: str | None = None
    if description:
        first = description.split()[0]
        if (unit := parse_unit(first)) is not None:
            description = description[len(first) :].strip() or None
    row = _free_row(line, sku, description, quantity, unit, price, total)
    ocr = line.words[0].ocr_confidence is not None
    return row if not ocr or (row.total_printed and _nearly_closes(row)) else None


def _free_row(
    line: Line,
    sku: str | None,
    description: str | None,
    quantity: Decimal,
    unit: str | None,
    price: Decimal,
    total: Decimal | None,
) -> TableLine:
    """A line item read off one line, its missing total computed."""
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
    # '7250 × 1,49 = 10,80' on a fax is a quantity that lost its mark, not a price per 1000
    settle_arithmetic(row, Decimal(1), price_units=row.ocr_confidence is None)
    return row
