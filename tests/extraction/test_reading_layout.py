"""Lines and blocks for PDF words, which come without them."""

from __future__ import annotations

from extraction.reading.layout import assign_lines_and_blocks


def test_column_gap_splits_a_row_into_two_lines_in_two_blocks() -> None:
    boxes = [
        (10, 100, 40, 110),
        (45, 100, 80, 110),  # left column, row 1
        (300, 100, 340, 110),  # right column, row 1
        (10, 113, 50, 123),  # left column, row 2
        (300, 113, 330, 123),  # right column, row 2
    ]
    layout = assign_lines_and_blocks(boxes)

    lines, blocks = layout.line_ids, layout.block_ids
    assert lines[0] == lines[1] != lines[2]
    assert len(set(lines)) == 4
    assert blocks[0] == blocks[1] == blocks[3]
    assert blocks[2] == blocks[4] != blocks[0]


def test_distant_rows_are_separate_blocks_and_ids_follow_reading_order() -> None:
    boxes = [(10, 500, 50, 510), (10, 100, 50, 110)]
    layout = assign_lines_and_blocks(boxes)

    assert layout.line_ids == (1, 0)
    assert layout.block_ids == (1, 0)


def test_words_of_different_heights_on_one_baseline_share_a_line() -> None:
    layout = assign_lines_and_blocks([(10, 100, 60, 118), (65, 106, 90, 116)])
    assert layout.line_ids[0] == layout.line_ids[1]
