"""Subtotal, tax and total chosen together, so that what is read adds up.

Each field's scorer ranks the amounts of the page on its own, and on a layout it has not seen
it may take the taxable base of a VAT breakdown ('Umsatzsteuer 19 % auf 198,00: 37,62') for the
tax, or hold back a subtotal it is unsure of. Printed totals add up: subtotal + tax = total.
When the fields' own choices do not add up (or one was held back), the three amounts among
each field's few best that add up and have the highest product of the scorers' probabilities
replace them, if that product is at least 1 / `CONSISTENT_ODDS` of the own choices' (where a
field held back counts with the chance that none of its amounts is right). Otherwise the own
choices stay, and the totals check sends the document to review.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from itertools import product

import numpy as np

from extraction.candidates import Candidate
from extraction.scoring import FieldChoice, FieldScorer

TOTAL_FIELDS = ("subtotal", "tax_total", "total")
OPTIONS_PER_FIELD = 5
CONSISTENT_ODDS = 30.0
"""How much more likely three amounts that add up are than their scores alone say. At 20 a real
invoice's 'Rechnungssumme ohne USt.' (scored 0.047 by the model trained with reference
numbers beside the PO number) stayed unread beside the tax and total it adds up with; 30 reads
it and changes nothing on the held-out test split."""
_TOLERANCE = Decimal("0.01")
_FLOOR = 1e-6


def consistent_totals(
    scorer: FieldScorer,
    candidates: list[Candidate],
    features: np.ndarray,
    choices: dict[str, FieldChoice],
) -> dict[str, FieldChoice]:
    """`choices` with subtotal, tax and total replaced by the best three amounts that add up,
    when those are at least 1 / `CONSISTENT_ODDS` as likely as the fields' own choices; else,
    and when the fields' own choices already add up, unchanged."""
    picked = tuple(choices[name].candidate for name in TOTAL_FIELDS)
    rows = [i for i, c in enumerate(candidates) if c.kind == "amount"]
    if not rows or (None not in picked and _adds_up(*picked)):
        return choices
    options = {name: _options(scorer, name, rows, candidates, features) for name in TOTAL_FIELDS}
    own = sum(
        math.log(max(_probability(options[name], choices[name].candidate), _FLOOR))
        for name in TOTAL_FIELDS
    )
    best: tuple[float, tuple[tuple[Candidate | None, float], ...]] | None = None
    for combination in product(*(options[name][:-1] for name in TOTAL_FIELDS)):
        if not _adds_up(*(candidate for candidate, _ in combination)):
            continue
        score = sum(math.log(max(p, _FLOOR)) for _, p in combination)
        if best is None or score > best[0]:
            best = (score, combination)
    if best is None or best[0] + math.log(CONSISTENT_ODDS) <= own:
        return choices
    chosen = dict(choices)
    for name, (candidate, probability) in zip(TOTAL_FIELDS, best[1], strict=True):
        if candidate is not choices[name].candidate:
            chosen[name] = FieldChoice(candidate, probability, 0.0)
    return chosen


def _probability(options: list[tuple[Candidate | None, float]], chosen: Candidate | None) -> float:
    """The probability the field's own choice was given: its amount's, or for 'not printed' the
    chance that none of the amounts is right."""
    for candidate, probability in options:
        if candidate is chosen:
            return probability
    return _FLOOR


def _options(
    scorer: FieldScorer,
    name: str,
    rows: list[int],
    candidates: list[Candidate],
    features: np.ndarray,
) -> list[tuple[Candidate | None, float]]:
    """The field's best amounts with their probabilities, and 'not printed' with the chance that
    none of them is right."""
    probabilities = scorer.probabilities(name, features[rows])
    order = np.argsort(-probabilities)[:OPTIONS_PER_FIELD]
    found: list[tuple[Candidate | None, float]] = [
        (candidates[rows[int(i)]], float(probabilities[int(i)])) for i in order
    ]
    found.append((None, 1.0 - float(probabilities[int(order[0])])))
    return found


def _adds_up(subtotal: Candidate | None, tax: Candidate | None, total: Candidate | None) -> bool:
    """Three amounts where subtotal + tax = total; True when any is missing (nothing to check)."""
    if subtotal is None or tax is None or total is None:
        return True
    try:
        s, t, g = (Decimal(c.value) for c in (subtotal, tax, total))
    except InvalidOperation:
        return False
    return abs(s + t - g) <= _TOLERANCE
