"""A delivery address written as a sentence: 'Merci de livrer à l'adresse suivante : Électricité
Lefèvre SAS, 37 boulevard Gambetta, 33000 Bordeaux.' or 'Lieferanschrift: Weber GmbH, Am Hafen
55, 90402 Nürnberg.' Orders typed in a mail body put the address on one line after its label,
its parts separated by commas, where the block reader finds no block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.layout import DocumentLayout
from extraction.lexicon import LabelHit
from extraction.normalize import parse_country

_POSTAL_CITY_RE = re.compile(
    r"^(?P<postal>(?:[A-Z]{1,2}-)?\d{4,5}|\d{4} ?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})"
    r"\s+(?P<city>[^\d,]+)$"
)
_CITY_POSTAL_RE = re.compile(r"^(?P<city>[^\d,]+?)\s+(?P<postal>[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})$")


@dataclass(frozen=True)
class InlineAddress:
    name: str
    street: str
    postal_code: str
    city: str
    country: str | None


def inline_ship_to(layout: DocumentLayout, hits: list[LabelHit]) -> InlineAddress | None:
    """The first delivery address written on its label's line as 'name, street, postal city'."""
    for hit in hits:
        if hit.label != "ship_to":
            continue
        line = layout.lines[hit.line]
        after = " ".join(w.text for w in line.words[hit.end :])
        address = _parse(after.split(":", 1)[-1] if ":" in after else after)
        if address is not None:
            return address
    return None


def _parse(text: str) -> InlineAddress | None:
    parts = [p.strip() for p in text.strip().rstrip(".").split(",") if p.strip()]
    if len(parts) < 3:
        return None
    country = parse_country(parts[-1])
    if country is not None:
        parts = parts[:-1]
    if len(parts) < 3:
        return None
    place = _POSTAL_CITY_RE.match(parts[-1]) or _CITY_POSTAL_RE.match(parts[-1])
    if place is None or not any(c.isdigit() for c in parts[-2]):
        return None
    return InlineAddress(
        name=", ".join(parts[:-2]),
        street=parts[-2],
        postal_code=place["postal"],
        city=place["city"].strip(),
        country=country,
    )
