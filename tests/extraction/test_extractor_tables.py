"""The line-item table model on hand-made pages: header columns, wrapped descriptions,
'carried forward' rows, continuation on the next page, prices per 100, header-less rows."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from extraction.layout import build_layout
from extraction.lexicon import default_matcher
from extraction.pages import Page, ReadResult, Rule, Word
from extraction.table_rows import TableLine, figure_repairs
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

SCREWS_ROW = [
    ("ODS-1", 0.08),
    ("Vis", 0.2),
    ("inox", 0.25),
    ("12", 0.62),
    ("1,50", 0.72),
    ("18,00", 0.87),
]
GLOVES_ROW = [("ODS-2", 0.08), ("Gants", 0.2), ("3", 0.62), ("10,00", 0.72), ("30,00", 0.87)]


def rows_of(read: ReadResult):
    layout = build_layout(read)
    return extract_line_items(layout, default_matcher().match(layout), decimal_mark=",")


def test_rows_are_read_by_column_with_wrapped_descriptions():
    page = page_of(
        [
            HEADER,
            SCREWS_ROW,
            [("conditionnement", 0.2), ("standard", 0.35)],
            GLOVES_ROW,
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
            GLOVES_ROW,
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


def page_at(
    rows: list[tuple[float, list[tuple[str, float]]]], rules: tuple[Rule, ...] = ()
) -> Page:
    """A page from (y0, [(text, x0)]) lines, so the gaps between lines can be chosen."""
    words = [
        Word(
            text=text,
            bbox=(x0, y0, x0 + 0.011 * len(text), y0 + 0.012),
            line_id=line_id,
            font_size=10.0,
        )
        for line_id, (y0, row) in enumerate(rows)
        for text, x0 in row
    ]
    return Page(1, 595.0, 842.0, tuple(words), "pdf", rules=rules)


def words_at(text: str, x0: float) -> list[tuple[str, float]]:
    """Words of a text set from x0, one space apart."""
    placed = []
    for word in text.split():
        placed.append((word, x0))
        x0 += 0.011 * len(word) + 0.004
    return placed


def test_two_row_layout_with_a_header_on_three_lines():
    page = page_at(
        [
            (0.100, [("Réf.", 0.08), ("Libellé", 0.2), ("EAN", 0.8)]),
            (0.113, [("fournisseur", 0.08)]),
            (0.126, [("Qté", 0.58), ("U.", 0.62), ("PU", 0.7), ("HT", 0.73), ("Montant", 0.86)]),
            (
                0.160,
                [
                    *words_at("Vis à tête fraisée 4x50 mm livraison sur", 0.2),
                    ("3009838345342", 0.8),
                ],
            ),
            (0.173, [("palette", 0.2)]),
            (0.186, [("20", 0.58), ("boîte", 0.62), ("8,48", 0.72), ("169,60", 0.86)]),
            (0.220, [("ODS-10741", 0.08), ("Écrou", 0.2), ("M10", 0.27), ("5408963157932", 0.8)]),
            (
                0.233,
                [("150", 0.58), ("carton", 0.62), ("9,89", 0.72), ("1", 0.85), ("483,50", 0.87)],
            ),
        ]
    )
    rows = rows_of(read_of(page))
    assert [(r.sku, r.gtin, r.description, r.quantity, r.line_total) for r in rows] == [
        (
            None,
            "3009838345342",
            "Vis à tête fraisée 4x50 mm livraison sur palette",
            Decimal(20),
            Decimal("169.60"),
        ),
        ("ODS-10741", "5408963157932", "Écrou M10", Decimal(150), Decimal("1483.50")),
    ]


def test_text_past_the_midpoint_of_two_columns_stays_in_its_column():
    header = [("Libellé", 0.12), ("Réf.", 0.37), ("Qté", 0.62), ("Prix", 0.72), ("Total", 0.86)]
    body = [("Étiquettes", 0.12), ("adhésives", 0.24), ("105x48", 0.35 - 0.07)]
    page = page_at(
        [
            (0.10, header),
            (0.13, [*body, ("ODS-11682", 0.37), ("20", 0.63), ("9,38", 0.72), ("187,60", 0.86)]),
        ]
    )
    (row,) = rows_of(read_of(page))
    assert (row.description, row.sku) == ("Étiquettes adhésives 105x48", "ODS-11682")


def test_columns_printed_without_a_gap_are_split_where_each_column_starts():
    header = [("EAN", 0.13), ("Part", 0.26), ("No.", 0.31), ("Description", 0.37)]
    header += [("Qty", 0.65), ("Price", 0.74), ("Total", 0.86)]
    ean, sku = ("3763916417733", 0.13), ("ODS-10635", 0.262)
    page = page_at(
        [(0.10, header), (0.13, [ean, sku, ("Cable", 0.37), ("50", 0.66), ("1.14", 0.74)])]
    )
    (row,) = rows_of(read_of(page))
    assert (row.gtin, row.sku, row.description) == ("3763916417733", "ODS-10635", "Cable")


def test_a_ruling_line_decides_which_row_a_text_line_belongs_to():
    header = [("Réf.", 0.08), ("Désignation", 0.2), ("Qté", 0.6), ("Prix", 0.7), ("Montant", 0.86)]
    first = [("ODS-1", 0.08), ("Vis", 0.2), ("12", 0.62), ("1,50", 0.72), ("18,00", 0.87)]
    second = [("ODS-2", 0.08), ("Gants", 0.2), ("3", 0.62), ("10,00", 0.72), ("30,00", 0.87)]
    lines = [(0.10, header), (0.13, first), (0.15, [("nitrile", 0.2)]), (0.17, second)]
    unruled = rows_of(read_of(page_at(lines)))
    rule = Rule(bbox=(0.05, 0.1435, 0.95, 0.1437))
    ruled = rows_of(read_of(page_at(lines, rules=(rule,))))
    assert [r.description for r in unruled] == ["Vis nitrile", "Gants"]
    assert [r.description for r in ruled] == ["Vis", "nitrile Gants"]


def test_items_typed_as_sentences_in_a_mail_body():
    page = page_of(
        [
            [("Bonjour,", 0.05)],
            words_at("- 50 x ODS-11693 Câble 2,5 mm² à 1,06 EUR", 0.05),
            words_at("3 bte Vis inox (ODS-10238) à 21,69 EUR", 0.05),
            words_at("4 rl x ODS-1 Tape at 1,23 EUR = 4,92 EUR", 0.05),
        ]
    )
    rows = rows_of(read_of(page))
    assert [
        (r.sku, r.description, r.quantity, r.unit, r.unit_price, r.line_total) for r in rows
    ] == [
        ("ODS-11693", "Câble 2,5 mm²", Decimal(50), None, Decimal("1.06"), Decimal("53.00")),
        ("ODS-10238", "Vis inox", Decimal(3), "BOX", Decimal("21.69"), Decimal("65.07")),
        ("ODS-1", "Tape", Decimal(4), "ROL", Decimal("1.23"), Decimal("4.92")),
    ]


EN_HEADER = [("Ref", 0.08), ("Description", 0.2), ("Qty", 0.6), ("Price", 0.7), ("Total", 0.86)]


def ocr_of(page: Page) -> Page:
    """The same page as OCR would give it: every word with a confidence and no font."""
    words = tuple(replace(w, ocr_confidence=0.9, font_size=None) for w in page.words)
    return replace(page, words=words, source="ocr")


def test_ocr_figures_that_do_not_close_are_repaired_only_when_one_reading_fits():
    page = page_of(
        [
            EN_HEADER,
            [("ODS-1", 0.08), ("Oil", 0.2), ("125", 0.62), ("4.37", 0.72), ("54.63", 0.87)],
            [("ODS-2", 0.08), ("Grease", 0.2), ("7.25", 0.62), ("5.12", 0.72), ("3712", 0.87)],
            [("ODS-3", 0.08), ("Tape", 0.2), ("10", 0.62), ("100", 0.72), ("100.00", 0.87)],
            [("ODS-4", 0.08), ("Nut", 0.2), ("3", 0.62), ("1.32", 0.72), ("21.96", 0.87)],
        ]
    )
    rows = rows_of(read_of(ocr_of(page)))
    assert [(r.quantity, r.unit_price, r.line_total, r.repaired) for r in rows] == [
        (Decimal("12.5"), Decimal("4.37"), Decimal("54.63"), True),
        (Decimal("7.25"), Decimal("5.12"), Decimal("37.12"), True),
        (Decimal(10), Decimal(100), Decimal("100.00"), False),  # 1.0 × 100 or 10 × 10.0
        (Decimal(3), Decimal("7.32"), Decimal("21.96"), True),  # one digit misread
    ]
    assert not any(r.repaired for r in rows_of(read_of(page)))  # a text layer is as printed


def test_a_quantity_printed_close_to_the_description_goes_to_its_own_column():
    header = [("Anz.", 0.106), ("Artikelbezeichnung", 0.144), ("Einzelpreis", 0.744)]
    header.append(("Gesamtpreis", 0.842))
    body = [("100", 0.11), ("Zylinderschraube", 0.145), ("12,54", 0.77), ("1254,00", 0.85)]
    (row,) = rows_of(read_of(page_of([header, body])))
    assert (row.quantity, row.description, row.line_total) == (
        Decimal(100),
        "Zylinderschraube",
        Decimal("1254.00"),
    )


def test_each_line_keeps_its_own_delivery_date():
    header = [("Réf.", 0.08), ("Désignation", 0.2), ("Livraison", 0.45), ("Qté", 0.6)]
    header += [("Prix", 0.7), ("Montant", 0.86)]
    first = [("ODS-1", 0.08), ("Vis", 0.2), ("12/03/2026", 0.45), ("12", 0.62), ("1,50", 0.72)]
    second = [("ODS-2", 0.08), ("Gants", 0.2), ("19/03/2026", 0.45), ("3", 0.62), ("10,00", 0.72)]
    rows = rows_of(read_of(page_of([header, first, second])))
    assert [r.delivery_date.isoformat() for r in rows if r.delivery_date] == [
        "2026-03-12",
        "2026-03-19",
    ]


def test_specks_beside_ocr_figures_and_before_descriptions_are_dropped():
    page = page_of(
        [
            EN_HEADER,
            [
                ("ODS-1", 0.08),
                (":", 0.2),
                ("File", 0.22),
                ("24", 0.6),
                ("1.98,", 0.7),
                ("47.52", 0.87),
            ],
            [
                ("ODS-2", 0.08),
                ("=", 0.2),
                ("Tape", 0.22),
                ("3", 0.6),
                ("~2.10", 0.7),
                ("6.30", 0.87),
            ],
        ]
    )
    rows = rows_of(read_of(ocr_of(page)))
    assert [(r.description, r.unit_price, r.line_total) for r in rows] == [
        ("File", Decimal("1.98"), Decimal("47.52")),
        ("Tape", Decimal("2.10"), Decimal("6.30")),
    ]


def test_an_unread_price_column_is_found_when_one_repair_closes_the_row():
    header = [("Pos", 0.05), ("Text", 0.1), ("Menge", 0.6), ("Einzeipr.", 0.7), ("Gesamt", 0.86)]
    page = page_of(
        [
            header,
            [("1", 0.05), ("Batterien", 0.1), ("6.000", 0.6), ("3,52", 0.72), ("21,12", 0.87)],
            [("2", 0.05), ("Folie", 0.1), ("7", 0.6), ("3,52", 0.72), ("21,13", 0.87)],
        ]
    )
    first, second = rows_of(read_of(ocr_of(page)))
    assert (first.quantity, first.unit_price, first.line_total, first.repaired) == (
        Decimal("6.000"),
        Decimal("3.52"),
        Decimal("21.12"),
        True,
    )
    assert second.unit_price is None  # 7 × 3,52 ≠ 21,13 and no single misread explains it
    assert rows_of(read_of(page))[0].unit_price is None  # a text layer's figures are as printed


def test_header_less_rows_with_the_unit_and_item_number_in_columns_of_their_own():
    page = page_of(
        [
            [
                ("1", 0.05),
                ("Toner", 0.1),
                ("blau", 0.15),
                ("ODS-11588", 0.45),
                ("12", 0.6),
                ("Stick", 0.64),  # Stück as OCR read it
                ("88,90", 0.75),
                ("1.068,80", 0.87),  # 1.066,80 misread
            ],
            [
                ("2", 0.05),
                ("Mutter", 0.1),
                ("M10", 0.17),
                ("ODS-11090", 0.45),
                ("3", 0.6),
                ("Karton", 0.66),
                ("7,64", 0.75),
                ("22,92", 0.87),
            ],
        ]
    )
    rows = rows_of(read_of(ocr_of(page)))
    assert [
        (r.sku, r.description, r.quantity, r.unit, r.unit_price, r.line_total) for r in rows
    ] == [
        ("ODS-11588", "Toner blau", Decimal(12), None, Decimal("88.90"), Decimal("1066.80")),
        ("ODS-11090", "Mutter M10", Decimal(3), "BOX", Decimal("7.64"), Decimal("22.92")),
    ]


def test_decimal_marks_ocr_dropped_come_back_where_the_column_always_prints_them():
    page = page_of(
        [
            EN_HEADER,
            [("ODS-1", 0.08), ("Oil", 0.2), ("10,000", 0.62), ("4,02", 0.72), ("40,20", 0.87)],
            [("ODS-2", 0.08), ("Nut", 0.2), ("20,000", 0.62), ("19,20", 0.72), ("384,00", 0.87)],
            [("ODS-3", 0.08), ("Tape", 0.2), ("2500", 0.62), ("729", 0.72), ("18,23", 0.87)],
            [("ODS-4", 0.08), ("Cleaner", 0.2), ("1,000", 0.62), ("1832", 0.72), ("1832", 0.87)],
            [("ODS-5", 0.08), ("Pallet", 0.2), ("1000", 0.62), ("0,25", 0.72), ("250,00", 0.87)],
        ]
    )
    rows = rows_of(read_of(ocr_of(page)))
    assert [(r.quantity, r.unit_price, r.line_total, r.repaired) for r in rows[2:]] == [
        (Decimal("2.500"), Decimal("7.29"), Decimal("18.23"), True),  # two marks lost
        (Decimal("1.000"), Decimal("18.32"), Decimal("18.32"), True),  # closed either way
        (Decimal(1000), Decimal("0.25"), Decimal("250.00"), False),  # 1.000 would not close
    ]
    assert [r.quantity for r in rows_of(read_of(page))][2:] == [2500, 1, 1000]  # text layer


def test_an_ocr_row_whose_amounts_were_not_read_does_not_join_the_next_row():
    page = page_of(
        [
            EN_HEADER,
            [("ODS-11616", 0.08), ("Tape", 0.2), ("100", 0.62), ("1.42", 0.72), ("142.00", 0.87)],
            [("ODS-11347", 0.08), ("Lever", 0.2), ("file", 0.26), ("150", 0.62), ("DM", 0.87)],
            [("ODS-10265", 0.08), ("Labels", 0.2), ("5", 0.62), ("27.47", 0.72), ("137.35", 0.87)],
        ]
    )
    rows = rows_of(read_of(ocr_of(page)))
    assert [(r.sku, r.description) for r in rows] == [
        ("ODS-11616", "Tape"),
        ("ODS-10265", "Labels"),
    ]


def ocr_page(rows: list[tuple[float, list[tuple[str, float]]]]) -> Page:
    """An OCR'd page from (y0, [(text, x0)]) rows of words 1.2 % of the page high."""
    return ocr_of(page_at(rows))


