"""Subtotal, tax and total chosen together: amounts that add up replace the fields' own
choices when those do not add up (or one was held back) and the sum is likely enough."""

from __future__ import annotations

import numpy as np

from extraction.candidates import Candidate
from extraction.scoring import FieldChoice
from extraction.totals_choice import TOTAL_FIELDS, consistent_totals

AMOUNTS = ("473.00", "56.87", "198.00", "529.87")


class Scorer:
    """Probabilities per field over the candidates AMOUNTS, in their order."""

    def __init__(self, **by_field: tuple[float, ...]) -> None:
        self.by_field = by_field

    def probabilities(self, field: str, features: np.ndarray) -> np.ndarray:
        return np.array(self.by_field[field][: len(features)])

    def null_threshold(self, field: str) -> float:
        return 0.3


CANDIDATES = [
    Candidate("amount", v, v, i, 0, 1, 1, (0.1, 0.1, 0.2, 0.12), None)
    for i, v in enumerate(AMOUNTS)
]
FEATURES = np.zeros((len(CANDIDATES), 1))


def own_choices(scorer: Scorer) -> dict[str, FieldChoice]:
    chosen = {}
    for name in TOTAL_FIELDS:
        probabilities = scorer.by_field[name]
        best = int(np.argmax(probabilities))
        keep = probabilities[best] >= scorer.null_threshold(name)
        chosen[name] = FieldChoice(CANDIDATES[best] if keep else None, probabilities[best], 0.5)
    return chosen


def values(choices: dict[str, FieldChoice]) -> tuple[str | None, ...]:
    return tuple(c.candidate.value if c.candidate else None for c in choices.values())


def test_a_vat_base_taken_for_the_tax_gives_way_to_the_tax_that_adds_up():
    scorer = Scorer(
        subtotal=(0.9, 0.0, 0.1, 0.0),
        tax_total=(0.0, 0.80, 0.95, 0.0),  # 198,00 is the VAT breakdown's base
        total=(0.0, 0.0, 0.0, 0.98),
    )
    chosen = consistent_totals(scorer, CANDIDATES, FEATURES, own_choices(scorer))
    assert values(chosen) == ("473.00", "56.87", "529.87")


def test_a_subtotal_held_back_is_taken_when_tax_and_total_confirm_it():
    scorer = Scorer(
        subtotal=(0.10, 0.0, 0.0, 0.0),
        tax_total=(0.0, 0.99, 0.0, 0.0),
        total=(0.0, 0.0, 0.0, 0.98),
    )
    assert values(own_choices(scorer))[0] is None
    chosen = consistent_totals(scorer, CANDIDATES, FEATURES, own_choices(scorer))
    assert values(chosen) == ("473.00", "56.87", "529.87")


def test_own_choices_stay_when_they_add_up_or_the_sum_is_too_unlikely():
    sure = Scorer(
        subtotal=(0.9, 0.0, 0.0, 0.0), tax_total=(0.0, 0.9, 0.0, 0.0), total=(0.0, 0.0, 0.0, 0.9)
    )
    assert consistent_totals(sure, CANDIDATES, FEATURES, own := own_choices(sure)) is own
    unlikely = Scorer(
        subtotal=(0.001, 0.0, 0.0, 0.0),
        tax_total=(0.0, 0.9, 0.0, 0.0),
        total=(0.0, 0.0, 0.0, 0.9),
    )
    chosen = consistent_totals(unlikely, CANDIDATES, FEATURES, own_choices(unlikely))
    assert values(chosen) == (None, "56.87", "529.87")
