"""Group positioned words into lines and blocks when the source does not say (PDF text layers).

A line is a run of words on one baseline without a column-sized gap; a block is a stack of lines
that touch vertically and overlap horizontally (a paragraph, an address, a table column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extraction.pages import BBox

COLUMN_GAP_EM = 1.0
"""A horizontal gap wider than this many line heights starts a new line (a new column)."""
BLOCK_GAP_EM = 1.0
"""Lines closer than this many line heights, and overlapping horizontally, share a block."""
_ROWS_LOOKED_BACK = 4


@dataclass(frozen=True, slots=True)
class LineAssignment:
    line_ids: tuple[int, ...]
    block_ids: tuple[int, ...]


@dataclass(slots=True)
class _Segment:
    members: list[int]
    x0: float
    top: float
    x1: float
    bottom: float


def assign_lines_and_blocks(boxes: Sequence[BBox]) -> LineAssignment:
    """Line and block ids for each box (x0, top, x1, bottom in any one unit), in reading order:
    ids grow top to bottom, then left to right."""
    if not boxes:
        return LineAssignment((), ())
    rows = _rows(boxes)
    segments_by_row = [_split_row(row, boxes) for row in rows]
    line_ids = [0] * len(boxes)
    segments: list[_Segment] = []
    for row_segments in segments_by_row:
        for segment in row_segments:
            for index in segment.members:
                line_ids[index] = len(segments)
            segments.append(segment)
    block_of_segment = _blocks(segments_by_row, segments)
    block_ids = [block_of_segment[line_ids[i]] for i in range(len(boxes))]
    return LineAssignment(tuple(line_ids), tuple(block_ids))


def _rows(boxes: Sequence[BBox]) -> list[list[int]]:
    order = sorted(range(len(boxes)), key=lambda i: ((boxes[i][1] + boxes[i][3]) / 2, boxes[i][0]))
    rows: list[list[int]] = []
    row_top = row_bottom = 0.0
    for index in order:
        _, top, _, bottom = boxes[index]
        centre = (top + bottom) / 2
        if rows and row_top <= centre <= row_bottom:
            rows[-1].append(index)
            row_top, row_bottom = min(row_top, top), max(row_bottom, bottom)
        else:
            rows.append([index])
            row_top, row_bottom = top, bottom
    return rows


def _split_row(row: list[int], boxes: Sequence[BBox]) -> list[_Segment]:
    ordered = sorted(row, key=lambda i: boxes[i][0])
    segments: list[_Segment] = []
    for index in ordered:
        x0, top, x1, bottom = boxes[index]
        height = max(bottom - top, 1e-6)
        current = segments[-1] if segments else None
        if current is not None and x0 - current.x1 <= COLUMN_GAP_EM * height:
            current.members.append(index)
            current.x1 = max(current.x1, x1)
            current.top, current.bottom = min(current.top, top), max(current.bottom, bottom)
        else:
            segments.append(_Segment([index], x0, top, x1, bottom))
    return segments


def _blocks(segments_by_row: list[list[_Segment]], segments: list[_Segment]) -> list[int]:
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    position = {id(segment): i for i, segment in enumerate(segments)}
    for row_index, row in enumerate(segments_by_row):
        # Rows of another column may sit in between, so look a few rows back, not just one.
        for above_row in segments_by_row[max(0, row_index - _ROWS_LOOKED_BACK) : row_index]:
            for below in row:
                reach = BLOCK_GAP_EM * max(below.bottom - below.top, 1e-6)
                for above in above_row:
                    close = below.top - above.bottom <= reach
                    overlap = min(above.x1, below.x1) > max(above.x0, below.x0)
                    if close and overlap:
                        parent[find(position[id(below)])] = find(position[id(above)])
    renumbered: dict[int, int] = {}
    return [renumbered.setdefault(find(i), len(renumbered)) for i in range(len(segments))]
