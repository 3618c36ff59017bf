"""Synthetic purchase orders (and look-alike non-orders) with exact ground truth.

Training and evaluation data for the extraction model: layout families in French, English and
German, rendered as text PDFs, 300-dpi scans, 200x100-dpi faxes or e-mail bodies, consistent with
master data (customers.csv, products.csv, customer_items.csv) written beside them. Held-out
families (`TEST_FAMILIES`) form the test split.

Files per sample: `<id>.pdf`, `<id>.png` (a one-page scan; longer scans are image-only
`<id>.pdf`), `<id>.tiff` (fax), or `<id>.txt` + `<id>.eml` (mail; `SampleMeta.path` is the
.txt), and `<id>.truth.json`:

- `id, family, variant, split, language, document_type, customer_id, sender_email, mail_date`
  (no sender and no mail date for faxes and for documents that came without an e-mail);
- `fields`: every key of extraction.result.HEADER_FIELDS, each null or
  `{"value", "page", "bbox", "raw"}` — values as field-conventions.md, bbox the union box of the
  value's words as page fractions (origin top-left, after the scan's or fax's skew), raw the
  text as printed. Values shown without being printed as such (a ship-to country the block
  omits, the contact e-mail taken from the From header, a mail order's date from its Date
  header) have page, bbox and raw null. Mail entries carry `span`, [start, end) offsets into
  the .txt body, instead of boxes;
- `lines`: `sku, product_sku, description, quantity, unit, unit_price, line_total, page, bbox`
  plus `cells` (the box of each printed cell: sku, description, quantity, unit, unit_price,
  line_total, and where printed seller_sku, gtin, delivery_date, position, price_per,
  tax_rate) — or `span` for mail;
- `carried_forward_rows`: the "Carried forward" / "À reporter" / "Übertrag" rows (page, bbox,
  amount), printed between pages and not lines.

Non-orders (invoices, remittance advices, terms, newsletters) have every field null and no
lines; order changes carry their order's values like a purchase order.
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
