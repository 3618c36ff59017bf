"""Synthetic purchase orders (and look-alike non-orders) with exact ground truth.

Training and evaluation data for the extraction model: many layout families in French,
English and German, rendered as text PDFs, 300-dpi scans, 200x100-dpi faxes or e-mail bodies,
each with a `<id>.truth.json` (values per shared/contracts/field-conventions.md and the boxes
of their words) and master data (customers.csv, products.csv, customer_items.csv) the orders
are consistent with. Held-out families (`TEST_FAMILIES`) form the test split.
"""

from __future__ import annotations

from training.synth.corpus import (
    VARIANTS,
    SampleMeta,
    SynthesisError,
    generate_corpus,
    generate_layout_series,
)
from training.synth.families import FAMILY_SPECS, HELD_OUT
from training.synth.masterdata_csv import write_master_data
from training.synth.truth import load_truth
from training.synth.world import SELLER_NAME, SELLER_VAT

FAMILIES: tuple[str, ...] = tuple(spec.name for spec in FAMILY_SPECS)
TEST_FAMILIES: frozenset[str] = HELD_OUT

__all__ = [
    "FAMILIES",
    "SELLER_NAME",
    "SELLER_VAT",
    "TEST_FAMILIES",
    "VARIANTS",
    "SampleMeta",
    "SynthesisError",
    "generate_corpus",
    "generate_layout_series",
    "load_truth",
    "write_master_data",
]
