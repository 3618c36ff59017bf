"""Value types of the public API: amounts and quantities as strings, times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, WithJsonSchema

_CENT = Decimal("0.01")


def money_str(value: Decimal) -> str:
    """At least two decimals, no trailing zeros beyond them: 12.5 → '12.50', 1.2345 → '1.2345'."""
    normal = value.normalize()
    if normal.as_tuple().exponent > -2:  # type: ignore[operator]
        normal = normal.quantize(_CENT)
    return format(normal, "f")


def quantity_str(value: Decimal) -> str:
    """No trailing zeros and never an exponent: 3.000000 → '3', 2.50 → '2.5'."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    return format(normal, "f")


def _utc(value: datetime) -> datetime:
    """The database keeps naive UTC; the API says so explicitly."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Amount = Annotated[
    Decimal,
    PlainSerializer(money_str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2,}$", "examples": ["1234.50"]}),
]
"""Money as a decimal string; never a float."""

Quantity = Annotated[
    Decimal,
    PlainSerializer(quantity_str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["12", "2.5"]}),
]

UtcDateTime = Annotated[datetime, AfterValidator(_utc)]
