"""Layout memory: what one validated document teaches about the next one of the same layout.

A customer sends the same layout again and again with changing values. When an agent validates
one, we remember, per header field, which static words led to the value (a label on the same
line, a heading above, or the words just before it), where the value sat relative to them, and
what kind of value it was; plus whether the table model read the lines right. The next document
of that sender whose fingerprint (its static words and their rough positions) agrees is read
with this memory as strong evidence, with no retraining.

Poisoning: every field keeps its last few observations. The observation a field follows is the
one most validated documents agree on; a single disagreeing document cannot flip a layout that
two documents agreed on, and a tie (one document against one) lowers the confidence below any
auto-approval threshold so that an agent looks again.

Pure: pages, candidates and plain values in, values out; persistence lives in
models/layout_memory_store.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar

from rapidfuzz import fuzz

from extraction.candidates import Candidate
from extraction.checks import line_arithmetic_ok
from extraction.layout import DocumentLayout, Line, union_bbox
from extraction.layout_inference import (
    inferred_fields,
    page_ref,
    right_after,
    within,
)
from extraction.lexicon import LabelHit, fold_token, own_label_classes
from extraction.normalize import normalize_identifier, normalize_text, values_equal
from extraction.pages import BBox
from extraction.result import (
    HEADER_FIELDS,
    DocumentType,
    ExtractedField,
    ExtractedLine,
    Extraction,
)
from extraction.scoring import FIELD_KINDS

__all__ = [
    "Anchor",
    "FieldMemory",
    "FieldObservation",
    "LayoutMemory",
    "apply_layout_memory",
    "best_memory",
    "fingerprint_similarity",
    "layout_fingerprint",
    "learn_layout",
]

MAX_OBSERVATIONS = 5
"""Validated documents remembered per field (newest last)."""
MIN_SIMILARITY = 0.3
"""Fingerprint similarity from which two documents are taken for the same layout."""
CONFIDENCE_SINGLE = 0.999
"""One validated document says so, and none disagrees. `ordino eval --learning` measures the
precision of the fields the memory decides (memory_field_precision) that backs this."""
CONFIDENCE_AGREED = 0.9995
"""At least two validated documents agree."""
CONFIDENCE_CONTESTED = 0.5
"""As many documents disagree as agree: below every threshold, an agent decides."""
LINE_CONFIDENCE = 0.999
"""A line of a layout whose table the model read right, when its arithmetic closes and its
product is known (the sum check still guards against a missed row)."""

_OFFSET_TOLERANCE = 0.02
_ANCHOR_X_TOLERANCE = 0.06
_VALUE_X_TOLERANCE = 0.03
_CONTEXT_WEIGHT = 0.2
"""Page fractions of distance one wholly different line context weighs, when the anchor's
words occur on several lines."""
_LINES_ABOVE = 4
_DESCRIPTION_MIN_RATIO = 95.0
"""As the evaluation compares descriptions (training/truth_match.py)."""
_FINGERPRINT_COLUMNS = 12
_FINGERPRINT_ROWS = 30
_CONSTANT_FIELDS = frozenset({"currency", "ship_to_country", "customer_name", "customer_vat_id"})
"""Fields whose value, when shown without being printed, is the sender's own and stays."""
_SENDER_FIELDS = frozenset({"customer_name", "customer_vat_id"})
"""The sender's identity: the same on all its orders, wherever a layout prints it."""