def test_specks_between_the_two_rows_of_a_shaded_header_and_before_a_figure_are_passed_over():
    page = ocr_page(
        [
            (0.100, [("Réf.", 0.075), ("fournisseur", 0.1), ("Description", 0.186)]),
            (0.108, [(":", 0.68), ("a", 0.58)]),  # the shading's specks, read between the rows
            (0.114, [("Qté", 0.58), ("Unité", 0.611), ("PU", 0.715), ("HT", 0.74)]),
            (0.114, [("Montant", 0.876)]),
            (0.140, [("ODS-10131", 0.075), ("Ramette", 0.187), ("papier", 0.231)]),
            (0.155, [(":", 0.55), ("24,00", 0.574), ("paquet", 0.612), ("5,51", 0.738)]),
            (0.155, [("132,24", 0.891)]),
        ]
    )
    (row,) = rows_of(read_of(page))
    assert (row.sku, row.description, row.quantity, row.line_total) == (
        "ODS-10131",
        "Ramette papier",
        Decimal(24),
        Decimal("132.24"),
    )


def test_a_speck_read_as_a_dash_in_an_empty_item_number_cell_is_no_item_number():
    page = ocr_page(
        [
            (0.100, [("Our", 0.075), ("part", 0.1), ("no.", 0.13), ("Part", 0.185)]),
            (0.100, [("No.", 0.215), ("Description", 0.3), ("Qty", 0.6), ("Unit", 0.77)]),
            (0.100, [("Price", 0.8), ("Amount", 0.88)]),
            (0.130, [("-", 0.079), ("ODS-11734", 0.185), ("Socket", 0.3), ("screw", 0.35)]),
            (0.130, [("24", 0.61), ("10.31", 0.78), ("247.44", 0.88)]),
        ]
    )
    (row,) = rows_of(read_of(page))
    assert (row.sku, row.alt_sku, row.description) == ("ODS-11734", None, "Socket screw")


