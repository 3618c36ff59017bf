"""Amount features: totals rank among the amounts printed with cents, not among registration
and phone numbers that also read as amounts."""

from __future__ import annotations

from extraction.extractor import DocumentHints, analyse_document
from extraction.features import FEATURE_INDEX
from extraction.masterdata import MasterData
from tests.extraction.test_extractor_values import page_of, read_of


def test_the_total_is_the_largest_amount_with_cents_beside_larger_registration_numbers():
    analysis = analyse_document(
        read_of(
            page_of(
                [
                    [("SIRET", 0.1), ("303265045", 0.2)],
                    [("Net", 0.6), ("50.00", 0.8)],
                    [("VAT", 0.6), ("10.51", 0.8)],
                    [("Total", 0.6), ("60.51", 0.8)],
                ]
            )
        ),
        master=MasterData(),
        hints=DocumentHints(),
    )
    by_value = {
        c.value: analysis.features[i]
        for i, c in enumerate(analysis.candidates)
        if c.kind == "amount"
    }
    total, registration = by_value["60.51"], by_value["303265045"]
    assert registration[FEATURE_INDEX["amount_is_max"]] == 1  # among every amount
    assert total[FEATURE_INDEX["amount_is_max"]] == 0
    assert total[FEATURE_INDEX["amount_is_max_money"]] == 1  # among amounts with cents
    assert total[FEATURE_INDEX["amount_money_rank"]] == 0
    assert by_value["50.00"][FEATURE_INDEX["amount_money_rank"]] == 1
    assert registration[FEATURE_INDEX["amount_money_rank"]] == -1
