"""The line-item table model on hand-made pages: header columns, wrapped descriptions,
'carried forward' rows, continuation on the next page, prices per 100, header-less rows."""

from __future__ import annotations

from decimal import Decimal

from extraction.layout import build_layout
from extraction.lexicon import default_matcher
from extraction.pages import ReadResult
from extraction.tables import extract_line_items
from tests.extraction.test_extractor_values import page_of, read_of

HEADER = [
    ("Réf.", 0.08),
    ("Désignation", 0.2),
    ("Qté", 0.6),
    ("Prix", 0.7),
    ("unitaire", 0.75),
    ("Montant", 0.86),
]


def rows_of(read: ReadResult):
    layout = build_layout(read)
    return extract_line_items(layout, default_matcher().match(layout), decimal_mark=",")


def test_rows_are_read_by_column_with_wrapped_descriptions():
    page = page_of(
        [
            HEADER,
            [
                ("ODS-1", 0.08),
                ("Vis", 0.2),
                ("inox", 0.25),
                ("12", 0.62),
                ("1,50", 0.72),
                ("18,00", 0.87),
            ],
            [("conditionnement", 0.2), ("standard", 0.35)],
            [("ODS-2", 0.08), ("Gants", 0.2), ("3", 0.62), ("10,00", 0.72), ("30,00", 0.87)],
            [("Total", 0.6), ("HT", 0.66), ("48,00", 0.87)],
        ]
    )
    rows = rows_of(read_of(page))
    assert [(r.sku, r.description, r.quantity, r.unit_price, r.line_total) for r in rows] == [
        (
            "ODS-1",
            "Vis inox conditionnement standard",
            Decimal(12),
            Decimal("1.50"),
            Decimal("18.00"),
        ),
        ("ODS-2", "Gants", Decimal(3), Decimal("10.00"), Decimal("30.00")),
    ]


def test_table_continues_on_the_next_page_and_skips_carried_forward_rows():
    first = page_of(
        [
            HEADER,
            [("ODS-1", 0.08), ("Vis", 0.2), ("12", 0.62), ("1,50", 0.72), ("18,00", 0.87)],
            [("À", 0.6), ("reporter", 0.63), ("18,00", 0.87)],
        ]
    )
    second = page_of(
        [
            [("Report", 0.6), ("18,00", 0.87)],
            [("ODS-2", 0.08), ("Gants", 0.2), ("3", 0.62), ("10,00", 0.72), ("30,00", 0.87)],
        ],
        number=2,
    )
    rows = rows_of(read_of(first, second))
    assert [(r.sku, r.page) for r in rows] == [("ODS-1", 1), ("ODS-2", 2)]


def test_price_printed_per_hundred_is_divided_by_arithmetic():
    page = page_of(
        [
            HEADER,
            [("ODS-9", 0.08), ("Rondelles", 0.2), ("500", 0.62), ("2,40", 0.72), ("12,00", 0.87)],
        ]
    )
    (row,) = rows_of(read_of(page))
    assert row.unit_price == Decimal("0.024") and row.arithmetic_ok


def test_rows_without_a_table_header_are_read_from_their_segments():
    page = page_of(
        [
            [("Bitte", 0.05), ("liefern", 0.12), ("Sie:", 0.2)],
            [
                ("Wellrohr", 0.05),
                ("20", 0.16),
                ("mm", 0.19),
                ("25", 0.6),
                ("1,26", 0.72),
                ("EUR", 0.76),
                ("31,50", 0.87),
            ],
            [("Bestellwert", 0.05), ("netto:", 0.16), ("31,50", 0.87)],
        ]
    )
    (row,) = rows_of(read_of(page))
    assert (row.description, row.quantity, row.unit_price, row.line_total) == (
        "Wellrohr 20 mm",
        Decimal(25),
        Decimal("1.26"),
        Decimal("31.50"),
    )
