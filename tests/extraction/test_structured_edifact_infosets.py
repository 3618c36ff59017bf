"""EDIFACT samples read as the independent DFDL parse (TestInfosets_*.xml) of the same files
says: document number and date, and per line its item number, quantity, description and price."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from extraction.structured import parse_structured

INVOIC = "INVOIC_D.03B_Interchange_with_UNA"
ORDERS = "ORDERS_D.03B_Interchange"
PAIRS = {f"TestData_{name}.txt": f"TestInfosets_{name}.xml" for name in (ORDERS, INVOIC)}
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _value(element: etree._Element, path: str) -> str | None:
    found = element.find(path)
    return found.text.strip() if found is not None and found.text else None


@pytest.mark.parametrize("data_name", sorted(PAIRS))
def test_edifact_sample_reads_as_its_dfdl_infoset_states(data_name: str, realdata: Path) -> None:
    folder = realdata / "02_purchase_orders" / "edifact_orders"
    data, infoset_path = folder / data_name, folder / PAIRS[data_name]
    if not data.is_file() or not infoset_path.is_file():
        pytest.skip(f"EDIFACT sample or its infoset not found in {folder}")
    infoset = etree.parse(str(infoset_path), _SAFE).getroot()
    order = parse_structured(data.read_bytes())
    assert order is not None

    message = infoset.find("{*}Message")
    assert message is not None
    body = message[1]  # the ORDERS / INVOIC element after UNH
    is_order = etree.QName(body).localname == "ORDERS"
    if is_order:
        assert order.po_number == _value(body, "BGM/C106/E1004")
        assert order.order_date is not None
        assert order.order_date.strftime("%Y%m%d") == _value(body, "DTM/C507/E2380")

    line_groups = [group for lin in body.iter("LIN") if (group := lin.getparent()) is not None]
    assert len(order.lines) == len(line_groups)
    for group, line in zip(line_groups, order.lines, strict=True):
        assert line.printed_item_id == _value(group, "LIN/C212/E7140")
        assert line.quantity == Decimal(_value(group, "QTY/C186/E6060") or "NaN")
        description = _value(group, "IMD/C273/E7008") or _value(group, "FTX/C108/E4440")
        assert line.description == description
        price = _value(group, ".//PRI/C509/E5118")
        if price is not None:
            basis = Decimal(_value(group, ".//PRI/C509/E5284") or "1")
            assert line.unit_price == Decimal(price) / basis
