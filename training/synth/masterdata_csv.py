"""Writes the synthetic world's master data in the formats of shared/contracts/master-data.md."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from models.masterdata_io import COLUMNS
from training.synth.world import World, build_world

CUSTOMER_COLUMNS = COLUMNS["customers"]
PRODUCT_COLUMNS = COLUMNS["products"]
CUSTOMER_ITEM_COLUMNS = COLUMNS["customer-items"]


def _write(path: Path, columns: tuple[str, ...], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def write_world(out_dir: Path, world: World) -> tuple[Path, Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    customers = [
        (
            c.customer_id,
            c.name,
            c.vat_id or "",
            " ".join(d for d in (c.email_domain, c.extra_domain) if d),
            c.street,
            c.postal_code,
            c.city,
            c.country,
            c.currency,
            c.payment_terms_days,
            c.credit_limit if c.credit_limit is not None else "",
            c.language,
            (c.iban or "").replace(" ", ""),
        )
        for c in world.customers
    ]
    products = [
        (p.sku, p.descriptions["fr"], p.unit, p.unit_price, "EUR", p.tax_rate, p.gtin)
        for p in world.products
    ]
    items = [
        (customer_id, customer_sku, sku)
        for customer_id, by_sku in sorted(world.customer_items.items())
        for sku, customer_sku in sorted(by_sku.items())
    ]
    return (
        _write(out_dir / "customers.csv", CUSTOMER_COLUMNS, customers),
        _write(out_dir / "products.csv", PRODUCT_COLUMNS, products),
        _write(out_dir / "customer_items.csv", CUSTOMER_ITEM_COLUMNS, items),
    )


def write_master_data(out_dir: Path, *, seed: int = 0) -> tuple[Path, Path, Path]:
    """customers.csv, products.csv, customer_items.csv of the world of `seed`."""
    return write_world(Path(out_dir), build_world(seed))