def test_the_text_under_a_description_label_ocr_misread_is_the_description():
    misread_header = [(text if text != "Désignation" else "bl", x) for text, x in HEADER]
    page = page_of(
        [
            misread_header,
            SCREWS_ROW,
            GLOVES_ROW,
        ]
    )

    rows = rows_of(read_of(page))

    assert [(r.sku, r.description, r.line_total) for r in rows] == [
        ("ODS-1", "Vis inox", Decimal("18.00")),
        ("ODS-2", "Gants", Decimal("30.00")),
    ]


def test_a_price_either_of_two_slips_explains_is_kept_as_read_for_the_subtotal_to_settle():
    header = [("Pos", 0.05), ("Text", 0.1), ("Menge", 0.6), ("Einzeipr.", 0.7), ("Gesamt", 0.86)]
    # 3 × 18,54 = 55,62 misread as 18,64: the price 18,54 or the total 55,92 would close it
    row = [("1", 0.05), ("Folie", 0.1), ("3", 0.6), ("18,64", 0.72), ("55,62", 0.87)]

    (found,) = rows_of(read_of(ocr_of(page_of([header, row]))))

    assert (found.quantity, found.unit_price, found.line_total, found.repaired) == (
        Decimal(3),
        Decimal("18.64"),
        Decimal("55.62"),
        False,
    )


