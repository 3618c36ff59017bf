"""Lines that are charges, not goods: freight, packaging, surcharges, pallet deposits.

They have no catalogue product (field-conventions: `product_sku` null), so an unmatched charge
line is expected, not an unknown item; and a charge is never matched to a product by its words
("Palette consignée" is not the catalogue's wooden pallet).
"""

from __future__ import annotations

import re

from extraction.lexicon import fold_token

_WORDS = frozenset(
    {
        # en
        "freight",
        "shipping",
        "carriage",
        "postage",
        "delivery charge",
        "delivery charges",
        "surcharge",
        "packaging",
        "packing",
        "handling",
        "pallet deposit",
        # fr
        "frais de port",
        "port",
        "frais de livraison",
        "frais d'expedition",
        "frais de transport",
        "emballage",
        "palette consignee",
        "consigne",
        "majoration",
        # de
        "versandkosten",
        "frachtkosten",
        "fracht",
        "porto",
        "verpackung",
        "verpackungspauschale",
        "palettenpfand",
        "pfand",
        "zuschlag",
        "expresszuschlag",
        "mindermengenzuschlag",
        "transportkosten",
    }
)
_STEMS = ("zuschlag", "versandkosten", "frachtkosten", "pfand", "pauschale")
"""German compounds end in these: 'Expresszuschlag', 'Palettenpfand'."""


def is_charge_line(description: str | None) -> bool:
    if not description:
        return False
    tokens = [fold_token(t) for t in description.split()]
    tokens = [t for t in tokens if t]
    if any(t.endswith(_STEMS) for t in tokens):
        return True
    text = " ".join(tokens)
    return any(re.search(rf"(?:^| ){re.escape(w)}(?: |$)", text) for w in _WORDS)
