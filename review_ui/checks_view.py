"""The extraction's business checks, run again on the agent's working copy as they edit it.

The same `run_checks` the pipeline decides with, so the screen and the decision never disagree;
only the products the lines name are loaded from the master data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from extraction.checks import CheckResult, run_checks
from extraction.masterdata import MasterData
from extraction.result import Extraction
from models.masterdata_io import snapshot
from models.tables import Product


@dataclass(frozen=True)
class Totals:
    lines_sum: Decimal | None
    """Σ of the line totals, None when a line has none."""
    expected_line_totals: list[Decimal | None]
    """quantity × unit price for each line, when both are numbers."""
    subtotal_plus_tax: Decimal | None


@dataclass(frozen=True)
class CheckedCopy:
    failed: list[CheckResult]
    totals: Totals


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _field(data: dict[str, Any], name: str) -> Decimal | None:
    found = (data.get("fields") or {}).get(name)
    return _decimal(found.get("value")) if isinstance(found, dict) else None


def compute_totals(data: dict[str, Any]) -> Totals:
    lines = data.get("lines") or []
    line_totals = [_decimal(line.get("line_total")) for line in lines]
    expected = []
    for line in lines:
        qty, price = _decimal(line.get("quantity")), _decimal(line.get("unit_price"))
        expected.append(qty * price if qty is not None and price is not None else None)
    lines_sum = (
        sum((t for t in line_totals if t is not None), Decimal(0))
        if all(t is not None for t in line_totals)
        else None
    )
    subtotal, tax = _field(data, "subtotal"), _field(data, "tax_total")
    return Totals(
        lines_sum=lines_sum,
        expected_line_totals=expected,
        subtotal_plus_tax=subtotal + tax if subtotal is not None and tax is not None else None,
    )


def master_for(session: Session, data: dict[str, Any]) -> MasterData:
    """A master-data snapshot holding just the products these lines were matched to."""
    skus = {line.get("product_sku") for line in data.get("lines") or []} - {None, ""}
    products = session.exec(select(Product).where(col(Product.sku).in_(skus))).all() if skus else []
    return snapshot([], products, [])


def check_copy(data: dict[str, Any], master: MasterData) -> CheckedCopy:
    try:
        extraction = Extraction.model_validate(data)
    except ValidationError as error:
        problem = CheckResult(
            "schema", False, f"the extraction does not match its schema: {error.errors()[0]['msg']}"
        )
        return CheckedCopy(failed=[problem], totals=compute_totals(data))
    failed = [check for check in run_checks(extraction, master) if not check.passed]
    return CheckedCopy(failed=failed, totals=compute_totals(data))