def test_a_price_and_total_under_the_last_heading_are_told_apart_by_their_arithmetic():
    # the total column's heading was not read: the price heading's cell reaches the edge
    header = [("Pos", 0.05), ("Bezeichnung", 0.1), ("Anz.", 0.6), ("Einzelpreis", 0.7)]
    row = [("1", 0.05), ("Ordner", 0.1), ("6", 0.62), ("2,39", 0.72), ("14,34", 0.87)]
    mismatched = [("2", 0.05), ("Ordner", 0.1), ("6", 0.62), ("2,39", 0.72), ("14,94", 0.87)]

    first, second = rows_of(read_of(ocr_of(page_of([header, row, mismatched]))))

    assert (first.quantity, first.unit_price, first.line_total) == (
        Decimal(6),
        Decimal("2.39"),
        Decimal("14.34"),
    )
    assert second.line_total != Decimal("14.94")  # not the quantity times the price beside it


def test_header_less_items_on_two_rows_take_the_figures_row_under_their_text_row():
    """A fax whose shaded header row OCR could not read: item number, description and GTIN on
    one row, 'quantity unit price VAT total' half a line below, one figure misread, a
    thousands group split off, a quantity lost."""
    page = ocr_page(
        [
            (0.100, [("Montant", 0.05), ("ee", 0.3), ("cae", 0.6)]),  # the unread header
            (0.130, [*words_at("ODS-11894 Vis à tête 5x40 mm", 0.07), ("3009834396010", 0.7)]),
            (0.140, words_at("25 boîte 25,95 20% 644.75", 0.5)),
            (0.160, words_at("ODS-10467 Écrou hexagonal M5", 0.07)),
            (0.170, words_at("150 boîte 9,81 20 % 1 471,50", 0.5)),
            (0.190, words_at("ODS-11971 Stylo bille bleu", 0.07)),
            (0.200, words_at("$2 unité 2,43 20% 29,16", 0.5)),
            (0.240, words_at("Montant HT 2149,41", 0.6)),
        ]
    )
    rows = rows_of(read_of(page))
    assert [(r.sku, r.description, r.quantity, r.unit_price, r.line_total) for r in rows] == [
        ("ODS-11894", "Vis à tête 5x40 mm", 25, Decimal("25.95"), Decimal("648.75")),
        ("ODS-10467", "Écrou hexagonal M5", 150, Decimal("9.81"), Decimal("1471.50")),
        ("ODS-11971", "Stylo bille bleu", 12, Decimal("2.43"), Decimal("29.16")),
    ]