Relation = Literal["same_line", "below", "page"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Anchor:
    """The static words that led to a value, where they were printed."""

    words: tuple[str, ...]
    """Folded tokens; empty for a position on the page alone."""
    page: int
    """1-based; -1 for the last page (totals move to the last page of longer orders)."""
    bbox: BBox
    relation: Relation
    context: frozenset[str] = frozenset()
    """The static words of the anchor's whole line: tells 'Total' from 'Total excl. VAT'."""


@dataclass(frozen=True, slots=True)
class FieldObservation:
    """What one validated document showed for one field."""

    absent: bool = False
    constant: str | None = None
    """The value, when it was shown without being printed anywhere on the page."""
    kind: str | None = None
    anchor: Anchor | None = None
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    """Value x0 and x1 minus the anchor's x0, and value y0 minus the anchor's y0."""
    words: int = 0
    from_sender: bool = False
    """The value was the sender's own e-mail address (the message's From)."""
    labels: frozenset[str] = frozenset()
    """The field's own labels the document printed (a 'ship_to' heading for a ship-to field)."""
    value: str | None = None
    """The validated value, kept for the sender's identity (_SENDER_FIELDS)."""
    adjacent: bool = False
    """The value directly followed its anchor on the line ('Devise: EUR'): in a key-value list
    the value column moves with the longest label printed, the pairing does not."""

    def agrees_with(self, other: FieldObservation) -> bool:
        if self.absent or other.absent:
            return self.absent and other.absent
        if self.from_sender or other.from_sender:
            return self.from_sender and other.from_sender
        if self.constant is not None or other.constant is not None:
            return self.constant == other.constant
        if self.anchor is None or other.anchor is None:
            return False
        if (self.kind, self.anchor.words, self.anchor.relation) != (
            other.kind,
            other.anchor.words,
            other.anchor.relation,
        ):
            return False
        if self.adjacent and other.adjacent:
            return within(self.anchor.bbox[0], other.anchor.bbox[0], _ANCHOR_X_TOLERANCE)
        (dx0, dx1, dy), (ox0, ox1, oy) = self.offset, other.offset
        return (
            within(self.anchor.bbox[0], other.anchor.bbox[0], _ANCHOR_X_TOLERANCE)
            and (within(dx0, ox0, _OFFSET_TOLERANCE) or within(dx1, ox1, _OFFSET_TOLERANCE))
            and within(dy, oy, _OFFSET_TOLERANCE)
        )


@dataclass(frozen=True, slots=True)
class FieldMemory:
    observations: tuple[FieldObservation, ...] = ()

    def observe(self, observation: FieldObservation) -> FieldMemory:
        return FieldMemory((*self.observations, observation)[-MAX_OBSERVATIONS:])

    def settled(self) -> list[tuple[FieldObservation, float]]:
        """What the documents agree on, with the confidence it earns, most telling first:
        where the value was printed, then the value shown without being printed there (a constant,
        the sender's address), then absence.

        The three do not vote against each other: an optional field (a delivery date, a ship-to
        block) comes and goes in one layout, and a ship-to country is printed on some orders and
        only implied on others. Within one kind, ties lower the confidence (see _settle)."""
        printed = [o for o in self.observations if o.anchor is not None]
        constant = [o for o in self.observations if o.constant is not None or o.from_sender]
        absent = [o for o in self.observations if o.absent]
        options = (printed, constant) if printed or constant else (absent,)
        settled = (_settle(group, FieldObservation.agrees_with) for group in options)
        return [s for s in settled if s is not None]


@dataclass(frozen=True)
class LayoutMemory:
    """One sender's layout, as its validated documents taught it."""

    fingerprint: frozenset[str]
    sender: str | None = None
    fields: Mapping[str, FieldMemory] = field(default_factory=dict)
    customer_ids: tuple[str | None, ...] = ()
    document_types: tuple[DocumentType, ...] = ()
    table_read_right: tuple[bool, ...] = ()
    """Per validated document (newest last): did the table model read every line right?"""
    documents: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": sorted(self.fingerprint),
            "sender": self.sender,
            "fields": {
                name: [_observation_json(o) for o in memory.observations]
                for name, memory in self.fields.items()
            },
            "customer_ids": list(self.customer_ids),
            "document_types": list(self.document_types),
            "table_read_right": list(self.table_read_right),
            "documents": self.documents,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LayoutMemory:
        return cls(
            fingerprint=frozenset(data["fingerprint"]),
            sender=data.get("sender"),
            fields={
                name: FieldMemory(tuple(_observation_from_json(o) for o in observations))
                for name, observations in data.get("fields", {}).items()
            },
            customer_ids=tuple(data.get("customer_ids", ())),
            document_types=tuple(data.get("document_types", ())),
            table_read_right=tuple(bool(v) for v in data.get("table_read_right", ())),
            documents=int(data.get("documents", 0)),
        )


# ---- fingerprint ----------------------------------------------------------------------------


def layout_fingerprint(layout: DocumentLayout) -> frozenset[str]:
    """The first page's words without digits, each with its cell on a coarse grid.

    Values (numbers, dates, amounts, references) carry digits and drop out; labels, headings and
    the sender's own name and address stay, so two orders of one layout share most of it.
    """
    cells: set[str] = set()
    for line in layout.lines:
        if line.page != layout.pages[0].number or _is_figures_row(line):
            continue
        for word in line.words:
            token = fold_token(word.text)
            if len(token) < 2 or any(c.isdigit() for c in token):
                continue
            column = int(word.x0 * _FINGERPRINT_COLUMNS)
            row = int(word.y0 * _FINGERPRINT_ROWS)
            cells.add(f"{token}@{column},{row}")
    return frozenset(cells)


def _is_figures_row(line: Line) -> bool:
    """A table row (quantity, prices): its description words change from order to order."""
    return sum(any(c.isdigit() for c in w.text) for w in line.words) >= 3


def fingerprint_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller fingerprint's words found in the other at the same or a
    neighbouring cell (0: nothing shared, 1: all of it). A longer order only adds words, and an
    optional block (a ship-to address, a delivery note) pushes everything below it down a few
    rows: a word counts as found where it was, or where the rest of the page moved by one
    common shift. Hence containment with slack rather than Jaccard."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not small:
        return 0.0
    entries = [_cell(entry) for entry in small]
    in_place = [_found(token, column, row, large) for token, column, row in entries]
    best = 0
    for shift in range(-_MAX_ROW_SHIFT, _MAX_ROW_SHIFT + 1):
        found = sum(
            here or _found(token, column, row + shift, large)
            for here, (token, column, row) in zip(in_place, entries, strict=True)
        )
        best = max(best, found)
    return best / len(small)


_MAX_ROW_SHIFT = 4
"""Rows of the fingerprint grid (1/30 of the page each) an optional block may push the rest."""


def _cell(entry: str) -> tuple[str, int, int]:
    token, cell = entry.rsplit("@", 1)
    column, row = (int(v) for v in cell.split(","))
    return token, column, row


def _found(token: str, column: int, row: int, fingerprint: frozenset[str]) -> bool:
    return any(
        f"{token}@{column + dc},{row + dr}" in fingerprint for dc in (-1, 0, 1) for dr in (-1, 0, 1)
    )


def best_memory(
    memories: Sequence[LayoutMemory], fingerprint: frozenset[str]
) -> LayoutMemory | None:
    """The sender's memory of this layout: the most similar one, if similar enough."""
    scored = [(fingerprint_similarity(m.fingerprint, fingerprint), m) for m in memories]
    scored = [(s, m) for s, m in scored if s >= MIN_SIMILARITY]
    return max(scored, key=lambda sm: sm[0])[1] if scored else None


# ---- learning -------------------------------------------------------------------------------


def learn_layout(
    memory: LayoutMemory | None,
    *,
    layout: DocumentLayout,
    hits: Sequence[LabelHit],
    candidates: Sequence[Candidate],
    validated: Extraction,
    model_lines: Sequence[ExtractedLine],
    sender: str | None,
) -> LayoutMemory:
    """The memory after one more validated document of its layout.

    `validated` is the document as the agent approved it; `model_lines` are the lines the table
    model read before review (were they right?).
    """
    if memory is None:
        memory = LayoutMemory(fingerprint=layout_fingerprint(layout), sender=sender)
    hits_by_line: dict[int, list[LabelHit]] = {}
    for hit in hits:
        hits_by_line.setdefault(hit.line, []).append(hit)
    fields = dict(memory.fields)
    for name in HEADER_FIELDS:
        found = validated.fields.get(name)
        observation = _observe_field(
            name,
            found,
            layout=layout,
            hits_by_line=hits_by_line,
            candidates=candidates,
            sender=sender,
        )
        if observation is not None:
            own = own_label_classes(name) & {h.label for h in hits}
            observation = replace(observation, labels=own)
            fields[name] = fields.get(name, FieldMemory()).observe(observation)
    return replace(
        memory,
        fingerprint=layout_fingerprint(layout),
        sender=sender if sender is not None else memory.sender,
        fields=fields,
        customer_ids=(*memory.customer_ids, validated.customer_id)[-MAX_OBSERVATIONS:],
        document_types=(*memory.document_types, validated.document_type)[-MAX_OBSERVATIONS:],
        table_read_right=(
            *memory.table_read_right,
            _same_lines(model_lines, validated.lines),
        )[-MAX_OBSERVATIONS:],
        documents=memory.documents + 1,
    )


def _observe_field(
    name: str,
    found: ExtractedField | None,
    *,
    layout: DocumentLayout,
    hits_by_line: Mapping[int, list[LabelHit]],
    candidates: Sequence[Candidate],
    sender: str | None,
) -> FieldObservation | None:
    value = found.value if found is not None else None
    if value is None:
        return FieldObservation(absent=True)
    kinds = FIELD_KINDS[name]
    matching = [c for c in candidates if c.kind in kinds and values_equal(name, c.value, value)]
    if not matching and name == "contact_email" and sender and value == sender.lower():
        return FieldObservation(from_sender=True)
    if not matching:
        return FieldObservation(constant=value) if name in _CONSTANT_FIELDS else None
    overlapping = _printed_where_validated(matching, found)
    chosen = _labelled_first(overlapping or matching, hits_by_line)
    anchor = _anchor_for(chosen, layout=layout, hits_by_line=hits_by_line)
    x0, y0, x1, _ = chosen.bbox
    return FieldObservation(
        kind=chosen.kind,
        anchor=anchor,
        offset=(x0 - anchor.bbox[0], x1 - anchor.bbox[0], y0 - anchor.bbox[1]),
        words=chosen.end - chosen.start,
        value=value if name in _SENDER_FIELDS else None,
        adjacent=anchor.relation == "same_line" and _directly_after(anchor, chosen, layout),
    )


def _directly_after(anchor: Anchor, candidate: Candidate, layout: DocumentLayout) -> bool:
    """No word between the anchor's last word and the value (or the value carries it)."""
    words = layout.lines[candidate.line].words
    before = words[candidate.start - 1] if candidate.start > 0 else None
    carried = words[candidate.start].x0 == anchor.bbox[0] and candidate.kind == "terms"
    return carried or (before is not None and abs(before.x1 - anchor.bbox[2]) < 1e-6)


def _printed_where_validated(
    matching: Sequence[Candidate], found: ExtractedField | None
) -> list[Candidate]:
    """The candidates where the agent saw the value ('Net 60' and 'Payment Net 60' both)."""
    if found is None or found.bbox is None:
        return []
    return [c for c in matching if c.page == found.page and _overlap(c.bbox, found.bbox)]


def _labelled_first(
    matching: Sequence[Candidate], hits_by_line: Mapping[int, list[LabelHit]]
) -> Candidate:
    for candidate in matching:
        if any(h.end <= candidate.start for h in hits_by_line.get(candidate.line, ())):
            return candidate
    return matching[0]


def _anchor_for(
    candidate: Candidate, *, layout: DocumentLayout, hits_by_line: Mapping[int, list[LabelHit]]
) -> Anchor:
    """A label left on the line; else a label heading a few lines above; else the plain words
    just before the value or above it; else the value's place on the page."""
    line = layout.lines[candidate.line]
    page = page_ref(candidate.page, layout)
    for hit in hits_by_line.get(line.index, ()):
        if right_after(candidate, hit.start, hit.end) and hit.start == candidate.start:
            return _anchor(line, hit.start, hit.end, page, "same_line")
    left = [h for h in hits_by_line.get(line.index, ()) if h.end <= candidate.start]
    if left:
        hit = max(left, key=lambda h: h.end)
        return _anchor(line, hit.start, hit.end, page, "same_line")
    above = _lines_above(layout, line)
    for upper in above:
        for hit in hits_by_line.get(upper.index, ()):
            if _spans_overlap(union_bbox(upper.words[hit.start : hit.end]), candidate.bbox):
                return _anchor(upper, hit.start, hit.end, page, "below")
    start = candidate.start
    while start > 0 and _is_static(line.words[start - 1].text) and candidate.start - start < 3:
        start -= 1
    if start < candidate.start:
        return _anchor(line, start, candidate.start, page, "same_line")
    for upper in above:
        static = [
            i
            for i, w in enumerate(upper.words)
            if _is_static(w.text) and _spans_overlap(w.bbox, candidate.bbox)
        ]
        if static:
            return _anchor(upper, static[0], min(static[0] + 3, static[-1] + 1), page, "below")
    return Anchor(words=(), page=page, bbox=candidate.bbox, relation="page")


def _anchor(line: Line, start: int, end: int, page: int, relation: Relation) -> Anchor:
    words = line.words[start:end]
    return Anchor(
        words=tuple(fold_token(w.text) for w in words),
        page=page,
        bbox=union_bbox(words),
        relation=relation,
        context=_static_words(line),
    )


def _static_words(line: Line) -> frozenset[str]:
    return frozenset(fold_token(w.text) for w in line.words if _is_static(w.text))


def _lines_above(layout: DocumentLayout, line: Line) -> list[Line]:
    """Up to a few lines above on the same page, nearest first."""
    out = []
    for index in range(line.index - 1, max(line.index - 1 - _LINES_ABOVE, -1), -1):
        upper = layout.lines[index]
        if upper.page != line.page:
            break
        out.append(upper)
    return out


def _same_lines(model: Sequence[ExtractedLine], validated: Sequence[ExtractedLine]) -> bool:
    """Did the table model read the lines the agent approved (product matches aside)?"""
    if len(model) != len(validated) or not validated:
        return False
    return all(_same_line(m, v) for m, v in zip(model, validated, strict=True))


def _same_line(model: ExtractedLine, validated: ExtractedLine) -> bool:
    for key in ("quantity", "unit_price", "line_total"):
        if _decimal(getattr(model, key)) != _decimal(getattr(validated, key)):
            return False
    if normalize_identifier(model.sku or "") != normalize_identifier(validated.sku or ""):
        return False
    a, b = normalize_text(model.description or ""), normalize_text(validated.description or "")
    return a == b or fuzz.ratio(a, b) >= _DESCRIPTION_MIN_RATIO


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


# ---- using the memory -----------------------------------------------------------------------


def apply_layout_memory(
    extraction: Extraction,
    memory: LayoutMemory,
    *,
    layout: DocumentLayout,
    hits: Sequence[LabelHit],
    candidates: Sequence[Candidate],
    sender_email: str | None = None,
) -> Extraction:
    """The extraction with the fields the memory locates set from it (method "layout_memory")
    and the confidences its agreement earns; the caller decides afterwards."""
    fields = dict(extraction.fields)
    labels = {h.label for h in hits}
    kinds: set[str] = {c.kind for c in candidates}
    for name, field_memory in memory.fields.items():
        if name not in fields:
            continue
        for observation, confidence in field_memory.settled():
            if not _holds_here(name, observation, labels=labels, kinds=kinds):
                current = fields[name]
                if _block_gone(observation, current, labels=labels):
                    model_confidence = current.confidence if current is not None else 0.0
                    fields[name] = ExtractedField(
                        value=None,
                        confidence=max(confidence, model_confidence),
                        method="layout_memory",
                    )
                    break
                continue
            remembered = _remembered_field(
                name,
                fields[name],
                observation,
                confidence,
                layout=layout,
                candidates=candidates,
                sender_email=sender_email,
            )
            if remembered is not None:
                fields[name] = remembered
                break
    fields.update(inferred_fields(memory, fields, layout=layout, hits=hits, candidates=candidates))
    customer_id = extraction.customer_id
    settled_customer = _settle(memory.customer_ids, lambda a, b: a == b)
    if settled_customer is not None and settled_customer[0] is not None:
        remembered_id, confidence = settled_customer
        if customer_id is None or confidence >= CONFIDENCE_AGREED:
            customer_id = remembered_id
    document_type, type_confidence = extraction.document_type, extraction.document_type_confidence
    settled_type = _settle(memory.document_types, lambda a, b: a == b)
    if settled_type is not None:
        remembered_type, confidence = settled_type
        if remembered_type == document_type:
            type_confidence = max(type_confidence, confidence)
        elif confidence > type_confidence:
            document_type, type_confidence = remembered_type, confidence
    lines = extraction.lines
    table = _settle(memory.table_read_right, lambda a, b: a == b)
    if table is not None and table[0] and table[1] >= CONFIDENCE_SINGLE:
        lines = [
            line.model_copy(update={"confidence": max(line.confidence, LINE_CONFIDENCE)})
            if line.product_sku is not None and line_arithmetic_ok(line)
            else line
            for line in lines
        ]
    return extraction.model_copy(
        update={
            "fields": fields,
            "customer_id": customer_id,
            "document_type": document_type,
            "document_type_confidence": type_confidence,
            "lines": lines,
        }
    )


def _holds_here(
    name: str, observation: FieldObservation, *, labels: set[str], kinds: set[str]
) -> bool:
    """Optional blocks come and go within a layout. A remembered absence does not hold where
    the document prints the field's label (or, for payment terms, a terms phrase); a remembered
    place does not hold where the label it came with is missing this time."""
    own = {label for label in labels if name.startswith(label)}
    if observation.absent:
        return not own and not (name == "payment_terms_days" and "terms" in kinds)
    return observation.labels <= own


def _block_gone(
    observation: FieldObservation, current: ExtractedField | None, *, labels: set[str]
) -> bool:
    """The heading or label that led to the value is not printed this time and the model finds
    no value either: the optional block was left out (an order without a ship-to block)."""
    return (
        observation.anchor is not None
        and bool(observation.labels)
        and not observation.labels & labels
        and (current is None or current.value is None)
    )


def _remembered_field(
    name: str,
    current: ExtractedField | None,
    observation: FieldObservation,
    confidence: float,
    *,
    layout: DocumentLayout,
    candidates: Sequence[Candidate],
    sender_email: str | None,
) -> ExtractedField | None:
    """The field as the memory reads it, or None to leave the model's choice alone."""
    current_value = current.value if current is not None else None
    if observation.from_sender:
        if not sender_email or (current is not None and current.bbox is not None):
            return None
        return ExtractedField(
            value=sender_email.lower(), confidence=confidence, method="layout_memory"
        )
    model_confidence = current.confidence if current is not None else 0.0
    if observation.absent:
        if current_value is not None:
            return None  # a value printed this time: an optional field, the model decides
        return ExtractedField(
            value=None, confidence=max(confidence, model_confidence), method="layout_memory"
        )
    if observation.constant is not None:
        if current_value is None or (current is not None and current.bbox is not None):
            return None  # not shown, or printed this time: the model's reading wins
        if values_equal(name, current_value, observation.constant):
            confidence = max(confidence, model_confidence)
        return ExtractedField(
            value=observation.constant, confidence=confidence, method="layout_memory"
        )
    located = _locate(observation, layout=layout, candidates=candidates)
    remembered = observation.value
    if (
        located is not None
        and remembered is not None
        and not values_equal(name, located.value, remembered)
    ):
        # the sender's own value, printed elsewhere this time (a signature a line longer)
        located = next(
            (
                c
                for c in candidates
                if c.kind == observation.kind and values_equal(name, c.value, remembered)
            ),
            None,
        )
    if located is None:
        return None
    if current is not None and values_equal(name, current.value, located.value):
        confidence = max(confidence, current.confidence)
    return ExtractedField(
        value=located.value,
        confidence=confidence,
        page=located.page,
        bbox=tuple(round(c, 4) for c in located.bbox),  # type: ignore[arg-type]
        raw=located.raw,
        method="layout_memory",
    )


def _locate(
    observation: FieldObservation, *, layout: DocumentLayout, candidates: Sequence[Candidate]
) -> Candidate | None:
    anchor = observation.anchor
    if anchor is None:
        return None
    last = layout.pages[-1].number
    pages = [last] if anchor.page == -1 else list(dict.fromkeys((anchor.page, last)))
    if anchor.relation == "page":
        pages = pages[:1]
    for page in pages:
        found = _locate_on_page(observation, anchor, page, layout=layout, candidates=candidates)
        if found is not None:
            return found
    return None


def _locate_on_page(
    observation: FieldObservation,
    anchor: Anchor,
    page: int,
    *,
    layout: DocumentLayout,
    candidates: Sequence[Candidate],
) -> Candidate | None:
    """On a page remembered as the first one, and then on the last (a longer order carries its
    totals over to its last page)."""
    if anchor.relation == "page":
        origin: tuple[float, float, float] = (anchor.bbox[0], anchor.bbox[1], 0.0)
        anchor_line: Line | None = None
        anchor_end = 0
    else:
        found = _find_anchor(anchor, page, layout)
        if found is None:
            return None
        anchor_line, anchor_box, anchor_end = found
        origin = (anchor_box[0], anchor_box[1], anchor_box[3] - anchor_box[1])
    x, y, height = origin
    dx0, dx1, dy = observation.offset
    want_x0, want_x1, want_y = x + dx0, x + dx1, y + dy
    y_tolerance = max(height, anchor.bbox[3] - anchor.bbox[1]) * 0.6
    spot: list[tuple[float, float, Candidate]] = []
    for candidate in candidates:
        if candidate.kind != observation.kind or candidate.page != page:
            continue
        beside = False
        if anchor.relation == "same_line":
            assert anchor_line is not None
            if candidate.line != anchor_line.index:
                continue
            beside = right_after(candidate, anchor_end - len(anchor.words), anchor_end)
            if candidate.start < anchor_end and not beside:
                continue
        elif abs(candidate.bbox[1] - want_y) > y_tolerance:
            continue
        near = min(abs(candidate.bbox[0] - want_x0), abs(candidate.bbox[2] - want_x1))
        if observation.adjacent and beside:
            near = 0.0
        elif near > _VALUE_X_TOLERANCE:
            continue
        both = abs(candidate.bbox[0] - want_x0) + abs(candidate.bbox[2] - want_x1)
        spot.append((near, both, candidate))
    if observation.kind in {"amount", "date"}:
        spot = [s for s in spot if not any(_inside(s[2], o[2]) for o in spot)]
    if observation.kind == "text":  # a name or a street keeps about its length
        spot = [s for s in spot if abs(s[2].end - s[2].start - observation.words) <= _WORD_SLACK]
    if not spot:
        return None
    return min(spot, key=lambda s: (round(s[0] / 0.005), s[1]))[2]


_WORD_SLACK = 2


def _find_anchor(
    anchor: Anchor, page: int, layout: DocumentLayout
) -> tuple[Line, BBox, int] | None:
    """The occurrence of the anchor's words nearest to where they were (the line, its box and
    the word index after it)."""
    best: tuple[float, Line, BBox, int] | None = None
    size = len(anchor.words)
    for line in layout.lines:
        if line.page != page:
            continue
        tokens = [fold_token(w.text) for w in line.words]
        for start in range(len(tokens) - size + 1):
            if tuple(tokens[start : start + size]) != anchor.words:
                continue
            box = union_bbox(line.words[start : start + size])
            dx = abs(box[0] - anchor.bbox[0])
            if dx > _ANCHOR_X_TOLERANCE:
                continue
            distance = (
                dx
                + 0.3 * abs(box[1] - anchor.bbox[1])
                + _CONTEXT_WEIGHT * (1 - _jaccard(anchor.context, _static_words(line)))
            )
            if best is None or distance < best[0]:
                best = (distance, line, box, start + size)
    return (best[1], best[2], best[3]) if best is not None else None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _inside(inner: Candidate, outer: Candidate) -> bool:
    """`inner` is a strict part of `outer` (the '234,50' of '1 234,50')."""
    return (
        inner is not outer
        and inner.line == outer.line
        and outer.start <= inner.start
        and inner.end <= outer.end
        and (inner.start, inner.end) != (outer.start, outer.end)
    )


# ---- small helpers --------------------------------------------------------------------------


def _settle(observations: Sequence[T], agree: Callable[[T, T], bool]) -> tuple[T, float] | None:
    """The value most observations agree with (ties: the newest) and the confidence it earns."""
    if not observations:
        return None
    best: tuple[int, int, T] | None = None
    for index, observation in enumerate(observations):
        support = sum(1 for other in observations if agree(observation, other))
        if best is None or (support, index) >= (best[0], best[1]):
            best = (support, index, observation)
    assert best is not None
    support, _, chosen = best
    against = len(observations) - support
    if against >= support:
        return chosen, CONFIDENCE_CONTESTED
    return chosen, CONFIDENCE_AGREED if support >= 2 else CONFIDENCE_SINGLE


def _is_static(text: str) -> bool:
    token = fold_token(text)
    return len(token) >= 2 and token.replace("-", "").isalpha()


def _overlap(a: BBox, b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _spans_overlap(a: BBox, b: BBox, slack: float = 0.05) -> bool:
    return a[0] < b[2] + slack and b[0] < a[2] + slack


def _observation_json(o: FieldObservation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "absent": o.absent,
        "constant": o.constant,
        "kind": o.kind,
        "from_sender": o.from_sender,
        "labels": sorted(o.labels),
        "value": o.value,
        "adjacent": o.adjacent,
    }
    if o.anchor is not None:
        data["anchor"] = {
            "words": list(o.anchor.words),
            "page": o.anchor.page,
            "bbox": list(o.anchor.bbox),
            "relation": o.anchor.relation,
            "context": sorted(o.anchor.context),
        }
        data["offset"] = list(o.offset)
        data["words"] = o.words
    return data


def _observation_from_json(data: Mapping[str, Any]) -> FieldObservation:
    raw = data.get("anchor")
    anchor = (
        Anchor(
            words=tuple(raw["words"]),
            page=int(raw["page"]),
            bbox=(raw["bbox"][0], raw["bbox"][1], raw["bbox"][2], raw["bbox"][3]),
            relation=raw["relation"],
            context=frozenset(raw.get("context", ())),
        )
        if raw
        else None
    )
    offset = data.get("offset", (0.0, 0.0, 0.0))
    return FieldObservation(
        absent=bool(data.get("absent")),
        constant=data.get("constant"),
        kind=data.get("kind"),
        anchor=anchor,
        offset=(float(offset[0]), float(offset[1]), float(offset[2])),
        words=int(data.get("words", 0)),
        from_sender=bool(data.get("from_sender")),
        labels=frozenset(data.get("labels", ())),
        value=data.get("value"),
        adjacent=bool(data.get("adjacent")),
    )
