"""The multilingual label lexicon matched with spaCy's PhraseMatcher."""

from __future__ import annotations

from dataclasses import replace

from extraction.layout import build_layout
from extraction.lexicon import default_matcher, fold_token
from tests.extraction.test_extractor_values import page_of, read_of


def labels_on(rows):
    layout = build_layout(read_of(page_of(rows)))
    return {(h.label, h.language) for h in default_matcher().match(layout)}


def test_po_number_labels_match_in_three_languages():
    assert ("po_number", "fr") in labels_on([[("N°", 0.1), ("de", 0.13), ("commande", 0.16)]])
    assert ("po_number", "de") in labels_on([[("Bestell-Nr.:", 0.1)]])
    assert ("po_number", "en") in labels_on([[("PO", 0.1), ("#", 0.13)]])


def test_matching_survives_missing_accents_and_colons():
    assert fold_token("Quantité:") == "quantite"
    assert ("col_quantity", "fr") in labels_on([[("Quantite", 0.1)]])


def test_longer_label_wins_over_the_label_inside_it():
    found = labels_on([[("Total", 0.1), ("HT", 0.16)]])
    assert ("subtotal", "fr") in found
    assert ("total", "fr") not in found and ("total", "en") not in found


def test_vendor_number_is_told_apart_from_customer_number():
    assert ("vendor_number", "de") in labels_on([[("Lieferanten-Nr.", 0.1)]])
    assert ("customer_number", "de") in labels_on([[("Kunden-Nr.", 0.1)]])


def test_a_phrase_never_spans_two_lines():
    assert ("po_number", "en") not in labels_on([[("Purchase", 0.1)], [("Order", 0.1)]])


def ocr_labels_on(rows):
    page = page_of(rows)
    words = tuple(replace(w, ocr_confidence=0.9) for w in page.words)
    layout = build_layout(read_of(replace(page, words=words, source="ocr")))
    return {(h.label, h.language) for h in default_matcher().match(layout)}


def test_ocr_words_one_letter_off_a_label_word_still_match():
    assert ("col_unit_price", "de") in ocr_labels_on([[("Einzeipreis", 0.1)]])
    assert ("col_description", "de") in ocr_labels_on([[("Beachreibung", 0.1)]])
    assert ("vendor_number", "de") in ocr_labels_on([[("Lisferanten-Nr.", 0.1)]])  # two, long


def test_a_label_whose_words_ocr_glued_together_still_matches():
    assert ("subtotal", "de") in ocr_labels_on([[("Summenett0", 0.1)]])
    assert ("po_number", "de") in labels_on([[("Bestellnummer", 0.1)]])
    assert ("subtotal", "de") not in ocr_labels_on([[("Summe", 0.1)]])


def test_a_text_layer_and_short_ocr_words_are_matched_as_printed():
    assert ("col_unit_price", "de") not in labels_on([[("Einzeipreis", 0.1)]])
    assert ocr_labels_on([[("Tota", 0.1)]]) == set()  # four letters: 'Total' is not guessed


def test_a_short_ocr_word_one_letter_off_is_matched_beside_its_label_words():
    dato = [[("Dato", 0.1), ("de", 0.14), ("commande:", 0.17)]]
    assert ("order_date", "fr") in ocr_labels_on(dato)
    assert ("order_date", "fr") not in labels_on(dato)  # a text layer prints what it means
    # alone, the short word has no label word beside it to be read as
    assert ocr_labels_on([[("Dato", 0.1)]]) == set()


def test_a_long_ocr_word_two_letters_off_is_matched_beside_its_label_words():
    lieu = [[("Lieu", 0.1), ("de", 0.14), ("Ivralson", 0.17)]]
    assert ("ship_to", "fr") in ocr_labels_on(lieu)
    assert ocr_labels_on([[("Ivralson", 0.1)]]) == set()  # alone: two letters are too many


def test_a_name_one_letter_off_a_short_label_word_is_no_label():
    assert labels_on([[("Seller", 0.1)]]) == {("seller", "en")}
    assert ocr_labels_on([[("Keller", 0.1), ("Druckerei", 0.15), ("AG", 0.22)]]) == set()


def test_a_short_hyphenated_ocr_label_word_one_letter_off_is_that_label_word():
    assert ("customer_vat_id", "de") in ocr_labels_on([[("VID-Nr.", 0.1), ("DE533824125", 0.2)]])
    assert ocr_labels_on([[("XYZ-Nr.", 0.1)]]) == set()  # two letters off any


def test_quotes_at_a_labels_edges_are_no_part_of_it():
    assert fold_token("“Datum") == "datum"
    assert ("order_date", "de") in ocr_labels_on(
        [[("“Datum", 0.1), ("der", 0.16), ("Bestellung", 0.2)]]
    )


def test_a_tax_label_with_its_rate_glued_to_it_is_the_tax_label():
    assert ("tax_total", "en") in ocr_labels_on([[("VAT21%", 0.1), ("4,06", 0.3)]])
    assert ("tax_total", "de") in labels_on([[("MwSt19%", 0.1), ("4,06", 0.3)]])
    assert labels_on([[("ABC21%", 0.1)]]) == set()


def test_the_ring_of_n_numero_read_as_a_quote_is_still_n_numero():
    assert fold_token('N"') == fold_token("N“") == fold_token("N°") == "n°"
    assert ("customer_number", "fr") in ocr_labels_on([[('N"', 0.1), ("client", 0.13)]])
