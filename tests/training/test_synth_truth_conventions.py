"""Truth values follow shared/contracts/field-conventions.md and add up."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from stdnum import get_cc_module
from stdnum.ch import uid

from extraction.result import HEADER_FIELDS
from training.synth import SELLER_NAME, SELLER_VAT, generate_corpus, load_truth
from training.synth.families import FAMILY_SPECS

PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
UNITS = {"EA", "BOX", "PAC", "ROL", "M", "KG", "L"}
SHIP_TO = (
    "ship_to_name",
    "ship_to_street",
    "ship_to_postal_code",
    "ship_to_city",
    "ship_to_country",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("conventions")
    metas = generate_corpus(
        out, seed=21, count=160, variants=("pdf", "mail"), variant_weights=(0.8, 0.2)
    )
    return out, [load_truth(m.truth_path) for m in metas]


def _value(truth: dict[str, Any], name: str) -> str | None:
    entry = truth["fields"][name]
    return None if entry is None else entry["value"]


def _orders(truths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in truths if t["document_type"] in ("purchase_order", "order_change")]


def test_every_header_key_is_present_and_values_are_normal_forms(corpus) -> None:
    _, truths = corpus
    for truth in truths:
        assert set(truth["fields"]) == set(HEADER_FIELDS)
        for name in ("order_date", "requested_delivery_date"):
            if (value := _value(truth, name)) is not None:
                assert dt.date.fromisoformat(value).isoformat() == value
        for name in ("subtotal", "tax_total", "total"):
            if (value := _value(truth, name)) is not None:
                assert PLAIN_DECIMAL.match(value), (name, value)
        if (days := _value(truth, "payment_terms_days")) is not None:
            assert days == str(int(days))
        if (currency := _value(truth, "currency")) is not None:
            assert currency in {"EUR", "GBP", "CHF"}
        for entry in truth["fields"].values():
            assert entry is None or entry["value"] not in (None, "")


def test_vat_ids_are_normalised_valid_and_never_the_sellers(corpus) -> None:
    _, truths = corpus
    seen = 0
    for truth in _orders(truths):
        assert _value(truth, "customer_name") != SELLER_NAME
        vat = _value(truth, "customer_vat_id")
        if vat is None:
            continue
        seen += 1
        assert re.fullmatch(r"[A-Z0-9]+", vat)
        assert vat != SELLER_VAT
        if vat.startswith("CHE"):
            assert uid.is_valid(vat)
        else:
            module = get_cc_module(vat[:2].lower(), "vat")
            assert module is not None and module.is_valid(vat), vat
    assert seen > 20


def test_lines_multiply_and_add_up_to_the_printed_totals(corpus) -> None:
    _, truths = corpus
    for truth in _orders(truths):
        assert truth["lines"], truth["id"]
        for line in truth["lines"]:
            quantity, price = Decimal(line["quantity"]), Decimal(line["unit_price"])
            line_total = Decimal(line["line_total"])
            assert abs(quantity * price - line_total) <= Decimal("0.005"), line
            assert line["unit"] is None or line["unit"] in UNITS
        subtotal = _value(truth, "subtotal")
        if subtotal is not None:
            assert sum(Decimal(line["line_total"]) for line in truth["lines"]) == Decimal(subtotal)
        tax, total = _value(truth, "tax_total"), _value(truth, "total")
        assert (tax is None) == (total is None)
        if tax is not None:
            assert subtotal is not None
            assert total is not None
            assert Decimal(subtotal) + Decimal(tax) == Decimal(total)


def test_ship_to_is_all_or_nothing(corpus) -> None:
    _, truths = corpus
    with_delivery = 0
    for truth in truths:
        present = [_value(truth, name) is not None for name in SHIP_TO]
        assert all(present) or not any(present), truth["id"]
        with_delivery += all(present)
    assert 0 < with_delivery < len(truths)


def test_lines_and_customers_refer_to_the_master_data(corpus) -> None:
    out, truths = corpus
    with (out / "customers.csv").open(encoding="utf-8") as handle:
        customers = {row["customer_id"]: row for row in csv.DictReader(handle)}
    with (out / "products.csv").open(encoding="utf-8") as handle:
        skus = {row["sku"] for row in csv.DictReader(handle)}
    with (out / "customer_items.csv").open(encoding="utf-8") as handle:
        cross = {(r["customer_id"], r["customer_sku"]): r["sku"] for r in csv.DictReader(handle)}
    unknown_customers = non_catalogue_lines = 0
    for truth in _orders(truths):
        customer_id = truth["customer_id"]
        unknown_customers += customer_id is None
        if customer_id is not None:
            assert customer_id in customers
            assert _value(truth, "customer_name") == customers[customer_id]["name"]
            number = _value(truth, "customer_number")
            assert number is None or number == customer_id
        else:
            assert _value(truth, "customer_number") is None
        for line in truth["lines"]:
            product = line["product_sku"]
            non_catalogue_lines += product is None
            if product is None:
                assert line["sku"] is None
                continue
            assert product in skus
            if line["sku"] is not None and line["sku"] != product:
                assert cross[(customer_id, line["sku"])] == product
    assert unknown_customers > 0
    assert non_catalogue_lines > 0


def test_documents_that_are_not_orders_carry_no_order_values(tmp_path: Path) -> None:
    families = [
        s.name for s in FAMILY_SPECS if s.document_type not in ("purchase_order", "order_change")
    ]
    metas = generate_corpus(
        tmp_path, seed=22, count=12, families=families, variants=("pdf", "mail")
    )
    truths = [load_truth(m.truth_path) for m in metas]
    assert {t["document_type"] for t in truths} == {"invoice", "remittance_advice", "other"}
    for truth in truths:
        assert all(entry is None for entry in truth["fields"].values())
        assert truth["lines"] == []


def test_mail_orders_take_missing_dates_and_email_from_the_message(corpus) -> None:
    _, truths = corpus
    mails = [t for t in _orders(truths) if t["variant"] == "mail"]
    assert mails
    for truth in mails:
        assert _value(truth, "contact_email") is not None
        order_date = truth["fields"]["order_date"]
        if "span" not in order_date:
            assert order_date["value"] == truth["mail_date"][:10]


def test_payment_terms_days_is_the_net_period_of_the_printed_terms(corpus) -> None:
    _, truths = corpus
    seen: Counter[bool] = Counter()
    for truth in _orders(truths):
        entry = truth["fields"]["payment_terms_days"]
        if entry is None or entry["raw"] is None:
            continue
        numbers = re.findall(r"\d+", entry["raw"])
        if entry["value"] == "0":
            assert not numbers, entry["raw"]
        else:
            assert numbers[-1] == entry["value"], entry["raw"]
        seen[entry["value"] == "0"] += 1
    assert seen[True] and seen[False]


def test_unknown_customers_do_not_pass_for_catalogue_ones(corpus) -> None:
    out, truths = corpus
    with (out / "customers.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["name"] for row in rows}
    vat_ids = {row["vat_id"] for row in rows}
    for truth in _orders(truths):
        if truth["customer_id"] is None:
            assert _value(truth, "customer_name") not in names
            assert _value(truth, "customer_vat_id") not in vat_ids