def test_a_figures_row_without_a_text_row_above_it_or_that_does_not_close_is_no_item():
    page = ocr_page(
        [
            (0.100, words_at("Merci de nous livrer", 0.07)),
            (0.160, words_at("25 boîte 25,95 20% 641.15", 0.5)),  # too far below, no close
            (0.190, words_at("Ruban adhésif 25 mm", 0.07)),
            (0.200, words_at("12 rouleau 1,21 20% 19,99", 0.5)),
        ]
    )
    assert rows_of(read_of(page)) == []


def test_header_less_fax_rows_take_the_figures_that_close_at_their_end():
    """A fax table whose shaded header OCR could not read, every column on one row: position,
    description (wrapped onto the next row), item number (split by OCR), GTIN, quantity, unit,
    price, total. The position number is no quantity, a quantity of '3.000' is 3, a misread
    unit is passed over, and a row whose figures cannot close is no item."""
    page = ocr_page(
        [
            (0.100, words_at("rege wae per CAS sent", 0.05)),  # the unread header
            (0.130, [("10", 0.05), *words_at("Écrou hexagonal M4 zingué –", 0.1)]),
            (0.130, [*words_at("ODS-1 1499 3002673315631", 0.45), *words_at("12,000 bte", 0.7)]),
            (0.130, [("9,27", 0.83), ("111,24", 0.9)]),
            (0.143, words_at("conditionnement standard", 0.1)),
            (0.170, [("20", 0.05), *words_at("Vis à tête 6x20 mm ODS-} 1623", 0.1)]),
            (0.170, [*words_at("3764326707483 3.000 carton", 0.55), *words_at("5,58 16,74", 0.8)]),
            (0.200, [("30", 0.05), *words_at("Câble H07V-U noir ODS-1087$", 0.1)]),
            (0.200, [*words_at("50 butte 1,28 64,00", 0.7)]),
            (0.230, [("40", 0.05), *words_at("Cartouche toner ODS-11997 SHO pièce MSS", 0.1)]),
            (0.230, [("152,78", 0.9)]),
            (0.260, words_at("Montant HT 304,98", 0.6)),
        ]
    )
    rows = rows_of(read_of(page))
    assert [(r.sku, r.description, r.quantity, r.unit_price, r.line_total) for r in rows] == [
        (
            "ODS-11499",
            "Écrou hexagonal M4 zingué – conditionnement standard",
            12,
            Decimal("9.27"),
            Decimal("111.24"),
        ),
        ("ODS-11623", "Vis à tête 6x20 mm", 3, Decimal("5.58"), Decimal("16.74")),
        ("ODS-10875", "Câble H07V-U noir", 50, Decimal("1.28"), Decimal("64.00")),
    ]


def test_a_fax_row_whose_figures_do_not_close_is_no_item_and_a_figures_row_stays_one():
    page = ocr_page(
        [
            (0.100, words_at("Merci de nous livrer", 0.07)),
            (0.130, words_at("10 Gants nitrile taille M ODS-10256 5 paire 5,33 27,00", 0.05)),
            (0.160, words_at("ODS-11025 Film étirable 23 µm 450 mm", 0.07)),
            (0.170, words_at("rouleau 18,54 20% 18,54", 0.5)),  # its quantity lost: 1
        ]
    )
    rows = rows_of(read_of(page))
    assert [(r.sku, r.description, r.quantity, r.line_total) for r in rows] == [
        ("ODS-11025", "Film étirable 23 µm 450 mm", 1, Decimal("18.54")),
    ]


def test_an_amount_ocr_dropped_a_digit_of_is_the_one_the_other_figures_give():
    total = Decimal("710.00")
    dropped = TableLine(quantity=Decimal(250), unit_price=Decimal("2.4"), line_total=total)
    assert figure_repairs(dropped) == [("unit_price", Decimal("2.84"))]
    # 710 / 260 is no price in cents, and 260 x 2.4 no total a digit off: no repair
    other = TableLine(quantity=Decimal(260), unit_price=Decimal("2.4"), line_total=total)
    assert figure_repairs(other) == []


def test_a_dropped_decimal_mark_and_a_misread_digit_in_one_row_are_both_put_right():
    """The quantity column prints three decimals; one row's quantity lost its mark and its
    total a digit: '24000 × 22,21 = 543,04' is 24,000 × 22,21 = 533,04."""
    rows = [
        [("ODS-1", 0.08), ("Vis", 0.2), ("2,000", 0.6), ("1,50", 0.72), ("3,00", 0.87)],
        [("ODS-2", 0.08), ("Gants", 0.2), ("5,000", 0.6), ("2,00", 0.72), ("10,00", 0.87)],
        [("ODS-3", 0.08), ("Ruban", 0.2), ("3,000", 0.6), ("4,00", 0.72), ("12,00", 0.87)],
        [("ODS-4", 0.08), ("Écrou", 0.2), ("24000", 0.6), ("22,21", 0.72), ("543,04", 0.87)],
        [("ODS-5", 0.08), ("Colle", 0.2), ("10000", 0.6), ("22,21", 0.72), ("543,04", 0.87)],
    ]
    *_, fixed, unfixable = rows_of(read_of(ocr_of(page_of([HEADER, *rows]))))
    assert (fixed.quantity, fixed.unit_price, fixed.line_total) == (
        Decimal("24.000"),
        Decimal("22.21"),
        Decimal("533.04"),
    )
    # 10,000 × 22,21 is more than one digit from 543,04: left as read
    assert (unfixable.quantity, unfixable.line_total) == (Decimal(10000), Decimal("543.04"))


def test_a_header_less_fax_row_starting_with_its_gtin_takes_the_item_number_after_it():
    page = ocr_page(
        [
            (0.100, words_at("CS = ee ane", 0.05)),  # the unread header
            (0.130, words_at("20 3003703917832 ODS-11860 Single core cable HO7V-U red", 0.05)),
            (0.130, words_at("12,5 0,68 8,50", 0.75)),
        ]
    )
    (row,) = rows_of(read_of(page))
    assert (row.sku, row.description, row.quantity) == (
        "ODS-11860",
        "Single core cable HO7V-U red",
        Decimal("12.5"),
    )


def test_an_ocr_item_number_read_with_the_position_goes_to_the_item_number_column():
    """'40 ODS-10109' read as one run starting left of the 'Réf.' heading, and the
    description's first word under that heading: each goes where it belongs."""
    header = [("Pos.", 0.063), ("Réf.", 0.107), ("Désignation", 0.218), ("Qté", 0.642)]
    header += [("Prix", 0.742), ("Montant", 0.854)]
    row = [("40", 0.065), ("ODS-10109", 0.08), ("Gants", 0.125), ("nitrile", 0.218)]
    row += [("taille", 0.26), ("12", 0.645), ("12,15", 0.75), ("145,80", 0.86)]
    (read,) = rows_of(read_of(ocr_of(page_of([header, row]))))
    assert (read.sku, read.description) == ("ODS-10109", "Gants nitrile taille")


def test_a_price_column_that_lost_most_of_its_decimal_marks_still_shows_its_habit():
    """Only three prices kept their mark, and all show two decimals: the others lost theirs
    ('3335' and '83375' for 33,35 × 25 = 833,75)."""
    kept = [("1", "0,71", "0,71"), ("2", "11,74", "23,48"), ("3", "4,56", "13,68")]
    lost = [("4", "1215", "4860"), ("25", "3335", "83375"), ("6", "937", "5622")]
    rows = [
        [(f"ODS-{i}", 0.08), ("Vis", 0.2), (q, 0.62), (p, 0.72), (t, 0.87)]
        for i, (q, p, t) in enumerate(kept + lost)
    ]
    *_, first, second, third = rows_of(read_of(ocr_of(page_of([HEADER, *rows]))))
    assert [(r.unit_price, r.line_total) for r in (first, second, third)] == [
        (Decimal("12.15"), Decimal("48.60")),
        (Decimal("33.35"), Decimal("833.75")),
        (Decimal("9.37"), Decimal("56.22")),
    ]


def test_a_header_less_fax_row_is_no_price_per_thousand_but_a_quantity_that_lost_its_mark():
    page = ocr_page(
        [
            (0.100, words_at("rege wae per", 0.05)),  # the unread header
            (0.130, words_at("20 Gaine annelée Ø 20 mm ODS-10715 7250 m 1,49 10,80", 0.05)),
        ]
    )
    (row,) = rows_of(read_of(page))
    assert (row.quantity, row.unit_price, row.line_total) == (
        Decimal("7.250"),
        Decimal("1.49"),
        Decimal("10.80"),
    )


def test_a_description_whose_heading_ocr_lost_is_taken_out_of_the_item_number_cell():
    header = [("Pos.", 0.083), ("Art.-Nr.", 0.127), ("EAN", 0.237), ("Menge", 0.78)]
    header += [("Betrag", 0.9)]
    row = [("3", 0.085), ("ODS-10876", 0.127), ("4004058531734", 0.237)]
    row += words_at("Senkkopfschraube 3x40 mm Edelstahl A2", 0.35)
    row += [("100,00", 0.785), ("8,07", 0.85), ("807,00", 0.905)]
    (read,) = rows_of(read_of(ocr_of(page_of([header, row]))))
    assert (read.sku, read.description) == ("ODS-10876", "Senkkopfschraube 3x40 mm Edelstahl A2")


def test_an_item_number_under_a_heading_ocr_misread_is_still_the_item_number():
    header = [("komcode", 0.08), ("Description", 0.2), ("Quantity", 0.6), ("Unit", 0.7)]
    header += [("cost", 0.74), ("Line", 0.86), ("Total", 0.9)]
    rows = [
        [("ODS-11221", 0.08), ("Tape", 0.2), ("4", 0.62), ("3,02", 0.72), ("12,08", 0.87)],
        [("ODS-10929", 0.08), ("Gloves", 0.2), ("1", 0.62), ("4,22", 0.72), ("4,22", 0.87)],
    ]
    read = rows_of(read_of(ocr_of(page_of([header, *rows]))))
    assert [(r.sku, r.description) for r in read] == [
        ("ODS-11221", "Tape"),
        ("ODS-10929", "Gloves"),
    ]


def test_a_quantity_with_a_speck_read_as_a_degree_sign_still_starts_a_row():
    rows = [
        [("ODS-10523", 0.08), ("Tape", 0.2), ("5", 0.62), ("1.51", 0.72), ("7.55", 0.87)],
        [("ODS-11293", 0.08), ("Hex", 0.2), ("nut", 0.25), ("3°", 0.62), ("9.62", 0.72)],
    ]
    rows[1].append(("28.86", 0.87))
    read = rows_of(read_of(ocr_of(page_of([EN_HEADER, *rows]))))
    assert [(r.sku, r.quantity, r.line_total) for r in read] == [
        ("ODS-10523", Decimal(5), Decimal("7.55")),
        ("ODS-11293", Decimal(3), Decimal("28.86")),
    ]


def test_an_ocr_quantity_read_as_a_letter_like_a_one_is_one_where_price_and_total_agree():
    rows = [
        [("ODS-11946", 0.08), ("Labels", 0.2), ("I", 0.62), ("19,91", 0.72), ("19,91", 0.87)],
        [("ODS-11591", 0.08), ("Conduit", 0.2), ("2", 0.62), ("1,08", 0.72), ("2,16", 0.87)],
    ]
    read = rows_of(read_of(ocr_of(page_of([EN_HEADER, *rows]))))
    assert [(r.sku, r.quantity) for r in read] == [
        ("ODS-11946", Decimal(1)),
        ("ODS-11591", Decimal(2)),
    ]
    typed = rows_of(read_of(page_of([EN_HEADER, *rows])))  # a text layer's 'I' is no 1
    assert Decimal(1) not in [r.quantity for r in typed]


def test_an_ocr_header_whose_quantity_label_lost_a_letter_still_has_its_quantity_column():
    header = [("SKU", 0.08), ("Description", 0.2), ("Qty", 0.6), ("Price", 0.7), ("Total", 0.86)]
    first = [("ODS-10499", 0.08), ("Toner", 0.2), ("3,000", 0.6), ("50,33", 0.72)]
    first.append(("150,99", 0.87))
    misread = [(("aty", x) if text == "Qty" else (text, x)) for text, x in header]
    rows = [
        [("ODS-11211", 0.08), ("Tape", 0.2), ("25,000", 0.6), ("3,87", 0.72), ("96,75", 0.87)],
        [("ODS-10885", 0.08), ("Cable", 0.2), ("150,000", 0.6), ("1,18", 0.72), ("177,00", 0.87)],
    ]
    pages = (page_of([header, first]), page_of([misread, *rows], number=2))
    read = rows_of(read_of(*(ocr_of(p) for p in pages)))
    assert [(r.sku, r.quantity, r.page) for r in read] == [
        ("ODS-10499", Decimal(3), 1),
        ("ODS-11211", Decimal(25), 2),
        ("ODS-10885", Decimal(150), 2),
    ]


def test_an_ocr_header_whose_total_label_lost_a_letter_still_has_its_total_column():
    header = [("Art.-Nr.", 0.08), ("Text", 0.2), ("Menge", 0.6), ("Preis", 0.7)]
    header.append(("Gosamt", 0.86))
    row = [("ODS-11454", 0.08), ("Reiniger", 0.2), ("20", 0.62), ("9,27", 0.72), ("185,40", 0.87)]
    (read,) = rows_of(read_of(ocr_of(page_of([header, row]))))
    assert (read.line_total, read.total_printed) == (Decimal("185.40"), True)


def test_under_a_header_that_lost_its_description_label_the_text_before_the_item_number_is_it():
    header = [("Réf.", 0.45), ("EAN", 0.55), ("Qté", 0.7), ("Prix", 0.78), ("Montant", 0.88)]
    rows = [
        [("3", 0.08), *words_at("Câble électrique noir", 0.13), ("ODS-10428", 0.45)],
        [*words_at("Gants nitrile taille L ODS-11895", 0.13)],
    ]
    rows[0] += [("5407595204717", 0.55), ("12,50", 0.7), ("1,25", 0.78), ("15,63", 0.88)]
    rows[1] += [("4009956258480", 0.55), ("4,00", 0.7), ("5,83", 0.78), ("23,32", 0.88)]
    read = rows_of(read_of(ocr_of(page_of([header, *rows]))))
    assert [(r.sku, r.description, r.quantity) for r in read] == [
        ("ODS-10428", "Câble électrique noir", Decimal("12.50")),
        ("ODS-11895", "Gants nitrile taille L", Decimal("4.00")),
    ]


def test_an_ocr_amount_whose_decimal_mark_was_read_as_a_gap_is_one_amount():
    rows = [
        [("ODS-10876", 0.08), ("Pallet", 0.2), ("3", 0.62), ("11.24", 0.72)],
        [("ODS-10938", 0.08), ("Paper", 0.2), ("50", 0.62), ("6.43", 0.72)],
    ]
    rows[0] += [("33", 0.86), ("72", 0.89)]
    rows[1] += [("321", 0.86), ("50", 0.9)]
    read = rows_of(read_of(ocr_of(page_of([EN_HEADER, *rows]))))
    assert [r.line_total for r in read] == [Decimal("33.72"), Decimal("321.50")]


def test_the_net_price_and_amount_labels_of_german_e_invoice_layouts_are_columns():
    for amount_label in ("Entgelt", "Nettowert"):
        header = [("Pos", 0.088), ("Beschreibung", 0.254), ("Nettopreis", 0.409)]
        header += [("Menge", 0.601), ("Steuer", 0.723), (amount_label, 0.847)]
        row = [("1", 0.097), ("Trennblätter", 0.261), ("9,90", 0.47), ("20", 0.593)]
        row += [("Stk", 0.623), ("19", 0.665), ("%", 0.695), ("198,00", 0.856)]
        (read,) = rows_of(read_of(page_of([header, row])))
        assert (read.description, read.quantity, read.unit_price, read.line_total) == (
            "Trennblätter",
            Decimal(20),
            Decimal("9.90"),
            Decimal("198.00"),
        ), amount_label
        assert read.total_printed, amount_label


def test_an_amount_label_before_the_price_of_a_header_without_quantity_is_the_quantity():
    header = [("Amount", 0.1), ("Product", 0.2), ("VAT", 0.49), ("Price", 0.58)]
    header.append(("Total", 0.71))
    row = [("400.00", 0.1), ("Ballons", 0.2), ("19%", 0.49), ("0.79", 0.58), ("316.00", 0.71)]
    (read,) = rows_of(read_of(page_of([header, row])))
    assert (read.quantity, read.unit_price, read.line_total) == (
        Decimal(400),
        Decimal("0.79"),
        Decimal("316.00"),
    )


def test_a_quantity_label_on_the_line_above_the_header_is_the_header_quantity_column():
    above = [("Unsere", 0.1), ("Menge", 0.51), ("Meng.-", 0.56)]
    header = [("Pos", 0.04), ("Art.Nr.", 0.1), ("Artikelbeschreibung", 0.315)]
    header += [("einheit", 0.563), ("Preis", 0.71), ("Betrag", 0.877)]
    row = [("1", 0.045), ("TB100A4", 0.1), ("Trennblätter", 0.315), ("A4", 0.48)]
    row += [("20", 0.513), ("Stk.", 0.563), ("9,90", 0.71), ("198,00", 0.861)]
    page = page_at([(0.30, above), (0.314, header), (0.34, row)])
    (read,) = rows_of(read_of(page))
    assert (read.sku, read.description, read.quantity, read.line_total) == (
        "TB100A4",
        "Trennblätter A4",
        Decimal(20),
        Decimal("198.00"),
    )


def test_a_label_split_after_its_slash_over_two_header_lines_is_one_label():
    above = [
        ("Unsere", 0.1),
        ("Bestell", 0.2),
        ("Menge", 0.51),
        ("Meng.-", 0.563),
        ("Preis/", 0.71),
    ]
    header = [("Art.Nr.", 0.1), ("Artikelbeschreibung", 0.315), ("einheit", 0.563)]
    header += [("Einheit", 0.707), ("Betrag", 0.877)]
    row = [("TB100A4", 0.1), ("Trennblätter", 0.315), ("20", 0.513), ("Stk.", 0.563)]
    row += [("9,90", 0.71), ("198,00", 0.861)]
    page = page_at([(0.30, above), (0.314, header), (0.34, row)])
    (read,) = rows_of(read_of(page))
    assert (read.sku, read.quantity, read.unit, read.unit_price, read.line_total) == (
        "TB100A4",
        Decimal(20),
        "EA",
        Decimal("9.90"),
        Decimal("198.00"),
    )
    assert read.from_header_table
