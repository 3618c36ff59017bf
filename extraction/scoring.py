"""Choosing each header field's value among its candidates.

Two scorers share one interface: the trained per-field scikit-learn models of a loaded artifact,
and hand-set rules over the same features (the fallback when no model is installed, and the
baseline `ordino eval` prints beside the model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from extraction.candidates import Candidate, CandidateKind
from extraction.features import FEATURE_INDEX

FIELD_KINDS: dict[str, tuple[CandidateKind, ...]] = {
    "po_number": ("identifier",),
    "order_date": ("date",),
    "requested_delivery_date": ("date",),
    "currency": ("currency",),
    "customer_name": ("text",),
    "customer_vat_id": ("vat",),
    "customer_number": ("identifier",),
    "contact_email": ("email",),
    "ship_to_name": ("text",),
    "ship_to_street": ("text",),
    "ship_to_postal_code": ("postal",),
    "ship_to_city": ("text",),
    "ship_to_country": ("country",),
    "payment_terms_days": ("terms",),
    "subtotal": ("amount",),
    "tax_total": ("amount",),
    "total": ("amount",),
}


@dataclass(frozen=True, slots=True)
class FieldChoice:
    candidate: Candidate | None
    """None: the field is believed absent from the document."""
    score: float
    """The scorer's probability that the chosen candidate is right (or, for None, that none is)."""
    margin: float
    """Best minus the best probability of a candidate of another value (the best when there
    is none)."""


class FieldScorer(Protocol):
    def probabilities(self, field: str, features: np.ndarray) -> np.ndarray: ...

    def null_threshold(self, field: str) -> float: ...


def choose_field(
    scorer: FieldScorer, field: str, candidates: list[Candidate], features: np.ndarray
) -> FieldChoice:
    kinds = FIELD_KINDS[field]
    rows = [i for i, c in enumerate(candidates) if c.kind in kinds]
    if not rows:
        return FieldChoice(None, 1.0, 1.0)
    probs = scorer.probabilities(field, features[rows])
    order = np.argsort(-probs)
    best = float(probs[order[0]])
    if best < scorer.null_threshold(field):
        return FieldChoice(None, 1 - best, 1 - best)
    chosen = candidates[rows[int(order[0])]]
    # the runner-up is the best other value: the same value read in a longer span
    # ('Zahlungsziel: sofort') does not make the choice any less sure
    rivals = [
        float(p) for p, i in zip(probs, rows, strict=True) if candidates[i].value != chosen.value
    ]
    return FieldChoice(chosen, best, best - max(rivals, default=0.0))


_RULES: dict[str, dict[str, float]] = {
    "po_number": {
        "left_po_number": 2,
        "adjacent_po_number": 1,
        "above_po_number": 1.5,
        "in_table": -2,
        "left_quote": -2,
        "left_other_reference": -1,
        "left_customer_number": -2,
        "left_vendor_number": -2,
        "id_looks_phone": -1,
        "left_phone": -2,
    },
    "order_date": {
        "left_order_date": 2,
        "above_order_date": 1.5,
        "left_requested_delivery_date": -2,
        "above_requested_delivery_date": -1.5,
        "is_first_page": 0.3,
    },
    "requested_delivery_date": {
        "left_requested_delivery_date": 2,
        "above_requested_delivery_date": 1.5,
    },
    "currency": {"kind_currency": 1.6, "left_currency": 1},
    "customer_name": {
        "block_bill_to": 1,
        "text_prev_is_heading": 1,
        "text_customer_similarity": 1.6,
        "text_seller_similarity": -2,
        "text_has_street_word": -1,
        "text_has_digit": -0.5,
        "block_ship_to": -0.5,
        "block_seller": -2,
    },
    "customer_vat_id": {"kind_vat": 1.6, "vat_is_seller": -3, "block_seller": -1},
    "customer_number": {
        "left_customer_number": 2,
        "above_customer_number": 1.5,
        "left_vendor_number": -2,
        "in_table": -2,
    },
    "contact_email": {
        "kind_email": 1.2,
        "email_domain_is_customer": 1,
        "email_domain_is_seller": -1.5,
        "left_contact_email": 0.5,
    },
    "ship_to_name": {"block_ship_to": 1, "text_prev_is_heading": 1, "text_has_digit": -0.5},
    "ship_to_street": {
        "block_ship_to": 1,
        "text_has_street_word": 0.8,
        "text_has_digit": 0.4,
        "text_prev_is_heading": -1,
        "same_line_has_postal": -1,
    },
    "ship_to_postal_code": {"block_ship_to": 1.6, "kind_postal": 0.2},
    "ship_to_city": {"block_ship_to": 1, "same_line_has_postal": 0.8, "text_has_digit": -1},
    "ship_to_country": {"block_ship_to": 1.6},
    "payment_terms_days": {"left_payment_terms": 1, "above_payment_terms": 1, "kind_terms": 0.8},
    "subtotal": {
        "left_subtotal": 2,
        "adjacent_subtotal": 1,
        "amount_eq_lines_sum": 0.5,
        "in_table": -1,
        "amount_has_decimals": 0.5,
    },
    "tax_total": {
        "left_tax_total": 2,
        "adjacent_tax_total": 1,
        "in_table": -1,
        "amount_is_tax_of_other": 0.3,
        "amount_has_decimals": 0.5,
    },
    "total": {
        "left_total": 2,
        "adjacent_total": 1,
        "amount_is_max": 0.3,
        "in_table": -1,
        "amount_has_decimals": 0.5,
    },
}
_RULES_NULL_SCORE = 1.5


class RulesScorer:
    """Hand-set weights over the features; a candidate needs a label or block to be taken."""

    def probabilities(self, field: str, features: np.ndarray) -> np.ndarray:
        weights = np.zeros(features.shape[1], dtype=np.float32)
        for name, weight in _RULES[field].items():
            weights[FEATURE_INDEX[name]] = weight
        scores = features @ weights
        return 1 / (1 + np.exp(-(scores - _RULES_NULL_SCORE) * 3))

    def null_threshold(self, field: str) -> float:
        return 0.5


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))
