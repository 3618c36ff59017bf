"""What a layout's memory tells about fields no validated document of it printed.

A layout whose remembered fields sit right after their labels in one column prints its header
as a key-value list; one whose fields sit right under their labels prints it as a grid. A field
printed for the first time in such a layout is then the value beside (or under) its own label:
the place the list or grid gives it, not a guess among candidates. Used by
extraction/layout_memory.py when it applies a memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from extraction.candidates import Candidate
from extraction.layout import DocumentLayout
from extraction.lexicon import LabelHit, fold_token
from extraction.normalize import values_equal
from extraction.result import HEADER_FIELDS, ExtractedField
from extraction.scoring import FIELD_KINDS

if TYPE_CHECKING:
    from extraction.layout_memory import FieldObservation, LayoutMemory

CONFIDENCE_INFERRED = 0.99
"""A field no validated document printed, beside or under its own label in the layout's
key-value list or grid (see inferred_fields)."""


def inferred_fields(
    memory: LayoutMemory,
    fields: Mapping[str, ExtractedField | None],
    *,
    layout: DocumentLayout,
    hits: Sequence[LabelHit],
    candidates: Sequence[Candidate],
) -> dict[str, ExtractedField]:
    """Fields the validated documents never printed, found in the layout's key-value list or
    its grid of labels.

    When at least two remembered fields sat right after their labels in one column of labels,
    the layout prints its header as a key-value list. A field printed this time for the first
    time ('Payment: Net 30', 'Delivery date: 13.02.2025') is then the value right after its
    own label in that column: the place the list gives it, not a guess among candidates.
    Likewise, when at least two sat right under their labels, the header is a grid: a new
    field's value is the one right under its own label, in a row of labels that holds a
    remembered one (an item table's column headings hold none)."""
    columns = _label_columns(memory)
    grid = _grid_labels(memory)
    if not columns and not grid:
        return {}
    inferred: dict[str, ExtractedField] = {}
    for name in HEADER_FIELDS:
        current = fields.get(name)
        kinds = set(FIELD_KINDS[name]) - {"text", "postal", "country"}
        if not kinds or (current is not None and current.method == "layout_memory"):
            continue
        if any(o.anchor is not None for o in _observations(memory, name)):
            continue  # the memory knows where this field goes; it did not find it here
        own = [hit for hit in hits if name.startswith(hit.label)]
        found = [
            c
            for hit in own
            if _in_column(hit, layout, columns)
            for c in candidates
            if c.kind in kinds and c.line == hit.line and right_after(c, hit.start, hit.end)
        ] + [
            c
            for hit in own
            if _in_grid_row(hit, layout, grid)
            for c in candidates
            if c.kind in kinds and _right_under(c, hit, layout)
        ]
        values = {c.value for c in found}
        if len(values) != 1:
            continue
        chosen = found[0]
        model_confidence = current.confidence if current is not None else 0.0
        agrees = current is not None and values_equal(name, current.value, chosen.value)
        inferred[name] = ExtractedField(
            value=chosen.value,
            confidence=max(CONFIDENCE_INFERRED, model_confidence if agrees else 0.0),
            page=chosen.page,
            bbox=tuple(round(c, 4) for c in chosen.bbox),  # type: ignore[arg-type]
            raw=chosen.raw,
            method="layout_memory",
        )
    return inferred


def _label_columns(memory: LayoutMemory) -> list[tuple[int, float]]:
    """(page, x0) of the columns of labels that two or more remembered fields follow directly."""
    anchors = [
        o.anchor
        for field_memory in memory.fields.values()
        for o, _ in field_memory.settled()[:1]
        if o.adjacent and o.anchor is not None and o.anchor.relation == "same_line"
    ]
    columns = []
    for anchor in anchors:
        near = [
            a for a in anchors if a.page == anchor.page and within(a.bbox[0], anchor.bbox[0], 0.01)
        ]
        if len(near) >= 2:
            columns.append((anchor.page, anchor.bbox[0]))
    return columns


def _grid_labels(memory: LayoutMemory) -> list[tuple[str, ...]]:
    """The label words of the remembered fields printed right under their labels, when two or
    more are: the layout's header is then a grid of labels over values."""
    labels = [
        o.anchor.words
        for field_memory in memory.fields.values()
        for o, _ in field_memory.settled()[:1]
        if o.anchor is not None
        and o.anchor.relation == "below"
        and o.anchor.words
        and abs(o.offset[0]) < _GRID_X_TOLERANCE
        and 0 < o.offset[2] < _GRID_ROW_HEIGHT
    ]
    return labels if len(labels) >= 2 else []


def _in_grid_row(hit: LabelHit, layout: DocumentLayout, grid: list[tuple[str, ...]]) -> bool:
    """Another remembered grid label is printed on the label's line."""
    if not grid:
        return False
    tokens = [fold_token(w.text) for w in layout.lines[hit.line].words]
    outside = [*tokens[: hit.start], "|", *tokens[hit.end :]]
    return any(
        tuple(outside[i : i + len(words)]) == words
        for words in grid
        for i in range(len(outside) - len(words) + 1)
    )


def _right_under(candidate: Candidate, hit: LabelHit, layout: DocumentLayout) -> bool:
    label_line = layout.lines[hit.line]
    below = hit.line + 1
    return (
        candidate.line == below
        and below < len(layout.lines)
        and layout.lines[below].page == label_line.page
        and abs(candidate.bbox[0] - label_line.words[hit.start].x0) < _GRID_X_TOLERANCE
    )


_GRID_X_TOLERANCE = 0.01
_GRID_ROW_HEIGHT = 0.04
"""Page fractions: a value right under its label starts where the label starts, a line below."""


def _in_column(hit: LabelHit, layout: DocumentLayout, columns: list[tuple[int, float]]) -> bool:
    line = layout.lines[hit.line]
    page = page_ref(line.page, layout)
    x0 = line.words[hit.start].x0
    return any(p == page and within(x0, cx, 0.01) for p, cx in columns)


def right_after(candidate: Candidate, start: int, end: int) -> bool:
    """The value starts where the label (words [start, end) of its line) ends; a terms
    phrase may carry its label ('Payment Net 30')."""
    return candidate.start == end or (
        candidate.kind == "terms" and candidate.start == start and candidate.end > end
    )


def _observations(memory: LayoutMemory, name: str) -> tuple[FieldObservation, ...]:
    field_memory = memory.fields.get(name)
    return field_memory.observations if field_memory is not None else ()


def page_ref(page: int, layout: DocumentLayout) -> int:
    """A page as a memory refers to it: -1 for the last page of a longer document."""
    return -1 if page == layout.pages[-1].number and layout.page_count > 1 else page


def within(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance
