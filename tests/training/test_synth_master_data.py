"""The master data the generator writes parses with the documented columns and valid ids."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from schwifty import IBAN
from stdnum import ean, get_cc_module
from stdnum.ch import uid

from training.synth import write_master_data


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_master_data_files_have_the_documented_columns(tmp_path: Path) -> None:
    customers, products, items = write_master_data(tmp_path, seed=0)
    assert [p.name for p in (customers, products, items)] == [
        "customers.csv",
        "products.csv",
        "customer_items.csv",
    ]
    assert _rows(customers)[0] == [
        "customer_id",
        "name",
        "vat_id",
        "email_domains",
        "street",
        "postal_code",
        "city",
        "country",
        "currency",
        "payment_terms_days",
        "credit_limit",
        "language",
        "iban",
    ]
    assert _rows(products)[0] == [
        "sku",
        "description",
        "unit",
        "unit_price",
        "currency",
        "tax_rate",
        "gtin",
    ]
    assert _rows(items)[0] == ["customer_id", "customer_sku", "sku"]


def test_customers_span_countries_with_valid_vat_ids_and_ibans(tmp_path: Path) -> None:
    customers, _, _ = write_master_data(tmp_path, seed=0)
    _, rows = _rows(customers)
    assert 35 <= len(rows) <= 45
    assert len({r["customer_id"] for r in rows}) == len(rows)
    assert {"FR", "DE", "GB", "BE", "CH"} <= {r["country"] for r in rows}
    for row in rows:
        vat = row["vat_id"]
        if vat.startswith("CHE"):
            assert uid.is_valid(vat)
        else:
            module = get_cc_module(row["country"].lower(), "vat")
            assert module is not None and module.is_valid(vat), vat
        domains = row["email_domains"].split()
        assert domains and all("." in d and "@" not in d for d in domains)
        int(row["payment_terms_days"])
        if row["credit_limit"]:
            Decimal(row["credit_limit"])
        for iban in row["iban"].split():
            IBAN(iban)


def test_products_have_valid_gtins_and_decimal_prices(tmp_path: Path) -> None:
    _, products, _ = write_master_data(tmp_path, seed=0)
    _, rows = _rows(products)
    assert len(rows) == 300
    assert len({r["sku"] for r in rows}) == 300
    for row in rows:
        assert ean.is_valid(row["gtin"]) and len(row["gtin"]) == 13
        assert Decimal(row["unit_price"]) > 0
        assert Decimal(row["tax_rate"]) == Decimal("0.20")
        assert row["unit"] in {"EA", "BOX", "PAC", "ROL", "M", "KG", "L"}


def test_customer_items_refer_to_known_customers_and_products(tmp_path: Path) -> None:
    customers, products, items = write_master_data(tmp_path, seed=0)
    customer_ids = {r["customer_id"] for r in _rows(customers)[1]}
    skus = {r["sku"] for r in _rows(products)[1]}
    _, rows = _rows(items)
    assert len({r["customer_id"] for r in rows}) >= 8
    assert len({(r["customer_id"], r["customer_sku"]) for r in rows}) == len(rows)
    for row in rows:
        assert row["customer_id"] in customer_ids and row["sku"] in skus


def test_master_data_is_a_function_of_the_seed(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in write_master_data(tmp_path / "a", seed=3)]
    again = [p.read_bytes() for p in write_master_data(tmp_path / "b", seed=3)]
    other = [p.read_bytes() for p in write_master_data(tmp_path / "c", seed=4)]
    assert first == again
    assert first != other
